import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractEntry, readZipDirectory, ZIP_LIMITS } from '../../src/office/zip-archive.js';
import { writeZip } from '../../src/office/zip-writer.js';
import { ROOT } from '../helpers.js';

const xls = readFileSync(join(ROOT, 'src/samples/assets/macro-auto-open.xls'));
const fixed = (n: number) => Buffer.alloc(n, 3);

describe('ZIP entries', () => {
  it('decrypts ZipCrypto with the right candidate and refuses wrong ones', () => {
    const zip = writeZip([{ name: 'a.xls', data: xls }], { password: 'Xa7q3', mtimeMs: Date.UTC(2026, 0, 1), headerBytes: fixed });
    const [e] = readZipDirectory(zip).entries;
    expect(e).toMatchObject({ name: 'a.xls', encryption: 'zipcrypto', size: xls.length });
    expect(extractEntry(zip, e!, [])).toMatchObject({ ok: false, reason: 'encrypted' });
    expect(extractEntry(zip, e!, ['nope', 'xa7q3'])).toMatchObject({ ok: false, reason: 'wrong-password' });
    const r = extractEntry(zip, e!, ['nope', 'Xa7q3']);
    expect(r.ok && r.password).toBe('Xa7q3');
    expect(r.ok && r.data.equals(xls)).toBe(true);
  });

  it('decrypts WinZip AES-256 (AE-2) and checks its authentication code', () => {
    const zip = writeZip([{ name: 'b.xls', data: xls }], { password: 'パスワード1', encryption: 'aes256', mtimeMs: Date.UTC(2026, 0, 1), headerBytes: fixed });
    const [e] = readZipDirectory(zip).entries;
    expect(e).toMatchObject({ name: 'b.xls', encryption: 'aes', method: 0, aes: { strength: 3, version: 2 } });
    expect(extractEntry(zip, e!, ['wrong'])).toMatchObject({ ok: false, reason: 'wrong-password' });
    const r = extractEntry(zip, e!, ['パスワード1']);
    expect(r.ok && r.data.equals(xls)).toBe(true);
    // A flipped ciphertext byte fails the HMAC: the entry is not returned.
    const tampered = Buffer.from(zip);
    tampered[e!.localOffset + 30 + 'b.xls'.length + 11 + 16 + 2 + 100]! ^= 0xff;
    expect(extractEntry(tampered, e!, ['パスワード1'])).toMatchObject({ ok: false, reason: 'wrong-password' });
  });

  it('refuses entries over the size and ratio limits before inflating', () => {
    const zip = writeZip([{ name: 'z', data: Buffer.alloc(10) }], { mtimeMs: 0 });
    const [e] = readZipDirectory(zip).entries;
    expect(extractEntry(zip, { ...e!, size: ZIP_LIMITS.maxEntryBytes + 1 })).toMatchObject({ ok: false, reason: 'limit' });
    expect(extractEntry(zip, { ...e!, method: 8, compressedSize: 1, size: ZIP_LIMITS.maxRatio * 2 })).toMatchObject({ ok: false, reason: 'limit' });
  });
});
