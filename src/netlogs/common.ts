// Helpers every network log parser shares: line statistics, time stamps to ISO UTC, host
// names and URLs in the one shape NetEvent promises, and a CSV field splitter. Kept small
// and allocation-light: a proxy log of tens of millions of lines goes through them.
import type { NetEvent, NetLogStats } from './types.js';

/** Unreadable lines kept as samples: enough to see what went wrong, bounded for huge files. */
export const NETLOG_SAMPLE_LIMIT = 20;
/** A sample line is cut to this many characters (a broken line can be the 64 KB line limit). */
const SAMPLE_CHARS = 300;

export function newNetLogStats(): NetLogStats {
  return { lines: 0, recognised: 0, unreadable: 0, samples: [] };
}

export function countUnreadable(stats: NetLogStats, line: number, text: string): void {
  stats.unreadable++;
  if (stats.samples.length < NETLOG_SAMPLE_LIMIT) stats.samples.push({ line, text: text.slice(0, SAMPLE_CHARS) });
}

/**
 * Counts a line; true when it is blank or a `#` comment, which the formats that have them
 * (FortiGate, Zscaler, PAN-OS exports) skip as read.
 */
export function blankOrComment(stats: NetLogStats, text: string): boolean {
  stats.lines++;
  if (text.length === 0 || text.charCodeAt(0) === 0x23 || text.trim() === '') {
    stats.recognised++;
    return true;
  }
  return false;
}

/** One parser per file: fed line by line, it keeps its own header state and counts. */
export interface NetLineParser {
  readonly stats: NetLogStats;
  /** The event the line holds; null for headers, comments, blank lines and unreadable lines. */
  line(lineNo: number, text: string): NetEvent | null;
}

/** "-", "" and the like mean "not logged" in every format here. */
export function orNull(v: string | undefined): string | null {
  if (v === undefined || v === '' || v === '-') return null;
  return v;
}

/** Lower case, without the trailing root dot; null for none. */
export function normaliseHost(h: string | null | undefined): string | null {
  if (!h || h === '-') return null;
  let s = h;
  if (s.charCodeAt(s.length - 1) === 0x2e) s = s.slice(0, -1);
  if (s === '') return null;
  // Most names are already lower case; toLowerCase on those still allocates nothing new.
  return s.toLowerCase();
}

/**
 * The host of a URL as proxies write it: "scheme://host[:port]/…", "host:port" (CONNECT),
 * "host/path" (Zscaler, PAN-OS). IPv6 literals keep their brackets off.
 */
export function hostOfUrl(url: string): string | null {
  let start = 0;
  const scheme = url.indexOf('://');
  if (scheme > 0 && scheme < 12) start = scheme + 3;
  const at = url.indexOf('@', start);
  const firstSlash = url.indexOf('/', start);
  if (at >= 0 && (firstSlash < 0 || at < firstSlash)) start = at + 1;
  if (url.charCodeAt(start) === 0x5b /* [ */) {
    const close = url.indexOf(']', start);
    return close > start ? url.slice(start + 1, close).toLowerCase() : null;
  }
  let end = url.length;
  for (let i = start; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 0x2f /* / */ || c === 0x3a /* : */ || c === 0x3f /* ? */ || c === 0x23 /* # */) {
      end = i;
      break;
    }
  }
  return normaliseHost(url.slice(start, end));
}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, ftp: 21, ws: 80, wss: 443 };

/** The port a URL names, or its scheme's default port; null when neither says. */
export function portOfUrl(url: string): number | null {
  let start = 0;
  let scheme: string | null = null;
  const sep = url.indexOf('://');
  if (sep > 0 && sep < 12) {
    scheme = url.slice(0, sep).toLowerCase();
    start = sep + 3;
  }
  let hostEnd = url.length;
  for (let i = start; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 0x2f || c === 0x3f || c === 0x23) {
      hostEnd = i;
      break;
    }
  }
  const close = url.lastIndexOf(']', hostEnd);
  const colon = url.lastIndexOf(':', hostEnd - 1);
  if (colon >= start && colon > close) {
    const p = toPort(url.slice(colon + 1, hostEnd));
    if (p !== null) return p;
  }
  return scheme ? (DEFAULT_PORTS[scheme] ?? null) : null;
}

/** Host and port of a URL, filled by urlHostPort: one scratch object, no allocation a line. */
export const urlParts: { host: string | null; port: number | null } = { host: null, port: null };

/**
 * Host (lower case, no trailing dot) and port of "scheme://host[:port]/…", "host:port" or
 * "host/path" into `urlParts`, in one pass; the port is the scheme's default when none is
 * written. The hot path of every proxy log: http:// and https:// are matched by hand.
 */
