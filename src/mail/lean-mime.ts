// The lean MIME path: the common shapes of mail (a text part, text and HTML alternatives,
// attachments beside them) read synchronously from the raw bytes, with the same results
// mailparser's simpleParser gives for them.
//
// Why our own code when mailparser does this: simpleParser is a chain of streams with a
// setImmediate per chunk, and on a journal of small mail that per-message machinery, not
// the bytes, is the cost (npm run bench). Here the body is cut at its boundaries in one
// pass and decoded whole. The parts that decide what mailparser would say are mailparser's
// own libraries (libmime for the structured headers, file names and MIME types; the same
// charset decoder), the transfer decodings give libbase64's and libqp's bytes (property
// tests hold them to those), and the rules (which part is text, which is an attachment,
// how text parts are joined) follow mailparser 3.14's MailParser.createNode/getTextContent.
//
// Anything outside those shapes returns null and goes to simpleParser: nested messages,
// multipart/related (cid: links), format=flowed, delivery reports, parts without a header
// block, unterminated multiparts, base64 with padding inside it, unknown transfer
// encodings. tests/mail/lean-mime.test.ts holds every fixture to simpleParser's
// answer, and counts how many take each path.
import libmime from 'libmime';
import { setBounded } from '../bounded-map.js';
import { LabelAwareDecoder } from './body-decoder.js';
import { decodeBytes } from './charset.js';

export interface LeanAttachment {
  content: Buffer;
  contentType: string;
  filename?: string;
}

/** What parse.ts takes from simpleParser: the text, the HTML and the attachments in order. */
export interface MimeContent {
  text?: string;
  html?: string;
  attachments: LeanAttachment[];
}

const LEAN_LIMITS = {
  /** Multipart levels handled here; deeper trees go to mailparser (which has its own limits). */
  maxDepth: 4,
  /** Parts handled here per message. */
  maxParts: 200,
  /**
   * A header block larger than this goes to mailparser, whose splitter refuses blocks over
   * 1 MB (counted its own way): the error it records is the one the case file should hold.
   */
  maxHeaderBytes: 256 * 1024,
};

// The same configuration mailparser gives libmime, so that a charset in an encoded word is
// decoded (or refused) exactly as there.
const mime = new libmime.Libmime({ Iconv: LabelAwareDecoder });

interface PartHeaders {
  /** First line of each field, as mailsplit keeps it: "Name: value", folds included (binary string). */
  first: Map<string, string>;
  bodyStart: number;
}

/**
 * The header block of a part (or of the message) from `start` to its blank line.
 * Returns null when there is no blank line (mailsplit reads such a block differently).
 */
function readHeaders(raw: Buffer, start: number, end: number): PartHeaders | null {
  const first = new Map<string, string>();
  let pos = start;
  let current: { key: string; line: string } | null = null;
  const keep = () => {
    if (current && !first.has(current.key)) first.set(current.key, current.line);
  };
  // A part whose header block is empty starts with its blank line.
  const limit = Math.min(end, start + LEAN_LIMITS.maxHeaderBytes);
  while (pos < limit) {
    const nl = raw.indexOf(0x0a, pos);
    if (nl < 0 || nl >= limit) return null;
    let lineEnd = nl;
    if (lineEnd > pos && raw[lineEnd - 1] === 0x0d) lineEnd--;
    if (lineEnd === pos) {
      keep();
      return { first, bodyStart: nl + 1 };
    }
    const line = raw.toString('latin1', pos, lineEnd);
    const c = line.charCodeAt(0);
    if (c === 0x20 || c === 0x09) {
      if (!current) return null;
      current.line += '\r\n' + line;
    } else {
      keep();
      const colon = line.indexOf(':');
      if (colon <= 0) return null;
      current = { key: line.slice(0, colon).trim().toLowerCase(), line };
    }
    pos = nl + 1;
  }
  return null;
}

/** A field's value the way mailsplit's Headers.getFirst gives it. */
function getFirst(h: PartHeaders, key: string): string {
  const line = h.first.get(key);
  if (line === undefined) return '';
  const utf8 = Buffer.from(line, 'latin1').toString('utf8');
  const decoded = mime.decodeHeader(utf8.includes('\uFFFD') ? line : utf8);
  return String(decoded?.value ?? '').trim();
}

type Structured = ReturnType<typeof mime.parseHeaderValue>;
/** Part headers repeat across messages ("Content-Type: text/plain; charset=utf-8"): recent readings are kept. */
const recentStructured = new Map<string, Structured>();
const RECENT_MAX = 1024;

/** A structured field (Content-Type, Content-Disposition) read as mailsplit reads it; never modified by callers. */
function structured(h: PartHeaders, key: string): Structured {
  const line = h.first.get(key) ?? '';
  let v = recentStructured.get(line);
  if (!v) {
    v = mime.parseHeaderValue(getFirst(h, key), { stripComments: true });
    if (line.length <= 256) setBounded(recentStructured, line, v, RECENT_MAX);
  }
  return v;
}

