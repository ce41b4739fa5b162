// A large Postfix maillog shaped like a real one, for `npm run bench`: inbound mail from
// outside, authenticated submissions from the organisation's users (a few from an
// attacker's address), several recipients per message, some deferred and bounced, with
// the connect/disconnect noise of smtpd. Deterministic for a seed; written as a stream.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { prng } from './incident.js';

export interface PostfixLogOptions {
  path: string;
  /** Stop at (about) this many lines. */
  lines: number;
  seed?: number;
}

const USERS = ['tanaka', 'suzuki', 'sato', 'keiri', 'soumu', 'yamada', 'ito', 'watanabe', 'nakamura', 'kobayashi'];
const PARTNERS = ['torihiki.example', 'kokyaku.example', 'shiire.example', 'unyu.example', 'ginko.example', 'kensetsu.example'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function stamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

export async function generatePostfixLog(o: PostfixLogOptions): Promise<{ lines: number; messages: number; bytes: number }> {
  const rnd = prng(o.seed ?? 5);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const out = createWriteStream(o.path);
  let lines = 0;
  let bytes = 0;
  let messages = 0;
  let t = Date.UTC(2026, 9, 1);
  let pid = 10000;
  let qn = 0x100000;
  let buf: string[] = [];
  const write = async (s: string) => {
    buf.push(s);
    lines++;
    if (buf.length >= 5000) {
      const chunk = buf.join('\n') + '\n';
      buf = [];
      bytes += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
    }
  };
  while (lines < o.lines) {
    t += Math.floor(rnd() * 4000);
    const ts = stamp(t);
    const qid = (qn++).toString(16).toUpperCase() + 'A' + (messages % 16).toString(16).toUpperCase();
    const smtpd = pid++;
    const submission = rnd() < 0.5;
    const user = pick(USERS);
    const attacker = submission && rnd() < 0.02;
    const clientIp = submission ? (attacker ? '198.51.100.77' : `10.0.1.${11 + USERS.indexOf(user)}`) : `203.0.113.${Math.floor(rnd() * 250)}`;
    const from = submission ? `${user}@kaisha.example` : `info${Math.floor(rnd() * 50)}@${pick(PARTNERS)}`;
    const service = submission ? 'postfix/submission/smtpd' : 'postfix/smtpd';
    await write(`${ts} mx1 ${service}[${smtpd}]: connect from unknown[${clientIp}]`);
    await write(`${ts} mx1 ${service}[${smtpd}]: ${qid}: client=unknown[${clientIp}]${submission ? `, sasl_method=PLAIN, sasl_username=${user}` : ''}`);
    await write(`${ts} mx1 postfix/cleanup[${pid}]: ${qid}: message-id=<${t.toString(36)}.${messages}@${from.split('@')[1]}>`);
    const n = submission ? 1 + Math.floor(rnd() * (attacker ? 8 : 3)) : 1;
    await write(`${ts} mx1 postfix/qmgr[999]: ${qid}: from=<${from}>, size=${1000 + Math.floor(rnd() * 50000)}, nrcpt=${n} (queue active)`);
    await write(`${ts} mx1 ${service}[${smtpd}]: disconnect from unknown[${clientIp}] ehlo=1 mail=1 rcpt=${n} data=1 quit=1 commands=5`);
    for (let i = 0; i < n; i++) {
      const rcpt = submission ? `p${Math.floor(rnd() * 200)}@${pick(PARTNERS)}` : `${pick(USERS)}@kaisha.example`;
      const r = rnd();
      const status = r < 0.9 ? 'sent (250 2.0.0 Ok: queued)' : r < 0.96 ? 'deferred (host said: 450 4.2.0 Greylisted)' : 'bounced (host said: 550 5.1.1 User unknown)';
      const dsn = status.startsWith('sent') ? '2.0.0' : status.startsWith('deferred') ? '4.2.0' : '5.1.1';
      const agent = submission ? `postfix/smtp[${pid + 1}]` : `postfix/local[${pid + 2}]`;
      await write(`${ts} mx1 ${agent}: ${qid}: to=<${rcpt}>, relay=${submission ? 'mx.partner.example[192.0.2.10]:25' : 'local'}, delay=0.5, delays=0.1/0/0.2/0.2, dsn=${dsn}, status=${status}`);
    }
    await write(`${ts} mx1 postfix/qmgr[999]: ${qid}: removed`);
    messages++;
  }
  if (buf.length) {
    const chunk = buf.join('\n') + '\n';
    bytes += Buffer.byteLength(chunk);
    out.write(chunk);
  }
  out.end();
  await once(out, 'finish');
  return { lines, messages, bytes };
}
