// A whole case for the bench's end-to-end run: the organisation's journal mbox, the Postfix
// maillog of its server and the Microsoft 365 message trace of the mail it relayed out,
// written together so that they agree, as a real case's sources do:
//   - every journal message that passed the server has a queue id in the log whose
//     cleanup line carries its Message-ID (journal copies between outside parties have none);
//   - the organisation's users submit with sasl_username= from their usual client IP, and
//     the journal's Received chain names that same IP;
//   - once the first 40 % of the journal is written (so the account has a baseline of usual
//     IPs to differ from), a spam bot holding accounting's stolen login sends a small share
//     of the outbound mail from its own IP: some of it with a journal copy, some only in the
//     log (bursts to harvested addresses, several recipients each);
//   - every outside recipient of outbound mail has a message trace row (Exchange Online
//     relays the server's outbound mail).
// The log also carries what a real one does around the messages: a TLS line per session
// and sessions rejected by a block list. Deterministic for a seed; every file is streamed.
import { join } from 'node:path';
import { generateJournal, type JournalMessage, type JournalSender } from './journal-generator.js';
import { MEMBERS, ORG, PARTNERS, prng, type Person } from './incident.js';
import { LineFile } from './line-file.js';
import { MESSAGE_TRACE_HEADER, messageTraceRow, traceDate } from './message-trace.js';
import { postfixEntry, postfixReject, type Outcome, type PostfixDelivery } from './postfix-entry.js';

export interface CaseOptions {
  /** Folder the three files are written into. */
  dir: string;
  /** Size of the journal mbox; the log and the trace follow from its messages. */
  journalBytes: number;
  seed?: number;
  assetDir: URL;
}

export interface CaseResult {
  journal: string;
  maillog: string;
  messageTrace: string;
  messages: number;
  journalBytes: number;
  logLines: number;
  /** Queue ids in the log (journal messages that passed the server, and the bot's log-only mail). */
  logMessages: number;
  logBytes: number;
  traceRows: number;
  traceBytes: number;
  /** Messages the organisation's accounts sent outside, journal copies and log-only together. */
  orgOutbound: number;
  /** Of those, sent by the bot with the stolen login… */
  botMessages: number;
  /** …and of the bot's, the ones with no journal copy. */
  botLogOnly: number;
  stolenLogin: string;
  botIp: string;
  /** Year of the log's first line (classic syslog stamps carry none: give it to scan as --year). */
  year: number;
}

/** The account whose password the bot holds: accounting, as in the sample incident. */
const STOLEN = MEMBERS.keiri;
const BOT_IP = '198.51.100.77';
/** The bot starts once this share of the journal is written. */
const BOT_STARTS_AT = 0.4;
/** Share of the stolen account's outbound journal mail, once the bot runs, that the bot sent. */
const BOT_SHARE_OF_STOLEN = 0.08;
/** Chance, after each outbound message once the bot runs, of a burst of log-only bot mail. */
const BOT_BURST_CHANCE = 0.004;
/** Chance, per journal message, of a session the block list turns away. */
const REJECT_CHANCE = 0.35;
/** The server's outbound relay: Exchange Online, which writes the message trace. */
const EXO_RELAY = 'exo-outbound.mail.protection.example[192.0.2.25]:25';
const SERVER_IP = '192.0.2.10';
const TLS = 'TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)';

const members: Person[] = Object.values(MEMBERS);
const partnerDomains = [...new Set(Object.values(PARTNERS).map((p) => p.address.split('@')[1]!))];
const isMember = (p: Person) => p.address.endsWith('@' + ORG.domain);
const login = (p: Person) => p.address.split('@')[0]!;
/** Each user's usual client: one office PC each. */
const usualIp = (p: Person) => `10.0.1.${11 + members.indexOf(p)}`;

