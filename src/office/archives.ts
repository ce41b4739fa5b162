// Archives other than ZIP that carry malspam payloads: 7z and RAR (password-protected, the
// password in the mail body), ISO/UDF and IMG disk images (files inside a mounted image lose
// the mark of the web, which is why Emotet, Qakbot and IcedID moved to them in 2022), and
// GZIP. One entry point: recognise by content, then read under ARCHIVE_LIMITS.
// 7z, RAR, ISO/UDF and FAT go to 7-Zip (archive-7z.ts); GZIP is read here.
import { crc32 } from 'node:zlib';
import { Inflate } from 'fflate';
import { read7z, type SevenZipFormat } from './archive-7z.js';
import { keepBudget, MemberSink, type Padding } from './member-sink.js';

export type OtherArchiveKind = '7z' | 'rar' | 'iso' | 'img' | 'gzip';

export interface ArchiveLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
  maxRatio: number;
  minRatioBytes: number;
  maxOutputBytes: number;
  maxMillis: number;
  maxWasmBytes: number;
  maxPasswords: number;
}

/**
 * Together these keep one archive under about 250 MB of the process's memory: 7-Zip's
 * WebAssembly memory (maxWasmBytes) + the bytes kept (maxTotalBytes) + one copy of the archive
 * + a worker thread (about 15 MB), all freed when the archive is done.
 */
export const ARCHIVE_LIMITS: ArchiveLimits = {
  /** Members read from one archive; archives of 100,000 small files stop here. */
  maxEntries: 10_000,
  /**
   * Bytes kept of one member. A member over it is not refused: its end padding is dropped
   * (the Emotet 500 MB document, see member-sink.ts) or it is cut here and said to be.
   */
  maxEntryBytes: 64 * 1024 * 1024,
  /** Bytes kept of all members of one archive together (what is handed on to be analysed). */
  maxTotalBytes: 64 * 1024 * 1024,
  /**
   * Bytes kept per byte of archive; past it nothing more is kept. Padding dropped is not
   * counted (it is not kept), so a padded document passes where a bomb of varied bytes stops.
   */
  maxRatio: 1000,
  /** ...but below this many bytes kept the ratio is not looked at (a 1 KB archive may hold 1 MB of text). */
  minRatioBytes: 1024 * 1024,
  /**
   * Bytes decompressed in all, kept or dropped: the time bound for padding, which is
   * decompressed to be hashed and counted (1 GiB of zeros is about 2 s of LZMA or inflate).
   */
  maxOutputBytes: 2 * 1024 * 1024 * 1024,
  /** Wall time for one archive, every password candidate included; the worker is ended then. */
  maxMillis: 20_000,
  /**
   * WebAssembly memory 7-Zip may grow to (decoders, dictionaries: a 7z made with -mx9 needs
   * 64 MiB; RAR5 up to its dictionary). A header asking for more fails with an error instead.
   * No JavaScript heap limit covers this memory; the cap is written into the module.
   */
  maxWasmBytes: 96 * 1024 * 1024,
  /** Password candidates tried on one archive (each try may decompress the archive once). */
  maxPasswords: 50,
};

export interface OtherArchiveEntry {
  name: string;
  /** Size of the member as stored (padding included). */
  size: number;
  /** The member's bytes, less dropped end padding, cut at maxEntryBytes (then error says so). */
  data?: Buffer;
  /** sha256 of the member as stored (padding included), when it was decompressed. */
  sha256?: string;
  /** End padding dropped from data. */
  padding?: Padding;
  /** A link member (RAR, ISO): a hard link carries its target's data; a symbolic link is not followed. */
  link?: { kind: 'symbolic' | 'hard'; target: string };
  error?: string;
  encrypted: boolean;
}

