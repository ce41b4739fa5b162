import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ARCHIVE_LIMITS, isOtherArchive, readOtherArchive, type OtherArchive } from '../../src/office/archives.js';
import { MemberSink } from '../../src/office/member-sink.js';
import { extractEntry, readZipDirectory } from '../../src/office/zip-archive.js';
import { ROOT } from '../helpers.js';

const dir = join(ROOT, 'tests/fixtures/office/archives');
const fixture = (p: string) => readFileSync(join(dir, p));
const xls = readFileSync(join(ROOT, 'src/samples/assets/macro-auto-open.xls'));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const XLS = 'bd29faabd2fbb45d3024d174476049220fbbe73bc97ab137c973b302f902fc78';
/** The 76-byte Shell Link header record.sh writes as Invoice.pdf.lnk. */
const LNK = 'bb3d7bc266d062e070e5678fbf32b4bc017bdb6c33f0b8218939f55d07db0334';
const PASSWORD = 'infected2024';
const MiB = 1024 * 1024;

/** What a test compares: every member's name, size, flag, data hash (or null) and error. */
function members(r: OtherArchive) {
  return r.entries.map((e) => ({ name: e.name, size: e.size, encrypted: e.encrypted, sha256: e.data ? sha(e.data) : null, ...(e.error ? { error: e.error } : {}) }));
}
const flags = (r: OtherArchive) => ({ kind: r.kind, encrypted: r.encrypted, opened: r.opened, password: r.password });

describe('isOtherArchive', () => {
  it('recognises each fixture by content', () => {
    const kinds = Object.fromEntries(
      ['7z/macro.7z', '7z/macro-encrypted-headers.7z', 'rar/macro.rar', 'rar/libarchive-rar4-unicode.rar', 'rar/libarchive-rar5-unicode.rar', 'images/lure.iso', 'images/lure-udf.iso', 'images/macro.img', 'gzip/macro-auto-open.xls.gz', 'padded/invoice-padded.7z'].map((p) => [p, isOtherArchive(fixture(p))]),
    );
    expect(kinds).toEqual({
      '7z/macro.7z': '7z',
      '7z/macro-encrypted-headers.7z': '7z',
      'rar/macro.rar': 'rar',
      'rar/libarchive-rar4-unicode.rar': 'rar',
      'rar/libarchive-rar5-unicode.rar': 'rar',
      'images/lure.iso': 'iso',
      'images/lure-udf.iso': 'iso',
      'images/macro.img': 'img',
      'gzip/macro-auto-open.xls.gz': 'gzip',
      'padded/invoice-padded.7z': '7z',
    });
  });

  it('leaves ordinary files and near misses alone', () => {
    const fat = Buffer.from(fixture('images/macro.img').subarray(0, 512));
    const ntfs = Buffer.from(fat);
    ntfs.write('NTFS    ', 3, 'latin1');
    ntfs.fill(0, 38, 90); // no FAT extended boot record, no type string
    const shiftedIso = Buffer.concat([Buffer.alloc(1), fixture('images/lure.iso').subarray(0, 0x9000)]);
    const cases = {
      ole: xls,
      zip: fixture('padded/invoice-padded.zip'),
      pdf: Buffer.from('%PDF-1.7\n'),
      text: Buffer.from('Rar! is how a RAR archive starts'),
      rarPrefix: Buffer.from('Rar!\x1a\x07\x02\x00'),
      sevenZipVersion9: Buffer.concat([Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 9, 4]), Buffer.alloc(40)]),
      gzipOtherMethod: Buffer.concat([Buffer.from([0x1f, 0x8b, 0x07, 0]), Buffer.alloc(20)]),
      shiftedIso,
      ntfs,
      fatWithoutMark: Buffer.concat([fat.subarray(0, 510), Buffer.from([0, 0])]),
      empty: Buffer.alloc(0),
    };
    expect(Object.fromEntries(Object.entries(cases).map(([k, b]) => [k, isOtherArchive(b)]))).toEqual(Object.fromEntries(Object.keys(cases).map((k) => [k, null])));
  });
});