export function urlHostPort(url: string): void {
  let start = 0;
  let port: number | null = null;
  const c4 = url.charCodeAt(4);
  if (url.charCodeAt(0) === 0x68 && url.charCodeAt(1) === 0x74 && url.charCodeAt(2) === 0x74 && url.charCodeAt(3) === 0x70) {
    if (c4 === 0x3a && url.charCodeAt(5) === 0x2f && url.charCodeAt(6) === 0x2f) {
      start = 7;
      port = 80;
    } else if (c4 === 0x73 && url.charCodeAt(5) === 0x3a && url.charCodeAt(6) === 0x2f && url.charCodeAt(7) === 0x2f) {
      start = 8;
      port = 443;
    }
  }
  if (start === 0) {
    const sep = url.indexOf('://');
    if (sep > 0 && sep < 12) {
      start = sep + 3;
      port = DEFAULT_PORTS[url.slice(0, sep).toLowerCase()] ?? null;
    }
  }
  const n = url.length;
  let end = n;
  let upper = false;
  let colon = -1;
  if (url.charCodeAt(start) === 0x5b /* [ */) {
    const close = url.indexOf(']', start);
    if (close < 0) {
      urlParts.host = null;
      urlParts.port = null;
      return;
    }
    urlParts.host = url.slice(start + 1, close).toLowerCase();
    if (url.charCodeAt(close + 1) === 0x3a) {
      let e = close + 2;
      while (e < n && url.charCodeAt(e) >= 0x30 && url.charCodeAt(e) <= 0x39) e++;
      port = toPort(url.slice(close + 2, e)) ?? port;
    }
    urlParts.port = port;
    return;
  }
  for (let i = start; i < n; i++) {
    const c = url.charCodeAt(i);
    if (c === 0x2f || c === 0x3f || c === 0x23) {
      end = i;
      break;
    }
    if (c === 0x3a) {
      if (colon < 0) colon = i;
    } else if (c === 0x40 /* @ */) {
      // user:password@host: start again after the credentials.
      start = i + 1;
      colon = -1;
      upper = false;
    } else if (c >= 0x41 && c <= 0x5a) upper = true;
  }
  let hostEnd = colon >= 0 ? colon : end;
  if (colon >= 0) port = toPort(url.slice(colon + 1, end)) ?? port;
  if (hostEnd > start && url.charCodeAt(hostEnd - 1) === 0x2e) hostEnd--;
  if (hostEnd <= start) {
    urlParts.host = null;
  } else {
    const h = url.slice(start, hostEnd);
    urlParts.host = upper ? h.toLowerCase() : h;
  }
  urlParts.port = port;
}

/** A TCP/UDP port number, or null. */
export function toPort(s: string | undefined): number | null {
  if (!s || s.length > 5) return null;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return null;
    n = n * 10 + c;
  }
  return n <= 65535 ? n : null;
}

/** Loose shape test for an IPv4 or IPv6 address: digits and dots, or hex digits with colons. */
export function looksLikeIp(s: string): boolean {
  if (s.length < 2 || s.length > 45) return false;
  let colons = 0;
  let dots = 0;
  let letters = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3a) colons++;
    else if (c === 0x2e) dots++;
    else if (c >= 0x30 && c <= 0x39) continue;
    else if ((c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)) letters = true;
    else if (c === 0x25 && colons >= 2) return true; // zone id: fe80::1%eth0
    else return false;
  }
  return colons >= 2 || (dots === 3 && colons === 0 && !letters);
}

/**
 * Epoch seconds with a fraction ("1386543323.000", "1258577884.844956") to ISO UTC with
 * milliseconds. The calendar part is cached per second: consecutive proxy lines share it.
 */
export class EpochClock {
  private lastSecond = -1;
  private lastPrefix = '';

  iso(text: string): string | null {
    const dot = text.indexOf('.');
    const secText = dot < 0 ? text : text.slice(0, dot);
    if (secText.length === 0 || secText.length > 11) return null;
    let sec = 0;
    for (let i = 0; i < secText.length; i++) {
      const c = secText.charCodeAt(i) - 0x30;
      if (c < 0 || c > 9) return null;
      sec = sec * 10 + c;
    }
    let ms = 0;
    if (dot >= 0) {
      // Three digits of the fraction, padded: ".5" is 500 ms, ".123456" is 123 ms.
      for (let i = 1; i <= 3; i++) {
        const ch = dot + i < text.length ? text.charCodeAt(dot + i) - 0x30 : 0;
        if (ch < 0 || ch > 9) return null;
        ms = ms * 10 + ch;
      }
      for (let i = dot + 4; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c < 0x30 || c > 0x39) return null;
      }
    }
    if (sec !== this.lastSecond) {
      const d = new Date(sec * 1000);
      if (Number.isNaN(d.getTime())) return null;
      this.lastSecond = sec;
      this.lastPrefix = d.toISOString().slice(0, 20); // "2013-12-08T23:55:23."
    }
    return this.lastPrefix + (ms < 10 ? '00' : ms < 100 ? '0' : '') + ms + 'Z';
  }
}

/**
 * A wall-clock time written in some zone to ISO UTC. `offsetMinutes` is the zone's offset
 * east of UTC (+540 for Asia/Tokyo): UTC = local − offset, as the MTA logs' --log-utc-offset.
 */
export function wallTimeToIso(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offsetMinutes: number): string | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  if (Number.isNaN(wall)) return null;
  // Date.UTC rolls 31 February over into March: such a stamp is not a real one.
  if (new Date(wall).getUTCDate() !== d && s < 60) return null;
  const date = new Date(wall - offsetMinutes * 60_000);
  return date.toISOString();
}

