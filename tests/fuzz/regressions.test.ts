// Replays every saved fuzz finding in tests/fixtures/fuzz/<target>/ through the command the
// fuzzer ran it with, judged as the fuzzer judges (a documented exit code, no signal, no
// stderr but "blastradius:" one-liners, within 60 s and 400 MB peak RSS), and for scan, the
// file either read or recorded as an error. A finding is moved here from the
// untracked fuzz-findings/ once its fix has landed; an empty folder simply has no cases.
// A large finding is kept gzipped (name.eml.gz) and unpacked into the run's folder first.
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TARGETS, TARGET_NAMES, cliArgs, type TargetName } from '../../src/fuzz/targets.js';
import { runCli } from '../../src/fuzz/child-run.js';
import { judge } from '../../src/fuzz/verdict.js';
import { CLI, ROOT, lastJson, tempDir } from '../helpers.js';

const FUZZ = join(ROOT, 'tests', 'fixtures', 'fuzz');
const BOUNDS = { seconds: 60, rssMB: 400 };

/** The finding files of a target (its .json sidecars and sub-folders are not cases). */
function findings(target: TargetName): string[] {
  const dir = join(FUZZ, target);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isFile() && !p.endsWith('.json') && !p.endsWith('.json.gz'));
}

const cases = TARGET_NAMES.flatMap((target) => findings(target).map((file) => ({ target, file, name: `${target}/${file.slice(FUZZ.length + target.length + 2)}` })));

interface ScanJson {
  inputs: { path: string; messagesRead: number; errors: number; skipped: string | null; log?: { lines: number } }[];
  problems: { path: string }[];
  errorSamples: { source_path: string }[];
}

describe('fuzz regressions', () => {
  it('tests/fixtures/fuzz holds only target folders', () => {
    const names = existsSync(FUZZ) ? readdirSync(FUZZ) : [];
    expect(names.filter((n) => !(TARGET_NAMES as readonly string[]).includes(n))).toEqual([]);
  });

  it.each(cases)('$name', async ({ target, file: kept }) => {
    const t = TARGETS[target];
    const dir = tempDir('fuzz-regression');
    try {
      let file = kept;
      if (kept.endsWith('.gz')) {
        file = join(dir, basename(kept, '.gz'));
        writeFileSync(file, gunzipSync(readFileSync(kept)));
      }
      const r = await runCli(CLI, cliArgs(t, [file], join(dir, 'case.sqlite')), { timeoutMs: BOUNDS.seconds * 1000, memoryCapMB: 4 * BOUNDS.rssMB }, ROOT);
      const verdict = judge(r, t.okExit, BOUNDS, [dir]);
      expect(verdict, r.stderr.slice(0, 2000)).toBeNull();
      const path = resolve(file);
      if (t.command === 'scan') {
        const s = lastJson<ScanJson>(r.stdout);
        const input = s.inputs.find((i) => i.path === path);
        const read = input !== undefined && (input.messagesRead > 0 || (input.log?.lines ?? 0) > 0 || input.skipped !== null);
        const recorded = (input?.errors ?? 0) > 0 || s.errorSamples.some((e) => e.source_path === path) || s.problems.some((p) => p.path === path);
        expect(read || recorded, `neither read nor recorded as an error: ${JSON.stringify(input)}`).toBe(true);
      } else {
        const results = lastJson<{ file: string }[]>(r.stdout);
        expect(results.map((x) => resolve(x.file))).toEqual([path]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
