// Squid access.log in its two common shapes (squid.conf.documented, "logformat"):
//   squid     %ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt
//   common    %>a %[ui %[un [%tl] "%rm %ru HTTP/%rv" %>Hs %<st %Ss:%Sh
//   combined  %>a %[ui %[un [%tl] "%rm %ru HTTP/%rv" %>Hs %<st "%{Referer}>h" "%{User-Agent}>h" %Ss:%Sh
// The native format is the one benchmarked on tens of millions of lines: it is read with one
// native split and a handful of field reads, never a regular expression.
import { countUnreadable, digits, EpochClock, looksLikeIp, newNetLogStats, normaliseHost, orNull, urlHostPort, urlParts, wallTimeToIso, type NetLineParser } from './common.js';
import type { NetEvent, NetLogStats } from './types.js';

/**
 * Hierarchy codes (%Sh, src/hier_code.h) under which %<a is the origin server: Squid 3 on
 * writes HIER_DIRECT, Squid 2 wrote DIRECT. The *_PARENT, *_SIBLING and *_HIT codes name a
 * peer cache instead, and HIER_NONE (a hit, a denial) names none.
 */
const DIRECT_CODES = new Set(['HIER_DIRECT', 'DIRECT', 'CLOSEST_DIRECT', 'ORIGINAL_DST']);

/** The index after the blanks from i on (the elapsed-time column is space-padded). */
function skipBlanks(text: string, i: number): number {
  while (text.charCodeAt(i) === 0x20) i++;
  return i;
}

export class SquidNativeParser implements NetLineParser {
  readonly stats: NetLogStats = newNetLogStats();
  private readonly clock = new EpochClock();

  line(lineNo: number, text: string): NetEvent | null {
    this.stats.lines++;
    if (text.length === 0 || text.charCodeAt(0) === 0x23 /* # */) {
      this.stats.recognised++;
      return null;
    }
    const e = this.read(lineNo, text);
    if (e) this.stats.recognised++;
    else if (text.trim() === '') this.stats.recognised++;
    else countUnreadable(this.stats, lineNo, text);
    return e;
  }

  /** Field by field with indexOf: time elapsed client code/status bytes method URL user hier/peer type. */
  private read(lineNo: number, text: string): NetEvent | null {
    const e0 = text.indexOf(' ');
    if (e0 <= 0) return null;
    const s1 = skipBlanks(text, e0);
    const e1 = text.indexOf(' ', s1);
    const s2 = e1 < 0 ? -1 : skipBlanks(text, e1);
    const e2 = s2 < 0 ? -1 : text.indexOf(' ', s2);
    const e3 = e2 < 0 ? -1 : text.indexOf(' ', e2 + 1);
    const e4 = e3 < 0 ? -1 : text.indexOf(' ', e3 + 1);
    const e5 = e4 < 0 ? -1 : text.indexOf(' ', e4 + 1);
    const e6 = e5 < 0 ? -1 : text.indexOf(' ', e5 + 1);
    const e7 = e6 < 0 ? -1 : text.indexOf(' ', e6 + 1);
    const e8 = e7 < 0 ? -1 : text.indexOf(' ', e7 + 1);
    if (e8 < 0) return null;
    const time = this.clock.iso(text.slice(0, e0));
    const code = text.slice(e2 + 1, e3);
    if (time === null || code.indexOf('/') < 0) return null;
    const client = text.slice(s2, e2);
    const method = text.slice(e4 + 1, e5);
    const url = text.slice(e5 + 1, e6);
    let host: string | null = null;
    let port: number | null = null;
    // Squid logs a request it could not parse as "error:invalid-request" and the like.
    if (!url.startsWith('error:')) {
      urlHostPort(url);
      host = urlParts.host;
      port = urlParts.port;
    }
    const user = text.slice(e6 + 1, e7);
    const slash = text.indexOf('/', e7 + 1);
    const hier = slash > 0 && slash < e8 ? text.slice(e7 + 1, slash) : '';
    const peer = slash > 0 && slash < e8 ? text.slice(slash + 1, e8) : '';
    const ipClient = looksLikeIp(client);
    // %<a is the origin server only when Squid went direct; through a parent or sibling it
    // is that peer's address. A URL (or CONNECT target) written as an IP literal names the
    // server whatever the hierarchy said, even for a denied request that went nowhere.
    const server = DIRECT_CODES.has(hier) && peer !== '-' && looksLikeIp(peer) ? peer : host !== null && looksLikeIp(host) ? host : null;
    return {
      line: lineNo,
      time,
      kind: 'http',
      clientIp: ipClient ? client : null,
      // With log_fqdn on, Squid writes the client's name where its address would be.
      clientName: ipClient ? null : normaliseHost(client),
      user: user === '-' || user === '' ? null : user,
      url,
      host,
      dstIp: server,
      dstPort: port,
      action: code,
    };
  }
}

