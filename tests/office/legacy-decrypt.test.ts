// Decryption of Office 97–2003 "password to open" (XOR, RC4, RC4 CryptoAPI) and of ECMA-376
// Standard encryption, against msoffcrypto-tool's independent decryption of the same files
// (digests in encrypted-legacy/expected-msoffcrypto.tsv, written by record-digests.py), and
// the Excel 4.0 workbooks encrypted under "VelvetSweatshop" that Excel opens without asking.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readBiffGlobals } from '../../src/office/biff.js';
import { decryptWordDocument, readWordEncryption } from '../../src/office/doc-decrypt.js';
import { decryptLegacyOffice, LEGACY_DECRYPT_LIMITS, legacyPasswordCandidates, type LegacyDecryption } from '../../src/office/legacy-decrypt.js';
import { openOle, type OleContainer } from '../../src/office/ole-container.js';
import { decryptStandardPackage, parseStandardInfo } from '../../src/office/ooxml-standard-decrypt.js';
import { decryptPresentation } from '../../src/office/ppt-decrypt.js';
import { parseRc4EncryptionHeader, Rc4, Rc4BlockStream, rc4DocumentKey, rc4KeyForPassword } from '../../src/office/rc4-crypto.js';
import { decryptWorkbook, readFilePass } from '../../src/office/xls-decrypt.js';
import { readXlmFormulas } from '../../src/office/xlm-formulas.js';
import { xorKeyMethod1, xorPasswordBytes, xorVerifierMethod1 } from '../../src/office/xor-obfuscation.js';
import { readTsvRows, ROOT } from '../helpers.js';

const OFFICE = join(ROOT, 'tests/fixtures/office');
const LEGACY = join(OFFICE, 'encrypted-legacy');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const ole = (fixture: string) => openOle(readFileSync(join(OFFICE, fixture)));
const stream = (container: OleContainer, name: string) => container.streams.get(name)!.content;
/** A container of the given streams only, for hand-broken inputs. */
const oleOf = (streams: Record<string, Buffer>): OleContainer => ({ streams: new Map(Object.entries(streams).map(([path, content]) => [path, { path, content }])), storages: [] });

function opened(r: ReturnType<typeof decryptLegacyOffice>): LegacyDecryption {
  if (!r || 'error' in r) throw new Error(`not decrypted: ${JSON.stringify(r)}`);
  return r;
}

const METHOD: Record<string, string> = {
  'msoffcrypto-tool/rc4cryptoapi_password.xls': 'xls-rc4-cryptoapi',
  'msoffcrypto-tool/rc4cryptoapi_password.doc': 'doc-rc4-cryptoapi',
  'oletools/encrypted/autostart-encrypt-standardpassword.xls': 'xls-rc4',
  'oletools/encrypted/dde-test-encrypt-standardpassword.xls': 'xls-rc4',
  'strelka/test_password.doc': 'doc-rc4-cryptoapi',
  'strelka/test_password_brute.doc': 'doc-rc4',
  'encrypted-legacy/xlm-auto-open-velvetsweatshop-rc4cryptoapi.xls': 'xls-rc4-cryptoapi',
  'encrypted-legacy/xlm-hidden-velvetsweatshop-rc4cryptoapi-40bit.xls': 'xls-rc4-cryptoapi',
  'encrypted-legacy/libreoffice-velvetsweatshop-rc4.xls': 'xls-rc4',
};

interface Expected {
  fixture: string;
  password: string;
  stream: string;
  from: number;
  length: number;
  sha256: string;
}
const EXPECTED: Expected[] = readTsvRows(pathToFileURL(join(LEGACY, 'expected-msoffcrypto.tsv'))).map(([fixture, password, s, from, length, digest]) => ({ fixture: fixture!, password: password!, stream: s!, from: Number(from), length: Number(length), sha256: digest! }));

