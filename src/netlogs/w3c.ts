// W3C extended log files (W3C Working Draft WD-logfile-960323): directives on "#" lines, the
// data lines' columns named by the last "#Fields:" directive, which may come again mid-file
// (a proxy restarted, IIS rolled its settings) with another order. Written by Blue Coat
// ProxySG (its "main" format), IIS, Forefront TMG, Oracle Web Cache and others.
// Times: the draft says date and time are UTC; the IIS Advanced Logging "date-local" and
// "time-local" fields are the server's local time and take `offsetMinutes` (0 by default).
import { countUnreadable, DateTimeClock, hostOfUrl, looksLikeIp, newNetLogStats, normaliseHost, orNull, splitW3cFields, toPort, type NetLineParser } from './common.js';
import type { NetEvent, NetLogStats } from './types.js';

/** Field positions for one "#Fields:" directive; -1 where the log has no such field. */
interface Layout {
  count: number;
  date: number;
  time: number;
  dateLocal: number;
  timeLocal: number;
  clientIp: number;
  clientName: number;
  user: number;
  host: number;
  scheme: number;
  port: number;
  path: number;
  query: number;
  uri: number;
  method: number;
  remoteIp: number;
  remotePort: number;
  serverIp: number;
  serverPort: number;
  action: number;
  filterResult: number;
  status: number;
  /** A proxy's log: s-ip is then the proxy itself, not the server the client reached. */
  proxy: boolean;
}

function firstOf(names: string[], ...wanted: string[]): number {
  for (const w of wanted) {
    const i = names.indexOf(w);
    if (i >= 0) return i;
  }
  return -1;
}

/** The layout of a "#Fields:" directive; identifiers are matched without regard to case. */
export function w3cLayout(fieldsLine: string): Layout {
  const names = fieldsLine
    .slice(fieldsLine.indexOf(':') + 1)
    .trim()
    .split(/\s+/)
    .map((n) => n.toLowerCase());
  const has = (n: string) => names.includes(n);
  return {
    count: names.length,
    date: firstOf(names, 'date'),
    time: firstOf(names, 'time'),
    dateLocal: firstOf(names, 'date-local'),
    timeLocal: firstOf(names, 'time-local'),
    clientIp: firstOf(names, 'c-ip'),
    clientName: firstOf(names, 'c-dns'),
    user: firstOf(names, 'cs-username', 'c-auth-id', 'cs-userdn'),
    host: firstOf(names, 'cs-host', 'cs(host)', 'cs-uri-host'),
    scheme: firstOf(names, 'cs-uri-scheme'),
    port: firstOf(names, 'cs-uri-port'),
    path: firstOf(names, 'cs-uri-stem', 'cs-uri-path'),
    query: firstOf(names, 'cs-uri-query'),
    uri: firstOf(names, 'cs-uri'),
    method: firstOf(names, 'cs-method'),
    remoteIp: firstOf(names, 'r-ip', 's-supplier-ip'),
    remotePort: firstOf(names, 'r-port'),
    serverIp: firstOf(names, 's-ip'),
    serverPort: firstOf(names, 's-port'),
    action: firstOf(names, 's-action'),
    filterResult: firstOf(names, 'sc-filter-result'),
    status: firstOf(names, 'sc-status'),
    proxy: has('s-action') || has('sc-filter-result') || has('x-exception-id') || has('cs-uri-scheme') || has('r-ip') || has('s-supplier-ip') || has('s-supplier-name'),
  };
}

const DEFAULT_PORT: Record<string, number> = { http: 80, https: 443, ftp: 21 };

export class W3cParser implements NetLineParser {
  readonly stats: NetLogStats = newNetLogStats();
  private layout: Layout | null = null;
  private headerDate: string | null = null;
  private readonly utc = new DateTimeClock(0);
  private readonly local: DateTimeClock;

  /** `offsetMinutes`: the server's zone for date-local/time-local, east of UTC. */
  constructor(offsetMinutes = 0) {
    this.local = new DateTimeClock(offsetMinutes);
  }

  line(lineNo: number, text: string): NetEvent | null {
    this.stats.lines++;
    if (text.charCodeAt(0) === 0x23 /* # */) {
      this.directive(text);
      this.stats.recognised++;
      return null;
    }
    if (text.trim() === '') {
      this.stats.recognised++;
      return null;
    }
    const e = this.layout ? this.read(lineNo, text, this.layout) : null;
    if (e) this.stats.recognised++;
    else countUnreadable(this.stats, lineNo, text);
    return e;
  }

