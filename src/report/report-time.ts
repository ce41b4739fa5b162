// Times for people: the case stores UTC; report.html and the CSV files show them in the
// readers' zone (Japan time unless told otherwise), through Intl.DateTimeFormat so any IANA
// zone works, daylight saving included. The zone is always written with its offset from UTC
// ("JST (UTC+9)"), in the page and in the CSV column names ("first_jst(+09:00)").
import { setBounded } from '../bounded-map.js';

export interface LocalParts {
  y: number;
  m: number;
  d: number;
  h: number;
  min: number;
  s: number;
  /** Minutes east of UTC at that instant. */
  offsetMinutes: number;
}

export class UnknownTimeZoneError extends Error {}

export const DEFAULT_TIME_ZONE = 'Asia/Tokyo';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** "+09:00", "-04:00", "+05:30". */
export function offsetText(minutes: number): string {
  const a = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** "UTC+9", "UTC-4", "UTC+5:30", "UTC+0". */
export function utcOffsetLabel(minutes: number): string {
  const a = Math.abs(minutes);
  return `UTC${minutes < 0 ? '-' : '+'}${Math.floor(a / 60)}${a % 60 ? `:${pad(a % 60)}` : ''}`;
}

function instant(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

const QUARTER_HOUR = 15 * 60_000;

export class ZoneClock {
  private readonly fmt: Intl.DateTimeFormat;
  private readonly names: Intl.DateTimeFormat[];
  /** The offset of each quarter hour of UTC looked up (partsAt), null where Intl is asked each time. */
  private readonly slotOffsets = new Map<number, number | null>();

  constructor(readonly zone: string = DEFAULT_TIME_ZONE) {
    try {
      this.fmt = new Intl.DateTimeFormat('en-US', {
        timeZone: zone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23', timeZoneName: 'longOffset',
      });
    } catch {
      throw new UnknownTimeZoneError(`unknown time zone: ${zone} (give an IANA name such as Asia/Tokyo)`);
    }
    // The zone's own abbreviation: en-US knows the American ones, en-GB the European, ja-JP JST.
    this.names = ['en-US', 'en-GB', 'ja-JP'].map((l) => new Intl.DateTimeFormat(l, { timeZone: zone, timeZoneName: 'short' }));
  }

  /** Short name for column names: "jst" for Japan time, else "local". */
  get tag(): string {
    return this.zone === 'Asia/Tokyo' ? 'jst' : 'local';
  }

  /**
   * The local time at instant t. Intl costs some microseconds a call, and a report of a large
   * case asks for every time it writes: the zone's offset is looked up once per quarter hour
   * of UTC (no zone has changed its offset off a quarter hour since local mean time), and
   * the fields are counted from it. A quarter hour whose two ends have different offsets, an
   * offset with seconds (local mean time) and a year outside 1000-9999 are left to Intl.
   */
  partsAt(t: number): LocalParts {
    const slot = Math.floor(t / QUARTER_HOUR);
    let offset = this.slotOffsets.get(slot);
    if (offset === undefined) {
      const a = this.intlParts(slot * QUARTER_HOUR);
      const b = this.intlParts(slot * QUARTER_HOUR + QUARTER_HOUR - 1);
      offset = setBounded(this.slotOffsets, slot, a.offsetMinutes === b.offsetMinutes && a.exactOffset && b.exactOffset ? a.offsetMinutes : null, 4096);
    }
    if (offset !== null) {
      const d = new Date(t + offset * 60_000);
      const y = d.getUTCFullYear();
      if (y >= 1000 && y <= 9999) return { y, m: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours(), min: d.getUTCMinutes(), s: d.getUTCSeconds(), offsetMinutes: offset };
    }
    const { exactOffset: _, ...p } = this.intlParts(t);
    return p;
  }

  /** partsAt as Intl gives it; `exactOffset` false when the offset has seconds, which offsetMinutes leaves out. */
  intlParts(t: number): LocalParts & { exactOffset: boolean } {
    const p: Record<string, string> = {};
    for (const x of this.fmt.formatToParts(new Date(t))) p[x.type] = x.value;
    const off = /GMT([+-])(\d{2}):(\d{2})(:\d{2})?/.exec(p.timeZoneName ?? '');
    const offsetMinutes = off ? (off[1] === '-' ? -1 : 1) * (Number(off[2]) * 60 + Number(off[3])) : 0;
    return { y: Number(p.year), m: Number(p.month), d: Number(p.day), h: Number(p.hour), min: Number(p.minute), s: Number(p.second), offsetMinutes, exactOffset: off?.[4] === undefined };
  }

  parts(iso: string | null | undefined): LocalParts | null {
    const t = instant(iso);
    return t === null ? null : this.partsAt(t);
  }

  offsetMinutes(iso: string): number {
    return this.parts(iso)?.offsetMinutes ?? 0;
  }

  /** The zone's abbreviation at an instant ("JST", "BST"), or its IANA name where it has none. */
  abbreviation(t: number): string {
    for (const f of this.names) {
      const n = f.formatToParts(new Date(t)).find((x) => x.type === 'timeZoneName')?.value ?? '';
      if (n && !/^(GMT|UTC)[+-]/.test(n)) return n;
    }
    return this.zone;
  }

  /** "JST (UTC+9)"; a zone that changed offset between the times given: "GMT (UTC+0) / BST (UTC+1)". */
  label(isos: (string | null | undefined)[] = []): string {
    const seen = new Map<number, string>();
    const times = isos.map(instant).filter((t): t is number => t !== null);
    for (const t of times.length ? times : [Date.now()]) {
      const o = this.partsAt(t).offsetMinutes;
      if (!seen.has(o)) seen.set(o, `${this.abbreviation(t)} (${utcOffsetLabel(o)})`);
    }
    return [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v).join(' / ');
  }

  /** "2026-11-05" */
  day(iso: string | null | undefined): string {
    const p = this.parts(iso);
    return p ? `${p.y}-${pad(p.m)}-${pad(p.d)}` : '';
  }

  /** "2026-11-05 10:12" */
  minute(iso: string | null | undefined): string {
    const p = this.parts(iso);
    return p ? `${p.y}-${pad(p.m)}-${pad(p.d)} ${pad(p.h)}:${pad(p.min)}` : '';
  }

  /** "2026-11-05 10:12:08" */
  second(iso: string | null | undefined): string {
    const p = this.parts(iso);
    return p ? `${p.y}-${pad(p.m)}-${pad(p.d)} ${pad(p.h)}:${pad(p.min)}:${pad(p.s)}` : '';
  }

  /** The instant local midnight of a calendar day starts (daylight-saving changes at midnight included). */
  midnight(y: number, m: number, d: number): number {
    const wall = Date.UTC(y, m - 1, d);
    let t = wall - this.partsAt(wall).offsetMinutes * 60_000;
    t = wall - this.partsAt(t).offsetMinutes * 60_000;
    return t;
  }

  /** The start of the local hour holding t. */
  hourStart(t: number): number {
    const p = this.partsAt(t);
    return t - ((p.min * 60 + p.s) * 1000 + (((t % 1000) + 1000) % 1000));
  }
}

/**
 * Local-time columns of a CSV file: the offset goes in the column name ("first_jst(+09:00)")
 * when every time of the file has the same one; a zone that changed offset within the file
 * names the zone instead ("first_local(Europe/London)") and each cell carries its offset.
 */
export class CsvClock {
  readonly suffix: string;
  private readonly fixed: boolean;

  constructor(private readonly clock: ZoneClock, isos: Iterable<string | null | undefined>) {
    const offsets = new Set<number>();
    for (const i of isos) {
      const o = clock.parts(i)?.offsetMinutes;
      if (o !== undefined) offsets.add(o);
    }
    if (offsets.size === 0) offsets.add(clock.partsAt(Date.now()).offsetMinutes);
    this.fixed = offsets.size === 1;
    this.suffix = `_${clock.tag}(${this.fixed ? offsetText([...offsets][0]!) : clock.zone})`;
  }

  column(base: string): string {
    return `${base}${this.suffix}`;
  }

  cell(iso: string | null | undefined): string {
    const s = this.clock.second(iso);
    return !s || this.fixed ? s : `${s} ${offsetText(this.clock.offsetMinutes(iso!))}`;
  }
}

/** For a command checking its options before work starts: throws UnknownTimeZoneError for a zone Intl does not know. */
export function checkTimeZone(zone: string): void {
  new ZoneClock(zone);
}