describe('RC4 and the MS-OFFCRYPTO key derivations', () => {
  it('RC4 gives the RFC 6229 keystream for the 40-bit key 0102030405', () => {
    const ks = new Uint8Array(16);
    new Rc4(Buffer.from('0102030405', 'hex')).xor(ks);
    expect(Buffer.from(ks).toString('hex')).toBe('b2396305f03dc027ccc3524a0a1118a8');
  });

  it('the RC4 (2.3.6.2) block key of msoffcrypto-tool’s example: "password1", its salt, block 0', () => {
    const header = { scheme: 'rc4' as const, salt: Buffer.from('e8772c1d91c56a37964761b280183217', 'hex'), encryptedVerifier: Buffer.alloc(16), encryptedVerifierHash: Buffer.alloc(16), keyBits: 40, flags: 0, size: 52 };
    expect(rc4DocumentKey(header, 'password1').keyForBlock(0).toString('hex')).toBe('20bf32ddf540858c513744af0f24e03c');
    // The made-up verifier does not match: the check refuses the password.
    expect(rc4KeyForPassword(header, 'password1')).toBeNull();
  });

  it('the XOR method 1 verifier and key of "VelvetSweatshop" (0x9A0A, as msoffcrypto-tool’s doctest) and of the fixture’s password', () => {
    expect(xorVerifierMethod1(xorPasswordBytes('VelvetSweatshop'))).toBe(0x9a0a);
    const fp = readFilePass(stream(ole('msoffcrypto-tool/xor_password_123456789012345.xls'), 'Workbook'));
    expect(fp).toMatchObject({ offset: 20, scheme: 'xor', xor: { key: 0x8265, verifier: 0x9eb1 } });
    const pw = xorPasswordBytes('123456789012345');
    expect([xorKeyMethod1(pw), xorVerifierMethod1(pw)]).toEqual([0x8265, 0x9eb1]);
  });

  it('a block keystream taken in pieces, skipping clear bytes, equals one taken whole', () => {
    const header = parseRc4EncryptionHeader(readFilePassBody('encrypted-legacy/xlm-auto-open-velvetsweatshop-rc4cryptoapi.xls'));
    if ('error' in header) throw new Error(header.error);
    const key = rc4KeyForPassword(header, 'VelvetSweatshop')!;
    const whole = Buffer.alloc(5000);
    new Rc4BlockStream(key, 1024).xor(whole, 0, whole.length);
    const pieces = Buffer.alloc(5000);
    const s = new Rc4BlockStream(key, 1024);
    for (const [a, b] of [[3, 10], [1020, 1030], [1030, 1031], [2047, 4100], [4999, 5000]] as const) s.xor(pieces, a, b);
    for (const [a, b] of [[3, 10], [1020, 1031], [2047, 4100], [4999, 5000]] as const) expect(pieces.subarray(a, b)).toEqual(whole.subarray(a, b));
  });
});

function readFilePassBody(fixture: string): Buffer {
  const wb = stream(ole(fixture), 'Workbook');
  const fp = readFilePass(wb) as { offset: number };
  return wb.subarray(fp.offset + 6, fp.offset + 4 + wb.readUInt16LE(fp.offset + 2));
}

