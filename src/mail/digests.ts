// Identifiers shared by the MIME and the .msg paths: attachment digests and Message-IDs.
import { createHash } from 'node:crypto';

export function digests(b: Buffer): { md5: string; sha1: string; sha256: string } {
  return {
    md5: createHash('md5').update(b).digest('hex'),
    sha1: createHash('sha1').update(b).digest('hex'),
    sha256: createHash('sha256').update(b).digest('hex'),
  };
}

/** The id inside angle brackets, or the first word when a writer left the brackets out. */
export function angleId(v: string | undefined): string | null {
  if (!v) return null;
  const m = /<([^<>\s]+)>/.exec(v);
  const id = (m ? m[1]! : v.trim().split(/\s+/)[0] ?? '').trim();
  return id === '' ? null : id;
}
