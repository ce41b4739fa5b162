// Inline text parts longer than MAX_TEXT_PART_BYTES are cut in the raw message before it is
// parsed. Why here and not after: mailparser (and the lean path) decode a text part whole —
// its chunks, their concatenation, the string and its line-end rewrite all live at once —
// so a 30 MB text body took 150 MB of heap before parse.ts cut the text to
// PARSE_LIMITS.maxBodyChars. Attachments (a Content-Disposition of attachment, or a file
// name) are never cut: their bytes and digests must stay exact.
import { findHeaderEnd, HEADER_LIMITS } from './header-decode.js';

/** 6 MB: more than PARSE_LIMITS.maxBodyChars (4 M characters) of ASCII text, base64 included. */
export const MAX_TEXT_PART_BYTES = 6 * 1024 * 1024;
/** Multipart levels walked; a text part deeper than this is left as it is. */
const MAX_DEPTH = 16;
/** Parts walked per message. */
const MAX_PARTS = 10_000;

interface Cut {
  /** Where the part's body starts and where the kept bytes end. */
  keepTo: number;
  /** Where the part's body ends (the next delimiter line or the end). */
  end: number;
}

/** The raw message with over-long inline text parts cut, and how many were cut. */
export function capTextParts(raw: Buffer): { raw: Buffer; cut: number } {
  if (raw.length <= MAX_TEXT_PART_BYTES) return { raw, cut: 0 };
  const cuts: Cut[] = [];
  walk(raw, 0, raw.length, 0, cuts, { parts: 0 });
  if (cuts.length === 0) return { raw, cut: 0 };
  cuts.sort((a, b) => a.keepTo - b.keepTo);
  const pieces: Buffer[] = [];
  let at = 0;
  for (const c of cuts) {
    pieces.push(raw.subarray(at, c.keepTo), Buffer.from('\r\n'));
    at = c.end;
  }
  pieces.push(raw.subarray(at));
  return { raw: Buffer.concat(pieces), cut: cuts.length };
}

function walk(raw: Buffer, start: number, end: number, depth: number, cuts: Cut[], count: { parts: number }): void {
  if (depth > MAX_DEPTH || ++count.parts > MAX_PARTS) return;
  const headerEnd = findHeaderEnd(raw, Math.min(end, start + HEADER_LIMITS.maxHeaderBytes), start);
  if (headerEnd === null) return;
  const header = raw.subarray(start, headerEnd.end).toString('latin1').replace(/\r?\n[ \t]+/g, ' ');
  const type = /^content-type:\s*([^;\s]+)([^\n]*)/im.exec(header);
  const mime = (type?.[1] ?? 'text/plain').toLowerCase();
  const bodyStart = headerEnd.bodyOffset;
  if (mime.startsWith('multipart/')) {
    const b = /boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(type?.[2] ?? '');
    const boundary = b?.[1] ?? b?.[2];
    if (boundary) for (const [s, e] of parts(raw, bodyStart, end, boundary)) walk(raw, s, e, depth + 1, cuts, count);
    return;
  }
  if (!mime.startsWith('text/')) return;
  const attachment = /^content-disposition:\s*attachment/im.test(header) || /\b(?:file)?name\*?\s*=/i.test(header);
  if (attachment || end - bodyStart <= MAX_TEXT_PART_BYTES) return;
  cuts.push({ keepTo: bodyStart + MAX_TEXT_PART_BYTES, end });
}

/** The byte ranges of a multipart body's parts, between its delimiter lines. */
function parts(raw: Buffer, start: number, end: number, boundary: string): [number, number][] {
  const delimiter = Buffer.from(`\n--${boundary}`, 'latin1');
  const out: [number, number][] = [];
  let partStart = -1;
  for (let i = raw.indexOf(delimiter, start - 1); i >= 0 && i < end; i = raw.indexOf(delimiter, i + delimiter.length)) {
    // The part ends at the line end before the delimiter (a CR there belongs to the delimiter).
    if (partStart >= 0) out.push([partStart, raw[i - 1] === 0x0d ? i - 1 : i]);
    const after = i + delimiter.length;
    if (raw[after] === 0x2d && raw[after + 1] === 0x2d) return out;
    const nl = raw.indexOf(0x0a, after);
    if (nl < 0 || nl >= end) return out;
    partStart = nl + 1;
  }
  if (partStart >= 0 && partStart < end) out.push([partStart, end]);
  return out;
}
