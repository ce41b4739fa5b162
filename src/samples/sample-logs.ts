// The sample incident's MTA logs, written from the same model as the mailboxes so that
// they agree: a Postfix maillog (RFC 3339 time stamps, so no year has to be guessed) for
// every message that passed the organisation's server, and a Microsoft 365 message trace
// (UTF-16LE CSV, as Get-MessageTrace | Export-Csv writes it) for the mail it relayed out.
import { renderMessage, ORG, type SampleMessage } from './incident.js';

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}

function qid(n: number): string {
  return (0x4d67b168e81 + n * 7919).toString(16).toUpperCase().slice(-11);
}

const inOrg = (a: string) => a.endsWith('@' + ORG.domain) || a.endsWith('.' + ORG.domain);

/** Delivery outcome of one recipient, as the model says. */
export function outcome(m: SampleMessage, rcpt: string): 'sent' | 'bounced' {
  return m.bounced?.includes(rcpt) ? 'bounced' : 'sent';
}

export function sampleMaillog(msgs: SampleMessage[]): string {
  const lines: string[] = [];
  const passing = msgs.filter((m) => m.places.includes('journal') && m.intent !== 'external-only').sort((a, b) => a.time - b.time);
  let pid = 2000;
  passing.forEach((m, i) => {
    const id = qid(i);
    const t = m.time + 1000;
    const raw = renderMessage(m, 'journal');
    const local = m.from.address.split('@')[0]!;
    const submission = m.trace.find((x) => x[0] === 'Received' && /Authenticated sender/.test(x[1]));
    const ip = submission ? /\[([\d.]+)\]/.exec(submission[1])![1]! : /\[([\d.]+)\]/.exec(m.trace.find((x) => x[0] === 'Received')?.[1] ?? '')?.[1];
    const at = (ms: number) => iso(t + ms);
    if (m.role === 'bounce') {
      lines.push(`${at(0)} mx1 postfix/cleanup[${pid}]: ${id}: message-id=<${m.messageId}>`);
      lines.push(`${at(0)} mx1 postfix/qmgr[999]: ${id}: from=<>, size=${raw.length}, nrcpt=1 (queue active)`);
    } else {
      const service = submission ? 'postfix/submission/smtpd' : 'postfix/smtpd';
      lines.push(`${at(0)} mx1 ${service}[${++pid}]: connect from unknown[${ip}]`);
      lines.push(`${at(0)} mx1 ${service}[${pid}]: ${id}: client=unknown[${ip}]${submission ? `, sasl_method=LOGIN, sasl_username=${local}` : ''}`);
      lines.push(`${at(0)} mx1 postfix/cleanup[${pid + 1}]: ${id}: message-id=<${m.messageId}>`);
      lines.push(`${at(0)} mx1 postfix/qmgr[999]: ${id}: from=<${m.envelopeFrom}>, size=${raw.length}, nrcpt=${m.to.length + m.cc.length} (queue active)`);
      lines.push(`${at(0)} mx1 ${service}[${pid}]: disconnect from unknown[${ip}] ehlo=1 mail=1 rcpt=${m.to.length} data=1 quit=1 commands=5`);
    }
    let k = 0;
    for (const r of [...m.to, ...m.cc]) {
      const status = outcome(m, r.address);
      if (inOrg(r.address)) {
        lines.push(`${at(200 + k)} mx1 postfix/local[${pid + 2}]: ${id}: to=<${r.address}>, relay=local, delay=0.2, delays=0.1/0/0/0.1, dsn=2.0.0, status=sent (delivered to mailbox)`);
      } else if (status === 'bounced') {
        lines.push(`${at(300 + k)} mx1 postfix/smtp[${pid + 3}]: ${id}: to=<${r.address}>, relay=mx.${r.address.split('@')[1]}[203.0.113.60]:25, delay=0.3, delays=0.1/0/0.1/0.1, dsn=5.1.1, status=bounced (host mx.${r.address.split('@')[1]}[203.0.113.60] said: 550 5.1.1 User unknown (in reply to RCPT TO command))`);
      } else {
        lines.push(`${at(300 + k)} mx1 postfix/smtp[${pid + 3}]: ${id}: to=<${r.address}>, relay=exo-outbound.mail.protection.example[192.0.2.25]:25, delay=0.3, delays=0.1/0/0.1/0.1, dsn=2.6.0, status=sent (250 2.6.0 Queued mail for delivery)`);
      }
      k++;
    }
    if (m.bounced?.length) {
      const child = passing.find((x) => x.role === 'bounce' && x.key === `bounce-${m.key}`);
      if (child) lines.push(`${at(400)} mx1 postfix/bounce[${pid + 4}]: ${id}: sender non-delivery notification: ${qid(passing.indexOf(child))}`);
    }
    lines.push(`${at(500)} mx1 postfix/qmgr[999]: ${id}: removed`);
  });
  // Time order, as syslog writes them.
  return lines.sort((a, b) => a.slice(0, 25).localeCompare(b.slice(0, 25))).join('\n') + '\n';
}

/** Microsoft 365 message trace of the outbound mail (one row per recipient, UTF-16LE with BOM). */
export function sampleMessageTrace(msgs: SampleMessage[]): Buffer {
  const q = (v: string | number) => `"${String(v).replace(/"/g, '""')}"`;
  const rows = ['"Received","SenderAddress","RecipientAddress","Subject","Status","ToIP","FromIP","Size","MessageId","MessageTraceId","Organization","StartDate","EndDate","Index"'];
  const out = msgs.filter((m) => m.places.includes('journal') && m.intent === 'outbound').sort((a, b) => a.time - b.time);
  let index = 0;
  out.forEach((m, i) => {
    const d = new Date(m.time + 2000);
    const when = `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${d.getUTCHours() % 12 || 12}:${String(d.getUTCMinutes()).padStart(2, '0')}:${String(d.getUTCSeconds()).padStart(2, '0')} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
    for (const r of [...m.to, ...m.cc]) {
      if (inOrg(r.address)) continue;
      const status = outcome(m, r.address) === 'bounced' ? 'Failed' : 'Delivered';
      rows.push([when, m.from.address, r.address, m.subject, status, status === 'Delivered' ? '203.0.113.60' : '', '192.0.2.10', renderMessage(m, 'journal').length, `<${m.messageId}>`, `5e1f0000-0000-4000-8000-${String(i).padStart(12, '0')}`, 'sampleshoji.onmicrosoft.com', '11/1/2026', '11/8/2026', index++].map(q).join(','));
    }
  });
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(rows.join('\r\n') + '\r\n', 'utf16le')]);
}