interface TextLeaf {
  contentType: 'text/plain' | 'text/html';
  text: string;
  alternative: boolean;
  root: boolean;
}

interface Walk {
  leaves: TextLeaf[];
  attachments: LeanAttachment[];
  hasText: boolean;
  hasHtml: boolean;
  parts: number;
}

/**
 * The decoded bytes of a part. For the identity encodings this is a view into the raw
 * message, good only while the call that read it runs: a text part is decoded to a string
 * at once, and walk() copies an attachment's bytes (see there).
 */
function decodeTransfer(body: Buffer, encoding: string): Buffer | null {
  if (isIdentityEncoding(encoding)) return body;
  if (encoding === 'base64') {
    // node's decoder skips white space and any byte outside the alphabet, as libbase64 does,
    // except the URL-safe '-' and '_', which node reads as '+' and '/': those are dropped
    // first. The two part ways at padding inside the text (node stops there): mailparser's.
    // The byte searches run on the Buffer (memchr), not on a string.
    const pad = body.indexOf(0x3d);
    if (pad >= 0 && /[A-Za-z0-9+/]/.test(body.toString('latin1', pad))) return null;
    let s = body.toString('latin1');
    if (body.indexOf(0x2d) >= 0 || body.indexOf(0x5f) >= 0) s = s.replace(/[-_]/g, '');
    return Buffer.from(s, 'base64');
  }
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return null;
}

function isIdentityEncoding(encoding: string): boolean {
  return encoding === '' || encoding === '7bit' || encoding === '8bit' || encoding === 'binary';
}

const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX[0x30 + i] = i;
for (let i = 0; i < 6; i++) HEX[0x41 + i] = HEX[0x61 + i] = 10 + i;

/**
 * Quoted-printable, byte for byte what libqp's decode() (mailparser's) gives, without its
 * two regular expressions and char loop over a string: HTML parts of Japanese mail are
 * mostly =XX escapes, and libqp was the largest cost of reading them. libqp's steps are:
 * white space at line ends dropped, soft line breaks ("=" before CRLF, LF or the end)
 * dropped, then =XX decoded where both digits are hex. One pass does all three where every
 * "=" is followed by two hex digits or a line break; any other "=" (literal, or one whose
 * digits a dropped break would join) sends the part through the three steps one by one.
 * The property tests in tests/mail/lean-mime.test.ts hold both to libqp and mailparser.
 */
export function decodeQuotedPrintable(b: Buffer): Buffer {
  const n = b.length;
  const out = Buffer.allocUnsafeSlow(n);
  let w = 0;
  for (let i = 0; i < n; ) {
    const c = b[i]!;
    if (c === 0x3d) {
      if (i + 2 < n) {
        const hi = HEX[b[i + 1]!]!;
        const lo = HEX[b[i + 2]!]!;
        if (hi >= 0 && lo >= 0) {
          out[w++] = hi * 16 + lo;
          i += 3;
          continue;
        }
      }
      const soft = softBreakLength(b, i, n);
      if (soft === 0) return unescapeHex(dropSoftBreaks(dropLineEndWhitespace(b)));
      i += soft;
      continue;
    }
    if (c === 0x20 || c === 0x09) {
      const j = whitespaceRunEnd(b, i, n);
      if (!lineEndsAt(b, j, n)) while (i < j) out[w++] = b[i++]!;
      i = j;
      continue;
    }
    out[w++] = c;
    i++;
  }
  return out.subarray(0, w);
}

/** End of the run of SP and HTAB that starts at b[i]. */
function whitespaceRunEnd(b: Buffer, i: number, n: number): number {
  let j = i + 1;
  while (j < n && (b[j] === 0x20 || b[j] === 0x09)) j++;
  return j;
}

/** A line ends at b[j]: CR, LF, or the end of the part. */
function lineEndsAt(b: Buffer, j: number, n: number): boolean {
  return j === n || b[j] === 0x0a || b[j] === 0x0d;
}

/** libqp's first step, into a new buffer: runs of SP and HTAB before a line break or the end are dropped. */
function dropLineEndWhitespace(b: Buffer): Buffer {
  const n = b.length;
  const t = Buffer.allocUnsafeSlow(n);
  let m = 0;
  for (let i = 0; i < n; ) {
    const c = b[i]!;
    if (c === 0x20 || c === 0x09) {
      const j = whitespaceRunEnd(b, i, n);
      if (!lineEndsAt(b, j, n)) while (i < j) t[m++] = b[i++]!;
      i = j;
      continue;
    }
    t[m++] = c;
    i++;
  }
  return t.subarray(0, m);
}

