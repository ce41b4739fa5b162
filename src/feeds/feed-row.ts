// What every feed reader shares: a row-at-a-time interface (feeds are streamed, a full
// URLhaus export has over a million rows), a CSV line splitter for abuse.ch's exports,
// and the small cell conversions (UTC stamps, tag lists, the "None" ThreatFox writes for
// an empty cell).
import type { FeedEntry, FeedSource } from './types.js';

/**
 * What one line of a feed gave: an entry; nothing (a comment, the header, a blank line);
 * an indicator the network logs cannot match (a file hash, a mail address), counted apart;
 * or an unreadable row, with the reason.
 */
export type RowOutcome = FeedEntry | 'ignore' | { unmatchable: 'hash' | 'email' } | { unreadable: string };

export interface FeedRowReader {
  readonly source: FeedSource;
  readonly format: string;
  row(text: string, line: number): RowOutcome;
}

/**
 * The fields of one CSV line. abuse.ch quotes every field and ThreatFox puts a space after
 * each comma (`"a", "b"`); white space around a quoted field is dropped, inside it kept.
 * Null when a quote is left open: the exports never break a field over lines, so that row
 * is damaged.
 */
export function splitCsvLine(line: string, sep = ','): string[] | null {
  const out: string[] = [];
  const n = line.length;
  let i = 0;
  for (;;) {
    while (i < n && (line[i] === ' ' || line[i] === '\t') && line[i] !== sep) i++;
    if (i < n && line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return null;
        v += line.slice(i, q);
        if (line[q + 1] === '"') {
          v += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      while (i < n && line[i] !== sep) i++;
      out.push(v);
    } else {
      const next = line.indexOf(sep, i);
      const stop = next < 0 ? n : next;
      out.push(line.slice(i, stop).trim());
      i = stop;
    }
    if (i >= n) return out;
    i++; // the separator
    if (i === n) {
      out.push('');
      return out;
    }
  }
}

/** Lower case, no separators: `"first_seen_utc"`, `First Seen UTC` → `firstseenutc`. */
export function columnKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Column key → index, from a header row. */
export function columnIndex(header: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  header.forEach((h, i) => {
    const k = columnKey(h);
    if (k && !m.has(k)) m.set(k, i);
  });
  return m;
}

/** A cell's text, or null when empty or the "None"/"null" placeholder of the exports. */
export function cell(v: string | undefined): string | null {
  const t = (v ?? '').trim();
  return t === '' || t === 'None' || t === 'null' || t === 'NULL' ? null : t;
}

/**
 * An abuse.ch time stamp ("2021-01-17 07:44:46", with or without " UTC" or "(UTC)"; all
 * their exports are in UTC) as ISO; null when it is none.
 */
export function utcStamp(v: string | undefined): string | null {
  const t = cell(v);
  if (!t) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*(?:Z|UTC|\(UTC\)|\+0{2}:?0{2})?$/i.exec(t);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  const d = new Date(ms);
  if (Number.isNaN(ms) || d.getUTCDate() !== Number(m[3])) return null;
  return d.toISOString();
}

/** A comma-separated tag cell as lower-case tags, without empties and duplicates. */
export function tagList(v: string | readonly string[] | null | undefined): string[] {
  if (!v) return [];
  const parts = typeof v === 'string' ? v.split(',') : v;
  const out: string[] = [];
  for (const p of parts) {
    const t = cell(String(p))?.toLowerCase();
    if (t && !out.includes(t)) out.push(t);
  }
  return out;
}

/** A cell of a data row as a "#" comment or blank: never an entry. */
export function isCommentOrBlank(text: string): boolean {
  const t = text.trimStart();
  return t === '' || t.startsWith('#');
}

/** A cell of one row by its column key (columnKey), or undefined when the layout has none. */
export type RowCells = (key: string) => string | undefined;

/**
 * The header-and-row handling abuse.ch's CSV exports share: a header line (commented or
 * not) names the columns; without one, a row's field count picks one of the published
 * layouts. Gives 'ignore' for the header, comments and blank lines, an unreadable outcome,
 * or the row's cells.
 */
export class CsvLayout {
  private cols: Map<string, number> | null = null;

  constructor(
    private readonly isHeader: (text: string) => boolean,
    private readonly layouts: readonly (readonly string[])[],
  ) {}

  read(text: string): 'ignore' | { unreadable: string } | RowCells {
    if (this.isHeader(text)) {
      const f = splitCsvLine(text.trim().replace(/^#\s*/, ''));
      if (f) this.cols = columnIndex(f);
      return 'ignore';
    }
    if (isCommentOrBlank(text)) return 'ignore';
    const f = splitCsvLine(text);
    if (!f) return { unreadable: 'unclosed quote' };
    const layout = this.layouts.find((l) => l.length === f.length);
    const cols = this.cols ?? (layout ? columnIndex(layout) : null);
    if (!cols) return { unreadable: `${f.length} fields and no header line` };
    return (key) => {
      const i = cols.get(key);
      return i === undefined ? undefined : f[i];
    };
  }
}
