// Human-readable output of `blastradius analyze`.
import { forTerminal } from './terminal.js';
import type { CaseAnalysis } from '../analysis/analyze-case.js';

const ORDER = ['sent', 'deferred', 'bounced', 'expired', 'other', 'addressed'];
const statuses = (r: Record<string, number>) =>
  Object.entries(r)
    .sort((a, b) => ORDER.indexOf(a[0]) - ORDER.indexOf(b[0]))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || '-';

export function formatAnalysis(a: CaseAnalysis & { orgDomains: string[] }): string {
  const c = a.counts;
  const lines: string[] = [];
  lines.push(`org domains: ${a.orgDomains.join(', ') || '(none)'}`);
  lines.push(`messages: ${a.messages.total}, malicious ${a.messages.malicious}`);
  lines.push('');
  lines.push(`malicious messages the attacker sent from our accounts through our systems: ${c.maliciousOutboundMessages}`);
  lines.push(`  examined in a mailbox copy ${c.examinedInMailbox}, known from a log only ${c.logOnly}; counted by their session rather than their content ${c.attributedBySession}`);
  lines.push(`  recipient deliveries: ${c.maliciousOutboundRecipients} (${statuses(c.recipientDeliveries)}; counted from ${c.countsFrom})`);
  lines.push(`    outside: ${statuses(c.outsideDeliveries)}; internal: ${statuses(c.internalDeliveries)}`);
  lines.push(`  period (UTC, ${c.period.source} time): ${c.period.first ?? '-'} – ${c.period.last ?? '-'}`);
  for (const l of c.sending.logs) {
    lines.push(`  ${l.path}: ${l.first ?? '?'} – ${l.last ?? '?'}${l.quietAfterLastSubmissionHours !== null ? `; no attacker submission in its last ${l.quietAfterLastSubmissionHours || 'under 0.1'} h` : ''}`);
  }
  lines.push(`outside recipients to notify: ${c.notificationList.length} addresses (${c.organisations.length} organisations, ${c.individuals} individuals at free-mail/ISP domains); bounced only: ${c.bouncedOnly.length}; unconfirmed: ${c.unconfirmed.length}`);
  lines.push(`to review (not in the figures): ${c.toReview.sends} sends in ${c.toReview.sessions} sessions; suspected by behaviour: ${c.suspected.sends} sends in ${c.suspected.sessions} sessions`);
  lines.push(`impersonation mails observed (lower bound): ${c.impersonationMessagesObserved}`);
  lines.push(`malicious mails received from outside: ${c.inboundMaliciousMessages}`);
  lines.push('');
  lines.push('accounts:');
  for (const v of a.accounts.filter((x) => x.verdict !== 'clean' || x.toReview || x.suspected)) {
    const parts: string[] = [v.verdict];
    if (v.maliciousSent) parts.push(`${v.maliciousSent} malicious sent ${v.first} – ${v.last} from ${v.attackerIps.join(', ') || '?'}`);
    if (v.impersonationMessages) parts.push(`impersonated in ${v.impersonationMessages}`);
    if (v.toReview) parts.push(`${v.toReview} sends to review`);
    if (v.suspected) parts.push(`${v.suspected} sends suspected`);
    lines.push(`  ${v.account}: ${parts.join(', ')}`);
  }
  if (!a.accounts.some((x) => x.verdict !== 'clean')) lines.push('  (none compromised or impersonated)');
  if (a.sessions.length) {
    lines.push('');
    lines.push('sessions (attacker, review, suspected):');
    for (const s of a.sessions) lines.push(`  #${s.id} ${s.tier} ${s.account} from ${s.ips.join(', ')} (${s.novelty}): ${s.sends} sends, ${s.contentMalicious} malicious by content, ${s.first ?? '?'} – ${s.last ?? '?'}`);
  }
  lines.push('');
  lines.push('definitions:');
  for (const [k, d] of Object.entries(c.definitions)) lines.push(`  ${k}: ${d}`);
  return lines.map(forTerminal).join('\n');
}
