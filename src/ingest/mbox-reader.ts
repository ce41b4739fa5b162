// Streaming mbox splitter. Written by hand because the mbox libraries on npm either load
// the file whole or do not report byte offsets, and every finding must point back to the
// byte where its message starts. Handles mboxo and mboxrd (">From " unquoting), LF and
// CRLF, Thunderbird ("From - Tue …") and Gmail Takeout ("From 1781…@xxx …") separators.
import { createReadStream } from 'node:fs';
import { gunzipChunks } from './gzip-input.js';
import { readRange } from './read-range.js';

export const MBOX_LIMITS = {
  /**
   * A message larger than this is not held in memory: it is recorded as an error with its
   * offset and skipped. Journal mail over 100 MB does not pass real MTAs.
   */
  maxMessageBytes: 150 * 1024 * 1024,
  /** A "From " separator line longer than this is treated as body text. */
  maxSeparatorLine: 1000,
  readChunkBytes: 1024 * 1024,
  /**
   * A message past this size is not held as the read chunks it came in: its chunks are let
   * go and, at its end, it is read again from the file in one piece. Holding the chunks and
   * then their joined copy took twice the message's size at once (a 33 MB message, 70 MB).
   * Not for a gzip stream, which cannot be read again at an offset.
   */
  rereadBytes: 4 * 1024 * 1024,
};

export interface MboxMessage {
  /** Byte offset of the "From " separator line in the file. */
  offset: number;
  /** Bytes from the separator to the end of the message, separator included. */
  length: number;
  /** The message itself: separator line removed, ">From " lines unquoted. */
  raw: Buffer;
}

export interface MboxOversize {
  offset: number;
  length: number;
  oversize: true;
}

export type MboxItem = MboxMessage | MboxOversize;

/**
 * A separator is "From " at the start of a line, followed by an address-like token and
 * more text (normally a date). Requiring the blank line before it, as all writers emit,
 * keeps body lines that begin with "From " from splitting a message.
 */
const SEPARATOR = /^From \S+ +\S/;

function isSeparatorLine(line: Buffer): boolean {
  if (line.length > MBOX_LIMITS.maxSeparatorLine) return false;
  return SEPARATOR.test(line.toString('latin1'));
}

/**
 * mboxrd: remove one '>' from lines matching ^>+From . For mboxo this also undoes its quoting.
 * Done in place, the bytes moved left over the dropped '>'s: `msg` is the reader's own copy
 * of the message, and a second copy of a 100 MB message is what this saves.
 */
export function unquoteFromLines(msg: Buffer): Buffer {
  if (msg.indexOf('>From ') < 0) return msg;
  let write = 0;
  let pos = 0;
  while (pos < msg.length) {
    const nl = msg.indexOf(0x0a, pos);
    const lineEnd = nl < 0 ? msg.length : nl + 1;
    let from = pos;
    if (msg[pos] === 0x3e) {
      let q = pos;
      while (msg[q] === 0x3e) q++;
      if (msg.toString('latin1', q, q + 5) === 'From ') from = pos + 1; // drop one '>'
    }
    if (write !== from) msg.copyWithin(write, from, lineEnd);
    write += lineEnd - from;
    pos = lineEnd;
  }
  return msg.subarray(0, write);
}

/** True when the file starts like an mbox: a separator line first. */
export function looksLikeMbox(head: Buffer): boolean {
  const nl = head.indexOf(0x0a);
  const first = head.subarray(0, nl < 0 ? head.length : nl);
  return isSeparatorLine(first);
}

/**
 * Yield the messages of an mbox file in order, starting at `startOffset` (which must be
 * the offset of a separator line, as recorded by a previous run).
 */
