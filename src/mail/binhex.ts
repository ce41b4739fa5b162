// BinHex 4.0 (RFC 1741) files in mail: parts sent as application/mac-binhex40 (Eudora and
// other Mac mail programs attached files so) and "(This file must be converted with BinHex
// 4.0)" blocks inline in text bodies. mailparser hands both over as text; here they become
// the file they carry.
//
// Why our own decoder: no well-kept npm package reads BinHex (`npm view binhex` is a 404),
// none is in node_modules, and the format is small: a 6-bit alphabet between two colons,
// run-length coding with 0x90, then a header, the data fork and the resource fork, each
// followed by a CRC-16. What matters here is that hostile input is bounded (a run of
// 0x90 FF pairs is 127 bytes out per byte in) and never throws.
//
// Strict about the bytes, tolerant about transport: line breaks and white space inside the
// block are skipped (mail programs rewrap and re-end lines), a character outside the
// alphabet stops decoding with a defect, a CRC mismatch or a fork length past the decoded
// end is a defect, and whatever was decoded is kept.
import iconv from 'iconv-lite';
import type { LeanAttachment } from './lean-mime.js';
import { typeFromName } from './uuencode.js';
import { DefectList } from './defect-list.js';

export const BINHEX_LIMITS = {
  /**
   * Bytes out per message: all its BinHex blocks together (headers, forks, CRCs), in its
   * parts, its text and its nested messages (parse.ts shares one budget), or per call of
   * decodeBinHex. Run-length coding lets 2 bytes in stand for 255 out, so a 1 MB block
   * could claim 127 MB, and a message could hold many; past this a stream is cut and its
   * file marked incomplete.
   */
  maxBytesOut: 64 * 1024 * 1024,
  /** Blocks decoded per text or part; later ones are left as they are (a real message has one). */
  maxBlocks: 16,
  /** Characters between a "(This file must be converted" line and its opening colon (a real one has none). */
  maxPreambleChars: 1024,
  /** DefectList kept per block (the rest are counted). */
  maxDefects: 16,
};

export type BinHexLimits = typeof BINHEX_LIMITS;

export interface BinHexFile {
  /** The Mac file name from the header (MacRoman), '' when the header was not reached. */
  name: string;
  /** Mac file type and creator codes, as four characters each ('' when not reached). */
  type: string;
  creator: string;
  /** The data fork: the file as other systems see it. */
  data: Buffer;
  /** The resource fork (Mac only; usually empty). */
  resource: Buffer;
  /** True only when the closing colon was seen, all three CRCs matched and nothing was cut. */
  complete: boolean;
  defects: string[];
  /** Character offsets in the text: the block's first line, and the end of its last line (or where reading stopped). */
  start: number;
  end: number;
}

export interface BinHexResult {
  files: BinHexFile[];
  /** DefectList of the text as a whole (more blocks than BINHEX_LIMITS.maxBlocks). */
  defects: string[];
}

/** RFC 1741's 64 characters, in value order: no 7, O, W, g, n or o (easily misread). */
const ALPHABET = '!"#$%&\'()*+,-012345689@ABCDEFGHIJKLMNPQRSTUVXYZ[`abcdefhijklmpqr';
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

const HEADER_LINE = /^\(This file must be converted/gm;
const RLE_MARK = 0x90;

/** CRC-16/XMODEM (polynomial 0x1021, start 0): BinHex's CRC, whose "two zero bytes appended" form gives the same value. */
const CRC16 = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let c = i << 8;
  for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
  CRC16[i] = c;
}

export function binhexCrc(b: Uint8Array, from = 0, to = b.length): number {
  let crc = 0;
  for (let i = from; i < to; i++) crc = ((crc << 8) & 0xffff) ^ CRC16[((crc >> 8) ^ b[i]!) & 0xff]!;
  return crc;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}


/**
 * The 6-bit characters after the opening colon at `colon`, up to the closing colon, as
 * bytes. The output is at most 3/4 of the characters read, so it is allocated from the
 * input's real length, never from anything the block claims.
 */