describe('7z', () => {
  it('reads the plain archive', () => {
    const r = readOtherArchive(fixture('7z/macro.7z'), '7z');
    expect(flags(r)).toEqual({ kind: '7z', encrypted: false, opened: true, password: undefined });
    expect(members(r)).toEqual([{ name: 'macro-auto-open.xls', size: 33792, encrypted: false, sha256: XLS }]);
    expect(r.errors).toEqual([]);
  });

  it('an encrypted archive: listed, not opened without the password, opened with it', () => {
    const without = readOtherArchive(fixture('7z/macro-encrypted.7z'), '7z', []);
    expect(flags(without)).toEqual({ kind: '7z', encrypted: true, opened: false, password: undefined });
    expect(members(without)).toEqual([{ name: 'macro-auto-open.xls', size: 33792, encrypted: true, sha256: null, error: 'encrypted; no password candidate' }]);
    const wrong = readOtherArchive(fixture('7z/macro-encrypted.7z'), '7z', ['infected', 'Infected2024']);
    expect(members(wrong)).toEqual([{ name: 'macro-auto-open.xls', size: 33792, encrypted: true, sha256: null, error: 'encrypted; none of 2 password candidate(s) opened it' }]);
    const right = readOtherArchive(fixture('7z/macro-encrypted.7z'), '7z', ['infected', PASSWORD]);
    expect(flags(right)).toEqual({ kind: '7z', encrypted: true, opened: true, password: PASSWORD });
    expect(members(right)).toEqual([{ name: 'macro-auto-open.xls', size: 33792, encrypted: true, sha256: XLS }]);
  });

  it('encrypted headers (-mhe): no names without the password', () => {
    const without = readOtherArchive(fixture('7z/macro-encrypted-headers.7z'), '7z', []);
    expect(flags(without)).toEqual({ kind: '7z', encrypted: true, opened: false, password: undefined });
    expect(without.entries).toEqual([]);
    expect(without.errors).toEqual(['encrypted headers: no password candidate']);
    const wrong = readOtherArchive(fixture('7z/macro-encrypted-headers.7z'), '7z', ['infected']);
    expect(wrong.errors).toEqual(['encrypted headers: none of 1 password candidate(s) opened it']);
    const right = readOtherArchive(fixture('7z/macro-encrypted-headers.7z'), '7z', ['infected', PASSWORD]);
    expect(flags(right)).toEqual({ kind: '7z', encrypted: true, opened: true, password: PASSWORD });
    expect(members(right)).toEqual([{ name: 'macro-auto-open.xls', size: 33792, encrypted: true, sha256: XLS }]);
  });
});

