// `blastradius report`: report.json, report.html and the CSV files (messages, accounts,
// sends, sessions, the notification list, bounced-only recipients, IOCs) from an analysed
// case file. Every figure is the stored analysis, not a new one.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { ReportQueries } from '../store/report-queries.js';
import { groundText, NOVELTY_TEXT } from './attribution-text.js';
import { toCsv } from './csv.js';
import { renderHtmlReport, type HtmlReportData } from './report-html.js';
import { stixBundle } from './stix.js';

export interface ReportFiles {
  files: string[];
}

const statuses = (r: { status: string }[]) => r.map((x) => x.status);

export function writeReport(db: Database.Database, outDir: string): ReportFiles {
  mkdirSync(outDir, { recursive: true });
  const q = new ReportQueries(db);
  const counts = q.counts();
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
  const messages = q.messages();
  const { definitions, ...figures } = counts;
  const report = {
    schema: 'blastradius-report/2',
    generated: new Date().toISOString(),
    totals: { ...figures, definitions },
    accounts: q.accounts().map((a) => ({ ...a, evidence: undefined })),
    sessions,
    sends: sends.map((s) => ({ ...s, seen: undefined })),
    messages: messages.map((m) => ({ messageId: m.messageId, date: m.date, direction: m.direction, sender: m.sender, subject: m.subject, malicious: m.malicious === true, viaOurSystems: m.viaOurSystems === true, score: m.score, rules: m.rules, reasons: m.reasons, session: m.sessionRef, sendTier: m.sendTier })),
    recipients: counts.notificationList,
    bouncedOnly: counts.bouncedOnly,
    iocs,
    sources: q.inputs(),
  };
  const files: [string, Buffer | string][] = [
    ['report.json', JSON.stringify(report, null, 2) + '\n'],
    ['messages.csv', toCsv(['message_id', 'date_utc', 'direction', 'sender', 'subject', 'malicious', 'via_our_systems', 'hijack_score', 'rules', 'session', 'reasons'], report.messages.map((m) => [m.messageId, m.date, m.direction, m.sender, m.subject, m.malicious ? 'yes' : 'no', m.viaOurSystems ? 'yes' : 'no', m.score, m.rules.join(' '), m.session, m.reasons.join(' / ')]))],
    ['accounts.csv', toCsv(['address', 'verdict', 'malicious_sent', 'sent', 'bounced', 'deferred', 'counts_from', 'impersonation_messages', 'first_utc', 'last_utc', 'to_review', 'suspected', 'attacker_ips'], report.accounts.map((a) => [a.address, a.verdict, a.maliciousMessagesSent, a.recipientDeliveries.sent ?? 0, a.recipientDeliveries.bounced ?? 0, a.recipientDeliveries.deferred ?? 0, a.countsFrom, a.impersonationMessages, a.first, a.last, a.toReview, a.suspected, a.attackerIps.join(' ')]))],
    ['sends.csv', toCsv(['tier', 'account', 'time_utc', 'time_source', 'client_ip', 'session', 'malicious_by_content', 'message_id', 'subject', 'mailbox_copy', 'recipients', 'statuses'], sends.map((s) => [s.tier, s.account, s.time, s.timeSource, s.clientIp, s.sessionRef, s.contentMalicious ? 'yes' : 'no', s.messageId, s.subject, s.messageRef !== null ? 'yes' : 'no', s.recipients.map((r) => r.address).join(' '), statuses(s.recipients).join(' ')]))],
    ['sessions.csv', toCsv(['session', 'tier', 'account', 'addresses', 'novelty', 'first_utc', 'last_utc', 'sends', 'malicious_by_content', 'replies', 'old_thread_replies', 'outside_recipients', 'max_sends_10min', 'grounds'], sessions.map((s) => [s.id, s.tier, s.account, s.ips.join(' '), NOVELTY_TEXT[s.novelty] ?? s.novelty, s.first, s.last, s.sends, s.contentMalicious, s.replies, s.oldThreadReplies, s.outsideRecipients, s.maxPerWindow, s.grounds.map(groundText).join(' / ')]))],
    ['recipients.csv', toCsv(['address', 'domain', 'count', 'first_utc', 'last_utc'], report.recipients.map((r) => [r.address, r.domain, r.count, r.first, r.last]))],
    ['recipients-bounced.csv', toCsv(['address', 'domain', 'count', 'first_utc', 'last_utc'], counts.bouncedOnly.map((r) => [r.address, r.domain, r.count, r.first, r.last]))],
    ['iocs.csv', toCsv(['type', 'value', 'context'], iocs.map((i) => [i.type, i.value, i.context]))],
    ['iocs.stix.json', JSON.stringify(stixBundle(iocs, report.generated), null, 2) + '\n'],
  ];
  files.push([
    'report.html',
    renderHtmlReport({
      title: 'blastradius report',
      totals: report.totals as unknown as HtmlReportData['totals'],
      accounts: report.accounts,
      maliciousSends: sends.filter((s) => s.tier === 'attacker').map((s) => ({ date: s.time, sender: s.account, subject: s.subject ?? '', attachments: s.attachments })),
      recipients: report.recipients,
      iocs,
    }),
  ]);
  for (const [name, data] of files) writeFileSync(join(outDir, name), data);
  return { files: files.map(([n]) => join(outDir, n)) };
}
