// One normal form for URLs, hosts and addresses, shared by the feed readers and the matcher:
// a URL listed by URLhaus and the same URL requested through a proxy must become the same
// string, or the match is missed. The rules are those of RFC 3986 section 6.2.2 that a
// server cannot tell apart (scheme and host case, the default port) plus the spellings
// threat reports use to keep indicators from being clickable (hxxp, [.], (.), [:]).
// Paths and queries are kept byte for byte: servers may treat their case as meaningful, and
// a feed lists exactly what was requested.
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, ftp: 21 };

/** The defanged spellings undone: hxxp(s)://, h**p://, [.] (.) {.} [dot] (dot), [:] and [://]. */
export function undefang(raw: string): string {
  let s = raw.trim();
  if (!/[[({]|h(?:xx|\*\*|__)p/i.test(s)) return s;
  s = s.replace(/^h(?:xx|\*\*|__)p(s?)(?=\[?:)/i, 'http$1');
  s = s.replace(/\[:\/\/\]/g, '://').replace(/\[:\]|\(:\)/g, ':');
  s = s.replace(/\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)/gi, '.');
  return s;
}

/**
 * A host in normal form: lower case, no trailing dot, no IPv6 brackets, international names
 * in their ASCII (punycode) form as DNS and proxies carry them, an IPv4-mapped IPv6
 * address as its IPv4 address. Null when it is not a host name or address.
 */
export function normaliseHost(raw: string): string | null {
  let h = raw.trim();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  h = h.toLowerCase();
  while (h.endsWith('.')) h = h.slice(0, -1);
  if (!h) return null;
  if (h.includes(':')) {
    if (isIP(h) !== 6) return null;
    const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(h);
    return mapped ? mapped[1]! : h;
  }
  if (/[^\x00-\x7f]/.test(h)) {
    const ascii = domainToASCII(h);
    if (!ascii) return null;
    h = ascii;
  }
  if (!/^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/.test(h)) return null;
  return h;
}

export interface NormalisedUrl {
  /** scheme://host[:port]path[?query]: scheme and host lower case, default port, userinfo and fragment dropped. */
  url: string;
  scheme: string;
  host: string;
  /** The port the URL names, when it is not the scheme's default. */
  port: number | null;
  path: string;
  /** The query without its '?', as written; null when the URL has none. */
  query: string | null;
}

/**
 * A URL in normal form, or null when it is not one (no scheme, no host, a bad port). Fast
 * enough for every line of a proxy log: no URL object, one pass over the authority.
 */
export function normaliseUrl(raw: string): NormalisedUrl | null {
  const s = undefang(raw);
  const sep = s.indexOf('://');
  if (sep <= 0 || sep > 16) return null;
  const scheme = s.slice(0, sep).toLowerCase();
  if (!/^[a-z][a-z0-9+.-]*$/.test(scheme)) return null;
  const start = sep + 3;
  let end = s.length;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2f || c === 0x3f || c === 0x23 || c === 0x5c) {
      end = i;
      break;
    }
  }
  let authority = s.slice(start, end);
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1);
  let hostPart = authority;
  let portText = '';
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close < 0) return null;
    hostPart = authority.slice(0, close + 1);
    const rest = authority.slice(close + 1);
    if (rest) {
      if (!rest.startsWith(':')) return null;
      portText = rest.slice(1);
    }
  } else {
    const colon = authority.lastIndexOf(':');
    if (colon >= 0) {
      hostPart = authority.slice(0, colon);
      portText = authority.slice(colon + 1);
    }
  }
  const host = normaliseHost(hostPart);
  if (!host) return null;
  let port: number | null = null;
  if (portText) {
    if (!/^\d{1,5}$/.test(portText)) return null;
    port = Number(portText);
    if (port > 65535) return null;
    if (port === DEFAULT_PORTS[scheme]) port = null;
  }
  const hash = s.indexOf('#', end);
  const stop = hash < 0 ? s.length : hash;
  const q = s.indexOf('?', end);
  const hasQuery = q >= 0 && q < stop;
  const rawPath = s.slice(end, hasQuery ? q : stop);
  const path = rawPath === '' ? '/' : rawPath;
  const query = hasQuery ? s.slice(q + 1, stop) : null;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  const url = `${scheme}://${hostInUrl}${port !== null ? `:${port}` : ''}${path}${query !== null ? `?${query}` : ''}`;
  return { url, scheme, host, port, path, query };
}

export function isIpAddress(host: string): boolean {
  return isIP(host) !== 0;
}

/** What one indicator is, after undefanging: the fields a FeedEntry needs. */
export type Indicator =
  | { kind: 'url'; value: string; host: string; port: number | null }
  | { kind: 'domain'; value: string; host: string; port: number | null }
  | { kind: 'ip'; value: string; host: string; port: null }
  | { kind: 'ip-port'; value: string; host: string; port: number }
  /** A file hash or a mail address: an indicator, but none the network logs can match. */
  | { kind: 'unmatchable'; what: 'hash' | 'email' };

const HASH = /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$/i;

function hostIndicator(host: string, port: number | null): Indicator {
  if (isIpAddress(host)) {
    if (port === null) return { kind: 'ip', value: host, host, port: null };
    return { kind: 'ip-port', value: host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`, host, port };
  }
  return { kind: 'domain', value: host, host, port };
}

function urlIndicator(raw: string): Extract<Indicator, { kind: 'url' }> | null {
  const u = normaliseUrl(raw);
  return u ? { kind: 'url', value: u.url, host: u.host, port: u.port } : null;
}

/**
 * One indicator as written in a list or a feed cell: a URL (with a scheme; or host/path,
 * taken as http), an IP address, an IP:port (IPv6 in brackets), or a domain, defanged or
 * not. Hashes and mail addresses are recognised and returned as unmatchable; anything
 * else is null.
 */
export function parseIndicator(raw: string): Indicator | null {
  const s = undefang(raw).replace(/^["'<]+|["'>]+$/g, '');
  if (!s || /\s/.test(s)) return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) return urlIndicator(s);
  if (HASH.test(s)) return { kind: 'unmatchable', what: 'hash' };
  if (/^[^@/\s]+@[^@/\s]+\.[^@/\s]+$/.test(s)) return { kind: 'unmatchable', what: 'email' };
  const slash = s.indexOf('/');
  if (slash > 0) {
    // "evil.example/wp-content/x.php": a URL written without its scheme.
    const u = urlIndicator(`http://${s}`);
    return u && (u.host.includes('.') || u.host.includes(':')) ? u : null;
  }
  const v6port = /^\[([0-9a-f:.]+)\]:(\d{1,5})$/i.exec(s);
  if (v6port) {
    const host = normaliseHost(v6port[1]!);
    const port = Number(v6port[2]);
    return host && isIP(host) && port <= 65535 ? hostIndicator(host, port) : null;
  }
  if (isIP(s) === 6) {
    const host = normaliseHost(s);
    return host ? hostIndicator(host, null) : null;
  }
  const hp = /^([^:]+):(\d{1,5})$/.exec(s);
  const hostText = hp ? hp[1]! : s;
  const port = hp ? Number(hp[2]) : null;
  if (port !== null && (port === 0 || port > 65535)) return null;
  if (/^\d+(?:\.\d+){3}$/.test(hostText) && isIP(hostText) !== 4) return null;
  const host = normaliseHost(hostText);
  // A single label ("localhost", "intranet") names no place on the Internet.
  if (!host || (!host.includes('.') && !isIP(host))) return null;
  return hostIndicator(host, port);
}