describe('RAR', () => {
  it('RAR 5 stored, with data encryption, with header encryption (-hp)', () => {
    expect(members(readOtherArchive(fixture('rar/macro.rar'), 'rar'))).toEqual([{ name: 'macro-auto-open.xls', size: 33792, encrypted: false, sha256: XLS }]);
    const data = readOtherArchive(fixture('rar/macro-encrypted.rar'), 'rar', []);
    expect(flags(data)).toEqual({ kind: 'rar', encrypted: true, opened: false, password: undefined });
    expect(members(data)).toEqual([{ name: 'macro-auto-open.xls', size: 33792, encrypted: true, sha256: null, error: 'encrypted; no password candidate' }]);
    const dataOpened = readOtherArchive(fixture('rar/macro-encrypted.rar'), 'rar', ['nope', PASSWORD]);
    expect(flags(dataOpened)).toEqual({ kind: 'rar', encrypted: true, opened: true, password: PASSWORD });
    expect(members(dataOpened)).toEqual([{ name: 'macro-auto-open.xls', size: 33792, encrypted: true, sha256: XLS }]);
    const hp = readOtherArchive(fixture('rar/macro-encrypted-headers.rar'), 'rar', ['nope']);
    expect(flags(hp)).toEqual({ kind: 'rar', encrypted: true, opened: false, password: undefined });
    expect(hp.entries).toEqual([]);
    expect(hp.errors).toEqual(['encrypted headers: none of 1 password candidate(s) opened it']);
    const hpOpened = readOtherArchive(fixture('rar/macro-encrypted-headers.rar'), 'rar', [PASSWORD]);
    expect(flags(hpOpened)).toEqual({ kind: 'rar', encrypted: true, opened: true, password: PASSWORD });
    expect(members(hpOpened)).toEqual([
      { name: 'macro-auto-open.xls', size: 33792, encrypted: true, sha256: XLS },
      { name: 'Invoice.pdf.lnk', size: 76, encrypted: true, sha256: LNK },
    ]);
  });

  it('RAR 4 made by WinRAR on Japanese Windows (libarchive test data)', () => {
    const r = readOtherArchive(fixture('rar/libarchive-rar4-unicode.rar'), 'rar');
    expect(flags(r)).toEqual({ kind: 'rar', encrypted: false, opened: true, password: undefined });
    expect(members(r)).toEqual([
      { name: '表だよ/新しいフォルダ/新規テキスト ドキュメント.txt', size: 0, encrypted: false, sha256: sha(Buffer.alloc(0)) },
      { name: '表だよ/漢字長いファイル名long-filename-in-漢字.txt', size: 5, encrypted: false, sha256: sha(Buffer.from('kanji')) },
    ]);
  });

  it('RAR 5 with a hard link and a symbolic link (libarchive test data)', () => {
    const r = readOtherArchive(fixture('rar/libarchive-rar5-unicode.rar'), 'rar');
    const text = 'b5f46e00a9ff1a4ddbdbe73f8f7119ba2414c8d4a6df12a5f0036f655cd9bef0';
    expect(members(r)).toEqual([
      { name: '𝒻𝒾𝓁𝑒.txt', size: 33, encrypted: false, sha256: text },
      { name: '𝒽𝒶𝓇𝒹𝓁𝒾𝓃𝓀.txt', size: 33, encrypted: false, sha256: text },
      { name: '𝓈𝓎𝓂𝓁𝒾𝓃𝓀.txt', size: 0, encrypted: false, sha256: null, error: 'symbolic link to "𝒻𝒾𝓁𝑒.txt" (not followed)' },
    ]);
    expect(r.entries.map((e) => e.link)).toEqual([undefined, { kind: 'hard', target: '𝒻𝒾𝓁𝑒.txt' }, { kind: 'symbolic', target: '𝒻𝒾𝓁𝑒.txt' }]);
    expect(r.opened).toBe(true);
  });
});

describe('disk images', () => {
  const lure = [
    { name: 'Invoice.pdf.lnk', size: 76, encrypted: false, sha256: LNK },
    { name: 'macro-auto-open.xls', size: 33792, encrypted: false, sha256: XLS },
  ];
  it('ISO 9660 with Joliet names', () => {
    const r = readOtherArchive(fixture('images/lure.iso'), 'iso');
    expect(flags(r)).toEqual({ kind: 'iso', encrypted: false, opened: true, password: undefined });
    expect(members(r)).toEqual(lure);
  });
  it('ISO with a UDF bridge: the UDF view, and the ISO view adds nothing', () => {
    const r = readOtherArchive(fixture('images/lure-udf.iso'), 'iso');
    expect(members(r)).toEqual(lure);
    expect(r.stats?.runs).toBe(4);
  });
  it('a FAT12 image (IMG)', () => {
    const r = readOtherArchive(fixture('images/macro.img'), 'img');
    expect(flags(r)).toEqual({ kind: 'img', encrypted: false, opened: true, password: undefined });
    expect(members(r)).toEqual([{ name: 'macro-auto-open.xls', size: 33792, encrypted: false, sha256: XLS }]);
  });
});

