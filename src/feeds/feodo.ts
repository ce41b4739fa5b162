// Feodo Tracker (abuse.ch) botnet C2 blocklists: the CSV (`ipblocklist.csv`, also the
// `_recommended` and `_aggressive` variants) and the plain lists (`ipblocklist.txt` …, one
// address a line). Feodo Tracker lists Emotet (which it calls Heodo), Dridex, TrickBot,
// QakBot and others; a row is a C2 address and port.
// Current CSV: a "#" banner, then a quoted header row, not commented:
//   "first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"
// Before 2021 the header was a comment: `# Firstseen,DstIP,DstPort,LastOnline,Malware`
// (unquoted rows). Both are read by column name; times are UTC.
// Source: https://feodotracker.abuse.ch/blocklist/ and the banners of real downloads.
import { cell, CsvLayout, isCommentOrBlank, utcStamp, type FeedRowReader, type RowOutcome } from './feed-row.js';
import { isIpAddress, normaliseHost } from './indicator.js';

export const FEODO_COLUMNS = ['first_seen_utc', 'dst_ip', 'dst_port', 'c2_status', 'last_online', 'malware'] as const;
/** The header of the CSV before 2021. */
export const FEODO_COLUMNS_V1 = ['Firstseen', 'DstIP', 'DstPort', 'LastOnline', 'Malware'] as const;

/** A Feodo header line, commented or not, current or old. */
export function isFeodoHeader(text: string): boolean {
  const t = text.trim().replace(/^#\s*/, '');
  return /^"?first_seen_utc"?\s*,\s*"?dst_ip"?/i.test(t) || /^firstseen\s*,\s*dstip\s*,\s*dstport\s*,.*malware/i.test(t);
}

export class FeodoCsvReader implements FeedRowReader {
  readonly source = 'feodo' as const;
  readonly format = 'feodo-ipblocklist-csv';
  private readonly layout = new CsvLayout(isFeodoHeader, [FEODO_COLUMNS, FEODO_COLUMNS_V1]);

  row(text: string, line: number): RowOutcome {
    const cells = this.layout.read(text);
    if (typeof cells !== 'function') return cells;
    const get = (...keys: string[]): string | undefined => keys.map(cells).find((v) => v !== undefined);
    const ip = normaliseHost(cell(get('dstip')) ?? '');
    if (!ip || !isIpAddress(ip)) return { unreadable: 'dst_ip is not an IP address' };
    const portText = cell(get('dstport'));
    const port = portText && /^\d{1,5}$/.test(portText) ? Number(portText) : null;
    if (port === null || port === 0 || port > 65535) return { unreadable: 'dst_port is not a port' };
    return {
      source: 'feodo',
      line,
      kind: 'ip-port',
      value: ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`,
      host: ip,
      port,
      id: null,
      dateAdded: utcStamp(get('firstseenutc', 'firstseen')),
      threat: cell(get('malware')),
      tags: [],
      status: cell(get('c2status'))?.toLowerCase() ?? null,
      reference: null,
    };
  }
}

/** The plain lists: one C2 address a line, "#" comments (the banner, `# END n entries`). */
export class FeodoTextReader implements FeedRowReader {
  readonly source = 'feodo' as const;
  readonly format = 'feodo-ipblocklist-txt';

  row(text: string, line: number): RowOutcome {
    if (isCommentOrBlank(text)) return 'ignore';
    const ip = normaliseHost(text.trim());
    if (!ip || !isIpAddress(ip)) return { unreadable: 'not an IP address' };
    return { source: 'feodo', line, kind: 'ip', value: ip, host: ip, port: null, id: null, dateAdded: null, threat: null, tags: [], status: null, reference: null };
  }
}