describe('decrypted streams equal msoffcrypto-tool’s decryption', () => {
  it('lists the 16 streams and packages recorded by record-digests.py', () => expect(EXPECTED).toHaveLength(16));

  for (const e of EXPECTED.filter((x) => x.stream !== '(package)')) {
    it(`${e.fixture} ${e.stream}`, () => {
      const r = opened(decryptLegacyOffice(ole(e.fixture), e.password === 'VelvetSweatshop' ? [] : ['not it', e.password]));
      expect(r.method).toBe(METHOD[e.fixture]);
      expect(r.password).toBe(e.password);
      const s = r.streams.get(e.stream)!;
      expect(s.length).toBe(e.length);
      expect(sha256(s.subarray(e.from))).toBe(e.sha256);
    });
  }

  it('keeps the Word Table stream’s encryption header as stored, and clears fEncrypted, fObfuscated and lKey in the FIB', () => {
    for (const [fixture, password, table, lKey] of [
      ['msoffcrypto-tool/rc4cryptoapi_password.doc', 'Password1234_', '1Table', 198],
      ['strelka/test_password_brute.doc', 'aaa', '1Table', 52],
    ] as const) {
      const enc = ole(fixture);
      expect(readWordEncryption(stream(enc, 'WordDocument'))).toEqual({ tableName: table, obfuscated: false, lKey });
      const r = opened(decryptLegacyOffice(enc, [password]));
      expect(r.streams.get(table)!.subarray(0, lKey)).toEqual(stream(enc, table).subarray(0, lKey));
      const word = r.streams.get('WordDocument')!;
      expect([word.readUInt16LE(0x0a) & 0x8100, word.readUInt32LE(0x0e)]).toEqual([0, 0]);
      expect(word.subarray(0, 0x0a)).toEqual(stream(enc, 'WordDocument').subarray(0, 0x0a));
      expect(readWordEncryption(word)).toBeNull();
    }
  });

  it('PowerPoint: the decrypted stream is plain.ppt’s, but for the CryptSession10Container, PersistDirectoryAtom and UserEditAtom msoffcrypto-tool rewrote', () => {
    const enc = ole('msoffcrypto-tool/rc4cryptoapi_password.ppt');
    const r = opened(decryptLegacyOffice(enc, ['Password1234_']));
    expect(r.method).toBe('ppt-rc4-cryptoapi');
    const plain = ole('msoffcrypto-tool/plain.ppt');
    const mine = r.streams.get('PowerPoint Document')!;
    const theirs = stream(plain, 'PowerPoint Document');
    expect(mine.length).toBe(38706);
    const differing = [...mine.keys()].filter((i) => mine[i] !== theirs[i]);
    // CryptSession10Container 38432–38637 (msoffcrypto-tool zeroes it), PersistDirectoryAtom
    // 38638–38665 (its cPersist one less), UserEditAtom 38666–38705 (recLen 0x1C, no session ref).
    expect(differing).toHaveLength(118);
    expect(differing.every((i) => (i >= 38432 && i < 38638) || i === 38648 || i === 38670 || i === 38702)).toBe(true);
    expect(r.streams.get('Current User')).toEqual(stream(plain, 'Current User'));
    expect(r.streams.get('Current User')!.readUInt32LE(12)).toBe(0xe391c05f);
  });
});

describe('XOR obfuscation (no independent decryptor at hand: msoffcrypto-tool 5.0 refuses it)', () => {
  it('decrypts xor_password_123456789012345.xls to readable records from the first to the last', () => {
    const enc = ole('msoffcrypto-tool/xor_password_123456789012345.xls');
    const r = opened(decryptLegacyOffice(enc, ['123456789012344', '123456789012345']));
    expect([r.method, r.password]).toEqual(['xls-xor', '123456789012345']);
    const wb = r.streams.get('Workbook')!;
    expect(wb.length).toBe(stream(enc, 'Workbook').length);
    const g = readBiffGlobals(wb);
    expect(g).toMatchObject({ biffVersion: 8, encrypted: false, errors: [], sheets: [{ name: '420', type: 'worksheet', visibility: 'visible', offset: 1452 }] });
    // WriteAccess, a Font and a Format, all encrypted in the file.
    expect(wb.subarray(46 + 4 + 3, 46 + 4 + 24).toString('latin1')).toBe('Microsoft Office User');
    expect(wb.subarray(278 + 4 + 16, 278 + 4 + 26).toString('utf16le')).toBe('Arial');
    expect(wb.subarray(428 + 4 + 5, 428 + 4 + 28).toString('latin1')).toBe('"$"#,##0_);\\("$"#,##0\\)');
    // The FILEPASS record is now an empty record of type 0 of the same size.
    expect(wb.subarray(20, 20 + 10)).toEqual(Buffer.from('00000600000000000000', 'hex'));
  });

  it('a candidate with the right 16-bit verifier but another key is refused', () => {
    // Found by search: verifier 0x9EB1 like the file's, key 0xADB8 where the file says 0x8265.
    const pw = xorPasswordBytes('meay6ymuaeeiee');
    expect([xorVerifierMethod1(pw), xorKeyMethod1(pw)]).toEqual([0x9eb1, 0xadb8]);
    expect(decryptLegacyOffice(ole('msoffcrypto-tool/xor_password_123456789012345.xls'), ['meay6ymuaeeiee'])).toEqual({ error: 'Excel xor encryption: none of 2 password(s) matched the verifier' });
  });
});

