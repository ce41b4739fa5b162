// `npm run bench`: the figures issue 7 asks for, in one run, side by side. Not a test.
//   - journal mboxes written by the repo's generator (mail shaped like real clients write it:
//     mostly small, a fifth with attachments, a few large), on two sizes, the larger 4× the
//     smaller: blastradius `scan` (all cores) beside mailparser's simpleParser alone on one
//     core (the library floor), MB/s, messages/s, peak RSS, and their ratio;
//   - generated Postfix logs on two sizes: our parser alone, `scan` of the log into a case,
//     and pflogsumm (Debian package) on the same file, lines/s and peak RSS;
//   - `inspect` over the office corpus (../shared/corpus/office, else tests/fixtures/office),
//     files read from disk, one process: first round and later rounds.
// Figures go to reports/bench.json.
//   BENCH_GB=2 (size of the larger mbox in GB; 0 skips the mbox runs)
//   BENCH_LOG_LINES=5000000 (lines of the larger log; 0 skips the log runs)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateJournal } from '../samples/journal-generator.js';
import { generatePostfixLog } from '../samples/postfix-log-generator.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const assetDir = new URL('../../src/samples/assets/', import.meta.url);
const GB = Number(process.env.BENCH_GB ?? '2');
const LOG_LINES = Number(process.env.BENCH_LOG_LINES ?? '5000000');
const work = join(tmpdir(), `blastradius-bench-${process.pid}`);
mkdirSync(work, { recursive: true });

interface Run {
  seconds: number;
  peakRssMB: number;
  stdout: string;
}

/**
 * Run a program and measure it from outside: wall time, and peak RSS from getrusage of the
 * child (python3's resource module; node reports only its own process). Worker threads
 * live in the process, so a scan's RSS covers them.
 */
