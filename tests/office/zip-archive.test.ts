import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractEntry, readZipDirectory, ZIP_LIMITS } from '../../src/office/zip-archive.js';
import { writeZip } from '../../src/office/zip-writer.js';
import { ROOT } from '../helpers.js';
import { inspectReasons } from '../../src/report/inspect-reasons.js';

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

describe('OneNote embedded files', () => {
  it('finds each FileDataStoreObject and inspects the file inside', async () => {
    const { inspectBytes } = await import('../../src/office/inspect.js');
    const oneHeader = Buffer.from('e4525c7b8cd8a74daeb15378d02996d3', 'hex');
    const store = (data: Buffer) => {
      const h = Buffer.alloc(36);
      Buffer.from('e716e3bd65261145a4c48d4d0b7a9eac', 'hex').copy(h, 0);
      h.writeBigUInt64LE(BigInt(data.length), 16);
      return Buffer.concat([h, data, Buffer.from('22a7fb71790f0b4abb13899256426b24', 'hex')]);
    };
    const hta = Buffer.from('<html><script language="VBScript">CreateObject("WScript.Shell").Run "cmd /c calc"</script></html>');
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]);
    const one = Buffer.concat([oneHeader, Buffer.alloc(64), store(hta), Buffer.alloc(10), store(exe)]);
    const r = inspectBytes(one, 'invoice.one');
    expect(r.container).toBe('onenote');
    expect(r.verdict).toBe('suspicious');
    expect(r.children.map((c) => [c.file, c.container, c.size])).toEqual([
      ['invoice.one [embedded file 1]', 'html', hta.length],
      ['invoice.one [embedded file 2]', 'pe', exe.length],
    ]);
    expect(r.children.map((c) => c.verdict)).toEqual(['suspicious', 'suspicious']);
    expect(r.children[0]!.autoexec).toEqual(['HTML script']);
    expect(r.children[0]!.suspicious.map((s) => s.keyword)).toEqual(['WScript.Shell', 'Run', 'CreateObject', 'cmd /c']);
  });
});

describe('time limit', () => {
  it('stops analysing the members of an archive once the deadline has passed', async () => {
    const { inspectBytes } = await import('../../src/office/inspect.js');
    const zip = writeZip([{ name: 'a.xls', data: xls }, { name: 'b.xls', data: xls }], { mtimeMs: Date.UTC(2026, 0, 1) });
    const r = inspectBytes(zip, 'late.zip', { deadline: Date.now() - 1 });
    expect(r).toMatchObject({ verdict: 'error', findings: [{ kind: 'time-limit' }] });
    expect(inspectReasons(r)).toEqual(['not analysed: time limit']);
    const ok = inspectBytes(zip, 'ok.zip');
    expect(ok.children.map((c) => c.verdict)).toEqual(['suspicious', 'suspicious']);
  });
});
