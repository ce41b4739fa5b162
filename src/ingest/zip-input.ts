// ZIP files of mail exports (a folder of .eml files, an mbox, .msg files zipped for
// hand-over), read in place: the central directory from the file's tail, each member as a
// stream from its local header, inflated on the way. Nothing is unpacked to disk and no
// member is held whole but a single message. Locators name the member ("zip:<name>", or
// "zip:<name>@<offset>" in an mbox member, offsets in its decompressed bytes).
import { createReadStream } from 'node:fs';
import { createInflateRaw } from 'node:zlib';
import { readRange } from './read-range.js';
import { locateCentralDirectory, readZipDirectory, type ZipEntryInfo } from '../office/zip-archive.js';

export const ZIP_INPUT_LIMITS = {
  /** Bytes of central directory read: 64 MiB holds about a million entries. */
  maxDirectoryBytes: 64 * 1024 * 1024,
  /** The end records sit in the last 64 KiB + 22 bytes (the comment's limit), ZIP64 ones just before. */
  tailBytes: 0xffff + 22 + 20 + 56,
};

/** Member names that make a ZIP a mail export: .eml, .msg, mbox files, Maildir leaves. */
const MAIL_MEMBER = /(\.(eml|msg|mbox|mbx|mbs)$)|(^|\/)(cur|new)\/[^/]+$|(^|\/)(mbox|inbox|sent|journal)$/i;

/** The entries of a ZIP file on disk, reading only its tail and central directory. */
export async function zipEntries(path: string, size: number): Promise<{ entries: ZipEntryInfo[]; errors: string[] }> {
  const tailStart = Math.max(0, size - ZIP_INPUT_LIMITS.tailBytes);
  const tail = await readRange(path, tailStart, size - tailStart);
  const where = locateCentralDirectory(tail, tailStart);
  const start = where && where.cdOffset <= size ? where.cdOffset : tailStart;
  if (size - start > ZIP_INPUT_LIMITS.maxDirectoryBytes) throw new Error(`central directory of ${size - start} bytes is over the ${ZIP_INPUT_LIMITS.maxDirectoryBytes}-byte limit`);
  const dir = readZipDirectory(start === tailStart ? tail : await readRange(path, start, size - start), start);
  return { entries: dir.entries.filter((e) => !e.name.endsWith('/')), errors: dir.errors };
}

/** True when the ZIP file at `path` holds mail (by its members' names). */
export async function isMailExportZip(path: string, size: number): Promise<boolean> {
  try {
    return (await zipEntries(path, size)).entries.some((e) => MAIL_MEMBER.test(e.name));
  } catch {
    return false;
  }
}

/**
 * The decompressed bytes of one member, as chunks. Throws (before the first chunk) when the
 * member cannot be read here: encrypted, a method other than stored or deflate, a broken local header.
 */
export async function memberChunks(path: string, e: ZipEntryInfo): Promise<AsyncIterable<Buffer>> {
  if (e.encryption !== 'none') throw new Error('encrypted member: extract it with its password and scan the files');
  if (e.method !== 0 && e.method !== 8) throw new Error(`compression method ${e.method} is not read here: extract the member and scan it`);
  const local = await readRange(path, e.localOffset, 30);
  if (local.length < 30 || local.readUInt32LE(0) !== 0x04034b50) throw new Error(`no local header at offset ${e.localOffset}`);
  const start = e.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (e.compressedSize === 0) return (async function* () {})();
  const raw = createReadStream(path, { start, end: start + e.compressedSize - 1 });
  return e.method === 8 ? raw.pipe(createInflateRaw()) : raw;
}
