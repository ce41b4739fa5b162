// The bench's end-to-end case: a generated case (journal mbox, Postfix maillog and Microsoft
// 365 message trace that agree; see samples/case-generator.ts) on two sizes, the larger 4×
// the smaller, taken through the CLI as a user would: `scan --no-analyze`, `analyze --json`,
// `report`, each stage its own process, measured from outside (wall time, peak RSS). Beside
// it, mailparser's simpleParser alone on the larger journal: what parsing the mail costs at
// the least, against which the whole case is set. What the figures should show: every
// stage's time grows about as the input does (4×), and no stage's peak RSS reaches
// RSS_LIMIT_MB at either size.
// Wall times on a small machine wander by a third from run to run (the case file's writes
// meet the disk's other work), which would hide or fake a growth of 4×: every stage runs
// `runs` times, each round on a fresh case file, and the median time is kept; peak RSS is
// the highest of the rounds.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateCase, type CaseResult } from '../samples/case-generator.js';
import { f0, f1, f2, lastJson, mb, pad } from './figures.js';
import { node, type Run } from './measure-process.js';

const RSS_LIMIT_MB = 400;
const ORG_DOMAIN = 'sample-shoji.example';
const STAGES = ['scan', 'analyze', 'report'] as const;
type Stage = (typeof STAGES)[number];

interface StageFigures {
  seconds: number;
  peakRssMB: number;
}

export interface CaseRow {
  journalBytes: number;
  messages: number;
  logLines: number;
  logMessages: number;
  traceRows: number;
  orgOutbound: number;
  botMessages: number;
  botLogOnly: number;
  generateSeconds: number;
  scan: StageFigures & { messages: number; logMessages: number; linkedToMailbox: number; inputErrors: number };
  analyze: StageFigures & { maliciousOutboundMessages: number; compromisedAccounts: string[] };
  report: StageFigures & { files: number };
  totalSeconds: number;
  peakRssMB: number;
  journalMbPerSecond: number;
}

export interface CaseBench {
  rssLimitMB: number;
  /** Rounds per stage: times are their median, peak RSS their highest. */
  runs: number;
  cases: CaseRow[];
  /** simpleParser alone on the larger case's journal. */
  simpleParserAlone: StageFigures & { messages: number; mbPerSecond: number };
  /** Whole case (scan + analyze + report) at the larger size over simpleParser alone. */
  wholeCaseOverSimpleParser: number;
  /** Larger over smaller: input bytes, messages, and each stage's time. */
  growth: { journalBytes: number; messages: number; logLines: number } & Record<Stage | 'total', number>;
  underRssLimit: boolean;
}

/** Median time and highest peak RSS of a stage's rounds. */
function figures(rounds: Run[]): StageFigures {
  const t = rounds.map((r) => r.seconds).sort((a, b) => a - b);
  const mid = Math.floor(t.length / 2);
  return { seconds: t.length % 2 ? t[mid]! : (t[mid - 1]! + t[mid]!) / 2, peakRssMB: Math.max(...rounds.map((r) => r.peakRssMB)) };
}

async function runCase(dir: string, journalBytes: number, assetDir: URL, runs: number): Promise<{ row: CaseRow; generated: CaseResult }> {
  mkdirSync(dir, { recursive: true });
  const t0 = process.hrtime.bigint();
  const g = await generateCase({ dir, journalBytes, assetDir });
  const generateSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  // The generator's hundreds of MB still waiting for the disk would be written under the scan's clock.
  execFileSync('sync');
  const casePath = join(dir, 'case.sqlite');
  const rounds: Record<Stage, Run[]> = { scan: [], analyze: [], report: [] };
  for (let i = 0; i < runs; i++) {
    for (const f of [casePath, `${casePath}-wal`, `${casePath}-shm`, join(dir, 'report')]) rmSync(f, { recursive: true, force: true });
    // Exit code 3: read, but some inputs had errors; counted in the row rather than fatal.
    rounds.scan.push(node('../cli.js', ['scan', g.journal, g.maillog, g.messageTrace, '--case', casePath, '--org-domain', ORG_DOMAIN, '--year', String(g.year), '--quiet', '--no-analyze', '--json'], [0, 3]));
    rounds.analyze.push(node('../cli.js', ['analyze', '--case', casePath, '--json']));
    rounds.report.push(node('../cli.js', ['report', '--case', casePath, '--out', join(dir, 'report')]));
  }
  const s = lastJson<{ messages: number; inputErrors: number; logs: { messages: number; linkedToMailbox: number } }>(rounds.scan.at(-1)!.stdout);
  const a = JSON.parse(rounds.analyze.at(-1)!.stdout) as { counts: { maliciousOutboundMessages: number }; accounts: { account: string; verdict: string }[] };
  const [scan, analyze, report] = STAGES.map((st) => figures(rounds[st])) as [StageFigures, StageFigures, StageFigures];
  const totalSeconds = scan.seconds + analyze.seconds + report.seconds;
  const row: CaseRow = {
    journalBytes: g.journalBytes,
    messages: g.messages,
    logLines: g.logLines,
    logMessages: g.logMessages,
    traceRows: g.traceRows,
    orgOutbound: g.orgOutbound,
    botMessages: g.botMessages,
    botLogOnly: g.botLogOnly,
    generateSeconds,
    scan: { ...scan, messages: s.messages, logMessages: s.logs.messages, linkedToMailbox: s.logs.linkedToMailbox, inputErrors: s.inputErrors },
    analyze: { ...analyze, maliciousOutboundMessages: a.counts.maliciousOutboundMessages, compromisedAccounts: a.accounts.filter((x) => x.verdict.includes('compromised')).map((x) => x.account) },
    report: { ...report, files: rounds.report.at(-1)!.stdout.trim().split('\n').filter(Boolean).length },
    totalSeconds,
    peakRssMB: Math.max(scan.peakRssMB, analyze.peakRssMB, report.peakRssMB),
    journalMbPerSecond: mb(g.journalBytes) / totalSeconds,
  };
  return { row, generated: g };
}

