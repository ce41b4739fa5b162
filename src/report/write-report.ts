// `blastradius report`: report.json, report.html and the CSV files (messages, accounts,
// sends, sessions, the notification list, bounced-only recipients, IOCs) from an analysed
// case file. Every figure is the stored analysis, not a new one. The profile gives the
// organisation's name (and contact) for the first screen; the language and the time zone
// are the readers' (Japanese and Japan time unless told otherwise).
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { HostQueries } from '../store/host-queries.js';
import { ReportQueries, type MessageRow, type SessionRow } from '../store/report-queries.js';
import { CSV_BOM, csvLine } from './csv.js';
import { csvClock, csvFiles, messagesCsvHeader, messagesCsvRow } from './report-csv.js';
import { attackerMessages, overview, recipientFollowUps, type ReportLang, type ReportProfile } from './report-facts.js';
import { renderHtmlReport } from './report-html.js';
import { DEFAULT_TIME_ZONE, ZoneClock, type CsvClock } from './report-time.js';
import { stixBundle } from './stix.js';

export { checkTimeZone, UnknownTimeZoneError } from './report-time.js';

export interface ReportFiles {
  files: string[];
}

export interface WriteReportOptions {
  /** The organisation profile (blastradius.json): name, nameEn, domains, contact. */
  profile?: ReportProfile | null;
  /** Language of report.html: 'ja' (default) or 'en'. */
  lang?: ReportLang;
  /** IANA time zone the page and the CSV files' local columns are written in (default Asia/Tokyo). */
  timeZone?: string;
  /** The time the report is written (default now). */
  now?: Date;
  /** Messages read and written at a time (PAGE_MESSAGES; smaller in tests, to cross pages). */
  pageMessages?: number;
}

export function writeReport(db: Database.Database, outDir: string, opts: WriteReportOptions = {}): ReportFiles {
  const lang: ReportLang = opts.lang ?? 'ja';
  const timeZone = opts.timeZone ?? DEFAULT_TIME_ZONE;
  const clock = new ZoneClock(timeZone);
  const q = new ReportQueries(db);
  const counts = q.counts();
  mkdirSync(outDir, { recursive: true });
  const generated = (opts.now ?? new Date()).toISOString();
  const iocs: { type: string; value: string; context: string }[] = [];
  const seen = new Set<string>();
  const addIoc = (type: string, value: string, context: string) => {
    const k = `${type}|${value}`;
    if (!value || seen.has(k)) return;
    seen.add(k);
    iocs.push({ type, value, context });
  };
  // Hashes of what malicious messages carried (named as in those messages), and of the
  // members of their archives.
  for (const a of q.maliciousPayloads()) {
    addIoc('sha256', a.sha256, `${a.verdict} attachment ${a.name}`);
    for (const c of a.members) addIoc('sha256', c.sha256, `${c.verdict} ${c.name} inside ${a.name}`);
  }
  for (const m of q.maliciousMessageIndicators()) {
    for (const u of m.urls) addIoc('url', u, 'URL in a malicious message');
    if (!m.viaOurSystems && m.sender) addIoc('email-sender', m.sender, 'sender of a malicious message from outside');
    if (m.firstExternalIp && !m.viaOurSystems) addIoc('ipv4', m.firstExternalIp, 'first outside hop of malicious mail');
  }
  const sessions = q.sessions();
  for (const s of sessions.filter((x) => x.tier === 'attacker')) for (const ip of s.ips) if (ip !== 'unknown') addIoc(ip.includes(':') ? 'ipv6' : 'ipv4', ip, `client that submitted malicious mail with a stolen password (session #${s.id} of ${s.account})`);
  const sends = q.sends(['attacker', 'review', 'suspected']);
  const attackerSends = sends.filter((s) => s.tier === 'attacker');
  const accounts = q.accounts();

  // The first screen's facts, the attacker's mails and the follow-up of each recipient.
  const bouncedList = counts.bouncedOnly ?? [];
  const names = q.recipientNames([...counts.notificationList, ...bouncedList].map((r) => r.address));
  const recipients = recipientFollowUps(counts.notificationList, attackerSends, names, true);
  const bouncedOnly = recipientFollowUps(bouncedList, attackerSends, names, false);
  const summary = overview({ q, counts, accounts, sessions, attackerSends, profile: opts.profile ?? null, lang, timeZone, generated });
  const sent = q.messages([...new Set(sends.flatMap((s) => (s.messageRef === null ? [] : [s.messageRef])))]);
  const mails = attackerMessages(sends, new Map<number, MessageRow>(sent.map((m) => [m.ref, m])), new Map<number, SessionRow>(sessions.map((s) => [s.id, s])));

  const hq = new HostQueries(db);
  const hosts = hq.hasEvidence() ? hq.verdicts().hosts : null;
  const { definitions, ...figures } = counts;
  // report.json: these keys, then `messages` (every message of the case, written a page at
  // a time by writeMessages, never held here), then the keys of `after`.
  const before = {
    schema: 'blastradius-report/2',
    generated,
    totals: { ...figures, definitions },
    accounts: accounts.map((a) => ({ ...a, evidence: undefined })),
    sessions,
    sends: sends.map((s) => ({ ...s, seen: undefined })),
  };
  const after = {
    recipients,
    bouncedOnly,
    iocs,
    sources: q.inputs(),
    overview: summary,
    attackerMessages: mails,
    /** PCs the host evidence judged; null when the case holds none. */
    hosts,
  };
  const t = csvClock(clock, { messageDates: q.messageDates(), sends, accounts, sessions, recipients, bouncedOnly });
  writeMessages(q, join(outDir, 'report.json'), before, after, join(outDir, 'messages.csv'), t, opts.pageMessages ?? PAGE_MESSAGES);
  const files: [string, Buffer | string][] = [
    ...csvFiles({ t, accounts, sends, sessions, recipients, bouncedOnly, iocs }),
    ['iocs.stix.json', JSON.stringify(stixBundle(iocs, generated), null, 2) + '\n'],
    ['report.html', renderHtmlReport({ overview: summary, messages: mails, detail: { counts, accounts, recipients, bouncedOnly, iocs, hosts } })],
  ];
  for (const [name, data] of files) writeFileSync(join(outDir, name), data);
  return { files: ['report.json', 'messages.csv', ...files.map(([n]) => n)].map((n) => join(outDir, n)) };
}