function sixBit(text: string, colon: number, d: DefectList): { bytes: Buffer; closed: boolean; stop: number } {
  const close = text.indexOf(':', colon + 1);
  const to = close < 0 ? text.length : close;
  const out = Buffer.allocUnsafe(Math.floor(((to - colon) * 3) / 4) + 1);
  let n = 0;
  let acc = 0;
  let bits = 0;
  for (let i = colon + 1; i < to; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) continue;
    const v = c < 128 ? VALUE[c]! : -1;
    if (v < 0) {
      d.add(`character ${JSON.stringify(text[i])} at offset ${i - colon} outside the BinHex alphabet; decoding stopped there`);
      return { bytes: out.subarray(0, n), closed: false, stop: i };
    }
    acc = ((acc << 6) | v) & 0xfff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  if (close < 0) d.add('no closing colon: the block is cut');
  return { bytes: out.subarray(0, n), closed: close >= 0, stop: to };
}

/**
 * Run-length decoding: 0x90 n repeats the byte before it n − 1 more times, 0x90 0 is a
 * literal 0x90. Two passes: the first counts (bounded by `budget`), the second writes into
 * a buffer of exactly that size.
 */
function unRle(src: Buffer, budget: { left: number }, limits: BinHexLimits, d: DefectList): Buffer {
  const max = budget.left;
  let cut = false;
  const pass = (out: Buffer | null): number => {
    let len = 0;
    let prev = -1;
    for (let i = 0; i < src.length; i++) {
      if (len >= max) {
        cut = true;
        break;
      }
      const c = src[i]!;
      if (c !== RLE_MARK) {
        if (out) out[len] = c;
        len++;
        prev = c;
        continue;
      }
      if (i + 1 >= src.length) {
        if (out) d.add('run-length marker at the end of the stream, without its count');
        break;
      }
      const count = src[++i]!;
      if (count === 0) {
        if (out) out[len] = RLE_MARK;
        len++;
        prev = RLE_MARK;
        continue;
      }
      if (prev < 0) {
        if (out) d.add('run-length marker with no byte before it; skipped');
        continue;
      }
      if (count - 1 > max - len) cut = true;
      const more = Math.min(count - 1, max - len);
      if (out) out.fill(prev, len, len + more);
      len += more;
    }
    return len;
  };
  const len = pass(null);
  const out = Buffer.allocUnsafe(len);
  pass(out);
  if (cut) d.add(`BinHex output over ${limits.maxBytesOut} bytes in all; cut there`);
  budget.left -= len;
  return out;
}

