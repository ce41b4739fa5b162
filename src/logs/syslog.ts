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

  constructor(startYear: number, private readonly offsetMinutes = 0) {
    this.year = startYear;
  }

  classicCached(stamp: string, m: RegExpExecArray): string | null {
    if (stamp === this.lastStamp) return this.lastIso;
    this.lastStamp = stamp;
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

export function parseSyslogLine(line: string, clock: SyslogClock): SyslogLine | null {
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
