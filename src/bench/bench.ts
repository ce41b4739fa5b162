// `npm run bench`: the figures issue 7 asks for, in one run, side by side. Not a test.
//   - journal mboxes written by the repo's generator in two shapes (bench-journal.ts): `short`,
//     the sizes of a real journal (median a few KB, a fifth with attachments, a few large),
//     and `today`, the bench's first journal (about 24 KB a message); each on two sizes, the
//     larger 4× the smaller: blastradius `scan` (all cores) beside mailparser's simpleParser
//     alone on one core (the library floor): wall and CPU time, CPU µs per message,
//     messages/s, MB/s, peak RSS, their ratio, and the scan's main-thread busy time;
//   - generated Postfix logs on two sizes: our parser alone, `scan` of the log into a case,
//     and pflogsumm (Debian package) on the same file, lines/s and peak RSS;
//   - `inspect` over the office corpus (../shared/corpus/office, else tests/fixtures/office),
//     files read from disk, one process: first round and later rounds;
//   - the end-to-end case (bench-case.ts): a journal, Postfix log and message trace that
//     agree, on two sizes, the larger 4× the smaller, through `scan`, `analyze` and `report`
//     (each stage's time and peak RSS), beside simpleParser alone on the larger journal;
//   - host evidence (issue 18): a generated Squid access.log on two sizes, the larger 4× the
//     smaller, against a generated URLhaus dump and a Feodo list: the network-log parser
//     alone, parser and feed matching, and `scan` of feeds and log into a fresh case (lines/s,
//     MB/s, peak RSS each), the feed load time, and the matches checked against the planted ones.
// Figures go to reports/bench.json (a part not run is left empty there).
//   BENCH_GB=2 (size of the larger mbox in GB; 0 skips the mbox runs)
//   BENCH_SHAPES=short,today (journal shapes, comma-separated)
//   BENCH_LOG_LINES=5000000 (lines of the larger log; 0 skips the log runs)
//   BENCH_CASE_MB=400 (journal of the larger end-to-end case in MB; 0 skips the case)
//   BENCH_CASE_RUNS=3 (rounds of each stage of the case; the median time is kept)
//   BENCH_PROXY_LINES=10000000 (lines of the larger proxy log; 0 skips the hosts runs)
//   BENCH_URLHAUS_ROWS=100000 (rows of the URLhaus dump both proxy logs are matched against)
//   BENCH_ONLY=case (run only these parts, comma-separated: journal, log, inspect, case, hosts)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateJournal, JOURNAL_SHAPES, type JournalShape } from '../samples/journal-generator.js';
import { generatePostfixLog } from '../samples/postfix-log-generator.js';
import { generateProxyLog, PLANTED_FEED } from '../samples/proxy-log-generator.js';
import { generateUrlhausDump, writeFeodoBlocklist } from '../samples/urlhaus-generator.js';
import { benchCase, type CaseBench } from './bench-case.js';
import { journalLines, journalRow, journalTable, type JournalBench, type ScanChild } from './bench-journal.js';
import { f0, f1, f2, lastJson, mb, pad } from './figures.js';
import { measured, node, type Run } from './measure-process.js';

const assetDir = new URL('../../src/samples/assets/', import.meta.url);
const GB = Number(process.env.BENCH_GB ?? '2');
const SHAPES = (process.env.BENCH_SHAPES ?? 'short,today').split(',').map((x) => x.trim()).filter(Boolean) as JournalShape[];
for (const s of SHAPES) if (!(JOURNAL_SHAPES as readonly string[]).includes(s)) throw new Error(`BENCH_SHAPES: unknown shape "${s}" (shapes: ${JOURNAL_SHAPES.join(', ')})`);
const LOG_LINES = Number(process.env.BENCH_LOG_LINES ?? '5000000');
const CASE_MB = Number(process.env.BENCH_CASE_MB ?? '400');
const CASE_RUNS = Math.max(1, Number(process.env.BENCH_CASE_RUNS ?? '3'));
const PROXY_LINES = Number(process.env.BENCH_PROXY_LINES ?? '10000000');
const URLHAUS_ROWS = Number(process.env.BENCH_URLHAUS_ROWS ?? '100000');
const PARTS = ['journal', 'log', 'inspect', 'case', 'hosts'] as const;
// The parts are independent: BENCH_ONLY lets one be rerun without the hours the others take.
const only = new Set((process.env.BENCH_ONLY ?? PARTS.join(',')).split(',').map((x) => x.trim()).filter(Boolean));
for (const p of only) if (!(PARTS as readonly string[]).includes(p)) throw new Error(`BENCH_ONLY: unknown part "${p}" (parts: ${PARTS.join(', ')})`);
const runs = (part: (typeof PARTS)[number]) => only.has(part);
const work = join(tmpdir(), `blastradius-bench-${process.pid}`);
mkdirSync(work, { recursive: true });