function measured(cmd: string, args: string[]): Run {
  const script = [
    'import resource,subprocess,sys,time',
    't=time.monotonic()',
    'r=subprocess.run(sys.argv[1:],stdout=subprocess.PIPE)',
    's=time.monotonic()-t',
    'sys.stdout.buffer.write(r.stdout)',
    'sys.stderr.write("\\nbench_seconds=%f peak_rss_kb=%d\\n" % (s, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))',
    'sys.exit(r.returncode)',
  ].join('\n');
  const r = spawnSync('python3', ['-c', script, cmd, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  const m = /bench_seconds=([\d.]+) peak_rss_kb=(\d+)/.exec(r.stderr);
  if (!m) throw new Error(`no measurement from ${cmd}`);
  return { seconds: Number(m[1]), peakRssMB: Number(m[2]) / 1024, stdout: r.stdout };
}

const node = (script: string, args: string[]) => measured(process.execPath, [join(here, script), ...args]);
const mb = (b: number) => b / 1e6;
const lastJson = (s: string) => JSON.parse(s.trim().split('\n').pop()!) as Record<string, number>;
const f1 = (n: number) => n.toFixed(1);
const f0 = (n: number) => n.toFixed(0);
const pad = (s: string, n: number) => s.padEnd(n + 4);

const journals: Record<string, unknown>[] = [];
const logs: Record<string, unknown>[] = [];
const lines: string[] = [];
try {
  for (const gb of GB > 0 ? [GB / 4, GB] : []) {
    const path = join(work, `journal-${gb}GB.mbox`);
    const g = await generateJournal({ path, targetBytes: Math.ceil(gb * 1024 ** 3), seed: 42, assetDir });
    const bytes = statSync(path).size;
    const scan = node('measure-scan.js', [path, join(work, `case-${gb}.sqlite`)]);
    const scanOut = lastJson(scan.stdout);
    const floor = node('measure-simpleparser.js', [path]);
    const row = {
      mboxBytes: bytes,
      messages: g.messages,
      withAttachments: g.withAttachments,
      large: g.large,
      scan: { seconds: scan.seconds, mbPerSecond: mb(bytes) / scan.seconds, messagesPerSecond: scanOut.messages! / scan.seconds, peakRssMB: scan.peakRssMB, messagesStored: scanOut.messages, threads: scanOut.threads },
      simpleParserAlone: { seconds: floor.seconds, mbPerSecond: mb(bytes) / floor.seconds, messagesPerSecond: g.messages / floor.seconds, peakRssMB: floor.peakRssMB },
      ratio: floor.seconds / scan.seconds,
    };
    journals.push(row);
    lines.push(
      `journal mbox ${f0(mb(bytes))} MB, ${g.messages} messages (${g.withAttachments} with attachments, ${g.large} large)`,
      `  ${pad('', 34)}${pad('MB/s', 9)}${pad('messages/s', 12)}peak RSS`,
      `  ${pad(`blastradius scan (${scanOut.threads} worker threads)`, 34)}${pad(f1(row.scan.mbPerSecond), 9)}${pad(f0(row.scan.messagesPerSecond), 12)}${f0(row.scan.peakRssMB)} MB`,
      `  ${pad('simpleParser alone (one core)', 34)}${pad(f1(row.simpleParserAlone.mbPerSecond), 9)}${pad(f0(row.simpleParserAlone.messagesPerSecond), 12)}${f0(row.simpleParserAlone.peakRssMB)} MB`,
      `  scan / simpleParser: ${row.ratio.toFixed(2)}×`,
    );
    process.stdout.write(lines.slice(-5).join('\n') + '\n');
    rmSync(path, { force: true });
    rmSync(join(work, `case-${gb}.sqlite`), { force: true });
  }

  for (const n of LOG_LINES > 0 ? [Math.ceil(LOG_LINES / 4), LOG_LINES] : []) {
    const path = join(work, `maillog-${n}`);
    const g = await generatePostfixLog({ path, lines: n, seed: 9 });
    const parse = node('measure-log.js', [path]);
    const scan = node('measure-scan.js', [path, join(work, `logcase-${n}.sqlite`)]);
    let pflog: Run | null = null;
    try {
      execFileSync('pflogsumm', ['--version'], { stdio: 'ignore' });
      pflog = measured('pflogsumm', [path]);
    } catch {
      pflog = null; // not installed (Debian package pflogsumm)
    }
    const rate = (r: Run) => g.lines / r.seconds;
    const row = {
      lines: g.lines,
      bytes: g.bytes,
      parse: { seconds: parse.seconds, linesPerSecond: rate(parse), peakRssMB: parse.peakRssMB, messages: lastJson(parse.stdout).messages },
      scan: { seconds: scan.seconds, linesPerSecond: rate(scan), peakRssMB: scan.peakRssMB },
      pflogsumm: pflog ? { seconds: pflog.seconds, linesPerSecond: rate(pflog), peakRssMB: pflog.peakRssMB } : null,
      parseRatio: pflog ? pflog.seconds / parse.seconds : null,
      scanRatio: pflog ? pflog.seconds / scan.seconds : null,
    };
    logs.push(row);
    lines.push(
      `Postfix log ${g.lines} lines, ${f0(mb(g.bytes))} MB`,
      `  ${pad('', 34)}${pad('lines/s', 12)}peak RSS`,
      `  ${pad('blastradius parser alone', 34)}${pad(f0(row.parse.linesPerSecond), 12)}${f0(row.parse.peakRssMB)} MB`,
      `  ${pad('blastradius scan (into a case)', 34)}${pad(f0(row.scan.linesPerSecond), 12)}${f0(row.scan.peakRssMB)} MB`,
      row.pflogsumm ? `  ${pad('pflogsumm', 34)}${pad(f0(row.pflogsumm.linesPerSecond), 12)}${f0(row.pflogsumm.peakRssMB)} MB` : '  pflogsumm not installed',
      row.pflogsumm ? `  parser / pflogsumm: ${row.parseRatio!.toFixed(2)}×, scan / pflogsumm: ${row.scanRatio!.toFixed(2)}×` : '',
    );
    process.stdout.write(lines.slice(-6).join('\n') + '\n');
    rmSync(path, { force: true });
    rmSync(join(work, `logcase-${n}.sqlite`), { force: true });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

// inspect over the office corpus, files read from disk included, one process.
const shared = fileURLToPath(new URL('../../../shared/corpus/office/', import.meta.url));
const officeDir = existsSync(shared) ? shared : fileURLToPath(new URL('../../tests/fixtures/office/', import.meta.url));
const insp = node('measure-inspect.js', [officeDir, '5']);
const io = lastJson(insp.stdout);
const inspect = {
  folder: officeDir,
  files: io.files,
  documents: io.documents,
  seconds: io.seconds,
  firstRoundDocumentsPerSecond: io.files! / io.firstRoundSeconds!,
  firstRoundKeyDerivations: io.firstRoundKeyDerivations,
  firstRoundKeyDerivationSeconds: io.firstRoundKeyDerivationSeconds,
  laterRoundsDocumentsPerSecond: (io.documents! - io.files!) / (io.seconds! - io.firstRoundSeconds!),
  peakRssMB: insp.peakRssMB,
};
lines.push(
  `inspect over ${inspect.files} office documents (${officeDir}), one process, files read from disk:`,
  `  first round ${f0(inspect.firstRoundDocumentsPerSecond)} documents/s (${inspect.firstRoundKeyDerivations} OOXML key derivations took ${f1(inspect.firstRoundKeyDerivationSeconds!)} s of it)`,
  `  later rounds ${f0(inspect.laterRoundsDocumentsPerSecond)} documents/s; peak RSS ${f0(inspect.peakRssMB)} MB`,
);
process.stdout.write(lines.slice(-3).join('\n') + '\n');

const report = { date: new Date().toISOString(), node: process.version, cpus: cpus().length, memoryBytes: totalmem(), journals, logs, inspect };
mkdirSync('reports', { recursive: true });
writeFileSync('reports/bench.json', JSON.stringify(report, null, 2) + '\n');
process.stdout.write('\n' + lines.filter(Boolean).join('\n') + '\nfigures written to reports/bench.json\n');