describe('Excel 4.0 macro workbooks encrypted under VelvetSweatshop', () => {
  it('opens the RC4 CryptoAPI 128-bit one with no candidates and finds the macro sheet, Auto_Open and the formulas', () => {
    const r = opened(decryptLegacyOffice(ole('encrypted-legacy/xlm-auto-open-velvetsweatshop-rc4cryptoapi.xls'), []));
    expect([r.method, r.password]).toEqual(['xls-rc4-cryptoapi', 'VelvetSweatshop']);
    const wb = r.streams.get('Workbook')!;
    const g = readBiffGlobals(wb);
    expect(g).toEqual({
      biffVersion: 8,
      sheets: [
        { name: 'Macro1', type: 'macro', visibility: 'visible', offset: 15243 },
        { name: 'Sheet1', type: 'worksheet', visibility: 'visible', offset: 15814 },
      ],
      autoOpenNames: ['Auto_Open'],
      encrypted: false,
      encryption: null,
      ddeLinks: [],
      errors: [],
    });
    expect(readXlmFormulas(wb, [15243], true)).toEqual({ functions: ['ALERT', 'HALT'], strings: ['This is a sample Excel 4 macro'], errors: [] });
  });

  it('opens the 40-bit one (key padded to 128 bits) and finds the hidden macro sheet and its sandbox checks', () => {
    const enc = ole('encrypted-legacy/xlm-hidden-velvetsweatshop-rc4cryptoapi-40bit.xls');
    expect(readFilePass(stream(enc, 'Workbook'))).toMatchObject({ offset: 20, scheme: 'rc4-cryptoapi', rc4: { keyBits: 40, flags: 4, size: 190 } });
    const r = opened(decryptLegacyOffice(enc, ['Password1!']));
    expect(r.password).toBe('VelvetSweatshop');
    const wb = r.streams.get('Workbook')!;
    const g = readBiffGlobals(wb);
    expect(g.sheets).toEqual([
      { name: 'Macro1', type: 'macro', visibility: 'hidden', offset: 15428 },
      { name: 'Sheet1', type: 'worksheet', visibility: 'visible', offset: 16132 },
    ]);
    expect(g.autoOpenNames).toEqual(['Auto_Open']);
    expect(readXlmFormulas(wb, [15428], true)).toEqual({ functions: ['GET.WORKBOOK', 'GET.DOCUMENT', 'HALT', 'IF', 'ALERT'], strings: ['clean.xls', ' is editing '], errors: [] });
  });

  it('without decryption the same workbooks show only FILEPASS', () => {
    const g = readBiffGlobals(stream(ole('encrypted-legacy/xlm-auto-open-velvetsweatshop-rc4cryptoapi.xls'), 'Workbook'));
    expect([g.encrypted, g.encryption, g.sheets]).toEqual([true, 'rc4-cryptoapi', []]);
  });

  it('the RC4 workbook LibreOffice 7.4 wrote, and the Excel-written one of oletools with VBA, open with the default', () => {
    expect(opened(decryptLegacyOffice(ole('encrypted-legacy/libreoffice-velvetsweatshop-rc4.xls'), [])).method).toBe('xls-rc4');
    const r = opened(decryptLegacyOffice(ole('oletools/encrypted/autostart-encrypt-standardpassword.xls'), []));
    expect(readBiffGlobals(r.streams.get('Workbook')!).sheets.map((s) => s.name)).toEqual(['Tabelle1']);
  });
});

describe('wrong passwords decrypt nothing', () => {
  it.each([
    ['msoffcrypto-tool/rc4cryptoapi_password.xls', 'Excel rc4-cryptoapi encryption: none of 3 password(s) matched the verifier'],
    ['msoffcrypto-tool/rc4cryptoapi_password.doc', 'Word rc4-cryptoapi encryption: none of 3 password(s) matched the verifier'],
    ['msoffcrypto-tool/rc4cryptoapi_password.ppt', 'PowerPoint RC4 CryptoAPI encryption: none of 3 password(s) matched the verifier'],
    ['strelka/test_password_brute.doc', 'Word rc4 encryption: none of 3 password(s) matched the verifier'],
    ['oletools/encrypted/encrypted.xls', 'Excel rc4 encryption: none of 3 password(s) matched the verifier'],
  ])('%s', (fixture, error) => {
    expect(decryptLegacyOffice(ole(fixture), ['password1234_', 'Password1234'])).toEqual({ error });
  });

  it('plain documents are not legacy-encrypted', () => {
    for (const f of ['msoffcrypto-tool/plain.xls', 'msoffcrypto-tool/plain.doc', 'msoffcrypto-tool/plain.ppt', 'oletools/excel4-macros/excel4_sample_macro.xls', 'msoffcrypto-tool/example_password.docx']) {
      expect(decryptLegacyOffice(ole(f), ['x'])).toBeNull();
    }
  });
});

