// Classic syslog time stamps carry no zone. Where log records are linked to mailbox copies,
// the copy's Received line written by the same host carries the true time: when most pairs
// disagree by the same whole number of hours, the log was written in another zone, and the
// --log-utc-offset that makes them agree is the difference.
import type { ReceivedHop } from '../mail/received.js';

export interface ClockCheck {
  /** Pairs of a log record and its host's Received line compared. */
  compared: number;
  /** Of those, pairs within two minutes of the common offset. */
  agreeing: number;
  /** Whole hours the stored times run ahead of true UTC; 0 when they agree; null when too few pairs tell. */
  offsetHours: number | null;
  /** The --log-utc-offset, in minutes, that makes them agree (the one used plus the difference). */
  suggestedOffsetMinutes: number | null;
}

/** Two minutes: the log line and the Received line are written within seconds of each other. */
const TOLERANCE_MS = 2 * 60_000;
/** Pairs needed before anything is said. */
const MIN_PAIRS = 5;

export function checkLogClock(pairs: { logTime: string; host: string; receivedJson: string; offsetMinutes: number }[]): ClockCheck {
  const hours = new Map<number, number>();
  let compared = 0;
  for (const p of pairs) {
    const short = p.host.toLowerCase().split('.')[0]!;
    const hop = (JSON.parse(p.receivedJson) as ReceivedHop[]).find((h) => h.date && h.byHost && h.byHost.toLowerCase().split('.')[0] === short);
    if (!hop?.date) continue;
    const diff = Date.parse(p.logTime) - Date.parse(hop.date);
    const h = Math.round(diff / 3_600_000);
    if (Math.abs(diff - h * 3_600_000) > TOLERANCE_MS) continue;
    compared++;
    hours.set(h, (hours.get(h) ?? 0) + 1);
  }
  if (compared < MIN_PAIRS) return { compared, agreeing: 0, offsetHours: null, suggestedOffsetMinutes: null };
  const [best, n] = [...hours].sort((a, b) => b[1] - a[1])[0]!;
  if (n * 5 < compared * 4) return { compared, agreeing: n, offsetHours: null, suggestedOffsetMinutes: null };
  // Stored = local − offset used; true = local − true offset: the true offset is the used one plus the difference.
  const used = pairs[0]?.offsetMinutes ?? 0;
  return { compared, agreeing: n, offsetHours: best, suggestedOffsetMinutes: used + best * 60 };
}