describe('GZIP', () => {
  it('one member, named by its header', () => {
    const r = readOtherArchive(fixture('gzip/macro-auto-open.xls.gz'), 'gzip');
    expect(flags(r)).toEqual({ kind: 'gzip', encrypted: false, opened: true, password: undefined });
    expect(members(r)).toEqual([{ name: 'macro-auto-open.xls', size: 33792, encrypted: false, sha256: XLS }]);
  });
  it('two members: the first is read and the mismatch said', () => {
    const two = Buffer.concat([gzipSync(Buffer.from('one\n')), gzipSync(Buffer.from('two\n'))]);
    const r = readOtherArchive(two, 'gzip');
    expect(r.opened).toBe(true);
    expect(r.errors).toEqual(['CRC or size does not match the trailer (corrupt, or more than one gzip member)']);
    expect(r.entries[0]!.error).toBe(r.errors[0]);
    expect(r.entries[0]!.data?.toString()).toBe('one\n');
  });
});

describe('padding (Emotet, March 2023: a 500 MB document in a 600 KB zip)', () => {
  // The xls followed by zeros up to 300 MiB: kept up to the next 4 KiB boundary.
  const KEPT = 'a04b89226cb96515b8fae59c1667c66dfc8c65d0f4a52946ebc0a0d13bd559a4';
  const PADDED = 'cce868f5432d2f8652f804f117951a56dd9bc78cf4ca1d143a1d848a6f482dbd';
  const padding = { byte: 0, length: 300 * MiB - 36864, fullSize: 300 * MiB, fullSha256: PADDED };

  it('7z: the document is kept, the 300 MiB of zeros counted and hashed', () => {
    const r = readOtherArchive(fixture('padded/invoice-padded.7z'), '7z');
    expect(r.opened).toBe(true);
    const [e] = r.entries;
    expect({ name: e!.name, size: e!.size, kept: e!.data!.length, sha256: sha(e!.data!), fullSha256: e!.sha256, padding: e!.padding, error: e!.error }).toEqual({
      name: 'invoice-padded.doc',
      size: 300 * MiB,
      kept: 36864,
      sha256: KEPT,
      fullSha256: PADDED,
      padding,
      error: undefined,
    });
    expect(e!.data!.subarray(0, xls.length).equals(xls)).toBe(true);
  });

  it('ZIP (316,911 bytes): extractEntry hands on the document, not a limit refusal', () => {
    const zip = fixture('padded/invoice-padded.zip');
    expect(zip.length).toBe(316911);
    const [entry] = readZipDirectory(zip).entries;
    expect(entry).toMatchObject({ name: 'invoice-padded.doc', size: 300 * MiB, method: 8 });
    const x = extractEntry(zip, entry!);
    expect(x.ok && { kept: x.data.length, sha256: sha(x.data), padding: x.padding }).toEqual({ kept: 36864, sha256: KEPT, padding });
  });

  it('gzip with small limits: padding past maxEntryBytes dropped in whole 4 KiB blocks', () => {
    const padded = Buffer.concat([xls, Buffer.alloc(8 * MiB)]);
    const r = readOtherArchive(gzipSync(padded), 'gzip', [], { ...ARCHIVE_LIMITS, maxEntryBytes: MiB });
    const [e] = r.entries;
    expect({ kept: e!.data!.length, sha256: sha(e!.data!), padding: e!.padding, opened: r.opened }).toEqual({
      kept: 36864,
      sha256: KEPT,
      padding: { byte: 0, length: padded.length - 36864, fullSize: padded.length, fullSha256: sha(padded) },
      opened: true,
    });
  });

  it('a member that fits is kept whole, trailing zeros and all', () => {
    const padded = Buffer.concat([xls, Buffer.alloc(2 * MiB)]);
    const r = readOtherArchive(gzipSync(padded), 'gzip', [], { ...ARCHIVE_LIMITS, maxEntryBytes: 4 * MiB });
    expect(r.entries[0]!.data!.equals(padded)).toBe(true);
    expect(r.entries[0]!.padding).toBeUndefined();
  });

  it('varied bytes past the cap are cut and said to be', () => {
    const varied = Buffer.alloc(3 * MiB);
    for (let i = 0; i < varied.length; i++) varied[i] = (i * 7919) % 251;
    const r = readOtherArchive(gzipSync(varied), 'gzip', [], { ...ARCHIVE_LIMITS, maxEntryBytes: MiB });
    expect(r.entries[0]!.data!.length).toBe(MiB);
    expect(r.entries[0]!.error).toBe(`not all kept: more than ${MiB} bytes; first ${MiB} bytes kept`);
  });

  it('the sink: padding in the middle is content; a run ending the member is padding only past the cap', () => {
    const sink = new MemberSink(1000);
    sink.write(Buffer.from('head'));
    sink.write(Buffer.alloc(200 * 1024));
    sink.write(Buffer.from('tail'));
    const s = sink.finish();
    expect([s.size, s.data.length, s.truncated]).toEqual([
      8 + 200 * 1024,
      1000,
      'a run of 204800 bytes of 0x00 at offset 4 does not fit (more than 1000 bytes); nothing from there on kept',
    ]);
    const fits = new MemberSink(300 * 1024);
    fits.write(Buffer.from('head'));
    fits.write(Buffer.alloc(200 * 1024));
    fits.write(Buffer.from('tail'));
    const f = fits.finish();
    expect([f.size, f.data.length, f.truncated, f.data.subarray(-4).toString()]).toEqual([8 + 200 * 1024, 8 + 200 * 1024, undefined, 'tail']);
  });

  it('the sink: a long run in the middle that does not fit ends the member at a 4 KiB block, not at the cap', () => {
    const sink = new MemberSink(1024 * 1024);
    sink.write(Buffer.alloc(5000, 0x41));
    sink.write(Buffer.alloc(2 * 1024 * 1024, 0));
    sink.write(Buffer.from('garbage after the run'));
    const s = sink.finish();
    expect([s.data.length, s.data[4999], s.data[5000], s.truncated]).toEqual([
      8192,
      0x41,
      0,
      'a run of 2097152 bytes of 0x00 at offset 5000 does not fit (more than 1048576 bytes); nothing from there on kept',
    ]);
  });
});

