// The internal appendix: for each figure the notice publishes, its value, its stored
// definition and the query behind it, with the Message-IDs the outbound count is made of,
// so a reviewer can check every number before publication. Never published.
import { evidenceText, hostHeadline } from './hosts-text.js';
import type { NoticeFacts } from './notice-facts.js';

const LABELS = {
  ja: { heading: '## 内部用付録（公開しないでください）', definition: '定義', query: '根拠', byStatus: '上記の内訳（最終ステータス別）', countsFrom: '件数の根拠（logs＝サーバーの記録、mailboxes＝メールの写し）', logWindow: 'ケース内のログの最初と最後の時刻', messages: (n: number) => `数えたメール（Message-ID）：${n}件` },
  en: { heading: '## Internal appendix (not for publication)', definition: 'definition', query: 'query', byStatus: 'the above by final status', countsFrom: "where the counts come from (logs = the server's records, mailboxes = copies of the mail)", logWindow: 'first and last time stamp of the logs in the case', messages: (n: number) => `Messages counted (Message-ID): ${n}` },
};

export function noticeAppendix(f: NoticeFacts, definitions: Record<string, string>, messageIds: string[], lang: 'ja' | 'en'): string {
  const L = LABELS[lang];
  const c = f.counts;
  const d = (k: string) => definitions[k] ?? '';
  const rows: [string, string | number, string, string][] = [
    ['maliciousOutboundMessages', c.maliciousOutboundMessages, d('maliciousOutboundMessages'), "SELECT count(*) FROM sends WHERE tier = 'attacker' (sessions: submission_sessions)"],
    ['maliciousOutboundRecipients', c.maliciousOutboundRecipients, d('maliciousOutboundRecipients'), "sends.recipients_json of those sends: last log_deliveries.status per recipient over the send's log records, else message_addresses to/cc/bcc"],
    ['outsideDeliveries', JSON.stringify(c.outsideDeliveries), d('outsideDeliveries'), 'same rows, recipients outside the org domains (the only deliveries the notice publishes)'],
    ['internalDeliveries', JSON.stringify(c.internalDeliveries), d('internalDeliveries'), 'same rows, recipients inside the org domains (not published)'],
    ['recipientDeliveries', JSON.stringify(c.recipientDeliveries), L.byStatus, 'same rows, grouped by status'],
    ['countsFrom', c.countsFrom, L.countsFrom, '-'],
    ['period', `${c.period.first ?? '-'} – ${c.period.last ?? '-'}`, d('period'), 'min/max sends.time of the same rows (time_source says log, received-hop or date-header)'],
    ['logWindow', `${f.logWindow.first ?? '-'} – ${f.logWindow.last ?? '-'}`, L.logWindow, 'min/max of log_messages.received_at, log_deliveries.time, log_events.time'],
    ['impersonationMessagesObserved', c.impersonationMessagesObserved, d('impersonationMessagesObserved'), 'malicious messages not via our systems naming a member (display-name-spoof signal or an org From)'],
    ['notificationList', c.notificationList.length, d('notificationList'), 'outside recipients of the counted messages (reports/recipients.csv)'],
    ['bouncedOnly', c.bouncedOnly.length, d('bouncedOnly'), 'outside recipients every delivery to which bounced (not in the notice\'s recipients)'],
    ['unconfirmed', c.unconfirmed.length, d('unconfirmed'), 'outside recipients with neither a delivery nor a bounce'],
    ['organisations', c.organisations.length, d('organisations'), 'registrable domains of notificationList, free-mail excluded'],
    ['individuals', c.individuals, d('individuals'), 'notificationList addresses at free-mail and consumer ISP domains'],
  ];
  const lines = [L.heading, ''];
  for (const [k, v, def, q] of rows) lines.push(`- ${k} = ${v}\n  - ${L.definition}: ${def}\n  - ${L.query}: ${q}`);
  if (f.hosts) {
    lines.push(
      `- infectedPcs = ${f.hosts.infected.length}`,
      `  - ${L.definition}: hosts judged infected by analysis/host-verdicts.ts (a listed URL fetched, a listed C2 reached, EmoCheck or an autostart entry of Emotet's shape); ${f.hosts.suspected.length} more suspected, ${f.hosts.clean} clean by EmoCheck`,
      `  - ${L.query}: SELECT host_key FROM host_verdicts WHERE verdict = 'infected' (blastradius hosts; explain <host>)`,
    );
    for (const h of [...f.hosts.infected, ...f.hosts.suspected]) {
      lines.push(`  - ${hostHeadline(h).replace(/\s+/g, ' ')}`);
      for (const e of h.evidence) lines.push(`    - ${evidenceText(e)}`);
    }
  } else lines.push('- infectedPcs = (no host evidence in the case: proxy/DNS/firewall logs with a feed, EmoCheck or Autoruns)');
  lines.push('', L.messages(messageIds.length));
  for (const id of messageIds) lines.push(`  - <${id}>`);
  return lines.join('\n') + '\n';
}