describe('password candidates', () => {
  it('puts VelvetSweatshop first, drops repeats, empties and over-long ones, and stops at the limit', () => {
    expect(legacyPasswordCandidates(['abc', 'VelvetSweatshop', '', 'abc', 'x'.repeat(256), 'y'.repeat(255)])).toEqual(['VelvetSweatshop', 'abc', 'y'.repeat(255)]);
    const many = legacyPasswordCandidates(Array.from({ length: 100 }, (_, i) => `p${i}`));
    expect(many).toHaveLength(LEGACY_DECRYPT_LIMITS.maxPasswords);
    expect(many.slice(0, 2)).toEqual(['VelvetSweatshop', 'p0']);
  });
});

describe('ECMA-376 Standard encryption', () => {
  for (const e of EXPECTED.filter((x) => x.stream === '(package)')) {
    it(`${e.fixture} decrypts to msoffcrypto-tool’s package`, () => {
      const c = ole(e.fixture);
      const r = decryptStandardPackage(stream(c, 'EncryptionInfo'), stream(c, 'EncryptedPackage'), ['VelvetSweatshop', e.password]);
      expect(r?.password).toBe(e.password);
      expect(r!.data.length).toBe(e.length);
      expect(sha256(r!.data)).toBe(e.sha256);
      expect(r!.data.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
    });
  }

  it('reads the header of msoffcrypto-tool’s fixture, refuses a wrong password and leaves Agile packages alone', () => {
    const c = ole('msoffcrypto-tool/ecma376standard_password.docx');
    expect(parseStandardInfo(stream(c, 'EncryptionInfo'))).toMatchObject({ keyBits: 128 });
    expect(decryptStandardPackage(stream(c, 'EncryptionInfo'), stream(c, 'EncryptedPackage'), ['Password1234'])).toBeNull();
    const agile = ole('msoffcrypto-tool/example_password.docx');
    expect(parseStandardInfo(stream(agile, 'EncryptionInfo'))).toBeNull();
    expect(decryptStandardPackage(stream(agile, 'EncryptionInfo'), stream(agile, 'EncryptedPackage'), ['Password1234_'])).toBeNull();
  });

  it('refuses a package size beyond the stream and a header size beyond EncryptionInfo', () => {
    const c = ole('msoffcrypto-tool/ecma376standard_password.docx');
    const pkg = Buffer.from(stream(c, 'EncryptedPackage'));
    pkg.writeBigUInt64LE(BigInt(pkg.length), 0);
    expect(decryptStandardPackage(stream(c, 'EncryptionInfo'), pkg, ['Password1234_'])).toBeNull();
    const info = Buffer.from(stream(c, 'EncryptionInfo'));
    info.writeUInt32LE(0xffffffff, 8);
    expect(parseStandardInfo(info)).toBeNull();
  });
});

describe('hostile encryption headers give an error, never a throw', () => {
  const xlm = stream(ole('encrypted-legacy/xlm-auto-open-velvetsweatshop-rc4cryptoapi.xls'), 'Workbook');
  // FILEPASS at 20: header 4, wEncryptionType 2, then the RC4 CryptoAPI header from 26.
  const patched = (at: number, write: (b: Buffer) => void, base = xlm) => {
    const b = Buffer.from(base);
    write(b.subarray(at));
    return b;
  };

  it.each([
    ['FILEPASS cut to 10 bytes', patched(22, (b) => b.writeUInt16LE(10, 0)), 'FILEPASS at 20: RC4 CryptoAPI header truncated'],
    ['FILEPASS longer than the stream', patched(22, (b) => b.writeUInt16LE(0xffff, 0)).subarray(0, 300), 'FILEPASS at 20 runs past the end of the stream'],
    ['EncryptionHeaderSize 0xFFFFFFFF', patched(34, (b) => b.writeUInt32LE(0xffffffff, 0)), 'FILEPASS at 20: RC4 CryptoAPI EncryptionHeaderSize 4294967295 does not fit the 198 bytes given'],
    ['EncryptionHeaderSize 0', patched(34, (b) => b.writeUInt32LE(0, 0)), 'FILEPASS at 20: RC4 CryptoAPI EncryptionHeaderSize 0 does not fit the 198 bytes given'],
    ['KeySize 0x10000', patched(38 + 16, (b) => b.writeUInt32LE(0x10000, 0)), 'FILEPASS at 20: RC4 CryptoAPI key size of 65536 bits (40 to 128 in steps of 8 allowed)'],
    ['KeySize 0xFFFFFFFF', patched(38 + 16, (b) => b.writeUInt32LE(0xffffffff, 0)), 'FILEPASS at 20: RC4 CryptoAPI key size of 4294967295 bits (40 to 128 in steps of 8 allowed)'],
    ['KeySize 44', patched(38 + 16, (b) => b.writeUInt32LE(44, 0)), 'FILEPASS at 20: RC4 CryptoAPI key size of 44 bits (40 to 128 in steps of 8 allowed)'],
    // 0 means 40 bits (2.3.5.1); this file's key has 128, so the verifier fails.
    ['KeySize 0', patched(38 + 16, (b) => b.writeUInt32LE(0, 0)), 'Excel rc4-cryptoapi encryption: none of 1 password(s) matched the verifier'],
    ['SaltSize 0xFFFFFFFF', patched(38 + 126, (b) => b.writeUInt32LE(0xffffffff, 0)), 'FILEPASS at 20: RC4 CryptoAPI salt of 4294967295 bytes, 16 required'],
    ['VerifierHashSize 0', patched(38 + 126 + 36, (b) => b.writeUInt32LE(0, 0)), 'FILEPASS at 20: RC4 CryptoAPI verifier hash of 0 bytes, 20 (SHA-1) required'],
    ['version 9.9', patched(26, (b) => b.writeUInt32LE(0x00090009, 0)), 'FILEPASS at 20: encryption version 9.9 is not RC4 or RC4 CryptoAPI'],
    ['wEncryptionType 7', patched(24, (b) => b.writeUInt16LE(7, 0)), 'FILEPASS at 20: unknown wEncryptionType 7'],
  ])('Excel: %s', (_, wb, error) => {
    expect(decryptWorkbook(wb, ['VelvetSweatshop'])).toEqual({ error });
    expect(decryptLegacyOffice(oleOf({ Workbook: wb }), [])).toEqual({ error });
  });

  it('Excel 95 (BIFF5) XOR obfuscation is reported, not decrypted', () => {
    const book = stream(ole('oletools/excel4-macros/excel4_sample_macro_excel5_format.xls'), 'Book');
    const bofEnd = 4 + book.readUInt16LE(2);
    const withFilePass = Buffer.concat([book.subarray(0, bofEnd), Buffer.from('2f000400', 'hex'), Buffer.alloc(4), book.subarray(bofEnd)]);
    expect(decryptLegacyOffice(oleOf({ Book: withFilePass }), [])).toEqual({ error: 'FILEPASS in a BIFF5 workbook (Excel 95 XOR obfuscation) is not decrypted' });
    expect(decryptLegacyOffice(oleOf({ Book: book }), [])).toBeNull();
  });

  it('Excel: a record cut by the end of the stream is decrypted as far as it goes', () => {
    const r = decryptWorkbook(xlm.subarray(0, 15300), ['VelvetSweatshop']);
    expect(r && !('error' in r) && r.stream.length).toBe(15300);
  });

  const doc = ole('msoffcrypto-tool/rc4cryptoapi_password.doc');
  const word = stream(doc, 'WordDocument');
  const table = stream(doc, '1Table');
  it.each([
    ['lKey 0xFFFFFFFF', patched(0x0e, (b) => b.writeUInt32LE(0xffffffff, 0), word), table, 'FibBase.lKey of 4294967295 bytes does not fit the 7246-byte 1Table stream'],
    ['lKey beyond the Table stream', word, table.subarray(0, 100), 'FibBase.lKey of 198 bytes does not fit the 100-byte 1Table stream'],
    ['lKey 20', patched(0x0e, (b) => b.writeUInt32LE(20, 0), word), table, '1Table encryption header: RC4 CryptoAPI EncryptionHeaderSize 126 does not fit the 20 bytes given'],
    ['EncryptionHeaderSize huge', word, patched(8, (b) => b.writeUInt32LE(0x7ffffff0, 0), table), '1Table encryption header: RC4 CryptoAPI EncryptionHeaderSize 2147483632 does not fit the 198 bytes given'],
    ['XOR obfuscation', patched(0x0a, (b) => b.writeUInt16LE(b.readUInt16LE(0) | 0x8000, 0), word), table, 'Word XOR obfuscation (fObfuscated) is not decrypted'],
  ])('Word: %s', (_, w, t, error) => {
    expect(decryptWordDocument(oleOf({ WordDocument: w, '1Table': t }), ['Password1234_'])).toEqual({ error });
  });

  it('Word: no Table stream', () => {
    expect(decryptWordDocument(oleOf({ WordDocument: word }), ['Password1234_'])).toEqual({ error: 'Word document is encrypted but has no 1Table stream' });
  });

  const ppt = ole('msoffcrypto-tool/rc4cryptoapi_password.ppt');
  const pptDoc = stream(ppt, 'PowerPoint Document');
  const cu = stream(ppt, 'Current User');
  it.each([
    ['CryptSession10Container recLen 0xFFFFFFFF', patched(38432 + 4, (b) => b.writeUInt32LE(0xffffffff, 0), pptDoc), 'CryptSession10Container of 4294967295 bytes does not fit'],
    ['UserEditAtom offsetLastEdit pointing at itself', patched(38666 + 16, (b) => b.writeUInt32LE(38666, 0), pptDoc), 'PowerPoint Document: UserEditAtom chain loops or passes 1000 edits'],
    ['PersistDirectoryAtom recLen past the end', patched(38638 + 4, (b) => b.writeUInt32LE(0xfffffff0, 0), pptDoc), 'PowerPoint Document: PersistDirectoryAtom at 38638 runs past the end of the stream'],
    ['cPersist beyond its atom', patched(38646, (b) => b.writeUInt32LE(0xfff00001, 0), pptDoc), 'PowerPoint Document: PersistDirectoryEntry at 38646 runs past its atom'],
    ['two persist objects at one offset', patched(38654, (b) => b.writeUInt32LE(0, 0), pptDoc), 'persist objects overlap: more bytes to decrypt than the stream holds'],
  ])('PowerPoint: %s', (_, d, error) => {
    expect(decryptPresentation(oleOf({ 'PowerPoint Document': d, 'Current User': cu }), ['Password1234_'])).toEqual({ error });
  });

  it('any bytes in the first 400 of an encrypted Workbook, Table or PowerPoint directory give a result, not a throw (property)', () => {
    const doc1Table = Buffer.from(table);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 399 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 12 }), fc.nat({ max: 400 }), (edits, cut) => {
        const wb = Buffer.from(xlm);
        const t = Buffer.from(doc1Table);
        const p = Buffer.from(pptDoc);
        for (const [at, v] of edits) {
          wb[at] = v;
          t[at] = v;
          p[38432 + at] = v;
        }
        for (const r of [
          decryptWorkbook(wb, ['VelvetSweatshop']),
          decryptWorkbook(wb.subarray(0, cut), ['VelvetSweatshop']),
          decryptWordDocument(oleOf({ WordDocument: word, '1Table': t }), ['Password1234_']),
          decryptWordDocument(oleOf({ WordDocument: word, '1Table': t.subarray(0, cut) }), ['Password1234_']),
          decryptPresentation(oleOf({ 'PowerPoint Document': p, 'Current User': cu }), ['Password1234_']),
        ]) {
          expect(r === null || 'error' in r || r.password !== undefined).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
