// The feeds, indexed once for matching network logs line by line. Every lookup is a few Map
// reads, whatever the size of the feed: a log line costs the same against 100 entries or
// 1,000,000. Memory grows with the feed (about one URL string per URL entry, one per listed
// host, directory and address), not with the logs.
//
// Match strengths, strongest first (the order responders weigh them in):
//   url           the full URL, query included, as listed (a payload fetched);
//   url-no-query  the URL with the query dropped on both sides (cache-busting and tracking
//                 parameters differ between the listing and the request);
//   path-prefix   same host, and the request's path lies under the directory of a listed URL
//                 (a payload folder on a compromised site, another file name in it);
//   c2            a connection to a listed C2 address and port (Feodo Tracker, ThreatFox ip:port);
//   domain        only the host is listed (or is a subdomain of a listed domain);
//   ip            only the server's address is listed.
// A domain or an address alone is weak: compromised sites and shared hosts serve honest pages
// too. No match does not mean clean: the feeds miss some.

export type MatchStrength = 'url' | 'url-no-query' | 'path-prefix' | 'c2' | 'domain' | 'ip';
export const STRENGTH_ORDER: readonly MatchStrength[] = ['url', 'url-no-query', 'path-prefix', 'c2', 'domain', 'ip'];

/** What the index needs of a stored feed entry. */
export interface IndexedEntry {
  ref: number;
  kind: 'url' | 'domain' | 'ip' | 'ip-port';
  value: string;
  host: string | null;
  port: number | null;
  /** Tags and threat named Emotet (emotet, heodo, epoch*): preferred when several entries share a key. */
  emotet: boolean;
}

export interface UrlParts {
  /** scheme://host[:port]path, scheme and host lower case, default port dropped. */
  base: string;
  query: string | null;
  host: string;
  path: string;
}

const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443', ftp: '21' };

/**
 * A URL split for matching: scheme and host lower case, a trailing dot, userinfo, the
 * default port and the fragment dropped; the path and query kept byte for byte (servers
 * may treat case in paths as meaningful, and feeds list what was requested). A proxy's
 * "host:port" CONNECT target has no path: null.
 */
export function splitUrl(raw: string): UrlParts | null {
  const sep = raw.indexOf('://');
  if (sep <= 0 || sep > 10) return null;
  const scheme = raw.slice(0, sep).toLowerCase();
  let i = sep + 3;
  let end = raw.length;
  for (let j = i; j < raw.length; j++) {
    const c = raw.charCodeAt(j);
    if (c === 47 || c === 63 || c === 35) {
      end = j;
      break;
    }
  }
  let authority = raw.slice(i, end);
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1);
  let host = authority;
  let port = '';
  const close = authority.lastIndexOf(']');
  const colon = authority.lastIndexOf(':');
  if (colon > close && colon >= 0) {
    host = authority.slice(0, colon);
    port = authority.slice(colon + 1);
  }
  host = host.toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (!host) return null;
  if (port === DEFAULT_PORTS[scheme]) port = '';
  i = end;
  const hash = raw.indexOf('#', i);
  const stop = hash < 0 ? raw.length : hash;
  const q = raw.indexOf('?', i);
  const path = q >= 0 && q < stop ? raw.slice(i, q) : raw.slice(i, stop);
  const query = q >= 0 && q < stop ? raw.slice(q + 1, stop) : null;
  const p = path === '' ? '/' : path;
  return { base: `${scheme}://${host}${port ? `:${port}` : ''}${p}`, query, host, path: p };
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function isIpLiteral(host: string): boolean {
  return IPV4.test(host) || host.includes(':');
}

export interface FeedMatch {
  strength: MatchStrength;
  ref: number;
}

/** One event's facts the index looks at. */
export interface Matchable {
  url: string | null;
  host: string | null;
  dstIp: string | null;
  dstPort: number | null;
}

