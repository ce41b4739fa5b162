// ZIP reading for attachments and OOXML packages. The central directory is walked here,
// not by a library, because what we need is what the libraries hide: the encryption flag
// and method of each entry (ZipCrypto, WinZip AES), decryption with candidate passwords
// from the mail body, and hard limits on entries, sizes and ratio before anything is
// inflated. Inflating itself is fflate's. Member names are decoded in zip-names.ts.
import { Inflate, inflateSync } from 'fflate';
import { crc32 } from 'node:zlib';
import { MemberSink, type Padding } from './member-sink.js';
import { aesDecrypt } from './winzip-aes.js';
import { decodeZipNames, type RawZipName, type ZipNameCharset, type ZipNameEncoding } from './zip-names.js';
import { ZipCryptoKeys } from './zipcrypto.js';

export const ZIP_LIMITS = {
  /** Entries read from one archive; 42.zip-style bombs and 100,000-entry archives stop here. */
  maxEntries: 10_000,
  /**
   * Decompressed bytes kept of one entry. A deflated entry over it is inflated as a stream:
   * a document followed by padding (Emotet's 500 MB .doc in a 600 KB zip, March 2023) is
   * handed on without its padding (member-sink.ts); anything else over it is refused.
   */
  maxEntryBytes: 100 * 1024 * 1024,
  /** Decompressed bytes of all entries of one archive together. */
  maxTotalBytes: 300 * 1024 * 1024,
  /**
   * Declared uncompressed/compressed ratio above which an entry is taken for padding or a
   * bomb: it is inflated as a stream, its end padding dropped, and of the rest at most
   * maxRatio bytes per compressed byte are kept; an entry with nothing else is refused.
   * Deflate cannot exceed 1032:1, so a higher declared ratio is refused at once.
   */
  maxRatio: 1000,
  /** Bytes one entry may inflate to in all, padding included (the time bound: 1 GiB is about 4 s). */
  maxInflatedBytes: 1024 * 1024 * 1024,
};

/** Deflate's largest ratio: one 258-byte match per 2 bits, RFC 1951 3.2.5. */
const DEFLATE_MAX_RATIO = 1032;

export interface ZipEntryInfo {
  name: string;
  /** The name field as stored in the central directory. */
  rawName: Buffer;
  /** Where the name came from: bit 11, the Unicode Path field, or the archive's charset. */
  nameEncoding: ZipNameEncoding;
  method: number;
  /** 'none', 'zipcrypto', 'aes' (WinZip AE-1/AE-2), or 'unknown' (strong encryption etc.). */
  encryption: 'none' | 'zipcrypto' | 'aes' | 'unknown';
  compressedSize: number;
  size: number;
  crc: number;
  localOffset: number;
  flags: number;
  /** DOS time, used as the ZipCrypto check byte when the sizes follow in a data descriptor. */
  dosTime: number;
  /** WinZip AES: key strength (1 = 128, 2 = 192, 3 = 256 bits) and AE version (1 or 2). */
  aes?: { strength: number; version: number };
}

export interface ZipDirectory {
  entries: ZipEntryInfo[];
  errors: string[];
  /** Charset decided for the names without bit 11 (zip-names.ts). */
  nameCharset: ZipNameCharset;
}

export class ZipError extends Error {}

function findEocd(b: Buffer): number {
  const min = Math.max(0, b.length - 22 - 0xffff);
  for (let i = b.length - 22; i >= min; i--) if (b.readUInt32LE(i) === 0x06054b50) return i;
  return -1;
}

/**
 * Where the central directory starts and how many entries it holds, from the end records of
 * `b`, which holds the file's bytes from offset `base` to its end (0: the whole file; a
 * reader of a large file on disk passes its tail). Offsets returned are file offsets; null
 * when a ZIP64 record the end record points at lies before `base`.
 */
