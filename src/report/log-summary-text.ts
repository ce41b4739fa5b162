// Human-readable output of `blastradius logs`, laid out like pflogsumm's sections.
import type { LogSummary } from '../analysis/log-summary.js';
import { forTerminal } from './terminal.js';

const n = (v: number, w = 7) => String(v).padStart(w);

export function formatLogSummary(s: LogSummary): string {
  const lines: string[] = [];
  for (const f of s.files) lines.push(`${f.path}: ${f.format}, ${f.lines} lines${f.unreadable ? `, ${f.unreadable} unreadable` : ''}`);
  const c = s.clock;
  if (c.offsetHours && c.suggestedOffsetMinutes !== null) {
    const m = c.suggestedOffsetMinutes;
    const off = `${m < 0 ? '-' : '+'}${String(Math.floor(Math.abs(m) / 60)).padStart(2, '0')}:${String(Math.abs(m) % 60).padStart(2, '0')}`;
    lines.push(`time stamps: ${c.agreeing} of ${c.compared} log records run ${Math.abs(c.offsetHours)} h ${c.offsetHours > 0 ? 'ahead of' : 'behind'} the Received lines their host wrote; scan again into a new case with --log-utc-offset ${off}`);
  } else if (c.offsetHours === 0) lines.push(`time stamps: ${c.agreeing} of ${c.compared} log records agree with the Received lines their host wrote`);
  for (const i of s.instances) {
    const t = i.totals;
    const title = `Grand totals: ${i.instance}`;
    lines.push('', title, '-'.repeat(title.length));
    lines.push(`${n(t.received)}   received`);
    lines.push(`${n(t.messages)}   messages (a content filter's copy not counted again)`);
    lines.push(`${n(t.delivered)}   delivered`);
    lines.push(`${n(t.deferredMessages)}   deferred  (${t.deferrals} deferrals)`);
    lines.push(`${n(t.bounced)}   bounced`);
    lines.push(`${n(t.rejected)}   rejected`);
    lines.push(`${n(t.senders)}   senders`);
    lines.push(`${n(t.recipients)}   recipients`);
    lines.push(`${n(t.recipientDomains)}   recipient domains`);
    lines.push('', `Senders by message count: ${i.instance}`);
    for (const x of i.senders.filter((x) => x.sender !== '').slice(0, 50)) lines.push(`${n(x.messages)}   ${x.sender}`);
    lines.push('', `Recipient domains (delivered, deferrals, bounced): ${i.instance}`);
    for (const d of i.recipientDomains.slice(0, 50)) lines.push(`${n(d.delivered)} ${n(d.deferrals)} ${n(d.bounced)}   ${d.domain}`);
  }
  lines.push('', 'Accounts and their client addresses', '-----------------------------------');
  for (const a of s.accounts) {
    lines.push(`${a.account}${a.logins.length ? ` (logins: ${a.logins.join(', ')})` : ''}: ${a.messages} messages`);
    for (const c of a.clients) lines.push(`    ${c.ip}: ${c.messages}, ${c.first ?? '?'} – ${c.last ?? '?'}`);
  }
  if (s.cloudUse.length) {
    lines.push('', 'Cloud accounts: where they were used from (sign-in and audit logs)', '-----------------------------------------------------------------');
    lines.push('  uses = successful sign-ins and mailbox operations; sends = mailbox audit Send records; failures = failed sign-ins');
    for (const a of s.cloudUse) {
      lines.push(`${a.account}${a.users.some((u) => u !== a.account) ? ` (as ${a.users.join(', ')})` : ''}`);
      for (const c of a.clients) lines.push(`    ${c.ip}: ${c.uses} uses, ${c.sends} sends, ${c.failures} failures, ${c.first ?? '?'} – ${c.last ?? '?'}`);
    }
  }
  lines.push('', 'Per day (UTC): received, delivered, deferrals, bounced', '-----------------------------------------------------');
  for (const d of s.perDay) lines.push(`${d.day} ${n(d.received)} ${n(d.delivered)} ${n(d.deferrals)} ${n(d.bounced)}`);
  return lines.map(forTerminal).join('\n');
}
