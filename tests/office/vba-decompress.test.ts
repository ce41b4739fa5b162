import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decompressVba } from '../../src/office/vba-decompress.js';
import { compressVba } from './vba-compress-for-tests.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('MS-OVBA 2.4.1 decompression', () => {
  it('3.2.1 no compression example', () => {
    const c = hex('01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E');
    expect(decompressVba(c)).toEqual({ data: Buffer.from('abcdefghijklmnopqrstuv.') });
  });

  it('3.2.2 normal compression example', () => {
    const c = hex(
      '01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 20 6D 6E 6F 70 06 71 02 70 04 00 72 73 74 75 76 10 77 78 79 7A 00 2C',
    );
    expect(decompressVba(c).data.toString('latin1')).toBe('#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa');
  });

  it('reads a raw (uncompressed) chunk', () => {
    const raw = Buffer.alloc(4096, 0x41);
    const header = 0x3000 | (4098 - 3);
    const c = Buffer.concat([Buffer.from([0x01, header & 0xff, header >> 8]), raw]);
    expect(decompressVba(c).data.equals(raw)).toBe(true);
  });

  it('reports a bad signature byte, a bad chunk header and a copy before the chunk, keeping what was decoded', () => {
    expect(decompressVba(Buffer.from([0x02, 0x00])).error).toMatch(/bad signature byte/);
    const bad = hex('01 19 A0 00 61');
    expect(decompressVba(bad).error).toMatch(/bad chunk signature/);
    // flag 0x02: literal 'a', then a copy token with offset 2 while only 1 byte is out.
    const early = hex('01 04 B0 02 61 00 10');
    const r = decompressVba(early);
    expect(r.error).toMatch(/before its chunk/);
    expect(r.data.toString()).toBe('a');
  });

  it('stops at the output limit', () => {
    const c = compressVba(Buffer.alloc(20000, 0x61));
    const r = decompressVba(c, 0, { maxOutputBytes: 5000 });
    expect(r.error).toBe('output limit reached');
    expect(r.data.length).toBeLessThanOrEqual(5000);
  });

  it('never throws and never passes its output limit on arbitrary bytes (property)', () => {
    const container = fc.oneof(
      fc.uint8Array({ maxLength: 3000 }),
      // Mostly well-formed: a signature and chunk headers with random sizes, flags and tokens.
      fc.array(fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.uint8Array({ maxLength: 600 })), { maxLength: 8 }).map((chunks) =>
        Buffer.concat([Buffer.from([0x01]), ...chunks.map(([h, body]) => Buffer.concat([Buffer.from([h & 0xff, h >> 8]), Buffer.from(body)]))]),
      ),
    );
    fc.assert(
      fc.property(container, fc.integer({ min: 0, max: 20000 }), (bytes, limit) => {
        const r = decompressVba(bytes, 0, { maxOutputBytes: limit });
        expect(r.data.length).toBeLessThanOrEqual(limit);
      }),
      { numRuns: 2000 },
    );
  });

  it('inverts the test compressor on any input (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12000 }), (bytes) => {
        expect(decompressVba(compressVba(bytes)).data.equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('inverts the test compressor on repetitive text (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('Sub ', 'End Sub\r\n', 'MsgBox "x"\r\n', 'a', 'aaaa', ' '), { maxLength: 3000 }), (parts) => {
        const text = Buffer.from(parts.join(''));
        expect(decompressVba(compressVba(text)).data.equals(text)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
