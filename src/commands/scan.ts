// blastradius scan: mailboxes and logs into the case file, then the analysis.
import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { LOG_FORMATS, type LogFormat } from '../logs/read-log.js';
import { loadProfile } from '../profile.js';
import { runScan, NothingToReadError } from '../scan/run-scan.js';
import { CliError, EXIT } from './errors.js';
import { assertInputsExist, collect, nonNegativeInt, outputFile, parseOffset, positiveInt } from './options.js';

interface ScanOpts {
  case: string;
  orgDomain: string[];
  profile?: string;
  summary?: string;
  json?: boolean;
  quiet: boolean;
  batchSize: number;
  threads?: number;
  extract?: string;
  logFormat?: LogFormat;
  year?: number;
  logUtcOffset: number;
  analyze: boolean;
  ioc: string[];
  hostMap: string[];
  roster?: string;
  accountMap?: string;
}

export function registerScan(program: Command): void {
  program
    .command('scan')
    .description(
      'Read mailbox exports (mbox, .eml folders, Maildir, Outlook .msg and PST), MTA logs, proxy/DNS/firewall logs, threat feeds and PC evidence\n' +
        '(EmoCheck, Autoruns, Source of Infection), each detected by content, into the case file.\n' +
        'A rerun over the same inputs adds nothing; an interrupted run resumes where it stopped.',
    )
    .argument('<inputs...>', 'files or folders to read (folders are walked recursively)')
    .option('--case <file>', 'case file (SQLite) to write', 'reports/case.sqlite')
    .option('--org-domain <domain>', "an organisation mail domain (repeatable); adds to the profile's domains", collect, [])
    .option('--profile <file>', 'organisation profile (JSON); default ./blastradius.json when present')
    .option('--summary <file>', 'also write the JSON summary to this file')
    .option('--extract <dir>', 'write each attachment (and archive member) that is not clean into DIR, inside a ZIP with the password "infected"')
    .option('--json', 'print the summary as one JSON object on the last line of stdout')
    .addOption(new Option('--log-format <format>', 'read every log input as this format instead of detecting it').choices(LOG_FORMATS))
    .option('--year <year>', "year of the first line of classic syslog logs (default: from the file's modification time)", positiveInt)
    .option('--log-utc-offset <offset>', 'UTC offset of log time stamps that carry no zone, e.g. +09:00 (default +00:00)', parseOffset, 0)
    .option('--no-analyze', 'do not run the analysis (verdicts, counts) at the end of the scan')
    .option('--ioc <file>', 'IOC list: URLhaus, Feodo Tracker or ThreatFox export, or one URL, domain, IP, IP:port or hash per line; matched against the mail and the network logs (repeatable)', collect, [])
    .option('--host-map <file>', 'CSV of host,ip,user: which PC had which address and user, to join network logs, PC evidence and mail accounts (repeatable)', collect, [])
    .option('--roster <file>', 'member roster CSV (address,display name…) for the analysis')
    .option('--account-map <file>', 'CSV of login-or-identity,address for identities the logs cannot teach (SASL logins, X.500 DNs, UPNs)')
    .addOption(new Option('--quiet', 'no progress bar and no human summary').default(false))
    .addOption(new Option('--batch-size <n>', 'messages per committed batch (a kill loses at most one batch of work)').default(500).argParser(positiveInt))
    .addOption(new Option('--threads <n>', 'worker threads for parsing and attachment analysis (default: one per core; 0: all on the main thread)').argParser(nonNegativeInt))
    .action(scan);
}