/** The case on `largeMB / 4` and `largeMB` megabytes of journal; figures and the lines of its table. */
export async function benchCase(o: { work: string; largeMB: number; assetDir: URL; runs: number }): Promise<{ json: CaseBench; lines: string[] }> {
  const rows: CaseRow[] = [];
  let floor: CaseBench['simpleParserAlone'] | null = null;
  for (const size of [o.largeMB / 4, o.largeMB]) {
    const dir = join(o.work, `case-${size}MB`);
    try {
      const { row, generated } = await runCase(dir, Math.ceil(size * 1e6), o.assetDir, o.runs);
      rows.push(row);
      if (size === o.largeMB) {
        const rounds = Array.from({ length: o.runs }, () => node('measure-simpleparser.js', [generated.journal]));
        const p = figures(rounds);
        floor = { ...p, messages: lastJson(rounds[0]!.stdout).messages!, mbPerSecond: mb(row.journalBytes) / p.seconds };
      }
      process.stdout.write(`case ${f0(mb(row.journalBytes))} MB: scan ${f1(row.scan.seconds)} s, analyze ${f1(row.analyze.seconds)} s, report ${f1(row.report.seconds)} s, peak ${f0(row.peakRssMB)} MB\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const [small, large] = rows as [CaseRow, CaseRow];
  const growthOf = (f: (r: CaseRow) => number) => f(large) / f(small);
  const json: CaseBench = {
    rssLimitMB: RSS_LIMIT_MB,
    runs: o.runs,
    cases: rows,
    simpleParserAlone: floor!,
    wholeCaseOverSimpleParser: large.totalSeconds / floor!.seconds,
    growth: {
      journalBytes: growthOf((r) => r.journalBytes),
      messages: growthOf((r) => r.messages),
      logLines: growthOf((r) => r.logLines),
      scan: growthOf((r) => r.scan.seconds),
      analyze: growthOf((r) => r.analyze.seconds),
      report: growthOf((r) => r.report.seconds),
      total: growthOf((r) => r.totalSeconds),
    },
    underRssLimit: rows.every((r) => r.peakRssMB < RSS_LIMIT_MB),
  };
  return { json, lines: caseTable(json) };
}

function caseTable(b: CaseBench): string[] {
  const w = [8, 8, 9, 10, 14, 14, 14, 14, 7, 6];
  const row = (cells: string[]) => '  ' + cells.map((c, i) => pad(c, w[i]!)).join('').trimEnd();
  const stage = (f: StageFigures) => `${f1(f.seconds)} s ${f0(f.peakRssMB)} MB`;
  const [small, large] = b.cases as [CaseRow, CaseRow];
  const worst = b.cases.flatMap((r) => STAGES.map((s) => ({ mb: r[s].peakRssMB, where: `${s} at ${f0(mb(r.journalBytes))} MB` }))).sort((x, y) => y.mb - x.mb)[0]!;
  return [
    `end-to-end case: journal + Postfix maillog + M365 message trace → scan --no-analyze → analyze → report (CLI, one process per stage; ${b.runs === 1 ? 'one round' : `median of ${b.runs} rounds, peak RSS the highest`})`,
    row(['journal', 'messages', 'log lines', 'trace rows', 'bot (log-only)', 'scan', 'analyze', 'report', 'total', 'peak']),
    ...b.cases.map((r) =>
      row([`${f0(mb(r.journalBytes))} MB`, String(r.messages), String(r.logLines), String(r.traceRows), `${r.botMessages} (${r.botLogOnly})`, stage(r.scan), stage(r.analyze), stage(r.report), `${f1(r.totalSeconds)} s`, `${f0(r.peakRssMB)} MB`]),
    ),
    `  growth ${f0(mb(large.journalBytes))} MB / ${f0(mb(small.journalBytes))} MB (input ×${f2(b.growth.journalBytes)}, messages ×${f2(b.growth.messages)}, log lines ×${f2(b.growth.logLines)}): ` +
      `scan ×${f2(b.growth.scan)}, analyze ×${f2(b.growth.analyze)}, report ×${f2(b.growth.report)}, total ×${f2(b.growth.total)}`,
    `  whole case at ${f0(mb(large.journalBytes))} MB / simpleParser alone on its journal (${f1(b.simpleParserAlone.seconds)} s, ${f1(b.simpleParserAlone.mbPerSecond)} MB/s, peak ${f0(b.simpleParserAlone.peakRssMB)} MB): ${f2(b.wholeCaseOverSimpleParser)}×`,
    `  peak RSS under ${b.rssLimitMB} MB at both sizes: ${b.underRssLimit ? 'yes' : 'NO'} (highest ${f0(worst.mb)} MB, ${worst.where})`,
  ];
}