export interface OtherArchive {
  kind: OtherArchiveKind;
  /** Some member, or the headers, are encrypted. */
  encrypted: boolean;
  /**
   * The archive was opened: listed, no member held back by a missing password, the time
   * limit not reached (as for ZIP in inspect.ts). Damage to a member is in its error.
   */
  opened: boolean;
  /** The candidate that opened the encrypted members or headers. */
  password?: string;
  entries: OtherArchiveEntry[];
  errors: string[];
  /** 7-Zip only: the largest WebAssembly memory it used, and the commands run (listing, extraction, per password). */
  stats?: { wasmBytes: number; runs: number };
}

const at = (b: Buffer, sig: number[], offset = 0) => b.length >= offset + sig.length && sig.every((x, i) => b[offset + i] === x);
const ascii = (b: Buffer, s: string, offset: number) => b.length >= offset + s.length && b.toString('latin1', offset, offset + s.length) === s;

const SEVEN_Z = [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c];
const RAR4 = [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x00];
const RAR5 = [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x01, 0x00];

/** ECMA-119 / ECMA-167 volume recognition: descriptors of 2048 bytes from 32 KiB on. */
function volumeDescriptors(b: Buffer): string[] {
  const ids: string[] = [];
  for (let p = 0x8000; p + 6 <= b.length && ids.length < 32; p += 2048) {
    const id = b.toString('latin1', p + 1, p + 6);
    if (!/^(CD001|BEA01|NSR02|NSR03|TEA01|BOOT2|CDW02)$/.test(id)) break;
    ids.push(id);
  }
  return ids;
}

/**
 * A FAT boot sector (Microsoft FAT specification, BPB): jump, bytes per sector, sectors per
 * cluster, reserved sectors, FAT count, media byte, the 0x55AA mark and the file system
 * type string that formatters write ("FAT12", "FAT16", "FAT32").
 */
function isFatBootSector(b: Buffer): boolean {
  if (b.length < 512 || !(at(b, [0xeb], 0) && b[2] === 0x90) && b[0] !== 0xe9) return false;
  const bytesPerSector = b.readUInt16LE(11);
  const perCluster = b[13]!;
  const media = b[21]!;
  if (![512, 1024, 2048, 4096].includes(bytesPerSector)) return false;
  if (perCluster === 0 || (perCluster & (perCluster - 1)) !== 0) return false;
  if (b.readUInt16LE(14) === 0 || b[16] === 0 || b[16]! > 2) return false;
  if (media !== 0xf0 && media < 0xf8) return false;
  if (b[510] !== 0x55 || b[511] !== 0xaa) return false;
  return (b[38] === 0x29 && /^FAT(12|16)?\s*$/.test(b.toString('latin1', 54, 62))) || (b[66] === 0x29 && /^FAT32\s*$/.test(b.toString('latin1', 82, 90)));
}

/** Which of these archives the bytes are, by content; null for anything else (ZIP included). */
export function isOtherArchive(bytes: Buffer): OtherArchiveKind | null {
  if (at(bytes, SEVEN_Z) && bytes[6] === 0 && bytes.length >= 32) return '7z';
  if (at(bytes, RAR4) || at(bytes, RAR5)) return 'rar';
  // gzip (RFC 1952): ID1 ID2, CM 8 (deflate), reserved flag bits clear, room for a trailer.
  if (at(bytes, [0x1f, 0x8b, 0x08]) && (bytes[3]! & 0xe0) === 0 && bytes.length >= 18) return 'gzip';
  const vd = volumeDescriptors(bytes);
  if (vd.includes('CD001') || (vd.includes('BEA01') && vd.some((d) => d.startsWith('NSR')))) return 'iso';
  if (isFatBootSector(bytes)) return 'img';
  return null;
}

/** 7z headers compressed and encrypted (-mhe): the encoded header's coder is 7zAES (06 F1 07 01). */
function sevenZipHeadersEncrypted(b: Buffer): boolean {
  if (b.length < 32) return false;
  const offset = Number(b.readBigUInt64LE(12));
  const size = Number(b.readBigUInt64LE(20));
  const start = 32 + offset;
  if (start >= b.length || size > 1 << 20) return false;
  const header = b.subarray(start, Math.min(b.length, start + size));
  return header[0] === 0x17 && header.includes(Buffer.from([0x06, 0xf1, 0x07, 0x01]));
}

