// What the readers of PC tools' output (EmoCheck, Autoruns, Source of Infection) share: the
// account a profile path belongs to, the times Windows tools write, one CSV row's fields,
// and the PC name a file was named after.
import { parse } from 'csv-parse/sync';

/** The account of a path in a user profile (`C:\Users\taro\…` → taro); null outside a profile or in a shared one. */
export function profileUser(path: string | undefined): string | null {
  if (!path) return null;
  const m = /^[a-z]:\\(?:users|documents and settings)\\([^\\]+)\\/i.exec(path.trim().replace(/^"/, ''));
  return m && !/^(?:public|default|all users|%user%)$/i.test(m[1]!) ? m[1]! : null;
}

/** A wall-clock time of the PC as ISO UTC, the PC being offsetMinutes ahead of UTC; null when it is not a real date. */
export function pcTimeToUtc(y: number, mo: number, d: number, h: number, mi: number, s: number, offsetMinutes: number): string | null {
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const c = new Date(ms);
  if (c.getUTCFullYear() !== y || c.getUTCMonth() !== mo - 1 || c.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return new Date(ms - offsetMinutes * 60_000).toISOString();
}

const MONTH_FIRST_PM = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))? ?([AP]M)$/i;

/**
 * A time a Windows tool wrote: `YYYYMMDD-hhmmss` is UTC (autorunsc -t, "normalized UTC");
 * the year-first short dates of Japanese, Chinese and ISO locales (`2024/4/1 15:26`), the
 * US `4/1/2024 3:26 PM` and the day-first dotted `1.4.2024 15:26` are the PC's local time,
 * taken as UTC plus offsetMinutes. Null for any other layout: a day-first date with slashes
 * cannot be told from a month-first one.
 */
export function parseToolTime(text: string, offsetMinutes: number): string | null {
  const t = text.trim();
  let m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})$/.exec(t);
  if (m) return pcTimeToUtc(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!, 0);
  m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  if (m) return pcTimeToUtc(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0), offsetMinutes);
  m = MONTH_FIRST_PM.exec(t);
  if (m) {
    const h = (+m[4]! % 12) + (m[7]!.toUpperCase() === 'PM' ? 12 : 0);
    return +m[4]! > 12 ? null : pcTimeToUtc(+m[3]!, +m[1]!, +m[2]!, h, +m[5]!, +(m[6] ?? 0), offsetMinutes);
  }
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  if (m) return pcTimeToUtc(+m[3]!, +m[2]!, +m[1]!, +m[4]!, +m[5]!, +(m[6] ?? 0), offsetMinutes);
  return null;
}

/** The fields of one CSV or tab-separated row; null when a quote is left open. */
export function rowFields(line: string, delimiter: string): string[] | null {
  try {
    const rows = parse(line, { delimiter, relax_quotes: true, relax_column_count: true }) as string[][];
    return rows[0] ?? [];
  } catch {
    return null;
  }
}

/** A computer name as Windows allows it (NetBIOS: 15 characters; DNS labels up to 63). */
const HOST = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;

/**
 * The PC a tool's output file was named after: `<tool>-PC-NAME.csv` or `PC-NAME_<tool>.csv`
 * (`-`, `_` or a space between), a date after the name allowed. `tool` is the expression of
 * the tool's names, `extensions` of the file's. Null when the name says nothing.
 */
export function hostBesideToolName(fileName: string, tool: string, extensions: string): string | null {
  const stem = fileName.replace(new RegExp(`\\.(?:${extensions})$`, 'i'), '');
  const m = new RegExp(`^(?:${tool})[-_ ](.+)$`, 'i').exec(stem) ?? new RegExp(`^(.+?)[-_ ](?:${tool})$`, 'i').exec(stem);
  if (!m) return null;
  const host = m[1]!.replace(/[-_ ]\d{8}(?:[-_ ]?\d{4,6})?$/, '');
  return HOST.test(host) && !/^\d+$/.test(host) ? host : null;
}
