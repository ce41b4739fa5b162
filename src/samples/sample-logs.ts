// The sample incident's MTA logs, written from the same model as the mailboxes so that
// they agree: a Postfix maillog (RFC 3339 time stamps, so no year has to be guessed) for
// every message that passed the organisation's server, and a Microsoft 365 message trace
// (UTF-16LE CSV, as Get-MessageTrace | Export-Csv writes it) for the mail that went out:
// what mx1 relayed through Exchange Online and what 営業部 sent from Microsoft 365 itself.
// A message is in the logs its `logs` field names, whether or not any mailbox holds it.
import { BOUNCE_REASONS, renderMessage, ORG, type SampleMessage } from './incident.js';
import { MESSAGE_TRACE_HEADER, messageTraceRow } from './message-trace.js';

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}

function qid(n: number): string {
  return (0x4d67b168e81 + n * 7919).toString(16).toUpperCase().slice(-11);
}

const inOrg = (a: string) => a.endsWith('@' + ORG.domain) || a.endsWith('.' + ORG.domain);

/** mx1's own address: the trace's FromIP of the mail it relays. */
const MX1_IP = '192.0.2.10';

/** Delivery outcome of one recipient, as the model says. */
export function outcome(m: SampleMessage, rcpt: string): 'sent' | 'bounced' {
  return m.bounced?.includes(rcpt) ? 'bounced' : 'sent';
}

/** The last status the logs show for a recipient of a message; 'addressed' when no log holds the message. */
export function loggedStatus(m: SampleMessage, rcpt: string): 'sent' | 'bounced' | 'addressed' {
  return m.logs.length ? outcome(m, rcpt) : 'addressed';
}

/** Postfix writes a queue's first line this long after the Date header. */
const POSTFIX_DELAY = 1000;
/** The trace's Received is this long after the Date header (whole seconds). */
const TRACE_DELAY = 2000;

/**
 * When the server took the submission, as its log stamps it (epoch ms): the first line of
 * the queue in the Postfix log, the trace's Received for mail sent from Microsoft 365;
 * the Date header when no log holds the submission.
 */
export function submittedAt(m: SampleMessage): number {
  if (m.submission?.system === 'postfix' && m.logs.includes('postfix')) return m.time + POSTFIX_DELAY;
  if (m.submission?.system === 'm365' && m.logs.includes('trace')) return m.time + TRACE_DELAY;
  return m.time;
}

export function sampleMaillog(msgs: SampleMessage[]): string {
  const lines: string[] = [];
  const passing = msgs.filter((m) => m.logs.includes('postfix')).sort((a, b) => a.time - b.time);
  let pid = 2000;
  passing.forEach((m, i) => {
    const id = qid(i);
    const t = m.time + POSTFIX_DELAY;
    const raw = renderMessage(m, 'journal');
    const sub = m.submission;
    const ip = sub ? sub.ip : /\[([\d.]+)\]/.exec(m.trace.find((x) => x[0] === 'Received')?.[1] ?? '')?.[1];
    const at = (ms: number) => iso(t + ms);
    if (m.role === 'bounce') {
      lines.push(`${at(0)} mx1 postfix/cleanup[${pid}]: ${id}: message-id=<${m.messageId}>`);
      lines.push(`${at(0)} mx1 postfix/qmgr[999]: ${id}: from=<>, size=${raw.length}, nrcpt=1 (queue active)`);
    } else {
      const service = sub ? 'postfix/submission/smtpd' : 'postfix/smtpd';
      lines.push(`${at(0)} mx1 ${service}[${++pid}]: connect from unknown[${ip}]`);
      lines.push(`${at(0)} mx1 ${service}[${pid}]: ${id}: client=unknown[${ip}]${sub ? `, sasl_method=LOGIN, sasl_username=${sub.login}` : ''}`);
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
        const domain = r.address.split('@')[1]!;
        const why = BOUNCE_REASONS[r.address]!;
        lines.push(`${at(300 + k)} mx1 postfix/smtp[${pid + 3}]: ${id}: to=<${r.address}>, relay=mx.${domain}[203.0.113.60]:25, delay=0.3, delays=0.1/0/0.1/0.1, dsn=${why.dsn}, status=bounced (host mx.${domain}[203.0.113.60] said: ${why.code} ${why.dsn} ${why.text} (in reply to RCPT TO command))`);
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

/**
 * Microsoft 365 message trace of the outbound mail (one row per recipient, UTF-16LE with
 * BOM). Mail mx1 relayed comes from mx1's address and lists the outside recipients (mx1
 * delivered the others itself); mail sent from Microsoft 365 comes from the client's address
 * (FromIP) and lists every recipient.
 */
export function sampleMessageTrace(msgs: SampleMessage[]): Buffer {
  const rows = [MESSAGE_TRACE_HEADER];
  const out = msgs.filter((m) => m.logs.includes('trace')).sort((a, b) => a.time - b.time);
  let index = 0;
  out.forEach((m, i) => {
    const direct = m.submission?.system === 'm365';
    for (const r of [...m.to, ...m.cc]) {
      if (!direct && inOrg(r.address)) continue;
      rows.push(
        messageTraceRow({
          time: m.time + TRACE_DELAY,
          sender: m.from.address,
          recipient: r.address,
          subject: m.subject,
          status: outcome(m, r.address) === 'bounced' ? 'Failed' : 'Delivered',
          toIp: '203.0.113.60',
          fromIp: direct ? m.submission!.ip : MX1_IP,
          size: renderMessage(m, 'journal').length,
          messageId: m.messageId,
          traceId: `5e1f0000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          organization: 'sampleshoji.onmicrosoft.com',
          startDate: '11/1/2026',
          endDate: '11/8/2026',
          index: index++,
        }),
      );
    }
  });
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(rows.join('\r\n') + '\r\n', 'utf16le')]);
}
