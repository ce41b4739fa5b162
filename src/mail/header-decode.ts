// Header splitting and RFC 2047 decoding, written here rather than taken from libmime
// because the fixes Japanese mail needs sit inside the decoder: adjacent encoded-words
// must be joined as bytes before charset decoding (mutt and s-nail split ISO-2022-JP
// mid-sequence), labels must yield to the bytes (us-ascii words holding ISO-2022-JP),
// and raw 8-bit headers must be read as UTF-8 or a Japanese charset, not as Latin-1.
// Header values are handled as "binary strings": one JS char per byte (latin1).
import { decodeBytes } from './charset.js';

/** Limits against hostile input. */
export const HEADER_LIMITS = {
  /** A header block larger than this is cut; real ones are a few KB, Received chains rarely 100 KB. */
  maxHeaderBytes: 1024 * 1024,
  /** More fields than this are ignored: no legitimate message has them. */
  maxFields: 5000,
};

export interface HeaderField {
  /** Lower-case field name. */
  name: string;
  /** Unfolded value as a binary string (one char per byte), leading space trimmed. */
  value: string;
}

export interface HeaderBlock {
  fields: HeaderField[];
  /** Offset of the first body byte in the message. */
  bodyOffset: number;
  defects: string[];
}

/** Find the blank line that ends the header block; accept LF and CRLF line ends. */
/**
 * The blank line that ends the header block starting at `from` (a message's, or a MIME
 * part's): where it starts and where the body begins; null when none comes before `limit`
 * (an absolute offset).
 */
export function findHeaderEnd(raw: Buffer, limit: number, from = 0): { end: number; bodyOffset: number } | null {
  let i = from;
  const max = Math.min(raw.length, limit);
  // A block that starts with a blank line is empty.
  if (raw[from] === 0x0a) return { end: from, bodyOffset: from + 1 };
  if (raw[from] === 0x0d && raw[from + 1] === 0x0a) return { end: from, bodyOffset: from + 2 };
  while (i < max) {
    const nl = raw.indexOf(0x0a, i);
    if (nl < 0 || nl >= max) return null;
    const next = nl + 1;
    if (raw[next] === 0x0a) return { end: next, bodyOffset: next + 1 };
    if (raw[next] === 0x0d && raw[next + 1] === 0x0a) return { end: next, bodyOffset: next + 2 };
    i = next;
  }
  return null;
}

export function splitHeaders(raw: Buffer): HeaderBlock {
  const defects: string[] = [];
  let found = findHeaderEnd(raw, HEADER_LIMITS.maxHeaderBytes);
  if (!found) {
    if (raw.length > HEADER_LIMITS.maxHeaderBytes) {
      defects.push(`header block larger than ${HEADER_LIMITS.maxHeaderBytes} bytes; cut`);
      found = { end: HEADER_LIMITS.maxHeaderBytes, bodyOffset: raw.length };
    } else {
      defects.push('no blank line between header and body');
      found = { end: raw.length, bodyOffset: raw.length };
    }
  }
  const text = raw.subarray(0, found.end).toString('latin1');
  const lines = text.split(/\r?\n/);
  const fields: HeaderField[] = [];
  let current: HeaderField | null = null;
  let stray = 0;
  for (const line of lines) {
    if (line === '') continue;
    if (line[0] === ' ' || line[0] === '\t') {
      if (current) current.value += ' ' + line.replace(/^[ \t]+/, '');
      else stray++;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0 || /[\s]/.test(line.slice(0, colon).trimEnd())) {
      // Not a header line: a broken generator, or a body with no separator before it.
      stray++;
      current = null;
      continue;
    }
    if (fields.length >= HEADER_LIMITS.maxFields) {
      defects.push(`more than ${HEADER_LIMITS.maxFields} header fields; rest ignored`);
      break;
    }
    current = { name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1).replace(/^[ \t]+/, '') };
    fields.push(current);
  }
  if (stray > 0) defects.push(`${stray} header line(s) without a field name`);
  return { fields, bodyOffset: found.bodyOffset, defects };
}

export function headerValues(block: HeaderBlock, name: string): string[] {
  const out: string[] = [];
  for (const f of block.fields) if (f.name === name) out.push(f.value);
  return out;
}

export function firstHeader(block: HeaderBlock, name: string): string | undefined {
  for (const f of block.fields) if (f.name === name) return f.value;
  return undefined;
}

const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

function wordBytes(encoding: string, text: string): Buffer {
  if (encoding === 'B' || encoding === 'b') {
    return Buffer.from(text.replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
  }
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '_') bytes.push(0x20);
    else if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c.charCodeAt(0) & 0xff);
  }
  return Buffer.from(bytes);
}

function decodeRun(binary: string): string {
  if (binary === '') return '';
  return decodeBytes(Buffer.from(binary, 'latin1'), '').text;
}

const PLAIN_ASCII = /^[\x20-\x7e\t]*$/;

/**
 * Decode an unstructured header value (a binary string) to text: RFC 2047 encoded-words,
 * with adjacent words of one charset joined as bytes, and raw 8-bit runs guessed.
 */
export function decodeHeaderValue(binary: string): string {
  // Printable ASCII without an encoded-word reads as itself (most headers of most mail).
  if (PLAIN_ASCII.test(binary) && !binary.includes('=?')) return binary;
  const parts: string[] = [];
  let last = 0;
  let pendingCharset: string | null = null;
  let pendingBytes: Buffer[] = [];
  const flush = () => {
    if (pendingCharset !== null) {
      parts.push(decodeBytes(Buffer.concat(pendingBytes), pendingCharset).text);
      pendingCharset = null;
      pendingBytes = [];
    }
  };
  for (const m of binary.matchAll(ENCODED_WORD)) {
    const between = binary.slice(last, m.index);
    const charset = m[1]!.split('*')[0]!.toLowerCase();
    const bytes = wordBytes(m[2]!, m[3]!);
    // RFC 2047 §6.2: white space between adjacent encoded-words is not displayed.
    const adjacent = pendingCharset !== null && /^\s*$/.test(between);
    if (adjacent && pendingCharset === charset) {
      pendingBytes.push(bytes);
    } else {
      flush();
      if (!adjacent) parts.push(decodeRun(between));
      pendingCharset = charset;
      pendingBytes = [bytes];
    }
    last = m.index + m[0].length;
  }
  flush();
  parts.push(decodeRun(binary.slice(last)));
  return parts.join('');
}