export function locateCentralDirectory(b: Buffer, base = 0): { count: number; cdOffset: number } | null {
  const eocd = findEocd(b);
  if (eocd < 0) throw new ZipError('no end of central directory record');
  let count = b.readUInt16LE(eocd + 10);
  let cdOffset = b.readUInt32LE(eocd + 16);
  if (cdOffset === 0xffffffff || count === 0xffff) {
    // ZIP64: the locator sits just before the EOCD.
    const loc = eocd - 20;
    if (loc >= 0 && b.readUInt32LE(loc) === 0x07064b50) {
      const z64 = Number(b.readBigUInt64LE(loc + 8)) - base;
      if (z64 < 0) return null;
      if (z64 + 56 <= b.length && b.readUInt32LE(z64) === 0x06064b50) {
        count = Number(b.readBigUInt64LE(z64 + 32));
        cdOffset = Number(b.readBigUInt64LE(z64 + 48));
      }
    }
  }
  return { count, cdOffset };
}

/** The central directory of `b`, which holds the file from offset `base` to its end (see locateCentralDirectory). */
export function readZipDirectory(b: Buffer, base = 0): ZipDirectory {
  const errors: string[] = [];
  const where = locateCentralDirectory(b, base);
  if (!where) throw new ZipError('the ZIP64 end record lies outside the bytes read');
  const { count } = where;
  const cdOffset = where.cdOffset - base;
  if (cdOffset < 0) throw new ZipError('the central directory lies outside the bytes read');
  type Raw = Omit<ZipEntryInfo, 'name' | 'nameEncoding'> & { unicodePath?: Buffer; index: number };
  const raws: Raw[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (raws.length >= ZIP_LIMITS.maxEntries) {
      errors.push(`more than ${ZIP_LIMITS.maxEntries} entries; the rest not read`);
      break;
    }
    if (p + 46 > b.length || b.readUInt32LE(p) !== 0x02014b50) {
      errors.push(`central directory entry ${i} unreadable at ${p}`);
      break;
    }
    const flags = b.readUInt16LE(p + 8);
    let method = b.readUInt16LE(p + 10);
    const dosTime = b.readUInt16LE(p + 12);
    const crc = b.readUInt32LE(p + 16);
    let compressedSize = b.readUInt32LE(p + 20);
    let size = b.readUInt32LE(p + 24);
    const nameLen = b.readUInt16LE(p + 28);
    const extraLen = b.readUInt16LE(p + 30);
    const commentLen = b.readUInt16LE(p + 32);
    let localOffset = b.readUInt32LE(p + 42);
    const rawName = b.subarray(p + 46, p + 46 + nameLen);
    let unicodePath: Buffer | undefined;
    let encryption: ZipEntryInfo['encryption'] = flags & 0x0001 ? 'zipcrypto' : 'none';
    let aes: ZipEntryInfo['aes'];
    if (flags & 0x0040) encryption = 'unknown';
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd && e + 4 <= b.length) {
      const id = b.readUInt16LE(e);
      const len = b.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === 0xffffffff && q + 8 <= e + 4 + len) (size = Number(b.readBigUInt64LE(q))), (q += 8);
        if (compressedSize === 0xffffffff && q + 8 <= e + 4 + len) (compressedSize = Number(b.readBigUInt64LE(q))), (q += 8);
        if (localOffset === 0xffffffff && q + 8 <= e + 4 + len) localOffset = Number(b.readBigUInt64LE(q));
      } else if (id === 0x9901 && len >= 7) {
        encryption = 'aes';
        aes = { version: b.readUInt16LE(e + 4), strength: b[e + 4 + 4]!, };
        method = b.readUInt16LE(e + 4 + 5);
      } else if (id === 0x7075) {
        unicodePath = b.subarray(e + 4, Math.min(b.length, e + 4 + len));
      }
      e += 4 + len;
    }
    p = extraEnd + commentLen;
    raws.push({ index: i, rawName, method, encryption, compressedSize, size, crc, localOffset, flags, dosTime, ...(aes ? { aes } : {}), ...(unicodePath ? { unicodePath } : {}) });
  }
  // One program wrote all the names: their charset is decided for the archive as a whole.
  const decoded = decodeZipNames(raws.map((r): RawZipName => ({ bytes: r.rawName, flags: r.flags, ...(r.unicodePath ? { unicodePath: r.unicodePath } : {}) })));
  const entries: ZipEntryInfo[] = [];
  // Local headers already named: a central record that points at one again is the same
  // entry (a repeated record made 5,000 copies of one part, inflated and parsed each time).
  const seenOffsets = new Map<number, string>();
  let repeats = 0;
  raws.forEach(({ index, unicodePath: _u, ...r }, k) => {
    const { name, encoding } = decoded.names[k]!;
    const first = seenOffsets.get(r.localOffset);
    if (first !== undefined) {
      if (repeats++ === 0) errors.push(`central directory entry ${index} ("${name.slice(0, 100)}") names the entry at offset ${r.localOffset} again (first as "${first.slice(0, 100)}"); repeats skipped`);
      return;
    }
    seenOffsets.set(r.localOffset, name);
    entries.push({ name, nameEncoding: encoding, ...r });
  });
  if (repeats > 1) errors.push(`${repeats} central directory entries repeated an earlier entry's offset`);
  return { entries, errors, nameCharset: decoded.charset };
}

