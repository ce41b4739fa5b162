// uuencoded files in mail: `begin <mode> <name>` … `end` blocks (and GNU sharutils'
// `begin-base64 <mode> <name>` … `====`), found either as the whole body of a part sent with
// Content-Transfer-Encoding x-uuencode / uuencode / x-uue, or inline in a text body, as older
// mail programs and Emotet-era malspam write them.
//
// Why our own decoder: mailparser (mailsplit's MimeNode.getDecoder) knows only base64 and
// quoted-printable and passes any other transfer encoding through, so such a part reached
// the scan as text (a 345,961-byte ZIP was judged clean that way), and no maintained npm
// package decodes uuencode in memory: `npm view uuencode` (0.0.4, zacbarton/node-uuencode)
// is a port of the Unix command line tool with no maintained release or types, and
// `uuencode-js`, `uudecode` and `uuencoding` do not exist on the registry. The format is
// small; what matters here is that hostile input is bounded and never throws.
//
// Strict: each data line is decoded by its length character and must hold the characters
// that length needs; a short line, a character outside the alphabet, an over-long line or a
// missing end line are defects, never exceptions, and a block with any of them is marked
// incomplete. Tolerant of what mail transport does to a block: CRLF line ends, trailing
// spaces after the characters a line needs, and both zero characters (space and backtick).
import libmime from 'libmime';
import type { LeanAttachment } from './lean-mime.js';

export const UU_LIMITS = {
  /** Decoded bytes per block; a larger file is cut here and marked incomplete. */
  maxBlockBytes: 64 * 1024 * 1024,
  /** Blocks decoded per text (per part); later ones are left as they are. */
  maxBlocks: 64,
  /** A data line longer than this is skipped (a real one is at most 61 characters, 76 in base64). */
  maxLineChars: 1024,
  /** Characters kept of a file name. */
  maxNameChars: 255,
  /** Defects kept per block (the rest are counted). */
  maxDefects: 16,
};

export type UuLimits = typeof UU_LIMITS;

export interface UuBlock {
  /** File name from the begin line ('' when it has none). */
  name: string;
  /** Mode from the begin line, as written (octal digits). */
  mode: string;
  format: 'uuencode' | 'base64';
  data: Buffer;
  /** True only when the end line was seen and no line was cut, skipped or over a limit. */
  complete: boolean;
  defects: string[];
  /** Character offsets in the text of the begin line's start and of the end of the block (after its end line, or where reading stopped). */
  start: number;
  end: number;
}

export interface UuResult {
  blocks: UuBlock[];
  /** Defects of the text as a whole (more blocks than UU_LIMITS.maxBlocks). */
  defects: string[];
}

const BEGIN = /^begin(-base64)?[ \t]+([0-7]{1,6})[ \t]+(.*)$/;
const BASE64_LINE = /^[A-Za-z0-9+/]*={0,2}$/;

/** The value of a uuencode character: space and backtick are both 0; -1 outside the alphabet. */
function uuValue(c: number): number {
  if (c === 0x60) return 0;
  if (c >= 0x20 && c < 0x60) return c - 0x20;
  return -1;
}

/** Lines of `text` from `pos`, each without its line end (LF or CRLF) or trailing white space. */
interface Line {
  text: string;
  /** The line with only its CR dropped: a uuencoded line's trailing spaces are data (zeros). */
  raw: string;
  /** Length of the trimmed line (text is cut after UU_LIMITS.maxLineChars + 1 characters). */
  length: number;
  start: number;
  next: number;
}

function lineAt(text: string, pos: number): Line {
  let nl = text.indexOf('\n', pos);
  if (nl < 0) nl = text.length;
  let r = nl;
  if (r > pos && text.charCodeAt(r - 1) === 0x0d) r--;
  let e = r;
  while (e > pos && (text.charCodeAt(e - 1) === 0x0d || text.charCodeAt(e - 1) === 0x20 || text.charCodeAt(e - 1) === 0x09)) e--;
  // Very long lines are not copied whole: only their length and first characters are read.
  const cap = (to: number) => text.slice(pos, Math.min(to, pos + UU_LIMITS.maxLineChars + 1));
  return { text: cap(e), raw: cap(r), start: pos, next: Math.min(text.length, nl + 1), length: e - pos };
}

