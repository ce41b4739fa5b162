// A large Postfix maillog shaped like a real one, for `npm run bench`: inbound mail from
// outside, authenticated submissions from the organisation's users (a few from an
// attacker's address), several recipients per message, some deferred and bounced, with
// the connect/disconnect noise of smtpd. Deterministic for a seed; written as a stream.
import { prng } from './incident.js';
import { LineFile } from './line-file.js';
import { postfixEntry, type Outcome, type PostfixDelivery } from './postfix-entry.js';

export interface PostfixLogOptions {
  path: string;
  /** Stop at (about) this many lines. */
  lines: number;
  seed?: number;
}

const USERS = ['tanaka', 'suzuki', 'sato', 'keiri', 'soumu', 'yamada', 'ito', 'watanabe', 'nakamura', 'kobayashi'];
const PARTNERS = ['torihiki.example', 'kokyaku.example', 'shiire.example', 'unyu.example', 'ginko.example', 'kensetsu.example'];

export async function generatePostfixLog(o: PostfixLogOptions): Promise<{ lines: number; messages: number; bytes: number }> {
  const rnd = prng(o.seed ?? 5);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const out = new LineFile(o.path);
  let messages = 0;
  let t = Date.UTC(2026, 9, 1);
  let pid = 10000;
  let qn = 0x100000;
  while (out.lines < o.lines) {
    t += Math.floor(rnd() * 4000);
    const qid = (qn++).toString(16).toUpperCase() + 'A' + (messages % 16).toString(16).toUpperCase();
    const smtpd = pid++;
    const submission = rnd() < 0.5;
    const user = pick(USERS);
    const attacker = submission && rnd() < 0.02;
    const clientIp = submission ? (attacker ? '198.51.100.77' : `10.0.1.${11 + USERS.indexOf(user)}`) : `203.0.113.${Math.floor(rnd() * 250)}`;
    const from = submission ? `${user}@kaisha.example` : `info${Math.floor(rnd() * 50)}@${pick(PARTNERS)}`;
    const messageId = `${t.toString(36)}.${messages}@${from.split('@')[1]}`;
    const n = submission ? 1 + Math.floor(rnd() * (attacker ? 8 : 3)) : 1;
    const size = 1000 + Math.floor(rnd() * 50000);
    const deliveries: PostfixDelivery[] = [];
    for (let i = 0; i < n; i++) {
      const to = submission ? `p${Math.floor(rnd() * 200)}@${pick(PARTNERS)}` : `${pick(USERS)}@kaisha.example`;
      const r = rnd();
      const outcome: Outcome = r < 0.9 ? 'sent' : r < 0.96 ? 'deferred' : 'bounced';
      deliveries.push({ to, outcome, agent: submission ? 'smtp' : 'local', relay: submission ? 'mx.partner.example[192.0.2.10]:25' : 'local' });
    }
    for (const line of postfixEntry({ time: t, qid, pid: smtpd, clientIp, saslUser: submission ? user : undefined, from, messageId, size, deliveries })) await out.write(line);
    messages++;
  }
  await out.close();
  return { lines: out.lines, messages, bytes: out.bytes };
}