export type ExtractResult =
  | {
      ok: true;
      data: Buffer;
      password?: string;
      /** End padding dropped from data: the entry as stored had padding.fullSize bytes (member-sink.ts). */
      padding?: Padding;
    }
  | { ok: false; reason: 'encrypted' | 'wrong-password' | 'limit' | 'unsupported' | 'corrupt'; detail: string };

function entryData(b: Buffer, e: ZipEntryInfo): Buffer | null {
  const l = e.localOffset;
  if (l + 30 > b.length || b.readUInt32LE(l) !== 0x04034b50) return null;
  const start = l + 30 + b.readUInt16LE(l + 26) + b.readUInt16LE(l + 28);
  if (start + e.compressedSize > b.length) return null;
  return b.subarray(start, start + e.compressedSize);
}

const ratioOf = (e: ZipEntryInfo) => (e.compressedSize > 0 ? e.size / e.compressedSize : e.size > 0 ? Infinity : 0);

/** Decompress (and check the CRC unless checkCrc is false: WinZip AE-2 stores none). */
function inflate(raw: Buffer, e: ZipEntryInfo, checkCrc = true): ExtractResult {
  if (e.method !== 0 && e.method !== 8) return { ok: false, reason: 'unsupported', detail: `compression method ${e.method}` };
  if (e.method === 8 && (e.size > ZIP_LIMITS.maxEntryBytes || ratioOf(e) > ZIP_LIMITS.maxRatio)) return inflateLarge(raw, e, checkCrc);
  let r: ExtractResult;
  if (e.method === 0) r = { ok: true, data: raw };
  else {
    try {
      const out = Buffer.alloc(e.size);
      r = { ok: true, data: Buffer.from(inflateSync(raw, { out })) };
    } catch (err) {
      return { ok: false, reason: 'corrupt', detail: `inflate failed: ${(err as Error).message}` };
    }
  }
  if (checkCrc && (crc32(r.data) >>> 0) !== e.crc) return { ok: false, reason: 'corrupt', detail: 'CRC mismatch' };
  return r;
}

/**
 * A deflated entry over maxEntryBytes or maxRatio, inflated as a stream through a
 * MemberSink: end padding is dropped (always, for a ratio that says the entry is mostly
 * padding), and inflating stops as soon as bytes other than padding pass what may be kept.
 * An entry that holds nothing but padding is refused like the bomb it is.
 */
