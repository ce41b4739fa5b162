// yEnc files in mail: =ybegin … =yend blocks (yEnc 1.2/1.3: =ypart lines for the parts of a
// multipart file, CRC32 in =yend's pcrc32 and crc32), inline in a text body, as uuenview -y -a
// and Usenet-to-mail gateways send them, or as the body of a part. Parts of one file are put
// back together when the message holds them.
//
// Why our own decoder: neither npm package is in node_modules: yencode is a native addon
// (built with node-gyp on every machine), simple-yenc a data-line codec for embedding WASM;
// and the decoding is one subtraction per byte. What matters here is the rest: headers,
// parts, CRCs, the raw bytes behind a decoded text, and hostile input bounded, never throwing.
//
// yEnc is 8-bit: a text body that reached us decoded from its charset (UTF-8 when unlabelled,
// as uuenview's mail is) has lost bytes over 0x7f. So a block found in the text is decoded
// from the raw message bytes, where the same block stands as it was sent (8bit transport);
// it is told apart from others by its 7-bit characters, which charset decoding keeps. Only a
// block that is not there as sent (a base64 or quoted-printable text part) is decoded from
// the text, and said to be inexact when the text holds characters over 0xff.
import type { LeanAttachment } from './lean-mime.js';
import { typeFromName } from './uuencode.js';
import { DefectList } from './defect-list.js';

export const YENC_LIMITS = {
  /** Bytes out per file, a part's or a whole multipart file's; past this the file is cut and marked incomplete. */
  maxFileBytes: 64 * 1024 * 1024,
  /**
   * =ybegin blocks read per message (single files and parts of multipart files together); the
   * rest are left as they are. Every block costs a pass over its bytes and a record, and a
   * part number or count in a header is never used to allocate or to loop.
   */
  maxParts: 256,
  /** Characters read of a keyword line (=ybegin, =ypart, =yend); a real one is under 300. */
  maxKeywordLineChars: 4096,
  /** Characters kept of a file name. */
  maxNameChars: 255,
  /** DefectList kept per block and per file (the rest are counted). */
  maxDefects: 16,
};

export type YencLimits = typeof YENC_LIMITS;

export interface YencBlock {
  /** From =ybegin; '' when it has none. */
  name: string;
  /** =ybegin size= (of the whole file), part=, total=; undefined when absent or unreadable. */
  size?: number;
  part?: number;
  total?: number;
  /** =ypart begin= and end= (1-based, inclusive). */
  begin?: number;
  end?: number;
  /** =yend pcrc32= (this part) and crc32= (the whole file). */
  pcrc32?: number;
  crc32?: number;
  data: Buffer;
  /** True when the =yend line was seen. */
  ended: boolean;
  /** True when ended, nothing was cut or skipped, and sizes and the part's CRC agree. */
  exact: boolean;
  defects: string[];
  /** Offsets in the input: the =ybegin line's start, and the end of the block (after =yend, or where reading stopped). */
  start: number;
  stop: number;
}

export interface YencFile {
  name: string;
  data: Buffer;
  /** True when every part is there and exact, and the whole-file size and CRC agree. */
  complete: boolean;
  defects: string[];
  /** Indices of its blocks in the list given to assembleYencFiles, in file order. */
  blocks: number[];
}

// ---------------------------------------------------------------------------------------
// CRC-32 (IEEE, as zlib), for pcrc32 and crc32.

const CRC32 = new Int32Array(256);
for (let i = 0; i < 256; i++) {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC32[i] = c;
}

