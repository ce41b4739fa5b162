// Exim mainlog: one line per event, keyed by the Exim message id. "<=" is the arrival
// (sender, H= client, A= authenticator:user, S= size, id= Message-ID, T= subject, R= the
// message a bounce is about), "=>", "->" and ">>" (cutthrough) deliveries, "*>" deliveries
// suppressed by -N (status other), "**" bounces, "==" deferrals, "Completed" the end. Subjects are written with octal escapes for non-ASCII bytes.
import { decodeHeaderValue } from '../mail/header-decode.js';
import { countUnreadable, newLogMessage, newLogStats, type DeliveryStatus, type LogMessage, type LogSink, type LogStats } from './types.js';

const LINE = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?)(?: ([+-]\d{4}))?(?: \[\d+\])? (.*)$/;
const EXIM_ID = /^([0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4}) (.*)$/;
const KNOWN_ANYWHERE = /sender verify fail|no MAIL in SMTP connection|SMTP protocol error|SMTP protocol synchronization error|dropped by '|SMTP connection from|SMTP call from|SA: Action:|authenticator failed|rejected RCPT|rejected MAIL|rejected after DATA|rejected connection|rejected EHLO|rejected HELO|Connection refused|SMTP data timeout|unexpected disconnection/;
const KNOWN_PLAIN = /^(SMTP connection|SMTP command timeout|SMTP protocol|SMTP syntax error|no host name found|exim \d|Start queue run|End queue run|TLS error|unexpected disconnection|H=.*(rejected|refused|lost)|.*authenticator failed|.*dropped:|.*incomplete transaction|.*SMTP data timeout|Connection from|no IP address found|daemon|pid=|cwd=|Warning|LOG:|.*Spool file|.*rejected (RCPT|MAIL|after DATA|connection))/;

/** Lines of a message that carry no mail fact: signature checks, TLS, connection and retry notes. */
const INFORMATIONAL = /^(DKIM:|DKIM-|ARC:|SPF:|DMARC|TLS |tls |SMTP connection|SMTP timeout|Sender identification|Spool |Delay |retry |ignoring |routing |cutthrough |Frozen|Unfrozen|Completed|SA: |X-Spam|spam acl|virus|malware|Tainted|no immediate delivery|== )/;

/** Exim escapes bytes outside printable ASCII as \ooo; undo that, then decode as a header would. */
export function unescapeExim(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && /^[0-7]{3}$/.test(s.slice(i + 1, i + 4))) {
      bytes.push(parseInt(s.slice(i + 1, i + 4), 8));
      i += 3;
    } else if (c === '\\' && s[i + 1] === '\\') {
      bytes.push(0x5c);
      i += 1;
    } else bytes.push(c.charCodeAt(0) & 0xff);
  }
  return decodeHeaderValue(Buffer.from(bytes).toString('latin1'));
}

function field(rest: string, name: string): string | null {
  const m = new RegExp(`(?:^| )${name}=("(?:[^"\\\\]|\\\\.)*"|\\S+)`).exec(rest);
  if (!m) return null;
  const v = m[1]!;
  return v.startsWith('"') ? v.slice(1, -1) : v;
}

export class EximParser {
  private readonly open = new Map<string, LogMessage>();
  readonly stats: LogStats = newLogStats();

  constructor(
    private readonly sink: LogSink,
    private readonly host = 'exim',
    private readonly offsetMinutes = 0,
  ) {}

  static looksLikeExim(line: string): boolean {
    const m = LINE.exec(line);
    return !!m && (EXIM_ID.test(m[3]!) || /^(exim \d|SMTP connection|Start queue run)/.test(m[3]!));
  }

  private time(stamp: string, zone: string | undefined): string | null {
    const iso = stamp.replace(' ', 'T') + (zone ? `${zone.slice(0, 3)}:${zone.slice(3)}` : 'Z');
    const t = Date.parse(iso);
    if (Number.isNaN(t)) return null;
    return new Date(zone ? t : t - this.offsetMinutes * 60_000).toISOString();
  }

  private unreadable(line: number, text: string): void {
    countUnreadable(this.stats, line, text);
  }

  private entry(id: string, line: number, time: string | null): LogMessage {
    let m = this.open.get(id);
    if (!m) {
      m = newLogMessage('exim', this.host, id, line, time);
      this.open.set(id, m);
    }
    m.lastLine = line;
    return m;
  }