function inflateLarge(raw: Buffer, e: ZipEntryInfo, checkCrc: boolean): ExtractResult {
  const ratio = ratioOf(e);
  const highRatio = ratio > ZIP_LIMITS.maxRatio;
  const refused = highRatio ? `compression ratio ${Math.round(ratio)} exceeds ${ZIP_LIMITS.maxRatio}` : `entry of ${e.size} bytes exceeds ${ZIP_LIMITS.maxEntryBytes}`;
  const maxKeep = highRatio ? Math.min(ZIP_LIMITS.maxEntryBytes, Math.max(1024 * 1024, ZIP_LIMITS.maxRatio * e.compressedSize)) : ZIP_LIMITS.maxEntryBytes;
  const sink = new MemberSink(maxKeep, undefined, { alwaysDropPadding: highRatio });
  let crc = 0;
  const inflater = new Inflate((chunk) => {
    crc = crc32(chunk, crc);
    sink.write(chunk);
  });
  // Small input pieces keep each output piece small (at most 1032 times the piece).
  const STEP = 4096;
  try {
    for (let i = 0; i < raw.length; i += STEP) {
      inflater.push(raw.subarray(i, i + STEP), i + STEP >= raw.length);
      if (sink.truncatedReason) return { ok: false, reason: 'limit', detail: refused };
      if (sink.size > ZIP_LIMITS.maxInflatedBytes) return { ok: false, reason: 'limit', detail: `more than ${ZIP_LIMITS.maxInflatedBytes} bytes inflated` };
    }
  } catch (err) {
    return { ok: false, reason: 'corrupt', detail: `inflate failed: ${(err as Error).message}` };
  }
  const s = sink.finish();
  if (s.data.length === 0) return { ok: false, reason: 'limit', detail: refused };
  if (s.size !== e.size || (checkCrc && (crc >>> 0) !== e.crc)) return { ok: false, reason: 'corrupt', detail: 'CRC mismatch' };
  return { ok: true, data: s.data, ...(s.padding ? { padding: s.padding } : {}) };
}

/**
 * Extract one entry. Encrypted ZipCrypto entries are tried with each candidate password;
 * the check byte and then the CRC decide whether a password is right.
 */
export function extractEntry(b: Buffer, e: ZipEntryInfo, passwords: string[] = []): ExtractResult {
  if (e.method === 0 && e.size > ZIP_LIMITS.maxEntryBytes) return { ok: false, reason: 'limit', detail: `entry of ${e.size} bytes exceeds ${ZIP_LIMITS.maxEntryBytes}` };
  if (e.size > ZIP_LIMITS.maxInflatedBytes) return { ok: false, reason: 'limit', detail: `entry of ${e.size} bytes exceeds ${ZIP_LIMITS.maxInflatedBytes}` };
  if (ratioOf(e) > DEFLATE_MAX_RATIO) return { ok: false, reason: 'limit', detail: `compression ratio ${Math.round(ratioOf(e))} exceeds ${ZIP_LIMITS.maxRatio}` };
  const raw = entryData(b, e);
  if (!raw) return { ok: false, reason: 'corrupt', detail: 'local header or data out of range' };
  if (e.encryption === 'none') return inflate(raw, e);
  if (passwords.length === 0) return { ok: false, reason: 'encrypted', detail: `${e.encryption === 'aes' ? 'WinZip AES' : 'ZipCrypto'}, no password candidate` };
  if (e.encryption === 'aes' && e.aes) {
    for (const pw of passwords) {
      const plain = aesDecrypt(raw, pw, e.aes.strength);
      if (!plain) continue;
      // AE-2 stores no CRC (the HMAC already authenticated the data).
      const r = inflate(plain, e, e.aes.version !== 2);
      if (r.ok || r.reason === 'limit') return r.ok ? { ...r, password: pw } : r;
    }
    return { ok: false, reason: 'wrong-password', detail: `none of ${passwords.length} candidate password(s) opened it` };
  }
  if (e.encryption !== 'zipcrypto') return { ok: false, reason: 'unsupported', detail: `${e.encryption} encryption` };
  const check = e.flags & 0x0008 ? (e.dosTime >>> 8) & 0xff : e.crc >>> 24;
  for (const pw of passwords) {
    const keys = new ZipCryptoKeys(Buffer.from(pw, 'utf8'));
    const header = keys.decrypt(raw.subarray(0, 12));
    if (header[11] !== check) continue;
    const r = inflate(keys.decrypt(raw.subarray(12)), e);
    if (r.ok) return { ...r, password: pw };
  }
  return { ok: false, reason: 'wrong-password', detail: `none of ${passwords.length} candidate password(s) opened it` };
}
