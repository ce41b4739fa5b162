import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { extractEntry, readZipDirectory } from '../../src/office/zip-archive.js';
import { decideZipCharset, decodeZipNames, unicodePathName } from '../../src/office/zip-names.js';
import { ROOT } from '../helpers.js';

const dir = join(ROOT, 'tests/fixtures/office/archives/zip-names');
const XLS = 'bd29faabd2fbb45d3024d174476049220fbbe73bc97ab137c973b302f902fc78';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Each member: decoded name, where it came from, the stored bytes (hex). */
function names(file: string) {
  const zip = readFileSync(join(dir, file));
  const d = readZipDirectory(zip);
  expect(d.errors).toEqual([]);
  const xls = d.entries.find((e) => e.name.endsWith('.xls'))!;
  const x = extractEntry(zip, xls);
  expect(x.ok && sha(x.data)).toBe(XLS);
  return { charset: d.nameCharset, entries: d.entries.map((e) => [e.name, e.nameEncoding, e.rawName.toString('hex'), e.flags & 0x0800 ? 'bit 11' : 'no bit 11']) };
}

describe('ZIP member names, per archive as the tools that wrote them meant', () => {
  it('CP437 (Western Windows, DOS), written by Info-ZIP zip from CP437 file names', () => {
    expect(names('cp437.zip')).toEqual({
      charset: 'cp437',
      entries: [
        ['Résumé.xls', 'cp437', '528273756d822e786c73', 'no bit 11'],
        ['Übersicht März.txt', 'cp437', '9a6265727369636874204d84727a2e747874', 'no bit 11'],
      ],
    });
  });

  it('CP866 (Russian Windows)', () => {
    expect(names('cp866.zip')).toEqual({
      charset: 'cp866',
      entries: [
        ['Договор №5.txt', 'cp866', '84aea3aea2aee020fc352e747874', 'no bit 11'],
        ['Счет.xls', 'cp866', '91e7a5e22e786c73', 'no bit 11'],
      ],
    });
  });

  it('CP932 / Shift_JIS (Japanese Windows, no bit 11)', () => {
    expect(names('cp932.zip')).toEqual({
      charset: 'cp932',
      entries: [
        ['見積書_2026.txt', 'cp932', '8ca990cf8f915f323032362e747874', 'no bit 11'],
        ['請求書.xls', 'cp932', '90bf8b818f912e786c73', 'no bit 11'],
      ],
    });
  });

  it('UTF-8 with bit 11 (7-Zip)', () => {
    expect(names('utf8-flag.zip')).toEqual({
      charset: 'ascii',
      entries: [
        ['Résumé.txt', 'utf8-flag', '52c3a973756dc3a92e747874', 'bit 11'],
        ['Счет.txt', 'utf8-flag', 'd0a1d187d0b5d1822e747874', 'bit 11'],
        ['請求書.xls', 'utf8-flag', 'e8ab8be6b182e69bb82e786c73', 'bit 11'],
      ],
    });
  });

  it('UTF-8 without bit 11 (macOS Archive Utility, Info-ZIP zip on Linux)', () => {
    expect(names('utf8-noflag.zip')).toEqual({
      charset: 'utf8',
      entries: [
        ['Résumé.txt', 'utf8', '52c3a973756dc3a92e747874', 'no bit 11'],
        ['Счет.txt', 'utf8', 'd0a1d187d0b5d1822e747874', 'no bit 11'],
        ['請求書.xls', 'utf8', 'e8ab8be6b182e69bb82e786c73', 'no bit 11'],
      ],
    });
  });

  it('the Unicode Path extra field wins when its CRC matches the stored name, and is ignored when stale', () => {
    expect(names('unicode-path-field.zip')).toEqual({
      charset: 'ascii',
      entries: [
        ['請求書.xls', 'unicode-path-field', '90bf8b818f912e786c73', 'no bit 11'],
        ['Invoice.txt', 'ascii', '496e766f6963652e747874', 'no bit 11'],
      ],
    });
  });
});

describe('decideZipCharset', () => {
  const enc = (charset: string, ...names: string[]) => names.map((n) => iconv.encode(n, charset));
  it.each([
    ['ASCII only', enc('cp437', 'invoice.xls', 'scan 01.pdf'), 'ascii'],
    ['Western names in CP437', enc('cp437', 'Résumé.xls', 'Café.doc', 'Müller GmbH.xls'), 'cp437'],
    ['Russian names in CP866', enc('cp866', 'Счет-фактура.xls', 'акт сверки.doc'), 'cp866'],
    ['a Russian name beside Latin ones', enc('cp866', 'Договор.doc', 'scan.pdf', 'invoice_2026.xls'), 'cp866'],
    ['Japanese in CP932', enc('cp932', '請求書.xls', 'ご確認ください.doc'), 'cp932'],
    ['Japanese in half-width katakana', enc('cp932', 'ｾｲｷｭｳｼｮ.xls'), 'cp932'],
    ['UTF-8 without bit 11', enc('utf8', 'Счет.xls', '請求書.doc'), 'utf8'],
    ['one UTF-8 name among CP437 ones: not all UTF-8, decided for the archive', [...enc('utf8', 'Café.doc'), ...enc('cp437', 'Résumé.xls')], 'cp437'],
  ] as const)('%s', (_label, names, expected) => {
    expect(decideZipCharset([...names])).toBe(expected);
  });

  it('CP437 and CP866 bytes are not taken for Shift_JIS', () => {
    // 0x82 0x73 is a valid Shift_JIS pair (full-width T), but the rest of the name is not.
    expect(decideZipCharset(enc('cp437', 'Résumé'))).toBe('cp437');
    expect(decideZipCharset(enc('cp866', 'Счет', 'Отчет'))).toBe('cp866');
  });
});

describe('decodeZipNames and the Unicode Path field', () => {
  it('bit 11 and a valid field are left out of the archive-wide decision', () => {
    const r = decodeZipNames([
      { bytes: Buffer.from('Счет.xls'), flags: 0x0800 },
      { bytes: iconv.encode('Résumé.xls', 'cp437'), flags: 0 },
    ]);
    expect(r).toEqual({ charset: 'cp437', names: [{ name: 'Счет.xls', encoding: 'utf8-flag' }, { name: 'Résumé.xls', encoding: 'cp437' }] });
  });

  it('reads version 1 with a matching CRC only', () => {
    const raw = iconv.encode('請求書.xls', 'cp932');
    const field = (version: number, crcOf: Buffer) => {
      const b = Buffer.alloc(5);
      b[0] = version;
      b.writeUInt32LE(crc32(crcOf) >>> 0, 1);
      return Buffer.concat([b, Buffer.from('請求書.xls')]);
    };
    expect(unicodePathName(field(1, raw), raw)).toBe('請求書.xls');
    expect(unicodePathName(field(2, raw), raw)).toBeNull();
    expect(unicodePathName(field(1, Buffer.from('other')), raw)).toBeNull();
  });
});

