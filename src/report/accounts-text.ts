// Human-readable table for `blastradius accounts`.
import { forTerminal } from './terminal.js';
import type { AccountRow } from '../analysis/outbound-accounts.js';

const fmt = (r: Record<string, number>) => ['sent', 'deferred', 'bounced', 'expired', 'other'].filter((k) => r[k]).map((k) => `${k} ${r[k]}`).join(', ') || '-';

export function formatAccounts(rows: AccountRow[], orgDomains: string[]): string {
  const lines: string[] = [];
  lines.push(`Outbound accounting from the MTA logs (org domains: ${orgDomains.join(', ') || 'none'}; times UTC)`);
  lines.push('messages: queue ids received from the account; out: with a recipient outside the org; deliveries: last status per message and recipient.');
  lines.push('');
  for (const r of rows) {
    lines.push(`${r.account}${r.senders.length ? `  (senders: ${r.senders.join(', ')})` : ''}${r.verdict ? `  [${r.verdict}]` : ''}`);
    lines.push(`    messages ${r.messages}, out ${r.messagesOut}; deliveries ${fmt(r.deliveries)}; to outside ${fmt(r.externalDeliveries)}`);
    lines.push(`    ${r.distinctExternalRecipients} outside recipients in ${r.externalDomains.length} domains; ${r.first ?? '?'} – ${r.last ?? '?'}`);
    for (const ip of r.clientIps) lines.push(`    client ${ip.ip}: ${ip.messages} messages, ${ip.first ?? '?'} – ${ip.last ?? '?'}`);
    for (const a of r.anomalies) lines.push(`    ! ${a.kind}: ${a.detail}${a.at ? ` (${a.at})` : ''}`);
  }
  if (rows.length === 0) lines.push('(no log messages from organisation accounts in this case file)');
  return lines.map(forTerminal).join('\n');
}
