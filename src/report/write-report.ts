// `blastradius report`: report.json and the CSV files (messages, accounts, the notification
// list, IOCs) from an analysed case file. Every figure is the stored analysis, not a new one.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { toCsv } from './csv.js';
import { stixBundle } from './stix.js';
import { renderHtmlReport, type HtmlReportData } from './report-html.js';

export interface ReportFiles {
  files: string[];
}

export function writeReport(db: Database.Database, outDir: string): ReportFiles {
  mkdirSync(outDir, { recursive: true });
  const countsRow = db.prepare("SELECT value FROM meta WHERE key = 'counts'").get() as { value: string } | undefined;
  if (!countsRow) throw new Error('the case has not been analysed yet (run blastradius analyze)');
  const counts = JSON.parse(countsRow.value) as { definitions: Record<string, string>; period: { first: string | null; last: string | null }; notificationList: { address: string; domain: string; count: number; first: string | null; last: string | null }[] } & Record<string, unknown>;
  const messages = db
    .prepare(
      `SELECT m.message_id AS messageId, m.date_utc AS date, m.direction, m.from_address AS sender, m.subject, v.malicious, v.via_our_systems AS viaOurSystems, v.score, v.reasons_json AS reasons
       FROM messages m LEFT JOIN message_verdicts v ON v.message_ref = m.id ORDER BY m.date_utc, m.id`,
    )
    .all() as { messageId: string | null; date: string | null; direction: string; sender: string | null; subject: string; malicious: number | null; viaOurSystems: number | null; score: number | null; reasons: string | null }[];
  const accounts = db
    .prepare('SELECT account AS address, verdict, malicious_sent AS maliciousMessagesSent, recipient_deliveries_json AS deliveries, counts_from AS countsFrom, first, last, impersonation_messages AS impersonationMessages FROM account_verdicts ORDER BY account')
    .all() as { address: string; verdict: string; maliciousMessagesSent: number; deliveries: string; countsFrom: string; first: string | null; last: string | null; impersonationMessages: number }[];
  const sources = db
    .prepare('SELECT i.path, i.kind, i.messages_read AS itemsRead, (SELECT count(*) FROM errors e WHERE e.source_path = i.path) AS errors FROM inputs i ORDER BY i.path')
    .all();
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
  for (const a of db
    .prepare(
      `SELECT a.filename AS name, an.sha256, an.verdict, an.id FROM attachments a JOIN analyses an ON an.id = a.analysis_ref
       JOIN message_verdicts v ON v.message_ref = a.message_ref
       WHERE v.malicious = 1 AND a.nest_path = '' AND an.verdict IN ('macro', 'suspicious', 'encrypted') ORDER BY a.message_ref, a.ordinal`,
    )
    .all() as { name: string; sha256: string; verdict: string; id: number }[]) {
    addIoc('sha256', a.sha256, `${a.verdict} attachment ${a.name}`);
    for (const c of db.prepare<[number], { name: string; sha256: string; verdict: string }>("SELECT name, sha256, verdict FROM analyses WHERE parent_ref = ? AND sha256 <> ''").all(a.id)) {
      addIoc('sha256', c.sha256, `${c.verdict} ${c.name} inside ${a.name}`);
    }
  }
  for (const m of db.prepare('SELECT m.urls_json AS urls, m.from_address AS sender, m.first_external_ip AS ip, v.via_our_systems AS via FROM messages m JOIN message_verdicts v ON v.message_ref = m.id WHERE v.malicious = 1').all() as { urls: string; sender: string | null; ip: string | null; via: number }[]) {
    for (const u of JSON.parse(m.urls) as string[]) addIoc('url', u, 'URL in a malicious message');
    if (!m.via && m.sender) addIoc('email-sender', m.sender, 'sender of a malicious message from outside');
    if (m.ip) addIoc('ipv4', m.ip, m.via ? 'client that submitted malicious mail with a stolen password' : 'first outside hop of malicious mail');
  }
  const report = {
    schema: 'blastradius-report/1',
    generated: new Date().toISOString(),
    totals: {
      maliciousOutboundMessages: counts.maliciousOutboundMessages,
      maliciousOutboundRecipients: counts.maliciousOutboundRecipients,
      recipientDeliveries: counts.recipientDeliveries,
      countsFrom: counts.countsFrom,
      impersonationMessagesObserved: counts.impersonationMessagesObserved,
      inboundMaliciousMessages: counts.inboundMaliciousMessages,
      period: counts.period,
      definitions: counts.definitions,
    },
    accounts: accounts.map((a) => ({ address: a.address, verdict: a.verdict, maliciousMessagesSent: a.maliciousMessagesSent, recipientDeliveries: JSON.parse(a.deliveries) as Record<string, number>, countsFrom: a.countsFrom, impersonationMessages: a.impersonationMessages, first: a.first, last: a.last })),
    messages: messages.map((m) => ({ messageId: m.messageId, date: m.date, direction: m.direction, sender: m.sender, subject: m.subject, malicious: m.malicious === 1, viaOurSystems: m.viaOurSystems === 1, score: m.score, reasons: m.reasons ? (JSON.parse(m.reasons) as string[]) : [] })),
    recipients: counts.notificationList,
    iocs,
    sources,
  };
  const files: [string, Buffer | string][] = [
    ['report.json', JSON.stringify(report, null, 2) + '\n'],
    ['messages.csv', toCsv(['message_id', 'date_utc', 'direction', 'sender', 'subject', 'malicious', 'via_our_systems', 'hijack_score', 'reasons'], report.messages.map((m) => [m.messageId, m.date, m.direction, m.sender, m.subject, m.malicious ? 'yes' : 'no', m.viaOurSystems ? 'yes' : 'no', m.score, m.reasons.join(' / ')]))],
    ['accounts.csv', toCsv(['address', 'verdict', 'malicious_sent', 'sent', 'bounced', 'deferred', 'counts_from', 'impersonation_messages', 'first_utc', 'last_utc'], report.accounts.map((a) => [a.address, a.verdict, a.maliciousMessagesSent, a.recipientDeliveries.sent ?? 0, a.recipientDeliveries.bounced ?? 0, a.recipientDeliveries.deferred ?? 0, a.countsFrom, a.impersonationMessages, a.first, a.last]))],
    ['recipients.csv', toCsv(['address', 'domain', 'count', 'first_utc', 'last_utc'], report.recipients.map((r) => [r.address, r.domain, r.count, r.first, r.last]))],
    ['iocs.csv', toCsv(['type', 'value', 'context'], iocs.map((i) => [i.type, i.value, i.context]))],
    ['iocs.stix.json', JSON.stringify(stixBundle(iocs, report.generated), null, 2) + '\n'],
  ];
  const sends = db
    .prepare(
      `SELECT m.id, m.date_utc AS date, m.from_address AS sender, m.subject FROM messages m JOIN message_verdicts v ON v.message_ref = m.id
       WHERE v.malicious = 1 AND v.via_our_systems = 1 ORDER BY m.date_utc`,
    )
    .all() as { id: number; date: string | null; sender: string | null; subject: string }[];
  const namesOf = db.prepare<[number], { filename: string }>("SELECT filename FROM attachments WHERE message_ref = ? AND nest_path = '' ORDER BY ordinal");
  files.push([
    'report.html',
    renderHtmlReport({
      title: 'blastradius report',
      totals: report.totals as HtmlReportData['totals'],
      accounts: report.accounts,
      maliciousSends: sends.map((s) => ({ date: s.date, sender: s.sender, subject: s.subject, attachments: namesOf.all(s.id).map((a) => a.filename) })),
      recipients: report.recipients,
      iocs,
    }),
  ]);
  for (const [name, data] of files) writeFileSync(join(outDir, name), data);
  return { files: files.map(([n]) => join(outDir, n)) };
}