/** Digits of s[from, to) as a number; NaN when any is not a digit or the range is empty. */
export function digits(s: string, from: number, to: number): number {
  if (to <= from) return NaN;
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return NaN;
    n = n * 10 + c;
  }
  return n;
}

/**
 * "YYYY-MM-DD" (or "YYYY/MM/DD") and "HH:MM:SS[.fff]" to ISO UTC, the pair written in a zone
 * `offsetMinutes` east of UTC. Cached on the pair: log lines come many to a second.
 */
export class DateTimeClock {
  private lastKey = '';
  private lastIso: string | null = null;

  constructor(private readonly offsetMinutes = 0) {}

  iso(date: string, time: string): string | null {
    const key = date + ' ' + time;
    if (key === this.lastKey) return this.lastIso;
    this.lastKey = key;
    this.lastIso = this.compute(date, time);
    return this.lastIso;
  }

  private compute(date: string, time: string): string | null {
    if (date.length !== 10) return null;
    const sep = date.charCodeAt(4);
    if ((sep !== 0x2d && sep !== 0x2f) || date.charCodeAt(7) !== sep) return null;
    const y = digits(date, 0, 4);
    const mo = digits(date, 5, 7);
    const d = digits(date, 8, 10);
    const t = parseClock(time);
    if (Number.isNaN(y + mo + d) || !t) return null;
    return wallTimeToIso(y, mo, d, t[0], t[1], t[2], t[3], this.offsetMinutes);
  }
}

/** "H:MM:SS[.fff…]" or "HH:MM:SS" to [h, m, s, ms]; null when it is not a clock time. */
export function parseClock(time: string): [number, number, number, number] | null {
  const c1 = time.indexOf(':');
  if (c1 < 1 || c1 > 2) return null;
  const c2 = time.indexOf(':', c1 + 1);
  if (c2 !== c1 + 3) return null;
  const h = digits(time, 0, c1);
  const m = digits(time, c1 + 1, c2);
  const secEnd = time.length > c2 + 3 ? c2 + 3 : time.length;
  const s = digits(time, c2 + 1, secEnd);
  if (Number.isNaN(h + m + s) || secEnd !== c2 + 3) return null;
  let ms = 0;
  if (time.length > secEnd) {
    if (time.charCodeAt(secEnd) !== 0x2e && time.charCodeAt(secEnd) !== 0x2c) return null;
    const frac = time.slice(secEnd + 1, secEnd + 4).padEnd(3, '0');
    ms = digits(frac, 0, 3);
    if (Number.isNaN(ms)) return null;
  }
  return [h, m, s, ms];
}

/**
 * Fields of one CSV record starting at `start` (RFC 4180 quoting: "a,b" and "" inside quotes).
 * A record with no quote at all is split natively, which is most PAN-OS traffic lines.
 */
export function splitCsv(line: string, start = 0): string[] {
  const text = start === 0 ? line : line.slice(start);
  if (text.indexOf('"') < 0) return text.split(',');
  const out: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    if (text.charCodeAt(i) === 0x22) {
      let v = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) {
          v += text.slice(j);
          i = n;
          break;
        }
        v += text.slice(j, q);
        if (text.charCodeAt(q + 1) === 0x22) {
          v += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      // Anything between the closing quote and the next comma is kept, as lenient readers do.
      const comma = text.indexOf(',', i);
      if (comma < 0) {
        out.push(v + text.slice(i));
        return out;
      }
      out.push(v + text.slice(i, comma));
      i = comma + 1;
    } else {
      const comma = text.indexOf(',', i);
      if (comma < 0) {
        out.push(text.slice(i));
        return out;
      }
      out.push(text.slice(i, comma));
      i = comma + 1;
    }
    if (i > n) return out;
    if (i === n) {
      out.push('');
      return out;
    }
  }
}

/**
 * Whitespace-separated fields where a value with spaces is "quoted" and a quote inside is
 * doubled (W3C extended log files, §"Fields": strings in quotes). Runs of blanks count as one.
 */
export function splitW3cFields(line: string): string[] {
  const out: string[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    let c = line.charCodeAt(i);
    while (c === 0x20 || c === 0x09) {
      if (++i >= n) return out;
      c = line.charCodeAt(i);
    }
    if (c === 0x22) {
      let v = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) {
          v += line.slice(j);
          i = n;
          break;
        }
        v += line.slice(j, q);
        if (line.charCodeAt(q + 1) === 0x22) {
          v += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      out.push(v);
    } else {
      let j = i + 1;
      while (j < n) {
        const d = line.charCodeAt(j);
        if (d === 0x20 || d === 0x09) break;
        j++;
      }
      out.push(line.slice(i, j));
      i = j;
    }
  }
  return out;
}

/** An event with every field null but the ones given: the parsers fill in what they read. */
export function netEvent(line: number, kind: NetEvent['kind']): NetEvent {
  return { line, time: null, kind, clientIp: null, clientName: null, user: null, url: null, host: null, dstIp: null, dstPort: null, action: null };
}
