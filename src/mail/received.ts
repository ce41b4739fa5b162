// The Received chain: where the message entered the organisation's mail system.
import { isIP } from 'node:net';

export interface ReceivedHop {
  /** Host name the sending side gave (HELO) or the reverse DNS name, as written. */
  fromHost: string | null;
  /** IP address of the connecting client, as the receiving server recorded it. */
  fromIp: string | null;
  byHost: string | null;
  /** Time stamp after the semicolon, as ISO UTC when it parses. */
  date: string | null;
  /** The hop records an authenticated submission (SMTP AUTH): "Authenticated sender", ESMTPA/ESMTPSA. */
  authenticated: boolean;
}

const AUTHENTICATED = /\(Authenticated sender: |\bwith E?SMTPS?A\b|\bwith ESMTPSA\b|\bauthenticated (?:as|by|user)\b/i;

const IP_IN_BRACKETS = /\[(?:IPv6:)?([0-9a-fA-F:.]+)\]/g;
const BARE_IPV4 = /\b(\d{1,3}(?:\.\d{1,3}){3})\b/g;

export function parseReceived(value: string): ReceivedHop {
  const semi = value.lastIndexOf(';');
  const body = semi >= 0 ? value.slice(0, semi) : value;
  const datePart = semi >= 0 ? value.slice(semi + 1).trim() : '';
  const fromClause = /\bfrom\s+([\s\S]*?)(?=\s+by\s|$)/i.exec(body)?.[1] ?? '';
  const byHost = /\bby\s+([^\s;()]+)/i.exec(body)?.[1] ?? null;
  const fromHost = /^([^\s()[\]]+)/.exec(fromClause)?.[1] ?? null;
  let fromIp: string | null = null;
  for (const m of fromClause.matchAll(IP_IN_BRACKETS)) {
    if (isIP(m[1]!)) {
      fromIp = m[1]!;
      break;
    }
  }
  if (!fromIp) {
    for (const m of fromClause.matchAll(BARE_IPV4)) {
      if (isIP(m[1]!)) {
        fromIp = m[1]!;
        break;
      }
    }
  }
  const t = datePart ? Date.parse(datePart.replace(/\s*\([^)]*\)\s*$/, '')) : NaN;
  return { fromHost, fromIp, byHost, date: Number.isNaN(t) ? null : new Date(t).toISOString(), authenticated: AUTHENTICATED.test(body) };
}

/** Loopback, private, link-local, CGNAT, documentation ranges and IPv6 equivalents. */
export function isNonPublicIp(ip: string): boolean {
  if (isIP(ip) === 4) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    return (
      a === 10 || a === 127 || a === 0 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  const l = ip.toLowerCase();
  return l === '::1' || l === '::' || l.startsWith('fe80:') || l.startsWith('fc') || l.startsWith('fd');
}

/**
 * The first external hop: walking from the newest Received field down, the first client
 * IP that is public and whose host is not in the organisation's domains. That is the
 * address which handed the message to the organisation (or, with no org domains known,
 * the newest public client address).
 */
export function firstExternalIp(hops: ReceivedHop[], orgDomains: string[]): string | null {
  for (const h of hops) {
    if (!h.fromIp || isNonPublicIp(h.fromIp)) continue;
    const host = (h.fromHost ?? '').toLowerCase();
    if (orgDomains.some((d) => host === d || host.endsWith('.' + d))) continue;
    return h.fromIp;
  }
  return null;
}
