// Streaming mbox splitter. Written by hand because the mbox libraries on npm either load
// the file whole or do not report byte offsets, and every finding must point back to the
// byte where its message starts. Handles mboxo and mboxrd (">From " unquoting), LF and
// CRLF, Thunderbird ("From - Tue …") and Gmail Takeout ("From 1781…@xxx …") separators.
import { createReadStream } from 'node:fs';

export const MBOX_LIMITS = {
  /**
   * A message larger than this is not held in memory: it is recorded as an error with its
   * offset and skipped. Journal mail over 100 MB does not pass real MTAs.
   */
  maxMessageBytes: 150 * 1024 * 1024,
  /** A "From " separator line longer than this is treated as body text. */
  maxSeparatorLine: 1000,
  readChunkBytes: 1024 * 1024,
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

/** mboxrd: remove one '>' from lines matching ^>+From . For mboxo this also undoes its quoting. */
export function unquoteFromLines(msg: Buffer): Buffer {
  if (msg.indexOf('>From ') < 0) return msg;
  const parts: Buffer[] = [];
  let start = 0;
  let pos = 0;
  while (pos < msg.length) {
    const nl = msg.indexOf(0x0a, pos);
    const lineEnd = nl < 0 ? msg.length : nl + 1;
    if (msg[pos] === 0x3e) {
      let q = pos;
      while (msg[q] === 0x3e) q++;
      if (msg.subarray(q, q + 5).toString('latin1') === 'From ') {
        parts.push(msg.subarray(start, pos));
        start = pos + 1; // drop one '>'
      }
    }
    pos = lineEnd;
  }
  parts.push(msg.subarray(start));
  return Buffer.concat(parts);
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
export async function* readMbox(path: string, startOffset = 0): AsyncGenerator<MboxItem> {
  const stream = createReadStream(path, { start: startOffset, highWaterMark: MBOX_LIMITS.readChunkBytes });
  let carry: Buffer = Buffer.alloc(0); // bytes of an unfinished line
  let carryPos = startOffset; // file offset of carry[0]
  let current: Buffer[] = [];
  let currentBytes = 0;
  let currentStart = -1; // offset of the current message's separator; -1 before the first
  let oversize = false;
  let prevLineBlank = true; // the file start counts as a blank line

  const finish = (endOffset: number): MboxItem | null => {
    if (currentStart < 0) return null;
    const length = endOffset - currentStart;
    if (oversize) return { offset: currentStart, length, oversize: true };
    let raw = Buffer.concat(current, currentBytes);
    // The separator line is the first line; the blank line before the next separator
    // belongs to the mbox format, not to the message.
    const firstNl = raw.indexOf(0x0a);
    raw = firstNl < 0 ? Buffer.alloc(0) : raw.subarray(firstNl + 1);
    if (raw.length >= 2 && raw[raw.length - 1] === 0x0a && raw[raw.length - 2] === 0x0a) raw = raw.subarray(0, raw.length - 1);
    else if (raw.length >= 4 && raw.subarray(raw.length - 4).toString('latin1') === '\r\n\r\n') raw = raw.subarray(0, raw.length - 2);
    return { offset: currentStart, length, raw: unquoteFromLines(raw) };
  };

  const addLine = (line: Buffer) => {
    if (oversize) return;
    if (currentBytes + line.length > MBOX_LIMITS.maxMessageBytes) {
      oversize = true;
      current = [];
      currentBytes = 0;
      return;
    }
    current.push(line);
    currentBytes += line.length;
  };

  const items: MboxItem[] = [];
  const processLine = (line: Buffer, lineOffset: number) => {
    const isBlank = line.length === 1 || (line.length === 2 && line[0] === 0x0d);
    if (prevLineBlank && line[0] === 0x46 /* F */ && isSeparatorLine(line)) {
      const done = finish(lineOffset);
      if (done) items.push(done);
      current = [];
      currentBytes = 0;
      oversize = false;
      currentStart = lineOffset;
      addLine(line);
    } else if (currentStart >= 0) {
      addLine(line);
    }
    prevLineBlank = isBlank;
  };

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let bufPos = carryPos;
    let i = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, i);
      if (nl < 0) break;
      processLine(buf.subarray(i, nl + 1), bufPos + i);
      i = nl + 1;
    }
    carry = buf.subarray(i);
    carryPos = bufPos + i;
    // A single line longer than the message limit is never held whole.
    if (carry.length > MBOX_LIMITS.maxMessageBytes) {
      addLine(carry);
      prevLineBlank = false;
      carryPos += carry.length;
      carry = Buffer.alloc(0);
    }
    buf = Buffer.alloc(0);
    bufPos = 0;
    while (items.length > 0) yield items.shift()!;
  }
  if (carry.length > 0) processLine(carry, carryPos);
  const last = finish(carryPos + carry.length);
  if (last) items.push(last);
  while (items.length > 0) yield items.shift()!;
}