const journals: JournalBench[] = [];
const logs: Record<string, unknown>[] = [];
let endToEnd: CaseBench | null = null;
let inspect: Record<string, unknown> | null = null;
const hosts: Record<string, unknown>[] = [];
const lines: string[] = [];
try {
  for (const shape of runs('journal') && GB > 0 ? SHAPES : []) {
    for (const gb of [GB / 4, GB]) {
      const path = join(work, `journal-${shape}-${gb}GB.mbox`);
      const casePath = join(work, `case-${shape}-${gb}.sqlite`);
      const g = await generateJournal({ path, targetBytes: Math.ceil(gb * 1024 ** 3), seed: 42, shape, assetDir });
      const bytes = statSync(path).size;
      const scan = node('measure-scan.js', [path, casePath]);
      const inside = lastJson<ScanChild>(scan.stdout);
      const floor = node('measure-simpleparser.js', [path]);
      const parsed = lastJson(floor.stdout).messages;
      // Rates per message mean nothing unless both read every message the generator wrote.
      if (inside.messages !== g.messages || parsed !== g.messages || inside.errors !== 0) {
        throw new Error(`journal bench, ${shape} ${gb} GB: ${g.messages} messages written, scan stored ${inside.messages} (${inside.errors} errors), simpleParser read ${parsed}`);
      }
      const row = journalRow(shape, g, bytes, scan, inside, floor);
      journals.push(row);
      lines.push(...journalLines(row));
      process.stdout.write(journalLines(row).join('\n') + '\n');
      for (const p of [path, casePath, `${casePath}-wal`, `${casePath}-shm`]) rmSync(p, { force: true });
    }
  }
  if (journals.length) {
    lines.push(...journalTable(journals));
    process.stdout.write(journalTable(journals).join('\n') + '\n');
  }

  for (const n of runs('log') && LOG_LINES > 0 ? [Math.ceil(LOG_LINES / 4), LOG_LINES] : []) {
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

  if (runs('hosts') && PROXY_LINES > 0) {
    const urlhaus = join(work, 'csv.txt');
    const feodo = join(work, 'ipblocklist.csv');
    const f = PLANTED_FEED;
    const feed = await generateUrlhausDump({ path: urlhaus, rows: URLHAUS_ROWS, seed: 7, include: [f.payloadUrl, f.folderUrl, f.hostUrl].map((url) => ({ url, tags: f.tags })) });
    const c2 = await writeFeodoBlocklist(feodo, [f.c2]);
    const cli = fileURLToPath(new URL('../cli.js', import.meta.url));
    for (const n of [Math.ceil(PROXY_LINES / 4), PROXY_LINES]) {
      const log = join(work, `access-${n}.log`);
      const casePath = join(work, `hostcase-${n}.sqlite`);
      const matchCase = join(work, `hostmatch-${n}.sqlite`);
      const g = await generateProxyLog({ path: log, lines: n, seed: 18 });
      const truth = JSON.stringify(g.planted);
      const plantedLines = Object.values(g.planted).reduce((a, b) => a + b, 0);
      const parse = node('measure-hosts.js', ['parse', log]);
      const parseOut = lastJson(parse.stdout);
      const match = node('measure-hosts.js', ['match', matchCase, log, urlhaus, feodo]);
      const matchOut = lastJson<{ byStrength: Record<string, number>; seconds: number; feedSeconds: number; indexSeconds: number; feedEntries: number; events: number; clients: number; groups: number }>(match.stdout);
      const scan = measured(process.execPath, [cli, 'scan', urlhaus, feodo, log, '--case', casePath, '--no-analyze', '--quiet', '--json']);
      const scanOut = lastJson<{ inputs: { path: string; hosts?: { feed?: { entries: number }; net?: { lines: number; events: number; matches: number; clients: number } } }[]; inputErrors: number }>(scan.stdout);
      const net = scanOut.inputs.find((i) => basename(i.path) === basename(log))?.hosts?.net;
      const verify = node('measure-hosts.js', ['verify', casePath, truth], [0, 1]);
      const verifyOut = lastJson<{ found: Record<string, number>; equal: boolean }>(verify.stdout);
      // The figures mean nothing if the pipeline found other matches than the planted ones.
      const sameMatch = Object.keys({ ...g.planted, ...matchOut.byStrength }).every((k) => (g.planted as Record<string, number>)[k] === (matchOut.byStrength[k] ?? 0));
      if (!verifyOut.equal || !sameMatch || net?.matches !== plantedLines || net.lines !== g.lines || scanOut.inputErrors !== 0) {
        throw new Error(
          `hosts bench, ${n} lines: matches differ from the planted truth ${truth}: scan stored ${JSON.stringify(verifyOut.found)} (summary: ${net?.matches} matches of ${net?.lines} lines, ${scanOut.inputErrors} input errors), ` +
            `parser + matching found ${JSON.stringify(matchOut.byStrength)}`,
        );
      }
      const rates = (seconds: number, peakRssMB: number) => ({ seconds, linesPerSecond: g.lines / seconds, mbPerSecond: mb(g.bytes) / seconds, peakRssMB });
      const row = {
        lines: g.lines,
        bytes: g.bytes,
        clients: g.clients,
        urlhausRows: feed.rows,
        urlhausBytes: feed.bytes,
        feodoRows: c2.rows,
        feedEntries: matchOut.feedEntries,
        // Read into a case file as the scan does (SQLite, a transaction a batch), then indexed.
        feedLoad: { seconds: matchOut.feedSeconds, rowsPerSecond: matchOut.feedEntries / matchOut.feedSeconds, indexSeconds: matchOut.indexSeconds },
        // In-process time of the pass over the log; peak RSS of the whole child (the index included).
        parse: { ...rates(parseOut.seconds!, parse.peakRssMB), events: parseOut.events },
        parseAndMatch: { ...rates(matchOut.seconds, match.peakRssMB), events: matchOut.events, clients: matchOut.clients, groups: matchOut.groups },
        // Wall time of `blastradius scan` from start to exit: start-up, feeds, index, log, writes.
        scan: { ...rates(scan.seconds, scan.peakRssMB), matches: net.matches, clients: net.clients },
        planted: g.planted,
        matchesEqualPlanted: true,
      };
      hosts.push(row);
      const r3 = (label: string, x: { seconds: number; linesPerSecond: number; mbPerSecond: number; peakRssMB: number }) =>
        `  ${pad(label, 34)}${pad(f1(x.seconds), 9)}${pad(f0(x.linesPerSecond), 11)}${pad(f1(x.mbPerSecond), 7)}${f0(x.peakRssMB)} MB`;
      lines.push(
        `proxy log (Squid) ${g.lines} lines, ${f0(mb(g.bytes))} MB, ${g.clients} clients, against URLhaus ${feed.rows} rows + Feodo ${c2.rows} rows`,
        `  feed load (read into the case, ${matchOut.feedEntries} entries): ${f2(matchOut.feedSeconds)} s, index built in ${f2(matchOut.indexSeconds)} s`,
        `  ${pad('', 34)}${pad('seconds', 9)}${pad('lines/s', 11)}${pad('MB/s', 7)}peak RSS`,
        r3('parser alone', row.parse),
        r3('parser + matching', row.parseAndMatch),
        r3('blastradius scan (fresh case)', row.scan),
        `  matches equal the planted ones: ${Object.entries(g.planted).map(([k, v]) => `${k} ${v}`).join(', ')}`,
      );
      process.stdout.write(lines.slice(-7).join('\n') + '\n');
      for (const p of [log, casePath, matchCase]) for (const x of [p, `${p}-wal`, `${p}-shm`]) rmSync(x, { force: true });
    }
  }

  if (runs('case') && CASE_MB > 0) {
    const c = await benchCase({ work, largeMB: CASE_MB, assetDir, runs: CASE_RUNS });
    endToEnd = c.json;
    lines.push(...c.lines);
    process.stdout.write(c.lines.join('\n') + '\n');
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

// inspect over the office corpus, files read from disk included, one process.
if (runs('inspect')) {
  const shared = fileURLToPath(new URL('../../../shared/corpus/office/', import.meta.url));
  const officeDir = existsSync(shared) ? shared : fileURLToPath(new URL('../../tests/fixtures/office/', import.meta.url));
  const insp = node('measure-inspect.js', [officeDir, '5']);
  const io = lastJson(insp.stdout);
  const i = {
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
  inspect = i;
  lines.push(
    `inspect over ${i.files} office documents (${officeDir}), one process, files read from disk:`,
    `  first round ${f0(i.firstRoundDocumentsPerSecond)} documents/s (${i.firstRoundKeyDerivations} OOXML key derivations took ${f1(i.firstRoundKeyDerivationSeconds!)} s of it)`,
    `  later rounds ${f0(i.laterRoundsDocumentsPerSecond)} documents/s; peak RSS ${f0(i.peakRssMB)} MB`,
  );
  process.stdout.write(lines.slice(-3).join('\n') + '\n');
}

const report = { date: new Date().toISOString(), node: process.version, cpus: cpus().length, memoryBytes: totalmem(), parts: [...only], journals, logs, inspect, endToEnd, hosts };
mkdirSync('reports', { recursive: true });
writeFileSync('reports/bench.json', JSON.stringify(report, null, 2) + '\n');
process.stdout.write('\n' + lines.filter(Boolean).join('\n') + '\nfigures written to reports/bench.json\n');