/** Messages read and written at a time: the report's memory is a page's, whatever the case holds. */
const PAGE_MESSAGES = 1000;

/**
 * report.json: the keys of `before`, the messages array written a page at a time, the keys
 * of `after`; and messages.csv beside it from the same pages. The file is what
 * JSON.stringify({ ...before, messages, ...after }, null, 2) would give: an object's text is
 * "{\n", its entries at two spaces joined by ",\n", and "\n}", so the two halves are cut
 * from their own objects' text. A case of a million messages made a string of gigabytes
 * the other way.
 */
function writeMessages(q: ReportQueries, jsonPath: string, before: object, after: object, csvPath: string, t: CsvClock, pageMessages: number): void {
  const head = JSON.stringify(before, null, 2).replace(/\n\}$/, ',\n  "messages": ');
  const rest = JSON.stringify(after, null, 2);
  const tail = (rest === '{}' ? '' : ',\n' + rest.replace(/^\{\n/, '').replace(/\n\}$/, '')) + '\n}\n';
  const out = openSync(jsonPath, 'w');
  const csv = openSync(csvPath, 'w');
  try {
    writeSync(out, head);
    writeSync(csv, CSV_BOM);
    writeSync(csv, csvLine(messagesCsvHeader(t)));
    const refs = q.messageRefs();
    writeSync(out, refs.length === 0 ? '[]' : '[\n');
    for (let start = 0; start < refs.length; start += pageMessages) {
      const page = refs.slice(start, start + pageMessages);
      const recipients = q.recipientsOf(page);
      const attachments = q.attachmentNamesOf(page);
      const sightings = q.sightingsOf(page);
      const elements: string[] = [];
      let rows = '';
      for (const m of q.messages(page)) {
        const e = { recipients: recipients.get(m.ref) ?? [], attachments: attachments.get(m.ref) ?? [], sightings: sightings.get(m.ref) ?? [] };
        const element = {
          messageId: m.messageId, date: m.date, direction: m.direction, sender: m.sender, subject: m.subject, malicious: m.malicious === true, viaOurSystems: m.viaOurSystems === true,
          score: m.score, rules: m.rules, reasons: m.reasons, session: m.sessionRef, sendTier: m.sendTier,
          recipients: e.recipients, attachments: e.attachments, sightings: e.sightings,
        };
        // Its lines at the array's depth in the report (two levels of two spaces).
        elements.push('    ' + JSON.stringify(element, null, 2).split('\n').join('\n    '));
        rows += csvLine(messagesCsvRow(t, m, e));
      }
      writeSync(out, (start === 0 ? '' : ',\n') + elements.join(',\n'));
      writeSync(csv, rows);
    }
    if (refs.length > 0) writeSync(out, '\n  ]');
    writeSync(out, tail);
  } finally {
    closeSync(out);
    closeSync(csv);
  }
}
