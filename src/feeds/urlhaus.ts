// URLhaus (abuse.ch) exports: the CSV database dumps (full `csv.txt`, `csv_online`,
// `csv_recent`) and the plain-text URL lists (`text`, `text_online`, `text_recent`).
// The CSV dumps start with a "#" banner whose last line names the columns, commented:
//   # id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter
// then one quoted row per URL; `tags` is itself comma-separated, `dateadded` is UTC.
// Dumps from before `last_online` was added (2020) have eight columns; a dump whose header
// line was cut off is read by its column count.
// Source: https://urlhaus.abuse.ch/api/ (database dumps), and the banners of real dumps.
import { cell, CsvLayout, isCommentOrBlank, tagList, utcStamp, type FeedRowReader, type RowOutcome } from './feed-row.js';
import { normaliseUrl } from './indicator.js';

export const URLHAUS_COLUMNS = ['id', 'dateadded', 'url', 'url_status', 'last_online', 'threat', 'tags', 'urlhaus_link', 'reporter'] as const;
/** The layout before `last_online` was added. */
export const URLHAUS_COLUMNS_V1 = ['id', 'dateadded', 'url', 'url_status', 'threat', 'tags', 'urlhaus_link', 'reporter'] as const;

/** A header line, commented or not: `id,dateadded,url,…`. */
export function isUrlhausHeader(text: string): boolean {
  return /^#?\s*"?id"?\s*,\s*"?dateadded"?\s*,\s*"?url"?/i.test(text.trim());
}

export class UrlhausCsvReader implements FeedRowReader {
  readonly source = 'urlhaus' as const;
  readonly format = 'urlhaus-csv';
  private readonly layout = new CsvLayout(isUrlhausHeader, [URLHAUS_COLUMNS, URLHAUS_COLUMNS_V1]);

  row(text: string, line: number): RowOutcome {
    const cells = this.layout.read(text);
    if (typeof cells !== 'function') return cells;
    const get = cells;
    const raw = cell(get('url'));
    const u = raw ? normaliseUrl(raw) : null;
    if (!u) return { unreadable: raw ? 'not a URL' : 'no url' };
    return {
      source: 'urlhaus',
      line,
      kind: 'url',
      value: u.url,
      host: u.host,
      port: u.port,
      id: cell(get('id')),
      dateAdded: utcStamp(get('dateadded')),
      threat: cell(get('threat')),
      tags: tagList(get('tags')),
      status: cell(get('urlstatus'))?.toLowerCase() ?? null,
      reference: cell(get('urlhauslink')),
    };
  }
}

/** The plain-text lists: one URL a line, "#" comments. */
export class UrlhausTextReader implements FeedRowReader {
  readonly source = 'urlhaus' as const;
  readonly format = 'urlhaus-text';

  row(text: string, line: number): RowOutcome {
    if (isCommentOrBlank(text)) return 'ignore';
    const u = normaliseUrl(text.trim());
    if (!u) return { unreadable: 'not a URL' };
    return { source: 'urlhaus', line, kind: 'url', value: u.url, host: u.host, port: u.port, id: null, dateAdded: null, threat: null, tags: [], status: null, reference: null };
  }
}