export class FeedIndex {
  /** URL without query → entries listed under it, each with its query (null: none). */
  private readonly urls = new Map<string, { ref: number; query: string | null; emotet: boolean }[]>();
  /** Host → directory (path up to and with its last '/', not the root) → entry. */
  private readonly dirs = new Map<string, Map<string, number>>();
  /** Listed URL hosts (exact) and listed domains (with their subdomains). */
  private readonly urlHosts = new Map<string, number>();
  private readonly domains = new Map<string, number>();
  private readonly ips = new Map<string, number>();
  private readonly ipPorts = new Map<string, number>();
  private readonly emotetRefs = new Set<number>();
  size = 0;

  add(e: IndexedEntry): void {
    this.size++;
    if (e.emotet) this.emotetRefs.add(e.ref);
    if (e.kind === 'url') {
      const u = splitUrl(e.value);
      if (!u) return;
      const list = this.urls.get(u.base);
      if (list) list.push({ ref: e.ref, query: u.query, emotet: e.emotet });
      else this.urls.set(u.base, [{ ref: e.ref, query: u.query, emotet: e.emotet }]);
      const slash = u.path.lastIndexOf('/');
      if (slash > 0) {
        const dir = u.path.slice(0, slash + 1);
        let m = this.dirs.get(u.host);
        if (!m) this.dirs.set(u.host, (m = new Map()));
        this.keep(m, dir, e);
      }
      this.keep(isIpLiteral(u.host) ? this.ips : this.urlHosts, u.host, e);
    } else if (e.kind === 'domain' && e.host) this.keep(this.domains, e.host, e);
    else if (e.kind === 'ip' && e.host) this.keep(this.ips, e.host, e);
    else if (e.kind === 'ip-port' && e.host) {
      if (e.port !== null) this.keep(this.ipPorts, `${e.host}:${e.port}`, e);
      this.keep(this.ips, e.host, e);
    }
  }

  /** One entry per key: the first, unless a later one names Emotet and the first does not. */
  private keep(m: Map<string, number>, key: string, e: IndexedEntry): void {
    const had = m.get(key);
    if (had === undefined || (e.emotet && !this.emotetRefs.has(had))) m.set(key, e.ref);
  }

  /** The strongest match of one event, or null. */
  match(ev: Matchable): FeedMatch | null {
    let host = ev.host;
    if (ev.url) {
      const u = splitUrl(ev.url);
      if (u) {
        host = u.host;
        const listed = this.urls.get(u.base);
        if (listed) {
          const exact = listed.find((x) => x.query === u.query);
          if (exact) return { strength: 'url', ref: exact.ref };
          return { strength: 'url-no-query', ref: (listed.find((x) => x.emotet) ?? listed[0]!).ref };
        }
        const dirs = this.dirs.get(u.host);
        if (dirs) {
          // Deepest listed directory first: /wp-content/uploads/x/ before /wp-content/.
          for (let j = u.path.length - 1; j > 0; j--) {
            if (u.path.charCodeAt(j) !== 47) continue;
            const ref = dirs.get(u.path.slice(0, j + 1));
            if (ref !== undefined) return { strength: 'path-prefix', ref };
          }
        }
      }
    }
    if (ev.dstIp && ev.dstPort !== null) {
      const ref = this.ipPorts.get(`${ev.dstIp}:${ev.dstPort}`);
      if (ref !== undefined) return { strength: 'c2', ref };
    }
    if (host) {
      if (host.endsWith('.')) host = host.slice(0, -1);
      const ref = this.urlHosts.get(host) ?? this.domainOf(host);
      if (ref !== undefined) return { strength: 'domain', ref };
    }
    const ip = ev.dstIp ?? (host && isIpLiteral(host) ? host : null);
    if (ip) {
      const ref = this.ips.get(ip);
      if (ref !== undefined) return { strength: 'ip', ref };
    }
    return null;
  }

  /** A listed domain that is the host or one of its parents. */
  private domainOf(host: string): number | undefined {
    if (this.domains.size === 0) return undefined;
    let h = host;
    for (;;) {
      const ref = this.domains.get(h);
      if (ref !== undefined) return ref;
      const dot = h.indexOf('.');
      if (dot < 0) return undefined;
      h = h.slice(dot + 1);
    }
  }
}
