// Shared helpers for tests that run the built CLI (npm test builds dist/ before vitest).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI = join(ROOT, 'dist', 'cli.js');
export const ASSETS = new URL('../src/samples/assets/', import.meta.url);

/** Folders tempDir made for the test file running; tests/setup.ts removes them after it. */
const made: string[] = [];

/**
 * A fresh folder under the system's temporary folder, removed when the test file ends
 * (tests/setup.ts): one run of the suite writes about a gigabyte there (the hostile mbox of a
 * million messages alone 455 MB). BR_KEEP_TMP=1 keeps them, to look at what a test wrote.
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `br-${prefix}-`));
  made.push(dir);
  return dir;
}

/**
 * Remove the folders tempDir made (unless BR_KEEP_TMP is set). Best effort: a program a test
 * started (the headless browser of tests/report/browser.test.ts) may still be writing in one
 * as it is removed; such a folder is tried again a few times and then left where it is.
 */
export function removeTempDirs(): void {
  if (process.env.BR_KEEP_TMP) return;
  for (const dir of made.splice(0)) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch {
      // left for the system's own clearing of its temporary folder
    }
  }
}

export interface CliResult {
  code: number | null;
  /** The signal that ended the process, when one did (code is then null). */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export function startCli(args: string[]) {
  return spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The data rows of a tab-separated MANIFEST file (header line skipped), split into columns. */
export function readTsvRows(url: URL): string[][] {
  return readFileSync(url, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'));
}

/** The last line of stdout, parsed: `--json` puts the summary there. */
export function lastJson<T = Record<string, unknown>>(stdout: string): T {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}

/**
 * Run the built CLI and measure its peak resident memory (python's getrusage of the child:
 * node reports only its own process).
 */
export function runCliMeasured(args: string[]): CliResult & { peakRssMB: number } {
  const script = 'import resource,subprocess,sys\nr=subprocess.run(sys.argv[1:])\nsys.stderr.write("\\npeak_rss_kb=%d\\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\nsys.exit(r.returncode)';
  const r = spawnSync('python3', ['-c', script, process.execPath, CLI, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const kb = Number(/peak_rss_kb=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, peakRssMB: kb / 1024 };
}
