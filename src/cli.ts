#!/usr/bin/env node
// blastradius command line. Exit codes: 0 all inputs read; 3 read, but some inputs had
// errors (listed in the summary and kept in the case file); 2 bad usage; 1 the tool failed.
import { writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import cliProgress from 'cli-progress';
import { loadProfile, ProfileError } from './profile.js';
import { forTerminal } from './report/terminal.js';
import { NotACaseFileError, openCaseReadonly } from './store/case-file.js';
import { runScan, type ScanSummary } from './scan/run-scan.js';
import type { LogFormat } from './logs/read-log.js';

export const EXIT = { ok: 0, failure: 1, usage: 2, inputErrors: 3 } as const;

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return 'unknown';
  }
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number of at least 0');
  return n;
}

function parseOffset(value: string): number {
  const m = /^([+-])(\d{1,2}):?(\d{2})$/.exec(value);
  if (!m) throw new InvalidArgumentError('must look like +09:00 or -0500');
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function printHuman(s: ScanSummary): void {
  const errorRows = s.errorSamples;
  const out = process.stdout;
  out.write(`case file: ${s.case}\n`);
  out.write(`org domains: ${s.orgDomains.length ? s.orgDomains.join(', ') : '(none: directions are "unknown")'}\n`);
  out.write(`inputs: ${s.inputs.length} files`);
  const unchanged = s.inputs.filter((i) => i.skipped).length;
  if (unchanged) out.write(` (${unchanged} unchanged since the last run, not re-read)`);
  out.write('\n');
  out.write(`messages: ${s.messages} (${s.added.messages} new)  sightings: ${s.sightings} (${s.added.sightings} new)  attachments: ${s.attachments}  errors: ${s.errors}\n`);
  out.write(`directions: ${Object.entries(s.directions).map(([d, n]) => `${d} ${n}`).join(', ') || '-'}\n`);
  if (s.logs.messages > 0) out.write(`MTA logs: ${s.logs.messages} queued messages, ${s.logs.deliveries} recipient status lines, ${s.logs.linkedToMailbox} linked to a mailbox copy\n`);
  for (const i of s.inputs) {
    if (i.log) out.write(`  ${i.path}: ${i.log.format}, ${i.log.lines} lines (${i.log.recognised} read, ${i.log.unreadable} unreadable, ${i.log.foreign} not ${i.log.format}), ${i.log.messages} messages, ${i.log.unfinished} still queued at the end\n`);
  }
  out.write(`attachments by verdict: ${Object.entries(s.attachmentVerdicts).map(([d, n]) => `${d} ${n}`).join(', ') || '-'}\n`);
  if (errorRows.length) {
    out.write(`read errors for these inputs (${s.inputErrors}):\n`);
    for (const e of errorRows.slice(0, 20)) out.write(forTerminal(`  ${e.source_path}${e.locator ? ' ' + e.locator : ''}: ${e.reason}`) + '\n');
    if (s.inputErrors > 20) out.write(`  … ${s.inputErrors - 20} more in the case file (table errors)\n`);
  }
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('blastradius')
    .description(
      'Measure the blast radius of an Emotet-style mail compromise: read mailbox exports into a case file,\n' +
        'then find malicious mail and count what was sent from the organisation.',
    )
    .version(version())
    .showHelpAfterError()
    .addHelpText(
      'after',
      '\nExit codes of scan: 0 all inputs read; 3 some inputs had read errors (the scan went on); 2 bad usage; 1 internal failure.\n' +
        'Exit codes of inspect: 0 no macro, 2 macros, 9 encrypted, 10 error, 20 suspicious (the highest wins).',
    );

  program
    .command('scan')
    .description(
      'Read mailbox exports (mbox, .eml folders, Maildir, Outlook .msg; detected by content) into the case file.\n' +
        'A rerun over the same inputs adds nothing; an interrupted run resumes where it stopped.',
    )
    .argument('<inputs...>', 'files or folders to read (folders are walked recursively)')
    .option('--case <file>', 'case file (SQLite) to write', 'reports/case.sqlite')
    .option('--org-domain <domain>', "an organisation mail domain (repeatable); adds to the profile's domains", collect, [])
    .option('--profile <file>', 'organisation profile (JSON); default ./blastradius.json when present')
    .option('--summary <file>', 'also write the JSON summary to this file')
    .option('--extract <dir>', 'write each attachment (and archive member) that is not clean into DIR, inside a ZIP with the password "infected"')
    .option('--json', 'print the summary as one JSON object on the last line of stdout')
    .addOption(new Option('--log-format <format>', 'read every log input as this format instead of detecting it').choices(['postfix', 'exim', 'sendmail', 'exchange', 'm365']))
    .option('--year <year>', 'year of the first line of classic syslog logs (default: from the file\'s modification time)', positiveInt)
    .option('--log-utc-offset <offset>', 'UTC offset of log time stamps that carry no zone, e.g. +09:00 (default +00:00)', parseOffset, 0)
    .option('--no-analyze', 'do not run the analysis (verdicts, counts) at the end of the scan')
    .option('--ioc <file>', 'IOC list for the analysis: URLhaus or Feodo Tracker CSV, or one indicator per line (repeatable)', collect, [])
    .option('--roster <file>', 'member roster CSV (address,display name…) for the analysis')
    .option('--account-map <file>', 'CSV of login-or-identity,address for identities the logs cannot teach (SASL logins, X.500 DNs, UPNs)')
    .addOption(new Option('--quiet', 'no progress bar and no human summary').default(false))
    .addOption(new Option('--batch-size <n>', 'messages per committed batch (a kill loses at most one batch of work)').default(500).argParser(positiveInt))
    .addOption(new Option('--threads <n>', 'worker threads for parsing and attachment analysis (default: one per core; 0: all on the main thread)').argParser(nonNegativeInt))
    .action(async (inputs: string[], o: { case: string; orgDomain: string[]; profile?: string; summary?: string; json?: boolean; quiet: boolean; batchSize: number; threads?: number; extract?: string; logFormat?: LogFormat; year?: number; logUtcOffset: number; analyze: boolean; ioc: string[]; roster?: string; accountMap?: string }) => {
      const { Extractor } = await import('./report/extract.js');
      const profile = loadProfile(o.profile);
      const orgDomains = [...(profile?.domains ?? []), ...o.orgDomain];
      const showBar = !o.quiet && !o.json && process.stderr.isTTY === true;
      const bar = showBar
        ? new cliProgress.SingleBar(
            { format: 'scan |{bar}| {percentage}% {mb}/{totalMb} MB | {messages} messages', stream: process.stderr, etaBuffer: 50 },
            cliProgress.Presets.shades_classic,
          )
        : null;
      let started = false;
      const summary = await runScan({
        inputs,
        casePath: o.case,
        orgDomains,
        batchSize: o.batchSize,
        threads: o.threads,
        exclude: profile ? [profile.file] : [],
        extract: o.extract ? new Extractor(o.extract) : undefined,
        logs: { format: o.logFormat, year: o.year, offsetMinutes: o.logUtcOffset },
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
      if (started) bar?.stop();
      let analysis: { counts: unknown; accounts: { account: string; verdict: string }[] } | null = null;
      if (o.analyze) {
        const { runAnalysis } = await import('./analysis/run-analysis.js');
        const a = runAnalysis(o.case, { orgDomains: [], iocFiles: o.ioc, rosterFile: o.roster, accountMapFile: o.accountMap });
        analysis = { counts: a.counts, accounts: a.accounts.filter((x) => x.verdict !== 'clean').map((x) => ({ account: x.account, verdict: x.verdict })) };
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
      if (o.summary) {
        mkdirSync(dirname(o.summary), { recursive: true });
        writeFileSync(o.summary, JSON.stringify(json, null, 2) + '\n');
      }
      if (o.json) process.stdout.write(JSON.stringify(json) + '\n');
      else if (!o.quiet) {
        printHuman(summary);
        if (analysis) process.stdout.write(`analysis: ${(analysis.counts as { maliciousOutboundMessages: number }).maliciousOutboundMessages} malicious messages sent through our systems; accounts: ${analysis.accounts.map((a) => `${a.account} ${a.verdict}`).join(', ') || 'none compromised or impersonated'} (details: blastradius analyze)\n`);
      }
      process.exitCode = summary.inputErrors > 0 ? EXIT.inputErrors : EXIT.ok;
    });
  program
    .command('analyze')
    .description(
      'Judge every message (hijacked reply, macro payload, encrypted archive with its password in the body, spoofed name) and\n' +
        'every organisation account (compromised, impersonated), and count what went out; stores the verdicts in the case file.',
    )
    .option('--case <file>', 'case file (SQLite)', 'reports/case.sqlite')
    .option('--org-domain <domain>', 'an organisation mail domain (repeatable); default: the domains the case was scanned with', collect, [])
    .option('--ioc <file>', 'IOC list: URLhaus or Feodo Tracker CSV, or one indicator per line (repeatable)', collect, [])
    .option('--roster <file>', 'member roster CSV (address,display name…)')
    .option('--account-map <file>', 'CSV of login-or-identity,address for identities the logs cannot teach (SASL logins, X.500 DNs, UPNs)')
    .option('--json', 'print the analysis as one JSON object')
    .action(async (o: { case: string; orgDomain: string[]; ioc: string[]; roster?: string; accountMap?: string; json?: boolean }) => {
      const { runAnalysis } = await import('./analysis/run-analysis.js');
      const { formatAnalysis } = await import('./report/analysis-text.js');
      const a = runAnalysis(o.case, { orgDomains: o.orgDomain, iocFiles: o.ioc, rosterFile: o.roster, accountMapFile: o.accountMap });
      if (o.json) process.stdout.write(JSON.stringify(a) + '\n');
      else process.stdout.write(formatAnalysis(a) + '\n');
    });

  program
    .command('explain')
    .description('The evidence behind one message\'s or one account\'s verdict, down to source files, byte offsets and log lines.')
    .argument('<subject>', 'a Message-ID (with or without <>) or an account address')
    .option('--case <file>', 'case file (SQLite)', 'reports/case.sqlite')
    .option('--json', 'print one JSON object')
    .action(async (subject: string, o: { case: string; json?: boolean }) => {
      const { explain } = await import('./report/explain.js');
      const db = openCaseReadonly(o.case);
      try {
        const e = explain(db, subject);
        if (!e) throw new ProfileError(`no message or account "${subject}" in ${o.case} (run analyze first?)`);
        process.stdout.write(o.json ? JSON.stringify(e) + '\n' : e.text + '\n');
      } finally {
        db.close();
      }
    });

  program
    .command('report')
    .description('Write report.json and the CSV files (messages, accounts, recipients to notify, IOCs) from the analysed case.')
    .option('--case <file>', 'case file (SQLite)', 'reports/case.sqlite')
    .option('--out <dir>', 'folder to write into', 'reports')
    .action(async (o: { case: string; out: string }) => {
      const { writeReport } = await import('./report/write-report.js');
      const db = openCaseReadonly(o.case);
      try {
        const r = writeReport(db, o.out);
        process.stdout.write(r.files.join('\n') + '\n');
      } catch (e) {
        if (/not been analysed/.test((e as Error).message)) throw new ProfileError((e as Error).message);
        throw e;
      } finally {
        db.close();
      }
    });

  program
    .command('notice')
    .description(
      'Draft the public notice from the analysed case and the profile (name, contact, discoveredOn, pcInfectionConfirmed,\n' +
        'measures.ja/en). Japanese first; every figure from the case, marked 要確認 / "to be confirmed" where the case cannot support it.',
    )
    .option('--case <file>', 'case file (SQLite)', 'reports/case.sqlite')
    .addOption(new Option('--lang <lang>', 'language').choices(['ja', 'en']).default('ja'))
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'txt', 'html']).default('md'))
    .option('--profile <file>', 'organisation profile (JSON); default ./blastradius.json when present')
    .option('--include-addresses', 'name the misused accounts and keep addresses in subjects (not for public text)')
    .option('--appendix', 'add the internal appendix: each figure with its definition, query and the Message-IDs it counts')
    .option('--individual', 'draft instead one mail per affected outside recipient, with its own count and dates')
    .option('--out <file>', 'write the notice to this file instead of stdout')
    .action(async (o: { case: string; lang: 'ja' | 'en'; format: 'md' | 'txt' | 'html'; profile?: string; includeAddresses?: boolean; appendix?: boolean; individual?: boolean; out?: string }) => {
      const { noticeEvidence, noticeFacts, NotAnalysedError } = await import('./report/notice-facts.js');
      const { draftNotice, individualNotice, noticeAppendix, noticeAsHtml, noticeAsText } = await import('./report/notice.js');
      const profile = loadProfile(o.profile);
      const db = openCaseReadonly(o.case);
      let text: string;
      try {
        const facts = noticeFacts(db);
        const p = (profile ?? {}) as Parameters<typeof draftNotice>[1];
        let md: string;
        if (o.individual) {
          md = facts.counts.notificationList.map((r) => individualNotice(r, p, o.lang)).join('\n---\n\n');
        } else {
          md = draftNotice(facts, p, { lang: o.lang, includeAddresses: o.includeAddresses });
          if (o.appendix) {
            const ev = noticeEvidence(db);
            md += '\n' + noticeAppendix(facts, ev.definitions, ev.messageIds, o.lang);
          }
        }
        text = o.format === 'html' ? noticeAsHtml(md, o.lang) : o.format === 'txt' ? noticeAsText(md) : md;
      } catch (e) {
        if (e instanceof NotAnalysedError) throw new ProfileError(e.message);
        throw e;
      } finally {
        db.close();
      }
      if (o.out) {
        mkdirSync(dirname(o.out), { recursive: true });
        writeFileSync(o.out, text);
      } else process.stdout.write(text);
    });

  program
    .command('logs')
    .description(
      "The servers' own summary of the MTA logs in the case file, counted as pflogsumm and eximstats count: received, delivered,\n" +
        'deferred, bounced and rejected; senders and recipient domains by message count; per account its client addresses\n' +
        'with first and last use; per day and hour (UTC).',
    )
    .option('--case <file>', 'case file (SQLite) to read', 'reports/case.sqlite')
    .option('--org-domain <domain>', 'an organisation mail domain (repeatable); default: the domains the case was scanned with', collect, [])
    .option('--account-map <file>', 'CSV of login-or-identity,address for identities the logs cannot teach')
    .option('--json', 'print the summary as one JSON object')
    .action(async (o: { case: string; orgDomain: string[]; accountMap?: string; json?: boolean }) => {
      const { summariseLogs } = await import('./analysis/log-summary.js');
      const { loadAccountMap } = await import('./analysis/account-map.js');
      const { formatLogSummary } = await import('./report/log-summary-text.js');
      const { normaliseDomains } = await import('./mail/direction.js');
      const { CaseReader } = await import('./store/case-reader.js');
      const { LogQueries } = await import('./store/log-queries.js');
      const db = openCaseReadonly(o.case);
      try {
        const reader = new CaseReader(db);
        const domains = o.orgDomain.length ? normaliseDomains(o.orgDomain) : reader.storedOrgDomains();
        const s = summariseLogs(new LogQueries(db), domains, reader.loginSenderPairs(), o.accountMap ? loadAccountMap(o.accountMap) : undefined);
        process.stdout.write((o.json ? JSON.stringify(s) : formatLogSummary(s)) + '\n');
      } finally {
        db.close();
      }
    });

  program
    .command('accounts')
    .description(
      'Per organisation account, from the MTA logs in the case file: messages sent and sent out, recipient deliveries by status,\n' +
        'outside recipients and domains, per day and hour, client IPs with first and last use, and anomalies.',
    )
    .option('--case <file>', 'case file (SQLite) to read', 'reports/case.sqlite')
    .option('--org-domain <domain>', 'an organisation mail domain (repeatable); default: the domains the case was scanned with', collect, [])
    .option('--profile <file>', 'organisation profile (JSON); default ./blastradius.json when present')
    .option('--json', 'print the table as one JSON object')
    .action(async (o: { case: string; orgDomain: string[]; profile?: string; json?: boolean }) => {
      const { accountTable } = await import('./analysis/outbound-accounts.js');
      const { formatAccounts } = await import('./report/accounts-text.js');
      const { normaliseDomains } = await import('./mail/direction.js');
      const db = openCaseReadonly(o.case);
      try {
        const { CaseReader } = await import('./store/case-reader.js');
        const { ReportQueries } = await import('./store/report-queries.js');
        const reader = new CaseReader(db);
        const profile = loadProfile(o.profile);
        const domains = normaliseDomains(o.orgDomain.length || profile ? [...(profile?.domains ?? []), ...o.orgDomain] : reader.storedOrgDomains());
        const rows = accountTable(reader, domains);
        // The verdicts of the last analysis, matched by address (the log's account may be a bare SASL user).
        const q = new ReportQueries(db);
        for (const r of rows) {
          const v = [r.account, ...r.senders].map((a) => q.verdictOf(a)).find(Boolean);
          r.verdict = v ?? null;
        }
        if (o.json) process.stdout.write(JSON.stringify({ orgDomains: domains, accounts: rows }) + '\n');
        else process.stdout.write(formatAccounts(rows, domains) + '\n');
      } finally {
        db.close();
      }
    });

  program
    .command('inspect')
    .description(
      'Analyse files for macros without running anything: VBA (OLE, OOXML, PowerPoint, Word 2003 XML, Flat OPC),\n' +
        'Excel 4.0 macro sheets, DDE, external template links, embedded objects, encryption, and ZIP archives.\n' +
        'Exit codes (the highest wins): 0 no macro, 2 macros, 9 encrypted, 10 error, 20 suspicious.',
    )
    .argument('<files...>', 'files to analyse (type detected by content)')
    .option('--password <password>', 'password to try on encrypted archives (repeatable)', collect, [])
    .option('--extract <dir>', 'write each file and archive member that is not clean into DIR, inside a ZIP with the password "infected"')
    .option('--json', 'print one JSON array with a result per file')
    .action(async (files: string[], o: { password: string[]; json?: boolean; extract?: string }) => {
      const { Extractor } = await import('./report/extract.js');
      const extractor = o.extract ? new Extractor(o.extract) : null;
      const { inspectBytes, exitCodeFor } = await import('./office/inspect.js');
      const { inspectDeep } = await import('./office/inspect-deep.js');
      const { formatInspect } = await import('./report/inspect-text.js');
      const { readFile } = await import('node:fs/promises');
      const results = [];
      for (const f of files) {
        let bytes: Buffer;
        try {
          bytes = await readFile(f);
        } catch (e) {
          const r = inspectBytes(Buffer.alloc(0), f);
          r.verdict = 'error';
          r.errors.push(`cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
          results.push(r);
          continue;
        }
        const r = await inspectDeep(bytes, f, {
          passwords: o.password,
          onObject: extractor ? (obj, b) => void (obj.verdict !== 'clean' && b.length > 0 && extractor.write(obj.file, obj.sha256, b)) : undefined,
        });
        results.push(r);
      }
      if (o.json) process.stdout.write(JSON.stringify(results) + '\n');
      else for (const r of results) process.stdout.write(formatInspect(r) + '\n');
      process.exitCode = exitCodeFor(results);
    });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  for (const c of program.commands) c.exitOverride();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof ProfileError || e instanceof NotACaseFileError) {
      process.stderr.write(`blastradius: ${e.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`blastradius: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT.failure;
  }
}

// A closed pipe (`blastradius … | head`) ends output quietly rather than with a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const code = await main(process.argv);
process.exitCode = code;