/** RAR5: an archive encryption header (type 4) first; RAR 4: the main header's MHD_PASSWORD flag. */
function rarHeadersEncrypted(b: Buffer): boolean {
  if (at(b, RAR5)) {
    let p = 8 + 4;
    for (let i = 0; i < 4 && p < b.length && b[p]! & 0x80; i++) p++; // header size (vint)
    return b[p + 1] === 0x04;
  }
  return b.length >= 12 && b[9] === 0x73 && (b.readUInt16LE(10) & 0x0080) !== 0;
}

/**
 * Read an archive recognised by isOtherArchive. Synchronous: 7-Zip runs in a worker thread
 * that this thread waits for (archive-7z.ts). Never throws for bad input: what went wrong
 * is in errors, and per member in its error.
 */
export function readOtherArchive(bytes: Buffer, kind: OtherArchiveKind, passwords: string[] = [], limits: ArchiveLimits = ARCHIVE_LIMITS): OtherArchive {
  if (kind === 'gzip') return readGzip(bytes, limits);
  let formats: SevenZipFormat[];
  let headersEncrypted = false;
  if (kind === '7z') {
    formats = ['7z'];
    headersEncrypted = sevenZipHeadersEncrypted(bytes);
  } else if (kind === 'rar') {
    formats = [at(bytes, RAR5) ? 'Rar5' : 'Rar'];
    headersEncrypted = rarHeadersEncrypted(bytes);
  } else if (kind === 'iso') {
    // Windows shows the UDF file system of an image that has both; the ISO 9660 view may list
    // other files (a way to hide one from a scanner that reads only one view), so both are read.
    const vd = volumeDescriptors(bytes);
    formats = vd.some((d) => d.startsWith('NSR')) ? (vd.includes('CD001') ? ['Udf', 'Iso'] : ['Udf']) : ['Iso'];
  } else formats = ['FAT'];
  const out: OtherArchive = { kind, encrypted: false, opened: false, entries: [], errors: [] };
  const started = Date.now();
  // The views of one image share its bytes kept: the second is read while the first's are held.
  const budget = keepBudget(limits, bytes.length).remaining;
  let kept = 0;
  for (const format of formats) {
    const left = limits.maxMillis - (Date.now() - started);
    if (left <= 0) {
      out.errors.push(`${format}: not read, time limit reached`);
      break;
    }
    const viewLimits = { ...limits, maxMillis: left, ...(kept > 0 ? { maxTotalBytes: Math.max(0, budget - kept) } : {}) };
    // The view has what is left of the archive's time; an error names the archive's limit.
    const r = read7z({ bytes, format, passwords, limits: viewLimits, headersEncrypted, statedMillis: limits.maxMillis });
    for (const e of r.entries) kept += e.data?.length ?? 0;
    const first = out.entries.length === 0 && out.errors.length === 0;
    out.encrypted ||= r.encrypted;
    if (r.stats) out.stats = { wasmBytes: Math.max(out.stats?.wasmBytes ?? 0, r.stats.wasmBytes), runs: (out.stats?.runs ?? 0) + r.stats.runs };
    if (r.password !== undefined) out.password = r.password;
    out.errors.push(...r.errors.map((e) => (formats.length > 1 ? `${format}: ${e}` : e)));
    if (first) {
      out.opened = r.opened;
      out.entries.push(...r.entries);
    } else {
      // The second view of an image: only what the first did not show.
      const seen = new Set(out.entries.map((e) => `${e.name}\0${e.sha256 ?? e.size}`));
      for (const e of r.entries) if (!seen.has(`${e.name}\0${e.sha256 ?? e.size}`)) out.entries.push({ ...e, name: `${e.name} (${format} view only)` });
      out.opened &&= r.opened || r.entries.length === 0;
    }
  }
  return out;
}

