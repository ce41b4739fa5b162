// A generated case for report.html without a case file: an attacker sending from two
// accounts every five hours for `days` days, with three days of silence in the middle, and
// the other facts a page needs. The chart must fit the page at any span.
import type { CaseCounts } from '../../src/analysis/analyze-case.js';
import type { AttackerMessage, ReportOverview } from '../../src/report/report-facts.js';
import type { HtmlReportData } from '../../src/report/report-html.js';

export const TWO_WEEK_START = Date.parse('2026-11-01T00:30:00.000Z');

export function twoWeekSends(days: number): { time: string; account: string }[] {
  const out: { time: string; account: string }[] = [];
  const end = TWO_WEEK_START + days * 24 * 3_600_000 - 3_600_000;
  for (let t = TWO_WEEK_START, i = 0; t <= end; t += 5 * 3_600_000, i++) {
    const day = Math.floor((t - TWO_WEEK_START) / (24 * 3_600_000));
    if (days > 7 && day >= 5 && day < 8) continue;
    out.push({ time: new Date(t).toISOString(), account: i % 3 === 2 ? 'eigyo@sample-shoji.example' : 'keiri@sample-shoji.example' });
  }
  // The last send at the end of the span, so the span is exactly what was asked.
  if (out[out.length - 1]!.time !== new Date(end).toISOString()) out.push({ time: new Date(end).toISOString(), account: 'keiri@sample-shoji.example' });
  return out;
}

export function twoWeekReport(days = 14): HtmlReportData {
  const sends = twoWeekSends(days);
  const first = sends[0]!.time;
  const last = sends[sends.length - 1]!.time;
  const messages: AttackerMessage[] = sends.map((s, i) => ({
    sendId: i + 1,
    time: s.time,
    timeSource: 'log',
    account: s.account,
    clientIp: '198.51.100.77',
    messageId: `gen${i}@sample-shoji.example`,
    subject: i % 2 ? `Re: 見積依頼（第${i}四半期 部材）についてのご確認とお願い` : `請求書送付のお知らせ（${i}月分）`,
    recipients: 3,
    outsideRecipients: 3,
    attachments: i % 4 === 0 ? [] : [`請求書_2026110${i % 10}_very_long_attachment_name_without_spaces_${'x'.repeat(30)}.xlsm`],
    logOnly: i % 4 === 0,
    evidence: i % 4 === 0 ? { kind: 'session', sessionId: 7, grounds: [{ kind: 'attacker-ip', ip: '198.51.100.77', account: 'keiri@sample-shoji.example', sessionId: 3 }] } : { kind: 'content', rules: ['R2', 'R3'] },
  }));
  const recipients = Array.from({ length: 12 }, (_, i) => ({
    address: `person.with.a.long.name.${i}@partner-${i}.example`,
    domain: `partner-${i}.example`,
    count: 2,
    first,
    last,
    displayNames: [`取引先 ${i}`],
    organisation: `partner-${i}.example`,
    lastStatus: 'sent',
    statuses: { sent: 2 },
    subjects: [],
    messageIds: [],
  }));
  const counts: CaseCounts = {
    definitions: { maliciousOutboundMessages: 'd' },
    maliciousOutboundMessages: messages.length,
    examinedInMailbox: messages.length,
    logOnly: 0,
    attributedBySession: 0,
    maliciousOutboundRecipients: messages.length * 3,
    recipientDeliveries: { sent: messages.length * 3 },
    outsideDeliveries: { sent: messages.length * 3 },
    internalDeliveries: {},
    countsFrom: 'logs',
    period: { first, last, source: 'server' },
    notificationList: recipients,
    bouncedOnly: [],
    unconfirmed: [],
    organisations: recipients.map((r) => r.domain),
    individuals: 0,
    sending: { lastAttackerSubmission: last, logs: [{ path: '/var/log/maillog', format: 'postfix', first, last, quietAfterLastSubmissionHours: null }] },
    impersonationMessagesObserved: 0,
    inboundMaliciousMessages: 0,
    toReview: { sends: 0, sessions: 0 },
    suspected: { sends: 0, sessions: 0 },
  };
  const overview: ReportOverview = {
    organisation: { name: '株式会社サンプル商事', nameEn: 'Sample Shoji Co., Ltd.', domains: ['sample-shoji.example'], contact: null },
    lang: 'ja',
    timeZone: 'Asia/Tokyo',
    generated: last,
    asOf: { time: last, basis: 'newest-evidence', source: 'logs' },
    coverage: { mailboxes: { files: 1, messages: messages.length }, logs: [{ format: 'postfix', files: 1, records: messages.length, first, last }] },
    conclusion: {
      compromisedAccounts: ['keiri@sample-shoji.example', 'eigyo@sample-shoji.example'],
      attackerIps: ['198.51.100.77'],
      first,
      last,
      maliciousMessages: messages.length,
      outsideAddressesReached: recipients.length,
      organisationsReached: recipients.length,
      individualsReached: 0,
      bouncedOnlyAddresses: 0,
      impersonationMessages: 0,
      sending: { state: 'no-log-after', lastAttackerSubmission: last, quietHours: null, quietUntil: null, quietLog: null, longestGapHours: 77 },
    },
    compromisedAccounts: [
      { address: 'keiri@sample-shoji.example', attackerIps: ['198.51.100.77'], first, last, maliciousMessages: messages.filter((m) => m.account.startsWith('keiri')).length, sessions: [] },
      { address: 'eigyo@sample-shoji.example', attackerIps: ['198.51.100.77'], first, last, maliciousMessages: messages.filter((m) => m.account.startsWith('eigyo')).length, sessions: [] },
    ],
    organisationsReached: recipients.map((r) => ({ organisation: r.domain, addresses: 1, deliveries: 2 })),
    nextActions: [
      { kind: 'change-passwords', accounts: ['keiri@sample-shoji.example', 'eigyo@sample-shoji.example'] },
      { kind: 'get-newer-logs', after: last },
    ],
  };
  const accounts = overview.compromisedAccounts.map((a) => ({
    address: a.address, verdict: 'compromised', maliciousMessagesSent: a.maliciousMessages, impersonationMessages: 0, recipientDeliveries: {}, countsFrom: 'logs', first, last,
    sends: a.maliciousMessages, toReview: 0, suspected: 0, attackerIps: a.attackerIps, evidence: [],
  }));
  return { overview, messages, detail: { counts, accounts, recipients, bouncedOnly: [], iocs: [{ type: 'sha256', value: 'ab'.repeat(32), context: 'macro attachment' }], hosts: null } };
}
