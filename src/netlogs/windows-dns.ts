// Windows DNS server debug log (DNS Manager → Debug Logging, dns.log). Its own header names
// the packet line's fields: date, time, thread id, context (PACKET), internal packet id,
// UDP/TCP, Snd/Rcv, remote IP, xid (hex), Q/R (R = response, blank = query), opcode,
// [flags hex, flag chars, response code], question type, question name — the name in the
// wire's label form "(3)www(7)example(3)com(0)".
//   11/3/2026 10:22:02 AM 0A3C PACKET  000000A1B2C3D4E0 UDP Rcv 10.20.1.15      3f2a   Q [0001   D   NOERROR] A      (3)www(7)example(3)com(0)
// Events are the lines between the server and its clients: a query received (Rcv, Q) and the
// response sent back (Snd, R). The server's own queries to forwarders and their answers (Snd Q,
// Rcv R) name the upstream server as the remote, not an internal host: they are read, no event.
// The date is written in the server's locale: "11/3/2026 … AM" (en-US, month first),
// "2026/11/03" or "2026-11-03" (year first; ja-JP writes "2026/11/03 9:05:02", or
// "2026/11/03 午後 9:05:02" when set to a 12-hour clock), "3.11.2026" (day first) and, for a 24-hour
// clock with slashes, day first (en-GB and most others). Local time: `offsetMinutes`
// (0 by default) gives the zone.
import { countUnreadable, digits, looksLikeIp, newNetLogStats, normaliseHost, parseClock, wallTimeToIso, type NetLineParser } from './common.js';
import type { NetEvent, NetLogStats } from './types.js';

/** "(3)www(7)example(3)com(0)" to "www.example.com"; the label lengths are not trusted. */
export function dnsDebugName(s: string): string | null {
  let out = '';
  let i = 0;
  const n = s.length;
  while (i < n) {
    if (s.charCodeAt(i) === 0x28 /* ( */) {
      const close = s.indexOf(')', i);
      if (close < 0) return null;
      if (out !== '' && close + 1 < n) out += '.';
      i = close + 1;
      continue;
    }
    const next = s.indexOf('(', i);
    const end = next < 0 ? n : next;
    out += s.slice(i, end);
    i = end;
  }
  return normaliseHost(out);
}

/** A debug log date and time (and AM/PM when the locale writes one) to ISO UTC. */
export function dnsDebugTime(date: string, time: string, ampm: string | null, offsetMinutes: number): string | null {
  const t = parseClock(time);
  if (!t) return null;
  let [h] = t;
  if (ampm) {
    const pm = ampm.toUpperCase() === 'PM';
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (pm ? 12 : 0);
  }
  const sep = date.indexOf('/') >= 0 ? '/' : date.indexOf('.') >= 0 ? '.' : '-';
  const p = date.split(sep);
  if (p.length !== 3) return null;
  const a = digits(p[0]!, 0, p[0]!.length);
  const b = digits(p[1]!, 0, p[1]!.length);
  const c = digits(p[2]!, 0, p[2]!.length);
  if (Number.isNaN(a + b + c)) return null;
  let y: number;
  let mo: number;
  let d: number;
  if (p[0]!.length === 4) [y, mo, d] = [a, b, c];
  else if (ampm && sep === '/') [mo, d, y] = [a, b, c];
  else [d, mo, y] = [a, b, c];
  return wallTimeToIso(y, mo, d, h, t[1], t[2], t[3], offsetMinutes);
}

/**
 * The 12-hour clock's marker: AM/PM, or the Japanese 午前/午後 as written in UTF-8 or, the
 * debug log being written in the system's ANSI code page, in CP932 bytes read as Latin-1.
 */
const MERIDIEM: Record<string, 'AM' | 'PM'> = { AM: 'AM', PM: 'PM', '午前': 'AM', '午後': 'PM', '\x8c\xdf\x91\x4f': 'AM', '\x8c\xdf\x8c\xe3': 'PM' };

function meridiem(token: string): 'AM' | 'PM' | null {
  return MERIDIEM[token.toUpperCase()] ?? MERIDIEM[token] ?? null;
}

export class WindowsDnsParser implements NetLineParser {
  readonly stats: NetLogStats = newNetLogStats();
  private lastStamp = '';
  private lastIso: string | null = null;

  /** `offsetMinutes`: the DNS server's zone, east of UTC (the debug log writes local time). */
  constructor(private readonly offsetMinutes = 0) {}

  line(lineNo: number, text: string): NetEvent | null {
    this.stats.lines++;
    const packet = text.indexOf(' PACKET ');
    if (packet < 0) {
      // The header block, blank lines, packet detail lines and other event kinds.
      this.stats.recognised++;
      return null;
    }
    const e = this.read(lineNo, text, packet);
    if (e === undefined) countUnreadable(this.stats, lineNo, text);
    else this.stats.recognised++;
    return e ?? null;
  }

  /** The event, null for a packet line that is no client exchange, undefined when unreadable. */
  private read(lineNo: number, text: string, packet: number): NetEvent | null | undefined {
    const head = text.slice(0, packet).split(' ').filter((x) => x !== '');
    // date time [AM|PM] thread, or date [午前|午後] time thread (ja-JP with a 12-hour clock)
    if (head.length < 3) return undefined;
    let timeAt = 1;
    let ampm: 'AM' | 'PM' | null = null;
    if (head.length >= 4) {
      const before = meridiem(head[1]!);
      const after = meridiem(head[2]!);
      if (before) [ampm, timeAt] = [before, 2];
      else if (after) ampm = after;
    }
    const stamp = text.slice(0, packet);
    if (stamp !== this.lastStamp) {
      this.lastStamp = stamp;
      this.lastIso = dnsDebugTime(head[0]!, head[timeAt]!, ampm, this.offsetMinutes);
    }
    if (this.lastIso === null) return undefined;
    const rest = text.slice(packet + 8).split(' ').filter((x) => x !== '');
    // packet-id UDP|TCP Snd|Rcv remote-ip xid [R] opcode [flags flagchars rcode] qtype name
    if (rest.length < 8) return undefined;
    const dir = rest[2]!;
    const remote = rest[3]!;
    if ((dir !== 'Snd' && dir !== 'Rcv') || !looksLikeIp(remote)) return undefined;
    const response = rest[5] === 'R';
    const open = rest.findIndex((x) => x.charCodeAt(0) === 0x5b);
    const close = rest.findIndex((x) => x.endsWith(']'));
    if (open < 0 || close < open) return undefined;
    const rcode = rest[close]!.slice(0, -1);
    const name = rest[close + 2];
    if (name === undefined) return undefined;
    const host = dnsDebugName(name);
    const toClient = (dir === 'Rcv' && !response) || (dir === 'Snd' && response);
    if (!toClient) return null;
    return {
      line: lineNo,
      time: this.lastIso,
      kind: 'dns',
      clientIp: remote,
      clientName: null,
      user: null,
      url: null,
      host,
      dstIp: null,
      dstPort: null,
      action: response ? rcode : null,
    };
  }
}