export async function* readMbox(path: string, startOffset = 0, opts: { gzip?: boolean; source?: AsyncIterable<Buffer> } = {}): AsyncGenerator<MboxItem> {
  // A compressed mbox is read through gunzip, an mbox in a ZIP from its member's stream
  // (`source`, from its start); offsets are offsets in the decompressed bytes.
  const stream = opts.source ?? (opts.gzip ? gunzipChunks(path, startOffset) : createReadStream(path, { start: startOffset, highWaterMark: MBOX_LIMITS.readChunkBytes }));
  const canReread = !opts.gzip && !opts.source;
  let carry: Buffer = Buffer.alloc(0); // bytes of an unfinished line
  let carryPos = startOffset; // file offset of carry[0]
  let current: Buffer[] = [];
  let currentBytes = 0;
  let currentStart = -1; // offset of the current message's separator; -1 before the first
  let oversize = false;
  /** The current message's chunks were let go; it is read again from the file at its end. */
  let reread = false;
  let prevLineBlank = true; // the file start counts as a blank line

  const finish = (endOffset: number): Pending | null => {
    if (currentStart < 0) return null;
    const length = endOffset - currentStart;
    if (oversize) return { offset: currentStart, length, oversize: true };
    if (reread) return { offset: currentStart, length, reread: true };
    const whole = Buffer.concat(current, currentBytes);
    current = []; // the chunks can go before the next copy
    return { offset: currentStart, length, raw: messageOf(whole) };
  };

  /** Add bytes of the current message (separator line included); past the limit only their count is kept. */
  const addRange = (b: Buffer) => {
    if (currentStart < 0 || b.length === 0 || oversize) return;
    if (currentBytes + b.length > MBOX_LIMITS.maxMessageBytes) {
      oversize = true;
      current = [];
      currentBytes = 0;
      return;
    }
    if (canReread && currentBytes + b.length > MBOX_LIMITS.rereadBytes) {
      reread = true;
      current = [];
    }
    if (!reread) current.push(b);
    currentBytes += b.length;
  };

  const items: Pending[] = [];
  /** An item as split; a large message is read again from the file here, in one piece. */
  const ready = async (it: Pending): Promise<MboxItem> => ('reread' in it ? { offset: it.offset, length: it.length, raw: messageOf(await readRange(path, it.offset, it.length)) } : it);
  /**
   * Split a region of whole lines (`buf` from `rs` to `re`, starting at file offset `pos`)
   * at its separators. Separators are found with indexOf("\nFrom ") rather than line by
   * line: most lines cannot start one, and a journal has millions of them.
   */
  const processRegion = (buf: Buffer, rs: number, re: number, pos: number, lastLineHasNl: boolean) => {
    // Is the line that ends with the LF at `nl` blank ("\n" or "\r\n")?
    const blankEndingAt = (nl: number) =>
      nl === rs || buf[nl - 1] === 0x0a || (buf[nl - 1] === 0x0d && (nl - 1 === rs || buf[nl - 2] === 0x0a));
    let segStart = rs;
    const separatorAt = (p: number, blankBefore: boolean) => {
      if (!blankBefore) return;
      const nl = buf.indexOf(0x0a, p);
      const lineEnd = nl < 0 || nl >= re ? re : nl + 1;
      if (!isSeparatorLine(buf.subarray(p, lineEnd))) return;
      addRange(buf.subarray(segStart, p));
      const done = finish(pos + (p - rs));
      if (done) items.push(done);
      current = [];
      currentBytes = 0;
      oversize = false;
      reread = false;
      currentStart = pos + (p - rs);
      segStart = p;
    };
    if (re - rs >= 5 && buf[rs] === 0x46 && buf.toString('latin1', rs, rs + 5) === 'From ') separatorAt(rs, prevLineBlank);
    for (let c = buf.indexOf('\nFrom ', rs, 'latin1'); c >= 0 && c + 1 < re; c = buf.indexOf('\nFrom ', c + 1, 'latin1')) {
      separatorAt(c + 1, blankEndingAt(c));
    }
    addRange(buf.subarray(segStart, re));
    // Whether the region's last line was blank, for a separator at the start of the next one.
    if (lastLineHasNl) {
      const lastNl = re - 1;
      const before = lastNl > rs ? buf.lastIndexOf(0x0a, lastNl - 1) : -1;
      const lineStart = before >= rs ? before + 1 : rs;
      prevLineBlank = lastNl - lineStart === 0 || (lastNl - lineStart === 1 && buf[lineStart] === 0x0d);
    } else {
      prevLineBlank = false;
    }
  };

  // The unfinished last line of the chunks read so far, kept as its pieces: a long line is
  // joined once, when its end arrives, not once per chunk.
  let carryParts: Buffer[] = [];
  let carryLen = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const lastNl = chunk.lastIndexOf(0x0a);
    if (lastNl < 0) {
      carryParts.push(chunk);
      carryLen += chunk.length;
      // A single line longer than the message limit is never held whole.
      if (carryLen > MBOX_LIMITS.maxMessageBytes) {
        for (const part of carryParts) addRange(part);
        prevLineBlank = false;
        carryPos += carryLen;
        carryParts = [];
        carryLen = 0;
      }
      continue;
    }
    const buf = carryLen > 0 ? Buffer.concat([...carryParts, chunk], carryLen + chunk.length) : chunk;
    const end = carryLen + lastNl + 1;
    processRegion(buf, 0, end, carryPos, true);
    carryPos += end;
    carryParts = end < buf.length ? [buf.subarray(end)] : [];
    carryLen = buf.length - end;
    while (items.length > 0) yield await ready(items.shift()!);
  }
  carry = carryLen > 0 ? Buffer.concat(carryParts, carryLen) : Buffer.alloc(0);
  if (carry.length > 0) processRegion(carry, 0, carry.length, carryPos, false);
  const last = finish(carryPos + carry.length);
  if (last) items.push(last);
  while (items.length > 0) yield await ready(items.shift()!);
}

/** A split item before it is yielded: a message past MBOX_LIMITS.rereadBytes is only its place in the file. */
type Pending = MboxItem | { offset: number; length: number; reread: true };

/**
 * The message in the bytes from its separator to its end: the separator line is the first
 * line, and the blank line before the next separator belongs to the mbox format.
 */
function messageOf(whole: Buffer): Buffer {
  const firstNl = whole.indexOf(0x0a);
  let raw = firstNl < 0 ? Buffer.alloc(0) : whole.subarray(firstNl + 1);
  if (raw.length >= 2 && raw[raw.length - 1] === 0x0a && raw[raw.length - 2] === 0x0a) raw = raw.subarray(0, raw.length - 1);
  else if (raw.length >= 4 && raw.subarray(raw.length - 4).toString('latin1') === '\r\n\r\n') raw = raw.subarray(0, raw.length - 2);
  return unquoteFromLines(raw);
}
