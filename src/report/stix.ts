// IOCs as a STIX 2.1 bundle of indicators (one per hash, URL, IP and outside sender), for
// threat-intelligence platforms. Ids are UUIDv5-style, derived from the indicator, so the
// same IOC keeps its id across runs.
import { createHash } from 'node:crypto';

function uuid5(name: string): string {
  const h = createHash('sha1').update('blastradius:' + name).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** STIX patterning: string values escape backslash and quote. */
function lit(v: string): string {
  return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const PATTERN: Record<string, (v: string) => string> = {
  sha256: (v) => `[file:hashes.'SHA-256' = ${lit(v)}]`,
  url: (v) => `[url:value = ${lit(v)}]`,
  ipv4: (v) => `[ipv4-addr:value = ${lit(v)}]`,
  ipv6: (v) => `[ipv6-addr:value = ${lit(v)}]`,
  'email-sender': (v) => `[email-message:from_ref.value = ${lit(v)}]`,
};

export function stixBundle(iocs: { type: string; value: string; context: string }[], now: string): object {
  const objects = iocs
    .filter((i) => PATTERN[i.type])
    .map((i) => ({
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--${uuid5(`${i.type}:${i.value}`)}`,
      created: now,
      modified: now,
      name: `${i.type} ${i.value}`.slice(0, 250),
      description: i.context,
      indicator_types: ['malicious-activity'],
      pattern: PATTERN[i.type]!(i.value),
      pattern_type: 'stix',
      valid_from: now,
    }));
  return { type: 'bundle', id: `bundle--${uuid5(objects.map((o) => o.id).join(','))}`, objects };
}
