// Which way a message went, relative to the organisation's domains.
import { domainOf } from './addresses.js';

/**
 * inbound: from outside to the org; outbound: from the org to at least one outside
 * recipient; internal: from the org to the org only (or to no recipient at all);
 * external-only: neither side in the org (seen in journals and in bounces of spoofed
 * mail); unknown: no org domains were given, so no direction can be told.
 */
export type Direction = 'inbound' | 'outbound' | 'internal' | 'external-only' | 'unknown';

export function inOrg(address: string | null | undefined, orgDomains: string[]): boolean {
  if (!address) return false;
  const d = domainOf(address);
  return d !== '' && orgDomains.some((o) => d === o || d.endsWith('.' + o));
}

export function classifyDirection(fromAddress: string | null, recipients: string[], orgDomains: string[]): Direction {
  if (orgDomains.length === 0) return 'unknown';
  const fromOrg = inOrg(fromAddress, orgDomains);
  const anyOut = recipients.some((r) => !inOrg(r, orgDomains));
  const anyIn = recipients.some((r) => inOrg(r, orgDomains));
  if (fromOrg) return anyOut ? 'outbound' : 'internal';
  return anyIn ? 'inbound' : 'external-only';
}

export function normaliseDomains(domains: string[]): string[] {
  return [...new Set(domains.map((d) => d.trim().toLowerCase().replace(/^@/, '').replace(/\.$/, '')).filter(Boolean))].sort();
}
