// Human-readable output of `blastradius analyze`.
import { forTerminal } from './terminal.js';
import type { CaseAnalysis } from '../analysis/analyze-case.js';

export function formatAnalysis(a: CaseAnalysis & { orgDomains: string[] }): string {
  const c = a.counts;
  const lines: string[] = [];
  const malicious = a.messages.filter((m) => m.malicious);
  lines.push(`org domains: ${a.orgDomains.join(', ') || '(none)'}`);
  lines.push(`messages: ${a.messages.length}, malicious ${malicious.length}`);
  lines.push('');
  lines.push(`malicious messages sent from our accounts through our systems: ${c.maliciousOutboundMessages}`);
  const order = ['sent', 'deferred', 'bounced', 'expired', 'other', 'addressed'];
  const byStatus = Object.entries(c.recipientDeliveries).sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]));
  lines.push(`  recipient deliveries: ${c.maliciousOutboundRecipients} (${byStatus.map(([k, v]) => `${k} ${v}`).join(', ') || '-'}; counted from ${c.countsFrom})`);
  lines.push(`  period (UTC): ${c.period.first ?? '-'} – ${c.period.last ?? '-'}`);
  lines.push(`impersonation mails observed (lower bound): ${c.impersonationMessagesObserved}`);
  lines.push(`malicious mails received from outside: ${c.inboundMaliciousMessages}`);
  lines.push(`outside recipients to notify: ${c.notificationList.length} addresses in ${new Set(c.notificationList.map((n) => n.domain)).size} domains`);
  lines.push('');
  lines.push('accounts:');
  for (const v of a.accounts.filter((x) => x.verdict !== 'clean')) {
    lines.push(`  ${v.account}: ${v.verdict}${v.maliciousSent ? `, ${v.maliciousSent} malicious sent ${v.first} – ${v.last}` : ''}${v.impersonationMessages ? `, impersonated in ${v.impersonationMessages}` : ''}`);
  }
  if (!a.accounts.some((x) => x.verdict !== 'clean')) lines.push('  (none compromised or impersonated)');
  lines.push('');
  lines.push('definitions:');
  for (const [k, d] of Object.entries(c.definitions)) lines.push(`  ${k}: ${d}`);
  return lines.map(forTerminal).join('\n');
}