const MONTHS: Record<string, number> = { Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12 };

/** Common Log Format time, "10/Oct/2000:13:55:36 -0700": it carries its own zone. */
export function clfTimeToIso(s: string): string | null {
  if (s.length < 26 || s.charCodeAt(2) !== 0x2f || s.charCodeAt(6) !== 0x2f || s.charCodeAt(11) !== 0x3a || s.charCodeAt(20) !== 0x20) return null;
  const mo = MONTHS[s.slice(3, 6)];
  const sign = s.charCodeAt(21) === 0x2d ? -1 : s.charCodeAt(21) === 0x2b ? 1 : 0;
  if (!mo || !sign) return null;
  const offset = sign * (digits(s, 22, 24) * 60 + digits(s, 24, 26));
  const d = digits(s, 0, 2);
  const y = digits(s, 7, 11);
  const h = digits(s, 12, 14);
  const mi = digits(s, 15, 17);
  const sec = digits(s, 18, 20);
  if (Number.isNaN(offset + d + y + h + mi + sec)) return null;
  return wallTimeToIso(y, mo, d, h, mi, sec, 0, offset);
}

/** "TCP_MISS:HIER_DIRECT": capitals and underscores around one colon. */
function isSquidWord(s: string): boolean {
  const colon = s.indexOf(':');
  if (colon < 1 || colon === s.length - 1) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (i !== colon && !((c >= 0x41 && c <= 0x5a) || c === 0x5f)) return false;
  }
  return true;
}

export class SquidCommonParser implements NetLineParser {
  readonly stats: NetLogStats = newNetLogStats();
  private lastStamp = '';
  private lastIso: string | null = null;

  line(lineNo: number, text: string): NetEvent | null {
    this.stats.lines++;
    if (text.length === 0 || text.charCodeAt(0) === 0x23 || text.trim() === '') {
      this.stats.recognised++;
      return null;
    }
    const e = this.read(lineNo, text);
    if (e) this.stats.recognised++;
    else countUnreadable(this.stats, lineNo, text);
    return e;
  }

  private read(lineNo: number, text: string): NetEvent | null {
    const s1 = text.indexOf(' ');
    const s2 = s1 < 0 ? -1 : text.indexOf(' ', s1 + 1);
    const open = s2 < 0 ? -1 : text.indexOf(' [', s2);
    if (open < 0) return null;
    const close = text.indexOf('] "', open);
    if (close < 0) return null;
    const reqEnd = text.indexOf('" ', close + 3);
    if (reqEnd < 0) return null;
    const stamp = text.slice(open + 2, close);
    if (stamp !== this.lastStamp) {
      this.lastStamp = stamp;
      this.lastIso = clfTimeToIso(stamp);
    }
    if (this.lastIso === null) return null;
    const request = text.slice(close + 3, reqEnd);
    const m1 = request.indexOf(' ');
    const method = m1 < 0 ? request : request.slice(0, m1);
    let url = m1 < 0 ? '' : request.slice(m1 + 1);
    const proto = url.lastIndexOf(' HTTP/');
    if (proto >= 0) url = url.slice(0, proto);
    const rest = text.slice(reqEnd + 2).split(' ');
    const status = rest[0] ?? '';
    if (status.length !== 3 || Number.isNaN(digits(status, 0, 3))) return null;
    // Squid ends both built-in formats with "%Ss:%Sh" (TCP_DENIED:HIER_NONE): its own word for what it did.
    const last = rest[rest.length - 1] ?? '';
    const squidWord = rest.length > 2 && isSquidWord(last) ? last : null;
    const ident = orNull(text.slice(s1 + 1, s2));
    const authUser = orNull(text.slice(s2 + 1, open));
    const client = text.slice(0, s1);
    const ipClient = looksLikeIp(client);
    let host: string | null = null;
    let port: number | null = null;
    if (url !== '' && !url.startsWith('error:')) {
      urlHostPort(url);
      host = urlParts.host;
      port = urlParts.port;
    }
    return {
      line: lineNo,
      time: this.lastIso,
      kind: 'http',
      clientIp: ipClient ? client : null,
      clientName: ipClient ? null : normaliseHost(client),
      user: authUser ?? ident,
      url: url === '' || url === '-' ? null : url,
      host,
      // The common formats log no server address: only a URL written with an IP literal names one.
      dstIp: host !== null && looksLikeIp(host) ? host : null,
      dstPort: port,
      action: squidWord ?? status,
    };
  }
}
