// Sendmail syslog (programs sendmail, sm-mta, sm-msp-queue): "QID: from=<…>, size=…,
// nrcpts=…, msgid=<…>, relay=…" for the arrival, "QID: to=<…>, …, dsn=…, stat=Sent (…)"
// per recipient, "AUTH=server, relay=…, authid=…" for an authenticated session (logged
// before the message's from= line, on the same process), "QID: NEWQID: DSN: …" for bounces.
import type { SyslogLine } from './syslog.js';
import { setBounded } from '../bounded-map.js';
import { countUnreadable, newLogMessage, newLogStats, type DeliveryStatus, type LogMessage, type LogSink, type LogStats } from './types.js';

const QID = /^([0-9A-Za-z]{8,20}): (.*)$/;

function kv(s: string, key: string): string | null {
  const m = new RegExp(`(?:^|, )${key}=(<[^>]*>|[^,]*)`).exec(s);
  return m ? m[1]!.replace(/^<|>$/g, '') : null;
}

/**
 * The recipients of a to= field: one or several, `to=<a@x>,<b@y>,c@z, delay=…`. The list
 * runs to the next ", key=" (fields are separated by comma and space, recipients by a comma).
 */
export function recipientsOf(s: string): string[] {
  const start = /(?:^|, )to=/.exec(s);
  if (!start) return [];
  const rest = s.slice(start.index + start[0].length);
  const end = /, [a-z]+=/.exec(rest);
  return (end ? rest.slice(0, end.index) : rest)
    .split(',')
    .map((r) => r.trim().replace(/^<|>$/g, '').toLowerCase())
    .filter(Boolean);
}

/** An SMTP session's login applies to its messages for this long after the AUTH line. */
const AUTH_SESSION_MS = 60 * 60_000;

export class SendmailParser {
  private readonly open = new Map<string, LogMessage>();
  /**
   * AUTH=server lines by "host|pid": the login of that SMTP session, for every message the
   * session submits (the line has no queue id, and one session can send several messages).
   * A message takes it when its from= line comes from the same client address within
   * AUTH_SESSION_MS, so that a later connection served by a reused pid does not inherit it.
   */
  private readonly sessionAuth = new Map<string, { user: string; method: string | null; clientIp: string | null; at: number }>();
  readonly stats: LogStats = newLogStats();

  constructor(private readonly sink: LogSink) {}

  static isSendmailProgram(program: string): boolean {
    return /^(sendmail|sm-mta|sm-msp-queue)$/.test(program);
  }

  private unreadable(line: number, text: string): void {
    countUnreadable(this.stats, line, text);
  }

  private entry(key: string, host: string, qid: string, line: number, time: string | null): LogMessage {
    let m = this.open.get(key);
    if (!m) {
      m = newLogMessage('sendmail', host, qid, line, time);
      this.open.set(key, m);
    }
    m.lastLine = line;
    return m;
  }

