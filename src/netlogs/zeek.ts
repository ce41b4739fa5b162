// Zeek (formerly Bro) http.log, dns.log and conn.log, in either of Zeek's writers:
// - ASCII (TSV): "#separator \x09", "#unset_field -", "#path http", "#fields ts uid id.orig_h …"
//   directives, then one record per line; the directives may come again (a rotated log
//   concatenated to the next), and each "#fields" line sets the columns from there on.
// - JSON (LogAscii::use_json): one object per line, unset fields left out, ts as epoch seconds
//   or, with JSON::TS_ISO8601, an ISO 8601 string.
// Zeek writes epoch times: UTC, no offset to apply.
import { countUnreadable, EpochClock, looksLikeIp, newNetLogStats, normaliseHost, toPort, type NetLineParser } from './common.js';
import type { NetEvent, NetLogFormat, NetLogStats } from './types.js';

export type ZeekPath = 'http' | 'dns' | 'conn';

export function zeekPathOf(format: NetLogFormat): ZeekPath | null {
  return format === 'zeek-http' ? 'http' : format === 'zeek-dns' ? 'dns' : format === 'zeek-conn' ? 'conn' : null;
}

/** The columns a record needs, by position in the current "#fields" line (-1: not logged). */
interface Columns {
  count: number;
  ts: number;
  origH: number;
  respH: number;
  respP: number;
  proto: number;
  method: number;
  host: number;
  uri: number;
  username: number;
  query: number;
  rcodeName: number;
}

function columns(names: string[]): Columns {
  const at = (n: string) => names.indexOf(n);
  return {
    count: names.length,
    ts: at('ts'),
    origH: at('id.orig_h'),
    respH: at('id.resp_h'),
    respP: at('id.resp_p'),
    proto: at('proto'),
    method: at('method'),
    host: at('host'),
    uri: at('uri'),
    username: at('username'),
    query: at('query'),
    rcodeName: at('rcode_name'),
  };
}

/** What a record says, whichever writer wrote it; undefined or null: not logged. */
interface ZeekRecord {
  time: string | null;
  origH: string | null;
  respH: string | null;
  respP: number | null;
  proto: string | null;
  method: string | null;
  host: string | null;
  uri: string | null;
  username: string | null;
  query: string | null;
  rcodeName: string | null;
}