function readFork(d: Buffer, pos: number, length: number, which: string, defects: DefectList): { fork: Buffer; next: number; ok: boolean } {
  const have = Math.max(0, d.length - pos);
  if (length > have) {
    defects.add(`${which} length ${length} past the decoded end (${have} bytes there); those kept`);
    return { fork: d.subarray(pos, pos + have), next: d.length, ok: false };
  }
  const fork = d.subarray(pos, pos + length);
  const at = pos + length;
  if (at + 2 > d.length) {
    defects.add(`${which} CRC missing: the stream ends after the fork`);
    return { fork, next: d.length, ok: false };
  }
  const want = d.readUInt16BE(at);
  const got = binhexCrc(d, pos, at);
  if (want !== got) {
    defects.add(`${which} CRC mismatch (block says ${hex4(want)}, the bytes give ${hex4(got)}); bytes kept`);
    return { fork, next: at + 2, ok: false };
  }
  return { fork, next: at + 2, ok: true };
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

/** The header and forks of a decoded stream (RFC 1741: name length, name, version, type, creator, flags, the two fork lengths, header CRC). */
function readStream(d: Buffer, f: BinHexFile, defects: DefectList): boolean {
  if (d.length === 0) {
    defects.add('no bytes decoded');
    return false;
  }
  const nameLength = d[0]!;
  if (nameLength < 1 || nameLength > 63) defects.add(`file name length ${nameLength} outside 1–63`);
  const headerEnd = 1 + nameLength + 1 + 4 + 4 + 2 + 4 + 4;
  if (d.length < headerEnd + 2) {
    defects.add(`header cut: ${d.length} bytes decoded, the header needs ${headerEnd + 2}`);
    if (d.length > 1) f.name = iconv.decode(d.subarray(1, Math.min(d.length, 1 + nameLength)), 'macintosh');
    return false;
  }
  f.name = iconv.decode(d.subarray(1, 1 + nameLength), 'macintosh');
  let p = 1 + nameLength;
  if (d[p] !== 0) defects.add(`version byte ${d[p]} (BinHex 4.0 writes 0)`);
  p++;
  f.type = iconv.decode(d.subarray(p, p + 4), 'macintosh');
  f.creator = iconv.decode(d.subarray(p + 4, p + 8), 'macintosh');
  p += 10;
  const dataLength = d.readUInt32BE(p);
  const resourceLength = d.readUInt32BE(p + 4);
  let ok = true;
  const want = d.readUInt16BE(headerEnd);
  const got = binhexCrc(d, 0, headerEnd);
  if (want !== got) {
    defects.add(`header CRC mismatch (block says ${hex4(want)}, the bytes give ${hex4(got)})`);
    ok = false;
  }
  const data = readFork(d, headerEnd + 2, dataLength, 'data fork', defects);
  f.data = data.fork;
  // A data fork cut short leaves nothing for the resource fork; one with a bad CRC does.
  if (!data.ok && data.next >= d.length) return false;
  const rsrc = readFork(d, data.next, resourceLength, 'resource fork', defects);
  f.resource = rsrc.fork;
  return ok && data.ok && rsrc.ok;
}

function decodeBlock(text: string, start: number, colon: number, limits: BinHexLimits, budget: { left: number }): BinHexFile {
  const defects = new DefectList(limits.maxDefects);
  const f: BinHexFile = { name: '', type: '', creator: '', data: Buffer.alloc(0), resource: Buffer.alloc(0), complete: false, defects: [], start, end: colon };
  const six = sixBit(text, colon, defects);
  const stream = unRle(six.bytes, budget, limits, defects);
  const ok = readStream(stream, f, defects);
  const nl = text.indexOf('\n', six.stop);
  f.end = nl < 0 ? text.length : nl + 1;
  f.complete = ok && six.closed && defects.count === 0;
  f.defects = defects.done();
  return f;
}

/** The colon that opens the data after a header line ending at `from`: at a line start, within limits.maxPreambleChars. */
function openingColon(text: string, from: number, limits: BinHexLimits): number {
  for (let p = from; p < text.length && p - from <= limits.maxPreambleChars; ) {
    if (text.charCodeAt(p) === 0x3a) return p;
    const nl = text.indexOf('\n', p);
    if (nl < 0) break;
    p = nl + 1;
  }
  return -1;
}

/**
 * The BinHex blocks in `text`. Inline (a text body) a block needs its "(This file must be
 * converted" line; in a part sent as BinHex the data may also start at a first colon with
 * no such line before it.
 */
export function decodeBinHex(text: string, opts: { inline?: boolean; limits?: Partial<BinHexLimits>; budget?: { left: number } } = {}): BinHexResult {
  const limits = { ...BINHEX_LIMITS, ...opts.limits };
  const budget = opts.budget ?? { left: limits.maxBytesOut };
  const files: BinHexFile[] = [];
  const defects: string[] = [];
  let pos = 0;
  for (const m of text.matchAll(HEADER_LINE)) {
    if (m.index < pos) continue;
    const nl = text.indexOf('\n', m.index);
    const colon = nl < 0 ? -1 : openingColon(text, nl + 1, limits);
    if (colon < 0) continue;
    if (files.length >= limits.maxBlocks) {
      defects.push(`more than ${limits.maxBlocks} BinHex blocks; the rest left undecoded`);
      break;
    }
    const f = decodeBlock(text, m.index, colon, limits, budget);
    files.push(f);
    pos = f.end;
  }
  if (files.length === 0 && !opts.inline) {
    // A part may start with its colon, with no header line before it.
    const lead = /^\s*/.exec(text)![0].length;
    if (text.charCodeAt(lead) === 0x3a) files.push(decodeBlock(text, lead, lead, limits, budget));
  }
  return { files, defects };
}

const BINHEX_TYPES = new Set(['application/mac-binhex40', 'application/mac-binhex', 'application/binhex', 'application/binhex4', 'application/x-binhex40', 'application/x-mac-binhex40', 'application/x-binhex']);

/** A part that should hold BinHex: declared so, named .hqx, or opening with the BinHex line. */
export function isBinHexPart(a: LeanAttachment): boolean {
  if (BINHEX_TYPES.has((a.contentType ?? '').toLowerCase())) return true;
  if (/\.hqx$/i.test(a.filename ?? '')) return true;
  return /^\s*\(This file must be converted/.test(a.content.toString('latin1', 0, Math.min(a.content.length, 512)));
}

function describe(f: BinHexFile, where: string): string[] {
  const label = `BinHex file ${JSON.stringify(f.name)} (${where})`;
  const out = f.defects.map((d) => `${label}: ${d}`);
  if (!f.complete) out.push(`${label}: incomplete or unverified, ${f.data.length} bytes recorded; its digests may not be those of the file sent`);
  return out;
}

/** The records a decoded block gives: its data fork, and its resource fork when it has one (hexbin -3 writes that as NAME.rsrc too). */
function filesOf(f: BinHexFile, fallbackName: string): LeanAttachment[] {
  const filename = f.name || fallbackName;
  const out: LeanAttachment[] = [{ content: f.data, contentType: typeFromName(filename, undefined), ...(filename ? { filename } : {}) }];
  if (f.resource.length > 0) out.push({ content: f.resource, contentType: 'application/octet-stream', filename: `${filename}.rsrc` });
  return out;
}

/**
 * The BinHex step of parse.ts's expandEncodedFiles: a BinHex part is replaced by the
 * file(s) it holds (kept as sent, with a defect, when it holds none); blocks inline in the
 * text become attachments after the others and are replaced in the text by one marker
 * line each (why: see expandUuencoded). Other parts pass through as they are. `budget` is
 * what is left of BINHEX_LIMITS.maxBytesOut for the message (a new one when not given).
 */
export function expandBinHex<T extends LeanAttachment>(
  atts: readonly T[],
  text: string | undefined,
  defects: string[],
  budget: { left: number } = { left: BINHEX_LIMITS.maxBytesOut },
): { attachments: (T | LeanAttachment)[]; text?: string } {
  const attachments: (T | LeanAttachment)[] = [];
  for (const a of atts) {
    if (!isBinHexPart(a)) {
      attachments.push(a);
      continue;
    }
    const where = `part ${JSON.stringify(a.filename ?? '')} (${a.contentType})`;
    const r = decodeBinHex(a.content.toString('latin1'), { budget });
    defects.push(...r.defects.map((d) => `${where}: ${d}`));
    if (r.files.length === 0) {
      defects.push(`${where}: no BinHex data found; kept as sent`);
      attachments.push(a);
      continue;
    }
    for (const f of r.files) {
      defects.push(...describe(f, where));
      attachments.push(...filesOf(f, (a.filename ?? '').replace(/\.hqx$/i, '')));
    }
  }
  if (text === undefined || !text.includes('(This file must be converted')) return { attachments, ...(text === undefined ? {} : { text }) };
  const r = decodeBinHex(text, { inline: true, budget });
  if (r.files.length === 0) return { attachments, text };
  defects.push(...r.defects.map((d) => `text body: ${d}`));
  const pieces: string[] = [];
  let at = 0;
  for (const f of r.files) {
    defects.push(...describe(f, 'in the text body'));
    attachments.push(...filesOf(f, ''));
    pieces.push(text.slice(at, f.start), `[BinHex file ${JSON.stringify(f.name)}, ${f.data.length} bytes: recorded as an attachment]\n`);
    at = f.end;
  }
  pieces.push(text.slice(at));
  return { attachments, text: pieces.join('') };
}