/** RFC 1952 member header: the stored file name and where the deflate data starts. */
function gzipHeader(b: Buffer): { name?: string; start: number } | null {
  const flags = b[3]!;
  let p = 10;
  if (flags & 0x04) {
    if (p + 2 > b.length) return null;
    p += 2 + b.readUInt16LE(p);
  }
  let name: string | undefined;
  if (flags & 0x08) {
    const end = b.indexOf(0, p);
    if (end < 0) return null;
    // ISO 8859-1 (RFC 1952 2.3.1); no file system takes a longer name.
    name = b.toString('latin1', p, Math.min(end, p + 1024));
    p = end + 1;
  }
  if (flags & 0x10) {
    const end = b.indexOf(0, p);
    if (end < 0) return null;
    p = end + 1;
  }
  if (flags & 0x02) p += 2;
  return p + 8 <= b.length ? { ...(name !== undefined ? { name } : {}), start: p } : null;
}

/**
 * One gzip member. Inflated as a stream (fflate's streaming Inflate: node:zlib has no
 * synchronous streaming inflate, and a padded member must pass through a MemberSink rather
 * than be inflated whole); node:zlib's crc32 checks it against the trailer.
 */
function readGzip(bytes: Buffer, limits: ArchiveLimits): OtherArchive {
  const out: OtherArchive = { kind: 'gzip', encrypted: false, opened: false, entries: [], errors: [] };
  const h = gzipHeader(bytes);
  if (!h) {
    out.errors.push('gzip header truncated');
    return out;
  }
  // The name the compressor stored (gzip -N), else none: the caller knows the attachment's name.
  const name = h.name ?? '';
  const sink = new MemberSink(limits.maxEntryBytes, keepBudget(limits, bytes.length), { sizeHint: bytes.readUInt32LE(bytes.length - 4) });
  const deadline = Date.now() + limits.maxMillis;
  let crc = 0;
  let stopped: string | undefined;
  const inflater = new Inflate((chunk) => {
    crc = crc32(chunk, crc);
    sink.write(chunk);
    if (sink.size > limits.maxOutputBytes) stopped = `more than ${limits.maxOutputBytes} bytes decompressed`;
    else if (Date.now() > deadline) stopped = `time limit of ${limits.maxMillis} ms reached`;
  });
  const body = bytes.subarray(h.start, bytes.length - 8);
  // Small input pieces keep each output piece small (deflate expands at most 1032:1).
  const STEP = 4096;
  let error: string | undefined;
  try {
    for (let i = 0; i < body.length && !stopped; i += STEP) inflater.push(body.subarray(i, i + STEP), i + STEP >= body.length);
    if (body.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (e) {
    error = `inflate failed: ${(e as Error).message}`;
  }
  const s = sink.finish();
  const entry: OtherArchiveEntry = { name, size: s.size, encrypted: false, data: s.data, sha256: s.sha256, ...(s.padding ? { padding: s.padding } : {}) };
  if (!error && !stopped) {
    const trailerCrc = bytes.readUInt32LE(bytes.length - 8);
    const trailerSize = bytes.readUInt32LE(bytes.length - 4);
    // A file of more than one member (gzip a; gzip b; cat) fails here too: its trailer is the last member's.
    if ((crc >>> 0) !== trailerCrc || s.size % 2 ** 32 !== trailerSize) error = 'CRC or size does not match the trailer (corrupt, or more than one gzip member)';
  }
  const problem = error ?? stopped ?? (s.truncated ? `not all kept: ${s.truncated}; first ${s.data.length} bytes kept` : undefined);
  if (problem) {
    entry.error = problem;
    out.errors.push(problem);
  }
  out.opened = !stopped;
  out.entries.push(entry);
  return out;
}