export function crc32(b: Uint8Array, crc = 0): number {
  let c = ~crc;
  for (let i = 0; i < b.length; i++) c = CRC32[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');


// ---------------------------------------------------------------------------------------
// Blocks in bytes.

const YBEGIN = Buffer.from('=ybegin');
const NL_Y = Buffer.from('\n=y');

/** The line at `pos`: where its text ends (before CR LF or LF) and where the next starts. */
function lineAt(buf: Buffer, pos: number): { end: number; next: number } {
  let nl = buf.indexOf(0x0a, pos);
  if (nl < 0) nl = buf.length;
  const end = nl > pos && buf[nl - 1] === 0x0d ? nl - 1 : nl;
  return { end, next: Math.min(buf.length, nl + 1) };
}

/** `word` at `pos`, followed by white space or the line end (so "=ybegin" but not "=ybeginner"). */
function keywordAt(buf: Buffer, pos: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (buf[pos + i] !== word.charCodeAt(i)) return false;
  const c = buf[pos + word.length];
  return c === undefined || c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

/** Start offsets of the =ybegin lines in `buf`, found by search, not by reading every line. */
function beginLines(buf: Buffer, from = 0, to = buf.length): number[] {
  const out: number[] = [];
  for (let i = buf.indexOf(YBEGIN, from); i >= 0 && i < to; i = buf.indexOf(YBEGIN, i + 1)) {
    if ((i === 0 || buf[i - 1] === 0x0a) && keywordAt(buf, i, '=ybegin')) out.push(i);
  }
  return out;
}

/** The first line at or after `from` that starts with =yend, =ybegin or =ypart: where the data lines stop. */
function nextKeywordLine(buf: Buffer, from: number): { at: number; word: 'yend' | 'ybegin' | 'ypart' } | null {
  let i = buf[from] === 0x3d && buf[from + 1] === 0x79 ? from : buf.indexOf(NL_Y, from > 0 ? from - 1 : 0);
  while (i >= 0 && i < buf.length) {
    const at = buf[i] === 0x0a ? i + 1 : i;
    if (at >= from) {
      if (keywordAt(buf, at, '=yend')) return { at, word: 'yend' };
      if (keywordAt(buf, at, '=ybegin')) return { at, word: 'ybegin' };
      if (keywordAt(buf, at, '=ypart')) return { at, word: 'ypart' };
    }
    i = buf.indexOf(NL_Y, at + 1);
  }
  return null;
}

interface Params {
  values: Map<string, string>;
  /** The rest of the line after name= (yEnc puts name last: it may hold spaces). */
  name?: string;
}

function readParams(line: string): Params {
  const values = new Map<string, string>();
  const at = line.search(/(?:^|[ \t])name=/);
  const head = at < 0 ? line : line.slice(0, at);
  for (const m of head.matchAll(/([A-Za-z0-9]+)=(\S*)/g)) if (!values.has(m[1]!.toLowerCase())) values.set(m[1]!.toLowerCase(), m[2]!);
  return at < 0 ? { values } : { values, name: line.slice(at).replace(/^[ \t]*name=/, '').trim() };
}

function num(p: Params, key: string, d: DefectList, where: string): number | undefined {
  const v = p.values.get(key);
  if (v === undefined) return undefined;
  if (/^\d{1,15}$/.test(v)) return Number(v);
  d.add(`${where} ${key}=${JSON.stringify(v.slice(0, 32))} is not a number; ignored`);
  return undefined;
}

function crcParam(p: Params, key: string, d: DefectList): number | undefined {
  const v = p.values.get(key);
  if (v === undefined) return undefined;
  if (/^(?:0x)?[0-9a-f]{1,8}$/i.test(v)) return parseInt(v.replace(/^0x/i, ''), 16) >>> 0;
  d.add(`=yend ${key}=${JSON.stringify(v.slice(0, 32))} is not a CRC; ignored`);
  return undefined;
}

/** A keyword line as text, at most limits.maxKeywordLineChars of it; bytes over 0x7f read as UTF-8 when they are that, else Latin-1. */
function keywordLine(buf: Buffer, from: number, to: number, limits: YencLimits): string {
  const slice = buf.subarray(from, Math.min(to, from + limits.maxKeywordLineChars));
  const utf8 = slice.toString('utf8');
  return utf8.includes('\uFFFD') ? slice.toString('latin1') : utf8;
}

/**
 * The data bytes between `from` and `to`: line ends skipped, "=" + c read as c − 64 − 42,
 * any other byte as itself − 42. The output is at most one byte per byte in (and at most
 * limits.maxFileBytes), so it is allocated from the input's length, never from a size field.
 */
function decodeData(buf: Buffer, from: number, to: number, limits: YencLimits, d: DefectList): Buffer {
  const out = Buffer.allocUnsafe(Math.min(Math.max(0, to - from), limits.maxFileBytes));
  let n = 0;
  for (let i = from; i < to; i++) {
    let c = buf[i]!;
    if (c === 0x0a || c === 0x0d) continue;
    if (c === 0x3d) {
      const e = buf[i + 1];
      if (i + 1 >= to || e === 0x0a || e === 0x0d) {
        d.add('escape character at a line end; skipped');
        continue;
      }
      c = e! - 64;
      i++;
    }
    if (n >= out.length) {
      d.add(`decoded part over ${limits.maxFileBytes} bytes; cut there`);
      break;
    }
    out[n++] = (c - 42) & 0xff;
  }
  return out.subarray(0, n);
}

/** One block from its =ybegin line at `start` (in `buf`) to its =yend line, or to where it stops. */
export function decodeYencBlock(buf: Buffer, start: number, opts: { limits?: Partial<YencLimits> } = {}): YencBlock {
  const limits = { ...YENC_LIMITS, ...opts.limits };
  const d = new DefectList(limits.maxDefects);
  const first = lineAt(buf, start);
  const head = readParams(keywordLine(buf, start + '=ybegin'.length, first.end, limits));
  let name = head.name ?? '';
  if (name.length > limits.maxNameChars) {
    name = name.slice(0, limits.maxNameChars);
    d.add(`file name longer than ${limits.maxNameChars} characters cut`);
  }
  if (name === '') d.add('=ybegin line without a name');
  const b: YencBlock = { name, data: Buffer.alloc(0), ended: false, exact: false, defects: [], start, stop: first.next };
  const set = <K extends 'size' | 'part' | 'total' | 'begin' | 'end' | 'pcrc32' | 'crc32'>(k: K, v: number | undefined) => {
    if (v !== undefined) b[k] = v;
  };
  set('size', num(head, 'size', d, '=ybegin'));
  set('part', num(head, 'part', d, '=ybegin'));
  set('total', num(head, 'total', d, '=ybegin'));
  if (b.size === undefined) d.add('=ybegin line without a size');
  let pos = first.next;
  if (b.part !== undefined) {
    if (keywordAt(buf, pos, '=ypart')) {
      const line = lineAt(buf, pos);
      const p = readParams(keywordLine(buf, pos + '=ypart'.length, line.end, limits));
      set('begin', num(p, 'begin', d, '=ypart'));
      set('end', num(p, 'end', d, '=ypart'));
      if (b.begin === undefined || b.end === undefined) d.add('=ypart line without begin and end');
      pos = line.next;
    } else d.add(`part ${b.part} without a =ypart line`);
  }
  const stop = nextKeywordLine(buf, pos);
  const dataEnd = stop ? stop.at : buf.length;
  b.data = decodeData(buf, pos, dataEnd, limits, d);
  if (stop?.word === 'yend') {
    const line = lineAt(buf, stop.at);
    const p = readParams(keywordLine(buf, stop.at + '=yend'.length, line.end, limits));
    b.ended = true;
    b.stop = line.next;
    const size = num(p, 'size', d, '=yend');
    set('pcrc32', crcParam(p, 'pcrc32', d));
    set('crc32', crcParam(p, 'crc32', d));
    const endPart = num(p, 'part', d, '=yend');
    if (size !== undefined && size !== b.data.length) d.add(`=yend size=${size}, ${b.data.length} bytes decoded`);
    if (endPart !== undefined && endPart !== b.part) d.add(`=yend part=${endPart} in the block of part ${b.part ?? '(none)'}`);
  } else {
    d.add(`no =yend line${stop ? ` (a =${stop.word} line came first)` : ''}: ${b.data.length} bytes decoded, the file is incomplete`);
    b.stop = dataEnd;
  }
  if (b.begin !== undefined && b.end !== undefined && b.end - b.begin + 1 !== b.data.length) d.add(`=ypart begin=${b.begin} end=${b.end} is ${b.end - b.begin + 1} bytes, ${b.data.length} decoded`);
  if (b.part === undefined && b.size !== undefined && b.size !== b.data.length) d.add(`=ybegin size=${b.size}, ${b.data.length} bytes decoded`);
  // Single-part files carry their CRC as crc32 (pcrc32 too, from some encoders); parts as pcrc32.
  const partCrc = b.pcrc32 ?? (b.part === undefined ? b.crc32 : undefined);
  if (partCrc !== undefined) {
    const got = crc32(b.data);
    if (got !== partCrc) d.add(`CRC32 mismatch (block says ${hex8(partCrc)}, the bytes give ${hex8(got)}); bytes kept`);
  }
  b.exact = b.ended && d.count === 0;
  b.defects = d.done();
  return b;
}

/** The blocks in `buf` (a part's body, or a raw message), at most limits.maxParts. */
export function decodeYencBlocks(buf: Buffer, opts: { limits?: Partial<YencLimits> } = {}): { blocks: YencBlock[]; defects: string[] } {
  const limits = { ...YENC_LIMITS, ...opts.limits };
  const blocks: YencBlock[] = [];
  const defects: string[] = [];
  let pos = 0;
  for (const at of beginLines(buf)) {
    if (at < pos) continue;
    if (blocks.length >= limits.maxParts) {
      defects.push(`more than ${limits.maxParts} yEnc blocks; the rest left undecoded`);
      break;
    }
    const b = decodeYencBlock(buf, at, opts);
    blocks.push(b);
    pos = b.stop;
  }
  return { blocks, defects };
}

// ---------------------------------------------------------------------------------------
// Parts into files.

/**
 * Files from blocks: a block without part= is a file of its own; blocks with part= and the
 * same name and size are the parts of one file, joined in part order. The file is the parts
 * that are there, one after another (never padded for a missing one: its size comes from
 * the bytes decoded, not from a size field), with a defect for each gap, overlap, repeat or
 * CRC that does not agree.
 */
export function assembleYencFiles(blocks: readonly YencBlock[], opts: { limits?: Partial<YencLimits> } = {}): YencFile[] {
  const limits = { ...YENC_LIMITS, ...opts.limits };
  const files: YencFile[] = [];
  const groups = new Map<string, number[]>();
  blocks.forEach((b, i) => {
    if (b.part === undefined) {
      files.push({ name: b.name, data: b.data, complete: b.exact, defects: [], blocks: [i] });
      return;
    }
    const key = `${b.name}\0${b.size ?? ''}`;
    const g = groups.get(key);
    if (g) g.push(i);
    else {
      const list = [i];
      groups.set(key, list);
      // The file takes the place of its first part.
      files.push({ name: b.name, data: Buffer.alloc(0), complete: false, defects: [], blocks: list });
    }
  });
  for (const f of files) {
    if (blocks[f.blocks[0]!]!.part === undefined) continue;
    const d = new DefectList(limits.maxDefects);
    const order = [...f.blocks].sort((x, y) => blocks[x]!.part! - blocks[y]!.part! || x - y);
    const kept: number[] = [];
    for (const i of order) {
      if (kept.length && blocks[kept[kept.length - 1]!]!.part === blocks[i]!.part) d.add(`part ${blocks[i]!.part} twice; the first kept`);
      else kept.push(i);
    }
    f.blocks = kept;
    const size = blocks[kept[0]!]!.size;
    const total = kept.reduce<number | undefined>((t, i) => t ?? blocks[i]!.total, undefined);
    let length = 0;
    let expected = 1;
    let exact = true;
    for (const i of kept) {
      const b = blocks[i]!;
      exact &&= b.exact;
      if (b.begin !== undefined && b.begin !== expected) d.add(`part ${b.part} begins at byte ${b.begin}, the parts before it end at ${expected - 1}`);
      expected = (b.begin ?? expected) + b.data.length;
      length += b.data.length;
    }
    if (total !== undefined && kept.length !== total) d.add(`${kept.length} of ${total} parts here`);
    if (total === undefined && (blocks[kept[0]!]!.part !== 1 || blocks[kept[kept.length - 1]!]!.part !== kept.length)) d.add(`parts ${kept.map((i) => blocks[i]!.part).join(', ')} here: some are missing`);
    const cut = length > limits.maxFileBytes;
    if (cut) d.add(`joined file over ${limits.maxFileBytes} bytes; cut there`);
    const data = Buffer.allocUnsafe(Math.min(length, limits.maxFileBytes));
    let at = 0;
    for (const i of kept) at += blocks[i]!.data.copy(data, at);
    if (size !== undefined && size !== data.length) d.add(`=ybegin size=${size}, the parts here make ${data.length} bytes`);
    const whole = kept.reduce<number | undefined>((c, i) => blocks[i]!.crc32 ?? c, undefined);
    if (whole !== undefined && size === data.length) {
      const got = crc32(data);
      if (got !== whole) d.add(`whole-file CRC32 mismatch (=yend says ${hex8(whole)}, the bytes give ${hex8(got)}); bytes kept`);
    }
    f.data = data;
    f.defects = d.done();
    // Every part exact, and the parts make the size =ybegin gave (checked by its CRC32 when =yend gives one).
    f.complete = exact && d.count === 0 && size === data.length;
  }
  return files;
}

// ---------------------------------------------------------------------------------------
// Blocks in a text body, matched with the raw message.

/** Spans of the blocks in a text: from a =ybegin line to the end of its =yend line (or the next =ybegin, or the end). */
function textSpans(text: string, limits: YencLimits): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let pos = 0;
  while (pos < text.length && spans.length < limits.maxParts) {
    const at = text.startsWith('=ybegin', pos) ? pos : text.indexOf('\n=ybegin', pos > 0 ? pos - 1 : 0);
    if (at < 0) break;
    const start = text.charCodeAt(at) === 0x0a ? at + 1 : at;
    const c = text.charCodeAt(start + 7);
    if (!(c === 0x20 || c === 0x09)) {
      pos = start + 7;
      continue;
    }
    let end = text.length;
    for (let i = text.indexOf('\n=y', start); i >= 0; i = text.indexOf('\n=y', i + 1)) {
      if (text.startsWith('=yend', i + 1)) {
        const nl = text.indexOf('\n', i + 1);
        end = nl < 0 ? text.length : nl + 1;
        break;
      }
      if (text.startsWith('=ybegin', i + 1)) {
        end = i + 1;
        break;
      }
    }
    spans.push({ start, end });
    pos = end;
  }
  return spans;
}

/**
 * Where in the raw bytes from `rs` the text [ts, te) ends, when both hold the same 7-bit
 * characters in the same order (CR dropped from both); -1 when they do not. The raw bytes
 * may go on past the text (a text part cut before decoding, cap-text.ts; a block whose end
 * line is missing), so the text's end is the block's end. Charset decoding changes only
 * what is over 0x7f. Each character looked at costs one of `work`; at none left, -1.
 */
function sameSevenBit(raw: Buffer, rs: number, re: number, text: string, ts: number, te: number, work: { left: number }): number {
  let i = rs;
  let j = ts;
  for (;;) {
    if (--work.left < 0) return -1;
    while (i < re && (raw[i]! >= 0x80 || raw[i] === 0x0d)) i++;
    while (j < te && (text.charCodeAt(j) >= 0x80 || text.charCodeAt(j) === 0x0d)) j++;
    if (j >= te) return i;
    if (i >= re || raw[i] !== text.charCodeAt(j)) return -1;
    i++;
    j++;
  }
}

interface Found {
  block: YencBlock;
  /** Where it came from: a part (index into the attachments) or the text (span). */
  part?: number;
  span?: { start: number; end: number };
}

/** Blocks of the text, each decoded from the raw message where it stands there as sent, else from the text. */
function textBlocks(text: string, raw: Buffer | undefined, limits: YencLimits, defects: string[]): Found[] {
  const spans = textSpans(text, limits);
  if (spans.length === 0) return [];
  const rawStarts = raw ? beginLines(raw) : [];
  const out: Found[] = [];
  let next = 0;
  // A block is normally found at the first place looked (its own, in order), at the cost of
  // its length; the bound stops a message built to make every comparison long.
  const work = { left: 2 * (text.length + (raw?.length ?? 0)) };
  for (const span of spans) {
    let found: YencBlock | undefined;
    for (let k = next; k < rawStarts.length && work.left > 0; k++) {
      const rs = rawStarts[k]!;
      const re = k + 1 < rawStarts.length ? rawStarts[k + 1]! : raw!.length;
      const end = sameSevenBit(raw!, rs, re, text, span.start, span.end, work);
      if (end < 0) continue;
      // The raw bytes the text's block came from, and no further (a view: offsets stay those of the message).
      found = decodeYencBlock(raw!.subarray(0, end), rs, { limits });
      next = k + 1;
      break;
    }
    if (!found) {
      const s = text.slice(span.start, span.end);
      found = decodeYencBlock(Buffer.from(s, 'latin1'), 0, { limits });
      found.start = span.start;
      found.stop = span.end;
      if (/[^\x00-\xff]/.test(s)) {
        found.exact = false;
        found.defects.push('not found as sent in the raw message, and the text holds characters over 0xff (it was decoded from its charset): the bytes are not those sent');
      }
    }
    out.push({ block: found, span });
  }
  if (spans.length >= limits.maxParts) defects.push(`text body: ${limits.maxParts} yEnc blocks read; any after them left as they are`);
  return out;
}

/** Transfer encodings that mean "the body is yEnc". */
function isYencTransferEncoding(cte: string | undefined): boolean {
  const v = (cte ?? '').replace(/\([^)]*\)/g, '').trim().toLowerCase();
  return v === 'x-yenc' || v === 'yenc';
}

/** A part whose body is yEnc: sent as x-yenc, or opening with a =ybegin line. */
export function isYencPart(a: LeanAttachment & { transferEncoding?: string }): boolean {
  if (isYencTransferEncoding(a.transferEncoding)) return true;
  const head = a.content.subarray(0, 1024);
  let i = 0;
  while (i < head.length && (head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x20 || head[i] === 0x09)) i++;
  return keywordAt(a.content, i, '=ybegin');
}

function describe(f: YencFile, blocks: readonly Found[], where: (x: Found) => string): string[] {
  const out: string[] = [];
  for (const i of f.blocks) {
    const x = blocks[i]!;
    const label = `yEnc ${x.block.part !== undefined ? `part ${x.block.part} of ` : ''}file ${JSON.stringify(x.block.name)} (${where(x)})`;
    out.push(...x.block.defects.map((d) => `${label}: ${d}`));
  }
  const label = `yEnc file ${JSON.stringify(f.name)}`;
  out.push(...f.defects.map((d) => `${label}: ${d}`));
  if (!f.complete) out.push(`${label}: incomplete or unverified, ${f.data.length} bytes recorded; its digests may not be those of the file sent`);
  return out;
}

/**
 * The yEnc step of parse.ts's expandEncodedFiles: parts whose body is yEnc and blocks
 * inline in the text become files, the parts of one file joined wherever in the message
 * they are. A file takes the place of the part that held its first block (text files come
 * after the parts); a yEnc part with no block is kept as sent, with a defect; each block in
 * the text is replaced by one marker line (why: see expandUuencoded). `raw` is the message
 * the text was read from.
 */
export function expandYenc<T extends LeanAttachment & { transferEncoding?: string }>(
  atts: readonly T[],
  text: string | undefined,
  raw: Buffer | undefined,
  defects: string[],
  opts: { limits?: Partial<YencLimits> } = {},
): { attachments: (T | LeanAttachment)[]; text?: string } {
  const limits = { ...YENC_LIMITS, ...opts.limits };
  const found: Found[] = [];
  const yencParts = new Set<number>();
  atts.forEach((a, i) => {
    if (!isYencPart(a)) return;
    if (found.length >= limits.maxParts) {
      defects.push(`part ${JSON.stringify(a.filename ?? '')}: more than ${limits.maxParts} yEnc blocks in the message; kept as sent`);
      return;
    }
    yencParts.add(i);
    const r = decodeYencBlocks(a.content, { limits: { ...limits, maxParts: limits.maxParts - found.length } });
    defects.push(...r.defects.map((d) => `part ${JSON.stringify(a.filename ?? '')}: ${d}`));
    for (const block of r.blocks) found.push({ block, part: i });
  });
  const inText = text !== undefined && /^=ybegin[ \t]/m.test(text) ? textBlocks(text, raw, { ...limits, maxParts: Math.max(0, limits.maxParts - found.length) }, defects) : [];
  found.push(...inText);
  if (found.length === 0 && yencParts.size === 0) return { attachments: [...atts], ...(text === undefined ? {} : { text }) };

  const files = assembleYencFiles(
    found.map((x) => x.block),
    { limits },
  );
  const where = (x: Found) => (x.span ? 'in the text body' : `part ${JSON.stringify(atts[x.part!]!.filename ?? '')}`);
  const record = (f: YencFile): LeanAttachment => {
    defects.push(...describe(f, found, where));
    const first = found[f.blocks[0]!]!;
    const filename = f.name || (first.part !== undefined ? (atts[first.part]!.filename ?? '') : '');
    return { content: f.data, contentType: typeFromName(filename, undefined), ...(filename ? { filename } : {}) };
  };
  // Files in the place of their first block: a part's, or after all parts for the text's.
  const byPart = new Map<number, YencFile[]>();
  const fromText: YencFile[] = [];
  for (const f of files) {
    const first = found[Math.min(...f.blocks)]!;
    if (first.part !== undefined) byPart.set(first.part, [...(byPart.get(first.part) ?? []), f]);
    else fromText.push(f);
  }
  const attachments: (T | LeanAttachment)[] = [];
  atts.forEach((a, i) => {
    if (!yencParts.has(i)) {
      attachments.push(a);
      return;
    }
    const mine = byPart.get(i);
    if (mine) for (const f of mine) attachments.push(record(f));
    else if (!found.some((x) => x.part === i)) {
      defects.push(`part ${JSON.stringify(a.filename ?? '')}: no =ybegin line; kept as sent`);
      attachments.push(a);
    }
  });
  for (const f of fromText) attachments.push(record(f));
  if (text === undefined || inText.length === 0) return { attachments, ...(text === undefined ? {} : { text }) };
  const pieces: string[] = [];
  let at = 0;
  for (const x of inText) {
    const b = x.block;
    pieces.push(text.slice(at, x.span!.start), `[yEnc ${b.part !== undefined ? `part ${b.part} of ` : ''}file ${JSON.stringify(b.name)}, ${b.data.length} bytes: recorded as an attachment]\n`);
    at = x.span!.end;
  }
  pieces.push(text.slice(at));
  return { attachments, text: pieces.join('') };
}
