// The lines Postfix writes for one queue id, from smtpd's connect to qmgr's "removed", in
// classic syslog form. Shared by the generators of large logs so that a log made for the
// log benches and one made to agree with a journal read the same way.

export type Outcome = 'sent' | 'deferred' | 'bounced';

export interface PostfixDelivery {
  to: string;
  /** Delivery agent: smtp(8) to another server, local(8) to a mailbox here. */
  agent: 'smtp' | 'local';
  relay: string;
  outcome: Outcome;
}

export interface PostfixEntry {
  /** UTC epoch ms; every line of the entry carries this second. */
  time: number;
  host?: string;
  qid: string;
  /** smtpd's process id; cleanup, smtp and local take the next three. */
  pid: number;
  clientIp: string;
  /** Set for an authenticated submission (port 587): the SASL login. */
  saslUser?: string;
  /** smtpd's TLS line after connect, e.g. "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)". */
  tls?: string;
  from: string;
  messageId: string;
  size: number;
  deliveries: PostfixDelivery[];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Classic syslog stamp ("Oct  1 09:05:07"): no year, no zone (UTC here). */
export function stamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

const STATUS: Record<Outcome, { dsn: string; text: string }> = {
  sent: { dsn: '2.0.0', text: 'sent (250 2.0.0 Ok: queued)' },
  deferred: { dsn: '4.2.0', text: 'deferred (host said: 450 4.2.0 Greylisted)' },
  bounced: { dsn: '5.1.1', text: 'bounced (host said: 550 5.1.1 User unknown)' },
};

export function postfixEntry(e: PostfixEntry): string[] {
  const head = `${stamp(e.time)} ${e.host ?? 'mx1'} `;
  const service = e.saslUser !== undefined ? 'postfix/submission/smtpd' : 'postfix/smtpd';
  const smtpd = `${head}${service}[${e.pid}]: `;
  const lines = [`${smtpd}connect from unknown[${e.clientIp}]`];
  if (e.tls) lines.push(`${smtpd}Anonymous TLS connection established from unknown[${e.clientIp}]: ${e.tls}`);
  lines.push(
    `${smtpd}${e.qid}: client=unknown[${e.clientIp}]${e.saslUser !== undefined ? `, sasl_method=PLAIN, sasl_username=${e.saslUser}` : ''}`,
    `${head}postfix/cleanup[${e.pid + 1}]: ${e.qid}: message-id=<${e.messageId}>`,
    `${head}postfix/qmgr[999]: ${e.qid}: from=<${e.from}>, size=${e.size}, nrcpt=${e.deliveries.length} (queue active)`,
    `${smtpd}disconnect from unknown[${e.clientIp}] ehlo=1 mail=1 rcpt=${e.deliveries.length} data=1 quit=1 commands=5`,
  );
  for (const d of e.deliveries) {
    const s = STATUS[d.outcome];
    const agent = d.agent === 'smtp' ? `postfix/smtp[${e.pid + 2}]` : `postfix/local[${e.pid + 3}]`;
    lines.push(`${head}${agent}: ${e.qid}: to=<${d.to}>, relay=${d.relay}, delay=0.5, delays=0.1/0/0.2/0.2, dsn=${s.dsn}, status=${s.text}`);
  }
  lines.push(`${head}postfix/qmgr[999]: ${e.qid}: removed`);
  return lines;
}

/** A session smtpd turned away before any queue id (a client on a block list): three lines. */
export function postfixReject(o: { time: number; host?: string; pid: number; clientIp: string; from: string; to: string }): string[] {
  const smtpd = `${stamp(o.time)} ${o.host ?? 'mx1'} postfix/smtpd[${o.pid}]: `;
  return [
    `${smtpd}connect from unknown[${o.clientIp}]`,
    `${smtpd}NOQUEUE: reject: RCPT from unknown[${o.clientIp}]: 554 5.7.1 Service unavailable; Client host [${o.clientIp}] blocked using zen.spamhaus.org; from=<${o.from}> to=<${o.to}> proto=ESMTP helo=<[${o.clientIp}]>`,
    `${smtpd}disconnect from unknown[${o.clientIp}] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4`,
  ];
}