/** Bytes collected in 64 KiB pieces: a block's size is not known before its end line. */
class Sink {
  private pieces: Buffer[] = [];
  private cur = Buffer.allocUnsafe(64 * 1024);
  private used = 0;
  length = 0;
  push(b: number): void {
    if (this.used === this.cur.length) {
      this.pieces.push(this.cur);
      this.cur = Buffer.allocUnsafe(64 * 1024);
      this.used = 0;
    }
    this.cur[this.used++] = b;
    this.length++;
  }
  append(buf: Buffer): void {
    for (const b of buf) this.push(b);
  }
  done(): Buffer {
    return Buffer.concat([...this.pieces, this.cur.subarray(0, this.used)], this.length);
  }
}

/** True for a line that could be uuencoded data: a length character and the characters it needs. */
function isUuDataLine(s: string): boolean {
  if (s.length === 0) return false;
  const n = uuValue(s.charCodeAt(0));
  if (n <= 0 || n > 45) return false;
  const need = Math.ceil(n / 3) * 4;
  if (s.length < 1 + need || s.length > UU_LIMITS.maxLineChars) return false;
  for (let i = 1; i <= need; i++) if (uuValue(s.charCodeAt(i)) < 0) return false;
  return true;
}

/**
 * The blocks in `text`. With `inline` (a text body, where "begin" may be a word), a begin
 * line counts only when the line after it is a data line or the block's zero line; in a
 * part sent as x-uuencode every begin line counts.
 */
export function decodeUuBlocks(text: string, opts: { inline?: boolean; limits?: Partial<UuLimits> } = {}): UuResult {
  const limits = { ...UU_LIMITS, ...opts.limits };
  const blocks: UuBlock[] = [];
  const defects: string[] = [];
  let pos = 0;
  while (pos < text.length) {
    // Begin lines are found by search, not by reading every line.
    const at = text.startsWith('begin', pos) ? pos : text.indexOf('\nbegin', pos - 1);
    if (at < 0) break;
    const lineStart = text.charCodeAt(at) === 0x0a ? at + 1 : at;
    const line = lineAt(text, lineStart);
    const m = BEGIN.exec(line.text);
    if (!m) {
      pos = line.next;
      continue;
    }
    const base64 = m[1] !== undefined;
    if (opts.inline) {
      const first = lineAt(text, line.next);
      const f = first.text;
      const plausible = base64 ? f === '====' || (f.length > 0 && f.length % 4 === 0 && BASE64_LINE.test(f)) : f === '`' || isUuDataLine(first.raw);
      if (!plausible) {
        pos = line.next;
        continue;
      }
    }
    if (blocks.length >= limits.maxBlocks) {
      defects.push(`more than ${limits.maxBlocks} uuencoded blocks; the rest left undecoded`);
      break;
    }
    const block = readBlock(text, line, m, limits, base64 ? base64Format() : uuFormat());
    blocks.push(block);
    pos = block.end;
  }
  return { blocks, defects };
}

function newBlock(line: Line, m: RegExpExecArray, format: UuBlock['format'], limits: UuLimits): UuBlock {
  let name = (m[3] ?? '').trim();
  const defects: string[] = [];
  if (name.length > limits.maxNameChars) {
    name = name.slice(0, limits.maxNameChars);
    defects.push(`file name longer than ${limits.maxNameChars} characters cut`);
  }
  if (name === '') defects.push('begin line without a file name');
  return { name, mode: m[2]!, format, data: Buffer.alloc(0), complete: false, defects, start: line.start, end: line.next };
}

/** How one block is being read: the block, its bytes so far, its defective lines. */
interface BlockReading {
  b: UuBlock;
  sink: Sink;
  limits: UuLimits;
  lineNo: number;
  /** Defective lines, all of them (the first limits.maxDefects are described). */
  bad: number;
  /** Set once the block reached limits.maxBlockBytes: later lines are still checked, not decoded. */
  full: boolean;
}

function defect(r: BlockReading, msg: string): void {
  r.bad++;
  if (r.b.defects.length < r.limits.maxDefects) r.b.defects.push(`line ${r.lineNo}: ${msg}`);
}

