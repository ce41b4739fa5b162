// `npm run bench`: generate journal mboxes with the sample generator and measure `scan`
// beside mailparser's simpleParser alone on the same file. Not a test: figures only,
// printed and written to reports/bench.json.
//   BENCH_GB=1 (size of the large mbox in GB; the small one is a quarter of it; 0 skips the mbox runs)
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateJournal } from '../samples/journal-generator.js';
import { generatePostfixLog } from '../samples/postfix-log-generator.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const assetDir = new URL('../../src/samples/assets/', import.meta.url);
const GB = Number(process.env.BENCH_GB ?? '1');
const work = join(tmpdir(), `blastradius-bench-${process.pid}`);
mkdirSync(work, { recursive: true });

function child(script: string, args: string[]): { messages: number; seconds: number; peakRssBytes: number } {
  const out = execFileSync(process.execPath, [join(here, script), ...args], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(out.trim().split('\n').pop()!);
}

const mb = (b: number) => b / 1e6;
const results: Record<string, unknown>[] = [];
try {
  for (const gb of GB > 0 ? [GB / 4, GB] : []) {
    const path = join(work, `journal-${gb}GB.mbox`);
    const g = await generateJournal({ path, targetBytes: Math.ceil(gb * 1024 ** 3), seed: 42, assetDir });
    const bytes = statSync(path).size;
    process.stdout.write(`generated ${path}: ${mb(bytes).toFixed(0)} MB, ${g.messages} messages (${g.withAttachments} with attachments, ${g.large} large)\n`);
    const scan = child('measure-scan.js', [path, join(work, `case-${gb}.sqlite`)]);
    const floor = child('measure-simpleparser.js', [path]);
    const row = {
      mboxBytes: bytes,
      messages: g.messages,
      scan: { seconds: scan.seconds, mbPerSecond: mb(bytes) / scan.seconds, messagesPerSecond: scan.messages / scan.seconds, peakRssMB: mb(scan.peakRssBytes), messagesStored: scan.messages },
      simpleParserAlone: { seconds: floor.seconds, mbPerSecond: mb(bytes) / floor.seconds, messagesPerSecond: floor.messages / floor.seconds, peakRssMB: mb(floor.peakRssBytes) },
      ratio: floor.seconds / scan.seconds,
    };
    results.push(row);
    process.stdout.write(
      `  scan:               ${row.scan.mbPerSecond.toFixed(1)} MB/s, ${row.scan.messagesPerSecond.toFixed(0)} messages/s, peak RSS ${row.scan.peakRssMB.toFixed(0)} MB\n` +
        `  simpleParser alone: ${row.simpleParserAlone.mbPerSecond.toFixed(1)} MB/s, ${row.simpleParserAlone.messagesPerSecond.toFixed(0)} messages/s, peak RSS ${row.simpleParserAlone.peakRssMB.toFixed(0)} MB\n` +
        `  scan / simpleParser throughput: ${row.ratio.toFixed(2)}\n`,
    );
    rmSync(path, { force: true });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
mkdirSync(work, { recursive: true });
// inspect over the office corpus fixtures, files read from disk included, one process.
const officeDir = fileURLToPath(new URL('../../tests/fixtures/office/', import.meta.url));
const insp = child('measure-inspect.js', [officeDir, '5']) as unknown as { files: number; documents: number; seconds: number; firstRoundSeconds: number; peakRssBytes: number };
const inspect = {
  files: insp.files,
  documents: insp.documents,
  seconds: insp.seconds,
  documentsPerSecond: insp.documents / insp.seconds,
  firstRoundDocumentsPerSecond: insp.files / insp.firstRoundSeconds,
  peakRssMB: mb(insp.peakRssBytes),
};
process.stdout.write(
  `inspect over ${insp.files} office documents: first round ${inspect.firstRoundDocumentsPerSecond.toFixed(0)} documents/s (every default-password derivation paid), ` +
    `${inspect.documentsPerSecond.toFixed(0)} documents/s over ${insp.documents} in ${insp.seconds.toFixed(1)} s, peak RSS ${inspect.peakRssMB.toFixed(0)} MB\n`,
);
// Postfix logs: ours beside pflogsumm, on two sizes (memory must not grow with the log).
const logRuns: Record<string, unknown>[] = [];
const LOG_LINES = Number(process.env.BENCH_LOG_LINES ?? '5000000');
for (const lines of LOG_LINES > 0 ? [Math.ceil(LOG_LINES / 4), LOG_LINES] : []) {
  const path = join(work, `maillog-${lines}`);
  mkdirSync(work, { recursive: true });
  const g = await generatePostfixLog({ path, lines, seed: 9 });
  const ours = child('measure-log.js', [path]) as unknown as { lines: number; messages: number; seconds: number; peakRssBytes: number };
  let pflog: { seconds: number } | null = null;
  try {
    const t0 = process.hrtime.bigint();
    execFileSync('pflogsumm', [path], { stdio: 'ignore' });
    pflog = { seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
  } catch {
    pflog = null; // not installed (Debian package pflogsumm)
  }
  const row = {
    lines: g.lines,
    bytes: g.bytes,
    ours: { seconds: ours.seconds, linesPerSecond: ours.lines / ours.seconds, peakRssMB: mb(ours.peakRssBytes), messages: ours.messages },
    pflogsumm: pflog ? { seconds: pflog.seconds, linesPerSecond: g.lines / pflog.seconds } : null,
    ratio: pflog ? pflog.seconds / ours.seconds : null,
  };
  logRuns.push(row);
  process.stdout.write(
    `Postfix log of ${g.lines} lines (${mb(g.bytes).toFixed(0)} MB): ours ${row.ours.linesPerSecond.toFixed(0)} lines/s, peak RSS ${row.ours.peakRssMB.toFixed(0)} MB` +
      (row.pflogsumm ? `; pflogsumm ${row.pflogsumm.linesPerSecond.toFixed(0)} lines/s (${row.pflogsumm.seconds.toFixed(1)} s); ours ${row.ratio!.toFixed(1)}× faster\n` : '; pflogsumm not installed\n'),
  );
  rmSync(path, { force: true });
}
rmSync(work, { recursive: true, force: true });
const report = { date: new Date().toISOString(), node: process.version, cpus: cpus().length, memoryBytes: totalmem(), runs: results, inspect, logs: logRuns };
mkdirSync('reports', { recursive: true });
writeFileSync('reports/bench.json', JSON.stringify(report, null, 2) + '\n');
process.stdout.write('figures written to reports/bench.json\n');