async function scan(inputs: string[], o: ScanOpts): Promise<void> {
  // Everything that can be refused is refused before the case file is created.
  assertInputsExist(inputs);
  assertInputsExist([...o.ioc, ...(o.roster ? [o.roster] : []), ...(o.accountMap ? [o.accountMap] : [])]);
  if (o.summary) outputFile(o.summary, '--summary');
  outputFile(o.case, '--case');
  const { Extractor } = await import('../report/extract.js');
  const { printScanSummary, scanAnalysisLine } = await import('../report/scan-text.js');
  const profile = loadProfile(o.profile);
  const orgDomains = [...(profile?.domains ?? []), ...o.orgDomain];
  const showBar = !o.quiet && !o.json && process.stderr.isTTY === true;
  const bar = showBar
    ? new cliProgress.SingleBar({ format: 'scan |{bar}| {percentage}% {mb}/{totalMb} MB | {messages} messages', stream: process.stderr, etaBuffer: 50 }, cliProgress.Presets.shades_classic)
    : null;
  let started = false;
  // Ctrl-C: the scan stops after the batch in hand, commits it and closes the case cleanly;
  // a second Ctrl-C leaves at once (committed batches are safe either way).
  const stop = new AbortController();
  const onSigint = () => {
    if (stop.signal.aborted) process.exit(EXIT.interrupted);
    stop.abort();
  };
  process.on('SIGINT', onSigint);
  let summary;
  try {
    summary = await runScan({
      inputs,
      casePath: o.case,
      orgDomains,
      batchSize: o.batchSize,
      threads: o.threads,
      exclude: profile ? [profile.file] : [],
      extract: o.extract ? new Extractor(o.extract) : undefined,
      logs: { format: o.logFormat, year: o.year, offsetMinutes: o.logUtcOffset },
      iocFiles: o.ioc,
      hostMaps: o.hostMap,
      signal: stop.signal,
      onProgress: bar
        ? (p) => {
            const payload = { mb: (p.bytesDone / 1e6).toFixed(1), totalMb: (p.bytesTotal / 1e6).toFixed(1), messages: p.messages };
            if (!started) {
              bar.start(Math.max(p.bytesTotal, 1), p.bytesDone, payload);
              started = true;
            } else bar.update(p.bytesDone, payload);
          }
        : undefined,
    });
  } catch (e) {
    if (e instanceof NothingToReadError) throw new CliError('input', e.message, 'name files or folders that hold mailboxes or logs');
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
    if (started) bar?.stop();
  }
  if (stop.signal.aborted) {
    throw new CliError('interrupted', `interrupted: ${summary.messages} messages are in ${o.case}, committed`, 'run the same command again to resume where it stopped');
  }
  let analysis: { counts: unknown; accounts: { account: string; verdict: string }[]; hosts: { infected: number; suspected: number; clean: number; quietClients: number } } | null = null;
  if (o.analyze) {
    const { runAnalysis } = await import('../analysis/run-analysis.js');
    const a = runAnalysis(o.case, { orgDomains: [], iocFiles: o.ioc, rosterFile: o.roster, accountMapFile: o.accountMap });
    analysis = { counts: a.counts, accounts: a.accounts.filter((x) => x.verdict !== 'clean').map((x) => ({ account: x.account, verdict: x.verdict })), hosts: a.hosts };
  }
  const json = {
    messages: summary.messages,
    sightings: summary.sightings,
    attachments: summary.attachments,
    errors: summary.errors,
    inputErrors: summary.inputErrors,
    added: summary.added,
    directions: summary.directions,
    attachmentVerdicts: summary.attachmentVerdicts,
    analysesRun: summary.analysesRun,
    logs: summary.logs,
    orgDomains: summary.orgDomains,
    case: summary.case,
    inputs: summary.inputs,
    problems: summary.problems,
    errorSamples: summary.errorSamples,
    analysis,
  };
  if (o.summary) writeFileSync(o.summary, JSON.stringify(json, null, 2) + '\n');
  if (o.json) process.stdout.write(JSON.stringify(json) + '\n');
  else if (!o.quiet) {
    printScanSummary(summary);
    if (analysis) process.stdout.write(scanAnalysisLine(analysis) + '\n');
  }
  process.exitCode = summary.inputErrors > 0 ? EXIT.inputErrors : EXIT.ok;
}