/** Bytes of the soft line break at t[i] ("=" before LF, CRLF or the end), 0 when there is none. */
function softBreakLength(t: Buffer, i: number, n: number): number {
  if (i + 1 === n) return 1;
  if (t[i + 1] === 0x0a) return 2;
  if (t[i + 1] === 0x0d && i + 2 < n && t[i + 2] === 0x0a) return 3;
  return 0;
}

/** libqp's second step, in place (on the first step's new buffer). */
function dropSoftBreaks(t: Buffer): Buffer {
  const m = t.length;
  let k = 0;
  for (let i = 0; i < m; ) {
    const soft = t[i] === 0x3d ? softBreakLength(t, i, m) : 0;
    if (soft > 0) {
      i += soft;
      continue;
    }
    t[k++] = t[i++]!;
  }
  return t.subarray(0, k);
}

/** libqp's third step, in place: =XX where both digits are hex. */
function unescapeHex(t: Buffer): Buffer {
  const k = t.length;
  let w = 0;
  for (let i = 0; i < k; ) {
    const c = t[i]!;
    if (c === 0x3d && i < k - 2) {
      const hi = HEX[t[i + 1]!]!;
      const lo = HEX[t[i + 2]!]!;
      if (hi >= 0 && lo >= 0) {
        t[w++] = hi * 16 + lo;
        i += 3;
        continue;
      }
    }
    t[w++] = c;
    i++;
  }
  return t.subarray(0, w);
}

/** Text of a text part as mailparser makes it: charset-decoded, line ends as LF. */
function textOf(bytes: Buffer, charset: string | undefined): string {
  const cs = charset || 'utf-8';
  const norm = cs.toLowerCase().replace(/[^a-z0-9]+/g, '');
  let s: string;
  if (norm === 'ascii' || norm === 'usascii' || norm === 'utf8') s = bytes.toString('utf8');
  // The refused names (UTF-7, base64, hex) take libmime's path in mailparser.
  else if (/^(?:(?:cs)?unicode11)?utf7(?:imap)?$|^base64$|^hex$/.test(norm)) throw new NotLean();
  else {
    s = decodeBytes(bytes, cs).text;
    // mailparser's decoder gives U+FFFD for a lone surrogate (its text passes through UTF-8
    // bytes); a text without surrogates comes through that unchanged, so the trip is taken
    // only when there is one.
    if (SURROGATE.test(s)) s = Buffer.from(s, 'utf8').toString('utf8');
  }
  return s.replace(/\r?\n/g, '\n');
}

const SURROGATE = /[\uD800-\uDFFF]/;

class NotLean extends Error {}

/** The byte ranges of the parts of a multipart body, or null when it is not cleanly delimited. */
function splitParts(raw: Buffer, start: number, end: number, boundary: string): { start: number; end: number }[] | null {
  const b = Buffer.from(boundary, 'latin1');
  const parts: { start: number; end: number }[] = [];
  let partStart = -1;
  let pos = start;
  let closed = false;
  while (pos < end) {
    let nl = raw.indexOf(0x0a, pos);
    if (nl < 0 || nl >= end) nl = end;
    if (raw[pos] === 0x2d && raw[pos + 1] === 0x2d && nl - pos >= b.length + 2 && raw.compare(b, 0, b.length, pos + 2, pos + 2 + b.length) === 0) {
      let i = pos + 2 + b.length;
      let close = false;
      if (raw[i] === 0x2d && raw[i + 1] === 0x2d) {
        close = true;
        i += 2;
      }
      while (i < nl && (raw[i] === 0x20 || raw[i] === 0x09 || (raw[i] === 0x0d && i === nl - 1))) i++;
      if (i === nl) {
        if (partStart >= 0) {
          // The line break in front of a delimiter belongs to the delimiter.
          let e = pos;
          if (e > partStart && raw[e - 1] === 0x0a) e--;
          if (e > partStart && raw[e - 1] === 0x0d) e--;
          parts.push({ start: partStart, end: e });
        }
        if (close) {
          closed = true;
          break;
        }
        partStart = nl + 1;
        if (partStart > end) partStart = end;
      }
    }
    pos = nl + 1;
  }
  return closed && parts.length > 0 ? parts : null;
}