  line(lineNo: number, text: string): void {
    this.stats.lines++;
    const l = LINE.exec(text);
    if (!l) {
      this.stats.foreign++;
      return;
    }
    const time = this.time(l[1]!, l[2]);
    const body = l[3]!;
    const idm = EXIM_ID.exec(body);
    if (!idm) {
      if (/rejected RCPT|rejected MAIL|rejected after DATA/.test(body)) this.event(lineNo, time, 'reject', body);
      else if (/authenticator failed/.test(body)) this.event(lineNo, time, 'auth-failure', body);
      if (KNOWN_PLAIN.test(body) || KNOWN_ANYWHERE.test(body)) this.stats.recognised++;
      else this.unreadable(lineNo, body);
      return;
    }
    const id = idm[1]!;
    const rest = idm[2]!;
    const flag = rest.slice(0, 2);
    if (flag === '<=') {
      const e = this.entry(id, lineNo, time);
      const m = /^<= (\S+)/.exec(rest)!;
      e.envelopeFrom = m[1] === '<>' ? '' : m[1]!.toLowerCase();
      const h = /(?:^| )H=(?:(\S+) )?(?:\([^)]*\) )?\[([0-9a-fA-F:.]+)\]/.exec(rest);
      if (h) {
        e.clientHost = h[1] && !h[1].startsWith('(') ? h[1] : null;
        e.clientIp = h[2]!;
      }
      const a = field(rest, 'A');
      if (a) {
        const [method, user] = a.split(':');
        e.authMethod = method ?? null;
        e.authUser = user ?? null;
      }
      const size = field(rest, 'S');
      e.size = size ? Number(size) : null;
      e.messageId = field(rest, 'id');
      const subject = field(rest, 'T');
      e.subject = subject === null ? null : unescapeExim(subject);
      const parent = field(rest, 'R');
      if (e.envelopeFrom === '' && parent && EXIM_ID.test(`${parent} x`)) {
        e.notificationOf = parent;
        this.open.get(parent)?.notifications.push(id);
      }
      // Arrivals over SMTP (H=) are "received"; local bounces (U=Debian-exim P=local) are not.
      e.received = /(?:^| )P=(e?smtp|esmtps?a?|smtps?|esmtpsa|esmtpa|utf8esmtp\w*)/.test(rest) || /(?:^| )H=/.test(rest);
    } else if (flag === '=>' || flag === '->' || flag === '>>' || flag === '**' || flag === '==' || flag === '*>') {
      const e = this.entry(id, lineNo, time);
      const m = /^\S\S (\S+?):?(?: <([^>]+)>)?(?::|\s|$)/.exec(rest)!;
      // "=> keiri <keiri@kaisha.example>": the local part first, then the address in brackets;
      // "** bob@y.example: Unrouteable address": the reason follows a colon.
      const recipient = (m[2] ?? m[1]!).toLowerCase();
      // ">>" is a cutthrough delivery (made during the SMTP session); "*>" a delivery that -N suppressed.
      const status: DeliveryStatus = flag === '**' ? 'bounced' : flag === '==' ? 'deferred' : flag === '*>' ? 'other' : 'sent';
      const relay = /(?:^| )H=(\S+)(?: \[([^\]]+)\])?/.exec(rest);
      e.deliveries.push({
        line: lineNo,
        time,
        recipient,
        origTo: m[2] ? m[1]!.toLowerCase() : null,
        relay: relay ? `${relay[1]}${relay[2] ? `[${relay[2]}]` : ''}` : field(rest, 'T'),
        status,
        dsn: /\b([245]\d\d)[ -]/.exec(field(rest, 'C') ?? rest.split(': ').slice(1).join(': '))?.[1] ?? null,
        detail: flag === '**' || flag === '==' ? rest.split(': ').slice(1).join(': ').slice(0, 500) || null : field(rest, 'C'),
      });
    } else if (rest === 'Completed' || rest.startsWith('Completed ')) {
      const e = this.entry(id, lineNo, time);
      e.complete = true;
      this.open.delete(id);
      this.sink.message(e);
    } else if (INFORMATIONAL.test(rest) || KNOWN_ANYWHERE.test(rest) || /^(Message is frozen|Frozen|Unfrozen|removed by|SMTP error|Spool file|error ignored|Warning:|retry time not reached|\S+ <\S+>: \S)/.test(rest) || /^(H=|U=|F=)/.test(rest) || /rejected|no immediate delivery|cancelled|timed out/.test(rest)) {
      this.entry(id, lineNo, time);
      if (/rejected/.test(rest)) this.event(lineNo, time, 'reject', rest);
    } else {
      this.unreadable(lineNo, body);
      return;
    }
    this.stats.recognised++;
  }

  private event(lineNo: number, time: string | null, kind: 'reject' | 'auth-failure', body: string): void {
    this.sink.event({
      line: lineNo,
      program: 'exim',
      time,
      kind,
      clientIp: /\[([0-9a-fA-F:.]+)\]/.exec(body)?.[1] ?? null,
      sender: /F=<([^>]*)>/.exec(body)?.[1]?.toLowerCase() ?? null,
      recipient: /RCPT <([^>]*)>/.exec(body)?.[1]?.toLowerCase() ?? null,
      user: /set_id=([^)\s]+)/.exec(body)?.[1] ?? /A=\w+:(\S+)/.exec(body)?.[1] ?? null,
      detail: body.slice(0, 500),
    });
  }

  end(): number {
    const n = this.open.size;
    for (const m of this.open.values()) this.sink.message(m);
    this.open.clear();
    return n;
  }
}