  private directive(text: string): void {
    const lower = text.slice(0, 12).toLowerCase();
    if (lower.startsWith('#fields:')) this.layout = w3cLayout(text);
    else if (lower.startsWith('#date:')) {
      const d = text.slice(6).trim().slice(0, 10);
      this.headerDate = d.length === 10 ? d : null;
    }
  }

  private read(lineNo: number, text: string, L: Layout): NetEvent | null {
    const f = splitW3cFields(text);
    if (f.length !== L.count) return null;
    const get = (i: number): string | null => (i >= 0 ? orNull(f[i]) : null);
    let time: string | null = null;
    if (L.time >= 0) {
      const date = L.date >= 0 ? f[L.date]! : this.headerDate;
      time = date ? this.utc.iso(date, f[L.time]!) : null;
      if (time === null) return null;
    } else if (L.timeLocal >= 0 && L.dateLocal >= 0) {
      time = this.local.iso(f[L.dateLocal]!, f[L.timeLocal]!);
      if (time === null) return null;
    }
    const method = get(L.method);
    const rawHost = get(L.host);
    const host = rawHost ? hostOfUrl(rawHost) : null;
    const scheme = get(L.scheme)?.toLowerCase() ?? null;
    const uriPort = toPort(get(L.port) ?? undefined);
    const serverPort = toPort(get(L.serverPort) ?? undefined);
    const url = this.url(L, get, method, rawHost, scheme, uriPort, serverPort);
    const client = get(L.clientIp);
    const remoteIp = get(L.remoteIp);
    const serverIp = get(L.serverIp);
    return {
      line: lineNo,
      time,
      kind: 'http',
      clientIp: client && looksLikeIp(client) ? client : null,
      clientName: normaliseHost(get(L.clientName)),
      user: get(L.user),
      url,
      host: host ?? (url ? hostOfUrl(url) : null),
      dstIp: remoteIp && looksLikeIp(remoteIp) ? remoteIp : !L.proxy && serverIp && looksLikeIp(serverIp) ? serverIp : null,
      dstPort: toPort(get(L.remotePort) ?? undefined) ?? uriPort ?? (L.proxy ? (url ? defaultPortOf(url) : null) : serverPort),
      action: get(L.action) ?? get(L.filterResult) ?? get(L.status),
    };
  }

  /**
   * The URL from the log's parts: cs-uri when the log has it, else scheme://host[:port]path?query.
   * A CONNECT (or Blue Coat's "tcp"/"ssl" tunnel scheme) is "host:port", as a proxy's request
   * line has it. Without cs-uri-scheme (IIS), the scheme is taken from the port: https on 443.
   */
  private url(L: Layout, get: (i: number) => string | null, method: string | null, host: string | null, scheme: string | null, uriPort: number | null, serverPort: number | null): string | null {
    // The Host header as written: with its own port when the client sent one.
    const hostHasPort = host !== null && host.lastIndexOf(':') > host.lastIndexOf(']') && host.indexOf(':') === host.lastIndexOf(':');
    const uri = get(L.uri);
    if (uri) {
      if (uri.charCodeAt(0) !== 0x2f || !host) return uri;
      const sch = scheme ?? ((uriPort ?? serverPort) === 443 ? 'https' : 'http');
      return `${sch}://${host}${uri}`;
    }
    const path = get(L.path);
    const rawQuery = get(L.query);
    const query = rawQuery ? (rawQuery.charCodeAt(0) === 0x3f ? rawQuery : '?' + rawQuery) : '';
    if (!host) return path ? path + query : null;
    if (method === 'CONNECT' || scheme === 'tcp' || scheme === 'ssl') return hostHasPort ? host : `${host}:${uriPort ?? 443}`;
    const port = uriPort ?? serverPort;
    const sch = scheme ?? (port === 443 ? 'https' : 'http');
    const portPart = !hostHasPort && port !== null && port !== DEFAULT_PORT[sch] ? `:${port}` : '';
    return `${sch}://${host}${portPart}${path ?? '/'}${query}`;
  }
}

function defaultPortOf(url: string): number | null {
  const sep = url.indexOf('://');
  if (sep < 0) {
    const colon = url.lastIndexOf(':');
    return colon > 0 ? toPort(url.slice(colon + 1)) : null;
  }
  return DEFAULT_PORT[url.slice(0, sep).toLowerCase()] ?? null;
}