/** True when `n` more bytes fit in the block; at the first that do not, a defect, and false from then on. */
function room(r: BlockReading, n: number): boolean {
  if (r.full) return false;
  if (r.sink.length + n <= r.limits.maxBlockBytes) return true;
  r.full = true;
  defect(r, `decoded file over ${r.limits.maxBlockBytes} bytes; cut there`);
  return false;
}

/** What tells the two block formats apart: the end line, and how a data line is read (with state of its own per block). */
interface BlockFormat {
  format: UuBlock['format'];
  endLine: string;
  line(line: Line, r: BlockReading): void;
}

function uuFormat(): BlockFormat {
  let zeroSeen = false;
  return {
    format: 'uuencode',
    endLine: 'end',
    line(line, r) {
      const s = line.text;
      if (zeroSeen) {
        if (s !== '') defect(r, 'data after the zero-length line');
        return;
      }
      const d = line.raw;
      // An empty line is a zero-length line whose space was stripped in transport.
      if (s === '' || uuValue(s.charCodeAt(0)) === 0) {
        zeroSeen = true;
        return;
      }
      if (line.length > r.limits.maxLineChars) {
        defect(r, `line of ${line.length} characters skipped`);
        return;
      }
      const n = uuValue(s.charCodeAt(0));
      if (n < 0 || n > 45) {
        defect(r, `length character ${JSON.stringify(s[0])} out of range; line skipped`);
        return;
      }
      const need = Math.ceil(n / 3) * 4;
      let have = 0;
      while (have < need && 1 + have < d.length && uuValue(d.charCodeAt(1 + have)) >= 0) have++;
      if (have < need && 1 + have < d.length) {
        defect(r, `character ${JSON.stringify(d[1 + have])} outside the uuencode alphabet; line skipped`);
        return;
      }
      // A short line: mail programs strip trailing spaces, which old encoders wrote for zero
      // bits, so the missing characters are read as zeros, as uudecode does; the block is then
      // no longer exact, and says so. The bytes are bounded by the length character (45).
      if (have < need) defect(r, `length character promises ${n} bytes, the line holds ${Math.floor((have * 6) / 8)}; the rest read as zeros`);
      if (!room(r, n)) return;
      const v = (k: number) => (k < have ? uuValue(d.charCodeAt(1 + k)) : 0);
      let written = 0;
      for (let k = 0; written < n; k += 4) {
        const c0 = v(k), c1 = v(k + 1), c2 = v(k + 2), c3 = v(k + 3);
        const triple = [(c0 << 2) | (c1 >> 4), ((c1 & 0x0f) << 4) | (c2 >> 2), ((c2 & 0x03) << 6) | c3];
        for (let j = 0; j < 3 && written < n; j++, written++) r.sink.push(triple[j]! & 0xff);
      }
    },
  };
}

function base64Format(): BlockFormat {
  let padded = false;
  return {
    format: 'base64',
    endLine: '====',
    line(line, r) {
      const s = line.text;
      if (s === '') return;
      if (line.length > r.limits.maxLineChars || s.length % 4 !== 0 || !BASE64_LINE.test(s)) {
        defect(r, line.length > r.limits.maxLineChars ? `line of ${line.length} characters skipped` : 'not a base64 line; skipped');
        return;
      }
      if (padded) defect(r, 'data after a padded line');
      if (s.endsWith('=')) padded = true;
      if (r.full) return;
      const bytes = Buffer.from(s, 'base64');
      if (room(r, bytes.length)) r.sink.append(bytes);
    },
  };
}

/** One block from its begin line to its end line, or to where it stops (a new begin line, the end of the text). */
function readBlock(text: string, begin: Line, m: RegExpExecArray, limits: UuLimits, fmt: BlockFormat): UuBlock {
  const r: BlockReading = { b: newBlock(begin, m, fmt.format, limits), sink: new Sink(), limits, lineNo: 1, bad: 0, full: false };
  let pos = begin.next;
  let ended = false;
  while (pos < text.length) {
    const line = lineAt(text, pos);
    r.lineNo++;
    if (line.text === fmt.endLine) {
      pos = line.next;
      ended = true;
      break;
    }
    // A new begin line means this block lost its end.
    if (BEGIN.test(line.text)) break;
    pos = line.next;
    fmt.line(line, r);
  }
  const b = r.b;
  if (!ended) b.defects.push(`no ${fmt.endLine} line: ${r.sink.length} bytes decoded, the file is incomplete`);
  if (r.bad > b.defects.length) b.defects.push(`${r.bad - b.defects.length} more defective lines`);
  b.data = r.sink.done();
  b.complete = ended && r.bad === 0;
  b.end = pos;
  return b;
}