  /** `pid` keys the AUTH line to the session's next message. */
  line(lineNo: number, s: SyslogLine, pid: string | null): void {
    this.stats.lines++;
    if (!SendmailParser.isSendmailProgram(s.program)) {
      this.stats.foreign++;
      return;
    }
    const msg = s.message;
    if (msg.startsWith('AUTH=server')) {
      const user = kv(msg, 'authid');
      if (user) {
        setBounded(this.sessionAuth, `${s.host}|${pid}`, { user, method: kv(msg, 'mech'), clientIp: /\[([^\]]+)\]/.exec(kv(msg, 'relay') ?? '')?.[1] ?? null, at: Date.parse(s.time ?? '') }, 10_000);
      }
      this.stats.recognised++;
      return;
    }
    const q = QID.exec(msg);
    if (!q) {
      if (/AUTH failure|authentication failure/i.test(msg)) this.event(lineNo, s, 'auth-failure', msg);
      this.stats.recognised++;
      return;
    }
    const key = `${s.host}|${q[1]}`;
    const rest = q[2]!;
    if (/^AUTH failure/.test(rest)) {
      this.event(lineNo, s, 'auth-failure', rest);
      this.stats.recognised++;
      return;
    }
    if (/possible SMTP attack|rejecting commands from|\[rejected\]|did not issue MAIL\/EXPN\/VRFY\/ETRN|lost input channel|timeout waiting for input|Connection reset|collect: |Milter|ruleset=|SYSERR/.test(rest)) {
      if (/ruleset=|reject=/.test(rest)) this.event(lineNo, s, 'reject', rest);
      this.stats.recognised++;
      return;
    }
    if (rest.startsWith('from=')) {
      const e = this.entry(key, s.host, q[1]!, lineNo, s.time);
      e.envelopeFrom = (kv(rest, 'from') ?? '').toLowerCase();
      const size = kv(rest, 'size');
      e.size = size ? Number(size) : null;
      const n = kv(rest, 'nrcpts');
      e.nrcpt = n ? Number(n) : null;
      e.messageId = kv(rest, 'msgid');
      const relay = kv(rest, 'relay');
      if (relay) {
        const r = /^(\S*)\s*\[([^\]]+)\]/.exec(relay);
        e.clientHost = r?.[1] || null;
        e.clientIp = r?.[2] ?? null;
      }
      // Arrivals from a client (relay=) are "received"; sendmail's own DSNs have from=<>.
      e.received = e.envelopeFrom !== '' && relay !== null;
      const auth = this.sessionAuth.get(`${s.host}|${pid}`);
      const t = Date.parse(s.time ?? '');
      if (auth && (auth.clientIp === null || auth.clientIp === e.clientIp) && !(t - auth.at > AUTH_SESSION_MS)) {
        e.authUser = auth.user;
        e.authMethod = auth.method;
      }
    } else if (rest.startsWith('to=')) {
      const e = this.entry(key, s.host, q[1]!, lineNo, s.time);
      const stat = kv(rest, 'stat') ?? '';
      const status: DeliveryStatus = /^Sent/i.test(stat) ? 'sent' : /^Deferred/i.test(stat) ? 'deferred' : stat ? 'bounced' : 'other';
      for (const rcpt of recipientsOf(rest)) {
        e.deliveries.push({ line: lineNo, time: s.time, recipient: rcpt, origTo: null, relay: kv(rest, 'relay'), status, dsn: kv(rest, 'dsn'), detail: stat || null });
      }
    } else if (/^[0-9A-Za-z]{8,20}: (DSN|sender notify|return to sender|postmaster notify)/.test(rest)) {
      const child = rest.slice(0, rest.indexOf(':'));
      this.entry(key, s.host, q[1]!, lineNo, s.time).notifications.push(child);
      this.entry(`${s.host}|${child}`, s.host, child, lineNo, s.time).notificationOf = q[1]!;
    } else if (/^(done|removed|lost input channel|Milter|ruleset=|SYSERR|timeout|collect|clone|<[^>]*>\.{3}|\S+: \S)/.test(rest) || /reject=|Relaying denied|User unknown/.test(rest)) {
      const e = this.entry(key, s.host, q[1]!, lineNo, s.time);
      if (/reject=|Relaying denied/.test(rest)) this.event(lineNo, s, 'reject', rest);
      if (rest.startsWith('done') || rest.startsWith('removed')) {
        e.complete = true;
        this.open.delete(key);
        if (!neverQueued(e)) this.sink.message(e);
      }
    } else {
      this.unreadable(lineNo, msg);
      return;
    }
    this.stats.recognised++;
  }

  private event(lineNo: number, s: SyslogLine, kind: 'reject' | 'auth-failure', detail: string): void {
    this.sink.event({
      line: lineNo,
      program: s.program,
      time: s.time,
      kind,
      clientIp: /\[([0-9a-fA-F:.]+)\]/.exec(detail)?.[1] ?? null,
      sender: null,
      recipient: /arg1=<?([^>,]+)>?/.exec(detail)?.[1]?.toLowerCase() ?? null,
      user: null,
      detail: detail.slice(0, 500),
    });
  }

  end(): number {
    let n = 0;
    for (const m of this.open.values()) {
      if (neverQueued(m)) continue;
      this.sink.message(m);
      n++;
    }
    this.open.clear();
    return n;
  }
}

/** A from= line with nrcpts=0 and nothing after it: every recipient was refused at RCPT (relaying denied), so no message was queued. */
function neverQueued(m: LogMessage): boolean {
  return m.nrcpt === 0 && m.deliveries.length === 0 && m.notifications.length === 0;
}
