// Identifiers shared by the MIME and the .msg paths: attachment digests and Message-IDs.
import { createHash } from 'node:crypto';
import { setBounded } from '../bounded-map.js';

export interface Digests {
  md5: string;
  sha1: string;
  sha256: string;
}

/**
 * The same attachment comes back again and again in a journal (logos, signatures, a
 * forwarded document): once its SHA-256 is known, its MD5 and SHA-1 are too. The cache
 * holds the most recent entries of this thread, up to a fixed count.
 */
const recent = new Map<string, Digests>();
const RECENT_MAX = 4096;
/** Smaller attachments are hashed three times outright: the lookup would cost as much. */
const CACHE_FROM_BYTES = 16 * 1024;

export function digests(b: Buffer): Digests {
  const sha256 = createHash('sha256').update(b).digest('hex');
  if (b.length >= CACHE_FROM_BYTES) {
    const hit = recent.get(sha256);
    if (hit) return hit;
  }
  const d = { md5: createHash('md5').update(b).digest('hex'), sha1: createHash('sha1').update(b).digest('hex'), sha256 };
  return b.length >= CACHE_FROM_BYTES ? setBounded(recent, sha256, d, RECENT_MAX) : d;
}

/** The id inside angle brackets, or the first word when a writer left the brackets out. */
export function angleId(v: string | undefined): string | null {
  if (!v) return null;
  const m = /<([^<>\s]+)>/.exec(v);
  const id = (m ? m[1]! : v.trim().split(/\s+/)[0] ?? '').trim();
  return id === '' ? null : id;
}