/** Transfer encodings that mean "the body is a uuencoded file". */
export function isUuTransferEncoding(cte: string | undefined): boolean {
  if (!cte) return false;
  const v = cte.replace(/\([^)]*\)/g, '').trim().toLowerCase();
  return v === 'x-uuencode' || v === 'uuencode' || v === 'x-uue';
}

/** An attachment as readMime gives it, with the part's Content-Transfer-Encoding where known. */
export type UuInput = LeanAttachment & { transferEncoding?: string };

/**
 * The MIME type a decoded file is recorded with: the one its name implies, else the one of
 * the part that carried it, else application/octet-stream. (BinHex, yEnc and TNEF files too.)
 */
export function typeFromName(name: string, fallback: string | undefined): string {
  const t = name ? String(libmime.detectMimeType(name) || '') : '';
  return t && t !== 'application/octet-stream' ? t : fallback || t || 'application/octet-stream';
}

function describe(b: UuBlock, where: string): string[] {
  const label = `uuencoded file ${JSON.stringify(b.name)} (${where})`;
  const out = b.defects.map((d) => `${label}: ${d}`);
  if (!b.complete) out.push(`${label}: incomplete, ${b.data.length} bytes recorded; its digests are not those of the file sent`);
  return out;
}

/**
 * The uuencode step of parse.ts's expandEncodedFiles, on each message's MIME content (nested ones too):
 * (a) a part sent as x-uuencode / uuencode / x-uue (mailparser passes those through as they
 *     are) is replaced by the file(s) its begin lines hold, named by the begin line, else by
 *     the part's file name; a part with no begin line is kept as sent, with a defect;
 * (b) blocks inline in the plain text become attachments after the MIME ones, and each is
 *     replaced in the text by one marker line. Removed, not kept: the stored text is what
 *     analysts read and search, and URLs are pulled from it; 300 KB of encoded lines are
 *     neither readable nor searchable, and random characters there yield false URL hits.
 *     The file's digests are on its attachment record, so nothing is lost.
 * Other parts pass through as they are (with their transfer encoding, for the next step).
 */
export function expandUuencoded<T extends UuInput>(atts: readonly T[], text: string | undefined, defects: string[]): { attachments: (T | LeanAttachment)[]; text?: string } {
  const attachments: (T | LeanAttachment)[] = [];
  for (const a of atts) {
    const { transferEncoding, ...att } = a;
    if (!isUuTransferEncoding(transferEncoding)) {
      attachments.push(a);
      continue;
    }
    const where = `part ${JSON.stringify(a.filename ?? '')} sent as ${String(transferEncoding).trim().toLowerCase()}`;
    const r = decodeUuBlocks(a.content.toString('latin1'));
    defects.push(...r.defects.map((d) => `${where}: ${d}`));
    if (r.blocks.length === 0) {
      defects.push(`${where}: no begin line; kept as sent`);
      attachments.push(att);
      continue;
    }
    for (const b of r.blocks) {
      defects.push(...describe(b, where));
      const filename = b.name || a.filename || '';
      attachments.push({ content: b.data, contentType: typeFromName(filename, a.contentType), ...(filename ? { filename } : {}) });
    }
  }
  if (text === undefined || !/^begin/m.test(text)) return { attachments, ...(text === undefined ? {} : { text }) };
  const r = decodeUuBlocks(text, { inline: true });
  if (r.blocks.length === 0) return { attachments, text };
  defects.push(...r.defects.map((d) => `text body: ${d}`));
  const pieces: string[] = [];
  let at = 0;
  for (const b of r.blocks) {
    defects.push(...describe(b, 'in the text body'));
    attachments.push({ content: b.data, contentType: typeFromName(b.name, undefined), ...(b.name ? { filename: b.name } : {}) });
    pieces.push(text.slice(at, b.start), `[uuencoded file ${JSON.stringify(b.name)}, ${b.data.length} bytes: recorded as an attachment]\n`);
    at = b.end;
  }
  pieces.push(text.slice(at));
  return { attachments, text: pieces.join('') };
}