/** Zeek's "#separator \x09" directive writes the separator as \x escapes. */
function unescapeSeparator(s: string): string {
  return s.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** Host header to host name: without a port, lower case ("www.example.com:8080" → "www.example.com"). */
function hostHeaderName(h: string): string | null {
  if (h.charCodeAt(0) === 0x5b) {
    const close = h.indexOf(']');
    return close > 0 ? normaliseHost(h.slice(1, close)) : null;
  }
  const colon = h.indexOf(':');
  return normaliseHost(colon >= 0 && colon === h.lastIndexOf(':') ? h.slice(0, colon) : h);
}

/**
 * The request's URL from the Host header and the URI: Zeek sees plain HTTP only, so the
 * scheme is http; an absolute URI (a request to a proxy) and a CONNECT target stand as written.
 */
function zeekUrl(method: string | null, host: string | null, uri: string | null): string | null {
  if (!uri) return null;
  if (method === 'CONNECT' || uri.charCodeAt(0) !== 0x2f) return uri;
  return host ? `http://${host}${uri}` : uri;
}

export class ZeekParser implements NetLineParser {
  readonly stats: NetLogStats = newNetLogStats();
  private separator = '\t';
  private unset = '-';
  private empty = '(empty)';
  private cols: Columns | null = null;
  private path: string;
  private readonly clock = new EpochClock();

  /** `path`: the log expected (from the format); a "#path" directive or a JSON "_path" overrides it. */
  constructor(path: ZeekPath) {
    this.path = path;
  }

  line(lineNo: number, text: string): NetEvent | null {
    this.stats.lines++;
    const c = text.charCodeAt(0);
    if (c === 0x23 /* # */) {
      this.directive(text);
      this.stats.recognised++;
      return null;
    }
    if (text.length === 0 || text.trim() === '') {
      this.stats.recognised++;
      return null;
    }
    const rec = c === 0x7b /* { */ ? this.json(text) : this.tsv(text);
    if (rec === undefined) {
      countUnreadable(this.stats, lineNo, text);
      return null;
    }
    this.stats.recognised++;
    if (rec === null) return null;
    return this.event(lineNo, rec);
  }

  private directive(text: string): void {
    if (text.startsWith('#separator ')) {
      this.separator = unescapeSeparator(text.slice(11));
      return;
    }
    const sep = text.indexOf(this.separator);
    if (sep < 0) return;
    const name = text.slice(1, sep);
    const value = text.slice(sep + this.separator.length);
    if (name === 'fields') this.cols = columns(value.split(this.separator));
    else if (name === 'unset_field') this.unset = value;
    else if (name === 'empty_field') this.empty = value;
    else if (name === 'path') this.path = value;
  }

  /** A TSV record; null for a log of another path, undefined when it cannot be read. */
  private tsv(text: string): ZeekRecord | null | undefined {
    const C = this.cols;
    if (!C) return undefined;
    const f = text.split(this.separator);
    if (f.length !== C.count) return undefined;
    if (this.path !== 'http' && this.path !== 'dns' && this.path !== 'conn') return null;
    const get = (i: number): string | null => {
      if (i < 0) return null;
      const v = f[i]!;
      return v === this.unset || v === this.empty || v === '' ? null : v;
    };
    const ts = get(C.ts);
    return {
      // A baseline with its times masked ("XXXXXXXXXX.XXXXXX") is a record without a time.
      time: ts ? this.clock.iso(ts) : null,
      origH: get(C.origH),
      respH: get(C.respH),
      respP: toPort(get(C.respP) ?? undefined),
      proto: get(C.proto),
      method: get(C.method),
      host: get(C.host),
      uri: get(C.uri),
      username: get(C.username),
      query: get(C.query),
      rcodeName: get(C.rcodeName),
    };
  }

  private json(text: string): ZeekRecord | null | undefined {
    let o: Record<string, unknown>;
    try {
      const v: unknown = JSON.parse(text);
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
      o = v as Record<string, unknown>;
    } catch {
      return undefined;
    }
    const path = typeof o._path === 'string' ? o._path : this.path;
    if (path !== 'http' && path !== 'dns' && path !== 'conn') return null;
    this.path = path;
    const str = (k: string): string | null => {
      const v = o[k];
      return typeof v === 'string' && v !== '' && v !== '-' ? v : typeof v === 'number' ? String(v) : null;
    };
    const ts = o.ts;
    let time: string | null = null;
    if (typeof ts === 'number') {
      const d = new Date(ts * 1000);
      time = Number.isNaN(d.getTime()) ? null : d.toISOString();
    } else if (typeof ts === 'string') {
      const t = Date.parse(ts);
      time = Number.isNaN(t) ? null : new Date(t).toISOString();
    }
    const respP = o['id.resp_p'];
    return {
      time,
      origH: str('id.orig_h'),
      respH: str('id.resp_h'),
      respP: typeof respP === 'number' && Number.isInteger(respP) && respP >= 0 && respP <= 65535 ? respP : null,
      proto: str('proto'),
      method: str('method'),
      host: str('host'),
      uri: str('uri'),
      username: str('username'),
      query: str('query'),
      rcodeName: str('rcode_name'),
    };
  }

  private event(lineNo: number, r: ZeekRecord): NetEvent {
    const kind = this.path === 'http' ? 'http' : this.path === 'dns' ? 'dns' : 'conn';
    const clientIp = r.origH && looksLikeIp(r.origH) ? r.origH : null;
    const dstIp = r.respH && looksLikeIp(r.respH) ? r.respH : null;
    // For ICMP, Zeek's port fields hold the message type and code.
    const dstPort = r.proto === 'icmp' ? null : r.respP;
    if (kind === 'http') {
      return {
        line: lineNo,
        time: r.time,
        kind,
        clientIp,
        clientName: null,
        user: r.username,
        url: zeekUrl(r.method, r.host, r.uri),
        host: r.host ? hostHeaderName(r.host) : r.method === 'CONNECT' && r.uri ? connectHost(r.uri) : null,
        dstIp,
        dstPort,
        action: null,
      };
    }
    return {
      line: lineNo,
      time: r.time,
      kind,
      clientIp,
      clientName: null,
      user: null,
      url: null,
      host: kind === 'dns' ? normaliseHost(r.query) : null,
      dstIp,
      dstPort,
      // A sensor does not act; the DNS response code is the one outcome it states.
      action: kind === 'dns' ? r.rcodeName : null,
    };
  }
}

/** The host of a CONNECT target "host:port" (Zeek may log "host:port /"). */
function connectHost(uri: string): string | null {
  const target = uri.split(' ')[0]!;
  return hostHeaderName(target);
}
