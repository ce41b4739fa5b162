// Syslog line prefixes: classic BSD ("Nov  3 10:22:01 host prog[pid]: msg", local time with
// no year and no zone), RFC 3339 ("2026-11-03T10:22:01.123+09:00 host prog[pid]: msg") and
// RFC 5424 ("<22>1 2026-11-03T10:22:01Z host prog pid - - msg").

export interface SyslogLine {
  /** ISO UTC, null when the time cannot be read. */
  time: string | null;
  host: string;
  program: string;
  message: string;
}

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };
const CLASSIC = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d+)? (\S+) ([^\s:[]+)(?:\[\d+\])?: (.*)$/;
const ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}))\s+(\S+)\s+([^\s:[]+)(?:\[\d+\])?:\s(.*)$/;
const RFC5424 = /^<\d{1,3}>1 (\S+) (\S+) (\S+) (\S+) (\S+) (?:-|\[.*?\]) ?(.*)$/;

/** Whether `line` holds all of `s` at `start`, and `s` is `length` long; compared from the end (where stamps differ). */
function samePrefix(line: string, s: string, start: number, length: number): boolean {
  if (s.length !== length || line.length < start + length) return false;
  for (let i = length - 1; i >= 0; i--) if (line.charCodeAt(start + i) !== s.charCodeAt(i)) return false;
  return true;
}

/**
 * The last host and programs seen: a log names a handful of each, and taking the string
 * seen before spares a slice per line and gives the writer the same string object each
 * time (fact-batch.ts writes a value that repeats the row before once).
 */
class SeenNames {
  host = '';

  /** The host of `line` between `start` and `end`, the one seen before when it is the same. */
  hostAt(line: string, start: number, end: number): string {
    const h = this.host;
    if (samePrefix(line, h, start, end - start)) return h;
    return (this.host = line.slice(start, end));
  }

  /** By a hash of the name's characters (syslog.ts computes it while checking them). */
  private readonly programs = new Map<number, string>();

  programAt(line: string, start: number, end: number, hash: number): string {
    const known = this.programs.get(hash);
    if (known !== undefined && samePrefix(line, known, start, end - start)) return known;
    const p = line.slice(start, end);
    if (known === undefined && this.programs.size < 256) this.programs.set(hash, p);
    return p;
  }
}

/**
 * Classic syslog time stamps carry no year and no zone. The year starts from `startYear`
 * (the file's modification year, or --year) and moves on when the month goes backwards
 * (December → January); the zone is the fixed offset given (minutes east of UTC).
 */
export class SyslogClock {
  private year: number;
  private lastMonth = -1;
  /** Lines come in bursts within one second: the last stamp's result is kept. */
  private lastStamp = '';
  private lastIso: string | null = null;
  /** Hosts and programs of the lines read with this clock (one file's). */
  readonly names = new SeenNames();

  constructor(startYear: number, private readonly offsetMinutes = 0) {
    this.year = startYear;
  }

  /** The minute of the last stamp computed in full ("Nov  3 10:22"), and its ISO time up to the minute. */
  private lastMinute = '';
  private minuteIso: string | null = null;

  /**
   * The ISO time of a classic 15-character stamp ("Nov  3 10:22:01"). Within the minute of
   * the stamp before, only the seconds change: the ISO text of the minute is reused (the
   * zone offset is whole minutes), which spares a Date per second of log.
   */
  classicStamp(line: string): string | null {
    // Compared by character from the seconds back: String#startsWith costs a call into the runtime per line.
    if (samePrefix(line, this.lastStamp, 0, 15)) return this.lastIso;
    const stamp = line.length === 15 ? line : line.slice(0, 15);
    this.lastStamp = stamp;
    const s1 = stamp.charCodeAt(13) - 0x30;
    const s2 = stamp.charCodeAt(14) - 0x30;
    // Seconds up to 59 only: a leap second ("60") is left to Date, which carries it over.
    if (this.lastMinute !== '' && s1 >= 0 && s1 <= 5 && s2 >= 0 && s2 <= 9 && stamp.startsWith(this.lastMinute)) {
      this.lastIso = this.minuteIso === null ? null : `${this.minuteIso}:${stamp.slice(13, 15)}.000Z`;
      return this.lastIso;
    }
    this.lastIso = this.classic(stamp.slice(0, 3), Number(stamp.slice(4, 6)), Number(stamp.slice(7, 9)), Number(stamp.slice(10, 12)), Number(stamp.slice(13, 15)));
    if (s1 >= 0 && s1 <= 5 && s2 >= 0 && s2 <= 9 && Number.isInteger(this.offsetMinutes) && (this.lastIso === null || this.lastIso.length === 24)) {
      this.lastMinute = stamp.slice(0, 12);
      this.minuteIso = this.lastIso === null ? null : this.lastIso.slice(0, 16);
    } else this.lastMinute = '';
    return this.lastIso;
  }

  classicCached(stamp: string, m: RegExpExecArray): string | null {
    if (stamp === this.lastStamp) return this.lastIso;
    this.lastStamp = stamp;
    this.lastMinute = '';
    this.lastIso = this.classic(m[1]!, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
    return this.lastIso;
  }

  classic(mon: string, day: number, h: number, m: number, s: number): string | null {
    const month = MONTHS[mon];
    if (month === undefined) return null;
    if (this.lastMonth >= 0 && month < this.lastMonth && this.lastMonth - month > 6) this.year++;
    this.lastMonth = month;
    const t = Date.UTC(this.year, month, day, h, m, s) - this.offsetMinutes * 60_000;
    return Number.isNaN(t) ? null : new Date(t).toISOString();
  }
}

/** A host name of printable ASCII needs no closer look; anything else is checked for white space. */
const NOT_PLAIN_HOST = /[^\x21-\x7e]/;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Sticky from lastIndex: one pass over the message. */
const LINE_TERMINATOR = /[\r\n\u2028\u2029]/g;

/**
 * The classic prefix read by position ("Nov  3 10:22:01 host prog[pid]: "): the regular
 * expression below does the same, at a third of the speed on logs of millions of lines.
 * Anything that does not fit the fixed layout falls through to it.
 */
function classicFast(line: string, clock: SyslogClock, terminatorFree: boolean): SyslogLine | null {
  // "Mmm dd hh:mm:ss " is 16 characters; the day is space-padded.
  if (line.length < 20 || line.charCodeAt(15) !== 0x20 || line.charCodeAt(9) !== 0x3a || line.charCodeAt(12) !== 0x3a || line.charCodeAt(3) !== 0x20) return null;
  const m0 = line.charCodeAt(0);
  const m1 = line.charCodeAt(1);
  const m2 = line.charCodeAt(2);
  if (m0 < 0x41 || m0 > 0x5a || m1 < 0x61 || m1 > 0x7a || m2 < 0x61 || m2 > 0x7a) return null;
  const d1 = line.charCodeAt(4);
  if (!((d1 === 0x20 || isDigit(d1)) && isDigit(line.charCodeAt(5)))) return null;
  if (!isDigit(line.charCodeAt(7)) || !isDigit(line.charCodeAt(8)) || !isDigit(line.charCodeAt(10)) || !isDigit(line.charCodeAt(11))) return null;
  if (!isDigit(line.charCodeAt(13)) || !isDigit(line.charCodeAt(14))) return null;
  const hostEnd = line.indexOf(' ', 16);
  if (hostEnd <= 16) return null;
  const colon = line.indexOf(': ', hostEnd + 1);
  if (colon < 0) return null;
  let progEnd = colon;
  if (line.charCodeAt(colon - 1) === 0x5d /* ] */) {
    const open = line.lastIndexOf('[', colon);
    if (open <= hostEnd + 1) return null;
    for (let i = open + 1; i < colon - 1; i++) {
      if (!isDigit(line.charCodeAt(i))) return null;
    }
    if (open + 1 === colon - 1) return null;
    progEnd = open;
  }
  if (progEnd === hostEnd + 1) return null;
  let hash = 0;
  for (let i = hostEnd + 1; i < progEnd; i++) {
    const c = line.charCodeAt(i);
    hash = (Math.imul(hash, 31) + c) | 0;
    // [\s:[] of the expression; only characters outside printable ASCII are given to \s.
    if ((c <= 0x20 || c === 0x3a || c === 0x5b || c > 0x7e) && (c === 0x3a || c === 0x5b || /\s/.test(line[i]!))) return null;
  }
  const seen = clock.names;
  const host = seen.hostAt(line, 16, hostEnd);
  if (NOT_PLAIN_HOST.test(host)) return null;
  // The expression's "." stops at line terminators: such a line is left to it.
  if (!terminatorFree) {
    LINE_TERMINATOR.lastIndex = colon;
    if (LINE_TERMINATOR.test(line)) return null;
  }
  return { time: clock.classicStamp(line), host, program: seen.programAt(line, hostEnd + 1, progEnd, hash), message: line.slice(colon + 2) };
}

/**
 * `byPosition: false` reads classic lines with the regular expression only (the tests compare
 * the two); `terminatorFree` says the caller knows the line holds no CR, LS or PS (line-reader.ts).
 */
export function parseSyslogLine(line: string, clock: SyslogClock, byPosition = true, terminatorFree = false): SyslogLine | null {
  const fast = byPosition ? classicFast(line, clock, terminatorFree) : null;
  if (fast) return fast;
  let m = CLASSIC.exec(line);
  if (m) {
    return { time: clock.classicCached(line.slice(0, 15), m), host: m[6]!, program: m[7]!, message: m[8]! };
  }
  m = ISO.exec(line);
  if (m) {
    const t = Date.parse(m[1]!);
    return { time: Number.isNaN(t) ? null : new Date(t).toISOString(), host: m[2]!, program: m[3]!, message: m[4]! };
  }
  m = RFC5424.exec(line);
  if (m) {
    const t = Date.parse(m[1]!);
    return { time: Number.isNaN(t) ? null : new Date(t).toISOString(), host: m[2]!, program: m[3]!, message: m[6]! };
  }
  return null;
}

/**
 * The year of a classic syslog file's first line: the modification time's year, or the
 * year before when the first line's month lies after the modification month (a log
 * started in December and last written in January).
 */
export function startYearFor(firstMonth: string | undefined, mtime: Date): number {
  const month = firstMonth ? MONTHS[firstMonth] : undefined;
  const y = mtime.getUTCFullYear();
  return month !== undefined && month > mtime.getUTCMonth() ? y - 1 : y;
}