describe('limits', () => {
  it('the wall-time limit ends the worker and says so', () => {
    const r = readOtherArchive(fixture('padded/invoice-padded.7z'), '7z', [], { ...ARCHIVE_LIMITS, maxMillis: 200 });
    expect(r.opened).toBe(false);
    expect(r.errors).toContainEqual(expect.stringMatching(/time limit of 200 ms reached$/));
  });

  it('WebAssembly memory is capped: a dictionary larger than the cap fails with an error', () => {
    // The padded 7z needs about 40 MB (a 16 MiB LZMA2 dictionary); give 7-Zip 24 MiB.
    const r = readOtherArchive(fixture('padded/invoice-padded.7z'), '7z', [], { ...ARCHIVE_LIMITS, maxWasmBytes: 24 * MiB });
    expect(r.errors).toEqual(["ERROR: Can't allocate required memory!"]);
    expect(r.entries.map((e) => [e.name, e.data, e.error])).toEqual([['invoice-padded.doc', undefined, "not extracted (ERROR: Can't allocate required memory!)"]]);
    expect(r.stats!.wasmBytes).toBeLessThanOrEqual(24 * MiB);
  });

  it('members past maxEntries are not read', () => {
    const r = readOtherArchive(fixture('images/lure.iso'), 'iso', [], { ...ARCHIVE_LIMITS, maxEntries: 1 });
    expect(r.entries.map((e) => e.name)).toEqual(['Invoice.pdf.lnk']);
    expect(r.errors).toContain('more than 1 members; the rest not read');
  });
});