export async function generateCase(o: CaseOptions): Promise<CaseResult> {
  const seed = o.seed ?? 21;
  // Its own stream, not the journal's: the same seed would make the two draw the same numbers.
  const rnd = prng(seed ^ 0x5eed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const journal = join(o.dir, 'journal.mbox');
  const maillog = join(o.dir, 'maillog');
  const messageTrace = join(o.dir, 'MessageTrace.csv');
  const log = new LineFile(maillog);
  const trace = new LineFile(messageTrace, { encoding: 'utf16le', eol: '\r\n', bom: true });
  await trace.write(MESSAGE_TRACE_HEADER);

  const res = { logMessages: 0, traceRows: 0, orgOutbound: 0, botMessages: 0, botLogOnly: 0 };
  const byBot = new Set<number>();
  let firstTime: number | null = null;
  let logTime = 0;
  let pid = 20000;
  let queued = 0;

  const botRunning = (m: JournalSender) => m.bytesBefore >= BOT_STARTS_AT * o.journalBytes;

  // Decided before the journal writes the message, so that its Received chain names the
  // client the log will name.
  const clientIp = (m: JournalSender): string => {
    if (!isMember(m.from)) return `100.64.0.${m.index % 250}`;
    if (m.from === STOLEN && !isMember(m.to) && botRunning(m) && rnd() < BOT_SHARE_OF_STOLEN) {
      byBot.add(m.index);
      return BOT_IP;
    }
    return usualIp(m.from);
  };

  /** One queue id through the server, and its trace rows when it went out. */
  const queue = async (q: { time: number; clientIp: string; sender: Person; saslUser?: string; messageId: string; subject: string; size: number; recipients: string[]; bot: boolean }) => {
    const deliveries: PostfixDelivery[] = [];
    const finals: { to: string; outcome: Outcome }[] = [];
    for (const to of q.recipients) {
      const local = to.endsWith('@' + ORG.domain);
      const base = { to, agent: local ? ('local' as const) : ('smtp' as const), relay: local ? 'local' : EXO_RELAY };
      const r = rnd();
      // The bot writes to harvested addresses, many of them stale.
      const outcome: Outcome = local ? 'sent' : q.bot ? (r < 0.8 ? 'sent' : 'bounced') : r < 0.97 ? 'sent' : r < 0.99 ? 'deferred' : 'bounced';
      if (outcome === 'deferred') deliveries.push({ ...base, outcome: 'deferred' }, { ...base, outcome: 'sent' });
      else deliveries.push({ ...base, outcome });
      finals.push({ to, outcome: outcome === 'deferred' ? 'sent' : outcome });
    }
    const qid = (0x4d67b100000 + queued++ * 7919).toString(16).toUpperCase();
    for (const line of postfixEntry({ time: q.time, qid, pid, clientIp: q.clientIp, saslUser: q.saslUser, tls: TLS, from: q.sender.address, messageId: q.messageId, size: q.size, deliveries })) await log.write(line);
    pid += 4;
    res.logMessages++;
    const outside = finals.filter((f) => !f.to.endsWith('@' + ORG.domain));
    if (outside.length && isMember(q.sender)) {
      res.orgOutbound++;
      for (const f of outside) {
        await trace.write(
          messageTraceRow({
            time: q.time + 2000,
            sender: q.sender.address,
            recipient: f.to,
            subject: q.subject,
            status: f.outcome === 'bounced' ? 'Failed' : 'Delivered',
            toIp: '203.0.113.60',
            fromIp: SERVER_IP,
            size: q.size,
            messageId: q.messageId,
            traceId: `5e1f0000-0000-4000-8000-${String(queued).padStart(12, '0')}`,
            organization: 'sampleshoji.onmicrosoft.com',
            startDate: traceDate(firstTime!),
            // A historical search covers up to 90 days: the query that exported the case.
            endDate: traceDate(firstTime! + 90 * 86_400_000),
            index: res.traceRows++,
          }),
        );
      }
    }
  };

  /** The log's clock: a second after the message's Date, never going backwards. */
  const nextLogTime = (t: number) => (logTime = Math.max(logTime, t));

  const onMessage = async (m: JournalMessage) => {
    firstTime ??= m.time;
    if (rnd() < REJECT_CHANCE) {
      const ip = `192.0.2.${128 + Math.floor(rnd() * 120)}`;
      for (const line of postfixReject({ time: nextLogTime(m.time), pid: pid++, clientIp: ip, from: `info@spam${Math.floor(rnd() * 500)}.example`, to: login(pick(members)) + '@' + ORG.domain })) await log.write(line);
    }
    const fromOrg = isMember(m.from);
    // Mail between two outside parties reached the journal without passing this server.
    if (!fromOrg && !isMember(m.to)) return;
    const bot = byBot.has(m.index);
    byBot.delete(m.index);
    if (bot) res.botMessages++;
    await queue({
      time: nextLogTime(m.time + 1000),
      clientIp: fromOrg ? (bot ? BOT_IP : usualIp(m.from)) : `203.0.113.${m.index % 250}`,
      sender: m.from,
      saslUser: fromOrg ? login(m.from) : undefined,
      messageId: m.messageId,
      subject: m.subject,
      size: m.size,
      recipients: [m.to.address],
      bot,
    });
    if (fromOrg && !isMember(m.to) && botRunning(m) && rnd() < BOT_BURST_CHANCE) {
      // A burst the bot sent with the stolen login that no mailbox kept: replies to
      // harvested threads, several recipients each.
      const n = 1 + Math.floor(rnd() * 4);
      for (let k = 0; k < n; k++) {
        const recipients = Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => `p${Math.floor(rnd() * 400)}@${pick(partnerDomains)}`);
        const t = nextLogTime(logTime + 1000 + Math.floor(rnd() * 20_000));
        await queue({ time: t, clientIp: BOT_IP, sender: STOLEN, saslUser: login(STOLEN), messageId: `${t.toString(36)}.${k}.bot@${ORG.domain}`, subject: `Re: ${m.subject}`, size: 60_000 + Math.floor(rnd() * 200_000), recipients: [...new Set(recipients)], bot: true });
        res.botMessages++;
        res.botLogOnly++;
      }
    }
  };

  const g = await generateJournal({ path: journal, targetBytes: o.journalBytes, seed, assetDir: o.assetDir, clientIp, onMessage });
  await log.close();
  await trace.close();
  return {
    journal,
    maillog,
    messageTrace,
    messages: g.messages,
    journalBytes: g.bytes,
    logLines: log.lines,
    logMessages: res.logMessages,
    logBytes: log.bytes,
    traceRows: res.traceRows,
    traceBytes: trace.bytes,
    orgOutbound: res.orgOutbound,
    botMessages: res.botMessages,
    botLogOnly: res.botLogOnly,
    stolenLogin: login(STOLEN),
    botIp: BOT_IP,
    year: new Date(firstTime ?? Date.now()).getUTCFullYear(),
  };
}