function walk(raw: Buffer, h: PartHeaders, end: number, root: boolean, alternative: boolean, depth: number, w: Walk): void {
  if (++w.parts > LEAN_LIMITS.maxParts) throw new NotLean();
  const disp = structured(h, 'content-disposition');
  let ct: Structured;
  if (!h.first.has('content-type')) {
    // mailsplit guesses from the file name's extension; leave that to it.
    if (disp.params.filename) throw new NotLean();
    ct = mime.parseHeaderValue(/^attachment$/i.test(disp.value) ? 'application/octet-stream' : 'text/plain', { stripComments: true });
  } else ct = structured(h, 'content-type');
  const contentType = (ct.value || '').toLowerCase().trim();
  if (contentType === '') throw new NotLean();
  const slash = contentType.indexOf('/');
  const major = contentType.slice(0, slash < 0 ? contentType.length : slash);
  if (major === 'multipart') {
    if (contentType !== 'multipart/mixed' && contentType !== 'multipart/alternative') throw new NotLean();
    if (depth >= LEAN_LIMITS.maxDepth) throw new NotLean();
    const boundary = (ct.params.boundary || '').trimEnd();
    if (!boundary || Buffer.byteLength(boundary) !== boundary.length) throw new NotLean();
    const parts = splitParts(raw, h.bodyStart, end, boundary);
    if (!parts) throw new NotLean();
    const childAlternative = alternative || contentType === 'multipart/alternative';
    for (const p of parts) {
      const ph = readHeaders(raw, p.start, p.end);
      if (!ph) throw new NotLean();
      walk(raw, ph, p.end, false, childAlternative, depth + 1, w);
    }
    return;
  }
  if (major === 'message' || contentType === 'text/rfc822-headers') throw new NotLean();
  // mailsplit splits by a boundary parameter even on a part that is not multipart.
  if (ct.params.boundary) throw new NotLean();
  const isText = contentType === 'text/plain' || contentType === 'text/html';
  if (isText && ct.params.format && ct.params.format.toLowerCase().trim() === 'flowed') throw new NotLean();
  let disposition = (disp.value || '').toLowerCase().trim();
  if (disposition) disposition = mime.decodeWords(disposition);
  if (disposition && disposition !== 'attachment' && disposition !== 'inline') disposition = 'attachment';
  const finalDisposition = !disposition && !isText ? 'attachment' : disposition || 'inline';
  const isAttachment = !isText || finalDisposition !== 'inline';
  const encoding = getFirst(h, 'content-transfer-encoding').replace(/\([^)]*\)/g, '').toLowerCase().trim();
  if (/["(]/.test(h.first.get('content-transfer-encoding') ?? '')) throw new NotLean();
  const body = decodeTransfer(raw.subarray(h.bodyStart, Math.max(h.bodyStart, end)), encoding);
  if (!body) throw new NotLean();
  if (isAttachment) {
    // The record keeps an attachment's bytes (keepContent), and the scan moves their
    // ArrayBuffer to the main thread: a view would keep, and move, the whole raw message.
    const content = isIdentityEncoding(encoding) ? Buffer.from(body) : body;
    let filename: string | undefined = disp.params.filename || ct.params.name || undefined;
    if (filename) {
      const decoded = disp.params.filename ? disp.decodedParams.includes('filename') : ct.decodedParams.includes('name');
      if (!decoded) {
        try {
          filename = mime.decodeWords(filename);
        } catch {
          // mailsplit keeps the name as it is when its charset is unknown
        }
      }
    }
    let type = contentType;
    if (type === 'application/octet-stream' && filename) type = mime.detectMimeType(filename) || 'application/octet-stream';
    w.attachments.push({ content, contentType: type, ...(filename ? { filename } : {}) });
    return;
  }
  if (contentType === 'text/plain') w.hasText = true;
  else w.hasHtml = true;
  w.leaves.push({ contentType: contentType as TextLeaf['contentType'], text: textOf(body, ct.params.charset), alternative, root });
}

/**
 * Read the MIME body of `raw` the lean way, or return null when the message has a shape
 * this path leaves to mailparser.
 */
export function leanMime(raw: Buffer): MimeContent | null {
  try {
    const h = readHeaders(raw, 0, raw.length);
    if (!h) return null;
    const w: Walk = { leaves: [], attachments: [], hasText: false, hasHtml: false, parts: 0 };
    walk(raw, h, raw.length, true, false, 0, w);
    // mailparser turns a plain part outside an alternative into HTML when the message also
    // has HTML; that conversion is not repeated here.
    if (w.hasHtml && w.leaves.some((l) => l.contentType === 'text/plain' && !l.alternative && l.text)) return null;
    const text: string[] = [];
    const html: string[] = [];
    for (const l of w.leaves) {
      if (!l.text) continue;
      if (l.contentType === 'text/plain') text.push(l.text);
      else {
        if ((!l.alternative && w.hasText) || (l.root && !w.hasText)) text.push('');
        html.push(l.text);
      }
    }
    const out: MimeContent = { attachments: w.attachments };
    if (html.length) {
      const joined = html.join('<br/>\n');
      // simpleParser rewrites cid: links into data: URLs; leave those messages to it.
      if (/cid:/i.test(joined)) return null;
      out.html = joined;
    }
    if (text.length) out.text = text.join('\n');
    return out;
  } catch (e) {
    if (e instanceof NotLean) return null;
    throw e;
  }
}
