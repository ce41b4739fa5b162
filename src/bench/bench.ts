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
const report = { date: new Date().toISOString(), node: process.version, cpus: cpus().length, memoryBytes: totalmem(), runs: results, inspect };
mkdirSync('reports', { recursive: true });
writeFileSync('reports/bench.json', JSON.stringify(report, null, 2) + '\n');
process.stdout.write('figures written to reports/bench.json\n');