describe('damaged archives give errors, never a throw or a hang', () => {
  /** A fixed pseudo-random sequence (xorshift), so a failure can be replayed. */
  function noise(seed: number, n: number): Buffer {
    const b = Buffer.alloc(n);
    let x = seed;
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      b[i] = x & 0xff;
    }
    return b;
  }
  const cannotOpen = (format: string) => `Open ERROR: Cannot open the file as [${format}] archive`;
  const TRUNC = 'Unexpected end of archive';
  /** path, kind, then for the truncated and the noisy copy: opened, errors, and [name, size, error] per member. */
  type Outcome = [boolean, string[], [string, number, string | undefined][]];
  const cases: [string, OtherArchive['kind'], Outcome, Outcome][] = [
    ['7z/macro.7z', '7z', [false, [cannotOpen('7z'), TRUNC], []], [false, [cannotOpen('7z')], []]],
    ['7z/macro-encrypted-headers.7z', '7z', [false, [cannotOpen('7z'), TRUNC], []], [false, [cannotOpen('7z')], []]],
    [
      'rar/macro.rar',
      'rar',
      [true, [TRUNC, 'ERROR: Data Error : macro-auto-open.xls'], [['macro-auto-open.xls', 33792, 'ERROR: Data Error : macro-auto-open.xls; incomplete: 16869 of 33792 bytes decompressed']]],
      [false, [cannotOpen('Rar5')], []],
    ],
    [
      'rar/macro-encrypted-headers.rar',
      'rar',
      // The password decrypted the headers, so the data error is damage, not a wrong password.
      [
        true,
        [TRUNC, 'ERROR: Data Error in encrypted file. Wrong password? : macro-auto-open.xls'],
        [['macro-auto-open.xls', 33792, 'ERROR: Data Error in encrypted file. Wrong password? : macro-auto-open.xls; incomplete: 16912 of 33792 bytes decompressed']],
      ],
      [false, [cannotOpen('Rar5')], []],
    ],
    ['rar/libarchive-rar4-unicode.rar', 'rar', [true, [TRUNC], [['表だよ/新しいフォルダ/新規テキスト ドキュメント.txt', 0, undefined]]], [false, [cannotOpen('Rar')], []]],
    // The files of an image sit in its first half: they survive the cut.
    ['images/lure.iso', 'iso', [true, [TRUNC], [['Invoice.pdf.lnk', 76, undefined], ['macro-auto-open.xls', 33792, undefined]]], [false, [cannotOpen('Iso')], []]],
    ['images/macro.img', 'img', [true, [TRUNC], [['macro-auto-open.xls', 33792, undefined]]], [false, [cannotOpen('FAT')], []]],
  ];

  it.each(cases)('%s truncated to half, and with noise over its headers', (path, kind, truncatedOutcome, noisyOutcome) => {
    const whole = fixture(path);
    const truncated = whole.subarray(0, Math.floor(whole.length / 2));
    // Noise where each format keeps its structure: its start (for ISO the Joliet descriptor,
    // for IMG the first FAT), and near its end.
    const noisy = Buffer.from(whole);
    const at = kind === 'iso' ? 0x8000 + 2048 : kind === 'img' ? 512 : 8;
    noise(path.length, 64).copy(noisy, at);
    noise(whole.length, 64).copy(noisy, Math.max(at + 64, whole.length - 200));
    for (const [bytes, expected] of [[truncated, truncatedOutcome], [noisy, noisyOutcome]] as const) {
      const t = Date.now();
      const r = readOtherArchive(bytes, kind, [PASSWORD]);
      expect(Date.now() - t).toBeLessThan(ARCHIVE_LIMITS.maxMillis);
      expect([r.opened, r.errors, r.entries.map((e) => [e.name, e.size, e.error])]).toEqual(expected);
    }
  });

  it('gzip truncated, and with noise over its header', () => {
    const whole = fixture('gzip/macro-auto-open.xls.gz');
    const truncated = readOtherArchive(whole.subarray(0, Math.floor(whole.length / 2)), 'gzip');
    expect([truncated.errors, truncated.entries.map((e) => [e.name, e.size, e.error])]).toEqual([['inflate failed: unexpected EOF'], [['macro-auto-open.xls', 14627, 'inflate failed: unexpected EOF']]]);
    const noisy = Buffer.from(whole);
    noise(3, 64).copy(noisy, 8);
    const r = readOtherArchive(noisy, 'gzip');
    expect(r.errors.length).toBe(1);
    expect(r.entries[0]!.sha256).not.toBe(XLS);
  });

  it('noise alone, labelled as each kind', () => {
    for (const kind of ['7z', 'rar', 'iso', 'img', 'gzip'] as const) {
      const r = readOtherArchive(noise(7, 4096), kind, ['x']);
      expect(r.opened).toBe(false);
      expect(r.errors.length).toBeGreaterThan(0);
    }
  });
});
