// Test helpers shared by the decoders' tests (uuencode, BinHex, yEnc, TNEF): a forward of a
// fixture message, and the records a fixture must give on both MIME paths.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parseMessage } from '../../src/mail/parse.js';

/** A mail that forwards `inner` as a message/rfc822 part, the shape nest paths are checked on. */
export function forwarded(inner: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from('From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="o"\r\n\r\n--o\r\nContent-Type: text/plain\r\n\r\nfwd\r\n--o\r\nContent-Type: message/rfc822\r\n\r\n'),
    inner,
    Buffer.from('\r\n--o--\r\n'),
  ]);
}

export interface FixtureCase {
  file: string;
  /** Per attachment: nest path, file name, declared type, sniffed type, size, SHA-256. */
  records: readonly (readonly [string, string, string, string, number, string])[];
  text: string;
}

/** One test per fixture and MIME path: no defects, exactly these records and this text. */
export function itParsesFixtures(dir: string, cases: readonly FixtureCase[]): void {
  const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  for (const c of cases) {
    for (const mime of ['auto', 'mailparser'] as const) {
      it(`${c.file} (${mime})`, async () => {
        const m = await parseMessage(readFileSync(join(dir, c.file)), { keepContent: true, mime });
        expect(m.defects).toEqual([]);
        expect(m.attachments.map((a) => [a.nestPath, a.filename, a.declaredType, a.sniffedType, a.size, a.sha256])).toEqual(c.records);
        expect(m.attachments.map((a) => a.ordinal)).toEqual(c.records.map((_, i) => i));
        for (const a of m.attachments) expect(sha256(a.content!)).toBe(a.sha256);
        expect(m.text).toBe(c.text);
      });
    }
  }
}
