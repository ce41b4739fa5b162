// Postfix logs: the life of each queue id, joined across smtpd (client, SASL user),
// cleanup (Message-ID), qmgr (sender, size, recipients; "removed") and the delivery agents
// (one status line per recipient and attempt). A queue id's record is emitted when qmgr
// removes it, so memory holds only the messages still in the queue; the ones never removed
// are emitted at the end as incomplete.
import { setBounded } from '../bounded-map.js';
import type { SyslogLine } from './syslog.js';
import { countUnreadable, newLogMessage, newLogStats, type DeliveryStatus, type LogMessage, type LogSink, type LogStats } from './types.js';

const CLIENT = /^client=([^[\s,]*)\[([^\]]*)\](?::\d+)?(?:, sasl_method=([^,]*))?(?:, sasl_username=([^,]*))?/;
const MESSAGE_ID = /^message-id=<?([^>]*)>?\s*$/;
const FROM = /^from=<([^>]*)>, size=(\d+), nrcpt=(\d+)/;
// local(8) writes addresses without angle brackets; status words include
// "undeliverable-but-not-cached" (address verification).
const TO = /^to=<?([^>,]*)>?,(?: orig_to=<?([^>,]*)>?,)? relay=([^,]*), .*?dsn=([\d.]+), status=([\w-]+)(?: \((.*)\))?$/;
/** A relay on this host: where content filters listen. */
const LOOPBACK_RELAY = /^(?:[^[]*\[)?(?:127\.\d+\.\d+\.\d+|::1|localhost)\]?(?::\d+)?$/;
const NOTIFICATION = /^(?:sender|postmaster) (?:non-delivery|delivery status|delay|success delivery) notification: (\S+)/;
const EXPIRED = /^from=<([^>]*)>, status=expired/;
const PICKUP = /^uid=\d+ from=<([^>]*)>/;
/** Queue-id lines that carry no fact we keep but are Postfix's own. */
const QID_KNOWN = /^(reject|reject_warning|discard|hold|redirect|filter|warning|info|replace|prepend|header|body|resent-message-id|host |conversation with|lost connection|enabling PIX|TLS|Cannot start TLS|sender|status=|address|delivery temporarily suspended|milter-|requeued|placed on hold|released from hold|skipped, still being delivered|SASL authentication failed|certificate verification failed|Server certificate|Untrusted TLS|Trusted TLS|Verified TLS|Anonymous TLS)/;
/** Non-queue-id lines of Postfix daemons that carry no per-message fact. */
const PLAIN_KNOWN = /^(certificate verification failed|proxy-accept|proxy-reject|bare <LF>|discarding EHLO|connect from|disconnect from|lost connection|timeout after|too many errors|improper command pipelining|warning: |error: |fatal: |panic: |statistics: |daemon started|starting the Postfix|stopping the Postfix|refreshing the Postfix|reload|terminating on signal|Anonymous TLS|Trusted TLS|Untrusted TLS|Verified TLS|setting up TLS|SSL_accept|SSL_connect|TLS SNI|CONNECT from|PASS |DNSBL rank|HANGUP|COMMAND |WHITELISTED|BLACKLISTED|PREGREET|DISCONNECT|NOQUEUE: |table |dict_|connect to |mail for |Host offered STARTTLS|message repeated|postfix-script|premature end-of-input|SASL |auth)/;
const PROGRAMS_WITHOUT_FACTS = /^(master|postfix-script|anvil|scache|postscreen|dnsblog|tlsproxy|tlsmgr|verify|trivial-rewrite|postlogd|postqueue|postsuper|sendmail|postdrop|proxymap|flush|showq|oqmgr)$/;

/** What a syslog program name says, worked out once per name (a log has a handful). */
interface ProgramInfo {
  postfix: boolean;
  instance: string;
  service: string;
  /** The program below the instance ("smtpd", "submission/smtpd"). */
  via: string;
  /** A daemon whose lines without a queue id carry no per-message fact. */
  withoutFacts: boolean;
}

/**
 * The queue id a line starts with ("3F2A1B4C: " short ids, "4Xk9Lm2pQrZ: " long ones) and
 * where the rest begins, read by position; -1 when there is none. The same as the
 * expression `^([0-9A-F]{5,}|[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]{10,}): (.*)$`, at a
 * fraction of its cost (no match array, no capture strings).
 */
function queueIdEnd(msg: string, terminatorFree: boolean): number {
  let hex = true;
  let long = true;
  let j = 0;
  for (; j < msg.length; j++) {
    const c = msg.charCodeAt(j);
    if (c >= 0x30 && c <= 0x39) continue;
    if (c >= 0x41 && c <= 0x5a) {
      if (c > 0x46) hex = false;
      if (c === 0x41 || c === 0x45 || c === 0x49 || c === 0x4f || c === 0x55) long = false;
      continue;
    }
    if (c >= 0x61 && c <= 0x7a) {
      hex = false;
      if (c === 0x61 || c === 0x65 || c === 0x69 || c === 0x6f || c === 0x75) long = false;
      continue;
    }
    break;
  }
  if (msg.charCodeAt(j) !== 0x3a || msg.charCodeAt(j + 1) !== 0x20) return -1;
  if (!((hex && j >= 5) || (long && j >= 10))) return -1;
  // The expression's "." stops at line terminators (a message handed in by other callers may have some).
  return !terminatorFree && LINE_TERMINATOR.test(msg) ? -1 : j;
}

const LINE_TERMINATOR = /[\r\n\u2028\u2029]/;

export class PostfixParser {
  /** The messages in the queue, in the order they appeared (the order `end` emits them in). */
  private readonly open = new Set<LogMessage>();
  /**
   * The same messages by queue id in a map per host and instance: a line looks its queue id up
   * there, without building and hashing the joined key (the last map used is kept at hand).
   */
  private readonly queues = new Map<string, Map<string, LogMessage>>();
  private lastQueue: { host: string; instance: string; queue: Map<string, LogMessage> } | null = null;
  private readonly programs = new Map<string, ProgramInfo>();
  /** Child queue id (host|instance|qid) → the queue id it notifies about. */
  private readonly notificationOf = new Map<string, string>();
  readonly stats: LogStats = newLogStats();

  constructor(private readonly sink: LogSink) {}

  static isPostfixProgram(program: string): boolean {
    return /^postfix[\w.-]*(\/[\w.-]+)+$/.test(program) || program === 'postfix';
  }

  private unreadable(line: number, text: string): void {
    countUnreadable(this.stats, line, text);
  }

  private program(program: string): ProgramInfo {
    let p = this.programs.get(program);
    if (!p) {
      const slash = program.indexOf('/');
      const instance = slash < 0 ? program : program.slice(0, slash);
      const service = program.slice(program.lastIndexOf('/') + 1);
      p = { postfix: PostfixParser.isPostfixProgram(program), instance, service, via: program.slice(instance.length + 1), withoutFacts: PROGRAMS_WITHOUT_FACTS.test(service) };
      if (this.programs.size < 1000) this.programs.set(program, p);
    }
    return p;
  }

  private queue(host: string, instance: string): Map<string, LogMessage> {
    const last = this.lastQueue;
    if (last && last.host === host && last.instance === instance) return last.queue;
    const k = `${host}|${instance}`;
    let queue = this.queues.get(k);
    if (!queue) this.queues.set(k, (queue = new Map()));
    this.lastQueue = { host, instance, queue };
    return queue;
  }

  private entry(queue: Map<string, LogMessage>, instance: string, host: string, qid: string, line: number, time: string | null): LogMessage {
    let m = queue.get(qid);
    if (!m) {
      m = newLogMessage('postfix', host, qid, line, time);
      m.instance = instance;
      if (this.notificationOf.size > 0) {
        const key = `${host}|${instance}|${qid}`;
        m.notificationOf = this.notificationOf.get(key) ?? null;
        this.notificationOf.delete(key);
      }
      this.open.add(m);
      queue.set(qid, m);
    }
    m.lastLine = line;
    return m;
  }

  /**
   * Read one line; `s` is its syslog prefix, already parsed. Returns false for lines not from
   * Postfix. `parsed`: `s` came from parseSyslogLine, whose messages hold no line terminators.
   */
  line(lineNo: number, s: SyslogLine, parsed = false): boolean {
    this.stats.lines++;
    const prog = this.program(s.program);
    if (!prog.postfix) {
      this.stats.foreign++;
      return false;
    }
    const { instance } = prog;
    const msg = s.message;
    const qidEnd = queueIdEnd(msg, parsed);
    if (qidEnd < 0) {
      if (msg.startsWith('NOQUEUE: ')) this.noqueue(lineNo, s);
      else if (/SASL \S+ authentication failed/.test(msg)) this.authFailure(lineNo, s);
      if (PLAIN_KNOWN.test(msg) || prog.withoutFacts) this.stats.recognised++;
      else this.unreadable(lineNo, msg);
      return true;
    }
    const qid = msg.slice(0, qidEnd);
    const rest = msg.slice(qidEnd + 2);
    const queue = this.queue(s.host, instance);
    // The patterns below start with different words: the first letter picks the one to try.
    const c0 = rest.charCodeAt(0);
    let m: RegExpExecArray | null;
    if (c0 === 0x63 /* c */ && (m = CLIENT.exec(rest))) {
      const e = this.entry(queue, instance, s.host, qid, lineNo, s.time);
      e.clientHost = m[1] || null;
      e.clientIp = m[2] || null;
      e.authMethod = m[3] ?? null;
      e.authUser = m[4] ?? null;
      e.received = true;
      e.receivedVia = prog.via;
      // A content filter that forwards the client's identity (XFORWARD) makes Postfix log the original queue id.
      e.origQueueId = /, orig_queue_id=([0-9A-Za-z]+)/.exec(rest)?.[1] ?? null;
    } else if (c0 === 0x6d /* m */ && (m = MESSAGE_ID.exec(rest))) {
      this.entry(queue, instance, s.host, qid, lineNo, s.time).messageId = m[1] || null;
    } else if (c0 === 0x66 /* f */ && (m = FROM.exec(rest))) {
      const e = this.entry(queue, instance, s.host, qid, lineNo, s.time);
      e.envelopeFrom = m[1]!.toLowerCase();
      e.size = Number(m[2]);
      e.nrcpt = Number(m[3]);
    } else if (c0 === 0x74 /* t */ && (m = TO.exec(rest))) {
      const e = this.entry(queue, instance, s.host, qid, lineNo, s.time);
      const st = m[5]!.toLowerCase();
      // Address verification probes (verify(8)): the answer about an address, not a delivery.
      if (st === 'deliverable' || st.startsWith('undeliverable')) {
        this.stats.recognised++;
        return true;
      }
      const status: DeliveryStatus = st === 'sent' || st === 'deferred' || st === 'bounced' || st === 'expired' ? st : 'other';
      // A content filter on a loopback port (amavis, a proxy filter) answers with the queue id
      // of the copy it re-injected: that copy is the same message, on its way on.
      const handed = status === 'sent' && LOOPBACK_RELAY.test(m[3]!) ? /queued as ([0-9A-Za-z]+)\)?\s*$/.exec(m[6] ?? '')?.[1] : undefined;
      if (handed) e.handedTo = handed;
      e.deliveries.push({ line: lineNo, time: s.time, recipient: m[1]!.toLowerCase(), origTo: m[2]?.toLowerCase() ?? null, relay: m[3]!, status, dsn: m[4]!, detail: m[6] ?? null });
    } else if (rest === 'removed') {
      // A queue id whose only line is its removal (a rotated log starts with the end of the
      // messages the previous file began) is no message of this file.
      const e = queue.get(qid);
      if (e) {
        e.lastLine = lineNo;
        e.complete = true;
        queue.delete(qid);
        this.open.delete(e);
        this.sink.message(e);
      }
    } else if ((m = NOTIFICATION.exec(rest))) {
      this.entry(queue, instance, s.host, qid, lineNo, s.time).notifications.push(m[1]!);
      const childKey = `${s.host}|${instance}|${m[1]!}`;
      const child = queue.get(m[1]!);
      if (child) child.notificationOf = qid;
      else {
        // The notification may already have left the queue, and then never shows up again:
        // keep a bounded number of such links, oldest dropped first (the parent keeps its list).
        setBounded(this.notificationOf, childKey, qid, 10_000);
      }
    } else if (c0 === 0x66 /* f */ && (m = EXPIRED.exec(rest))) {
      // qmgr gave up on the message: the undelivered recipients were returned to the sender.
      this.entry(queue, instance, s.host, qid, lineNo, s.time).envelopeFrom = m[1]!.toLowerCase();
    } else if (c0 === 0x75 /* u */ && (m = PICKUP.exec(rest))) {
      const e = this.entry(queue, instance, s.host, qid, lineNo, s.time);
      e.received = true;
      e.receivedVia = prog.via;
      e.envelopeFrom = m[1]!.toLowerCase();
    } else if (/^to=<[^>]*>,/.test(rest) || /^from=</.test(rest)) {
      // A delivery or sender line that the patterns above could not read: a truncated line.
      this.unreadable(lineNo, msg);
      return true;
    } else if (QID_KNOWN.test(rest)) {
      this.entry(queue, instance, s.host, qid, lineNo, s.time);
      if (rest.startsWith('reject: ') || rest.startsWith('milter-reject: ')) this.event(lineNo, s, 'reject', rest);
    } else {
      this.unreadable(lineNo, msg);
      return true;
    }
    this.stats.recognised++;
    return true;
  }

  private event(lineNo: number, s: SyslogLine, kind: 'reject' | 'auth-failure', detail: string): void {
    const ip = /\[([0-9a-fA-F:.]+)\]/.exec(detail)?.[1] ?? null;
    this.sink.event({
      line: lineNo,
      program: s.program,
      time: s.time,
      kind,
      clientIp: ip,
      sender: /\bfrom=<([^>]*)>/.exec(detail)?.[1]?.toLowerCase() ?? null,
      recipient: /\bto=<([^>]*)>/.exec(detail)?.[1]?.toLowerCase() ?? null,
      user: /sasl_username=(\S+)/.exec(detail)?.[1] ?? null,
      detail: detail.slice(0, 500),
    });
  }

  private noqueue(lineNo: number, s: SyslogLine): void {
    if (/^NOQUEUE: reject/.test(s.message)) this.event(lineNo, s, 'reject', s.message);
  }

  private authFailure(lineNo: number, s: SyslogLine): void {
    this.event(lineNo, s, 'auth-failure', s.message);
  }

  /** End of input: emit the messages still in the queue, marked incomplete. */
  end(): number {
    const n = this.open.size;
    for (const m of this.open.values()) this.sink.message(m);
    this.open.clear();
    this.queues.clear();
    this.lastQueue = null;
    return n;
  }
}
