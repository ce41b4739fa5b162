// Lines of a log file, streamed: plain or gzip-compressed (rotated maillog.1.gz), CRLF or LF.
// Bytes that are not UTF-8 are decoded as Latin-1 for that line, so that no line is lost
// to a wrong encoding; such lines are counted.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { isValidUtf8 } from '../mail/charset.js';

export const LOG_LIMITS = {
  /** A line longer than this is cut (real log lines are under a few KB). */
  maxLineBytes: 64 * 1024,
};

export interface LineReadStats {
  nonUtf8Lines: number;
  cutLines: number;
}

/**
 * Bytes read at a time. The lines of a chunk are slices of one string decoded from it, and
 * anything kept from a line keeps that string alive. A string of a megabyte is allocated
 * outside V8's young generation and is freed only by a full collection, which a heap with a
 * large live part (a 100,000-entry feed index) puts off: a 10-million-line proxy log scan
 * peaked at 437 MB with 1 MiB chunks. At 64 KiB the strings die young: 176 MB, and the
 * Postfix and Squid parsers ran 5-25 % faster (npm run bench, part hosts; measure-log).
 */
const READ_CHUNK_BYTES = 64 * 1024;

/**
 * The lines of one read chunk. `terminatorFree`: none holds a CR, LS or PS (U+2028, U+2029),
 * found by three searches of the chunk instead of one of each line (syslog.ts).
 */
export type LineBatch = string[] & { terminatorFree?: boolean };

/**
 * Lines in batches (one array per read chunk): yielding each line from an async generator
 * costs more than parsing it, on logs of tens of millions of lines.
 */
export async function* readLineBatches(path: string, stats: LineReadStats): AsyncGenerator<LineBatch> {
  const head = await new Promise<Buffer>((resolve, reject) => {
    const s = createReadStream(path, { start: 0, end: 1 });
    const chunks: Buffer[] = [];
    s.on('data', (c) => chunks.push(c as Buffer));
    s.on('end', () => resolve(Buffer.concat(chunks)));
    s.on('error', reject);
  });
  let stream: Readable = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
  if (head[0] === 0x1f && head[1] === 0x8b) stream = stream.pipe(createGunzip());
  let carry: Buffer = Buffer.alloc(0);
  const emit = (raw: Buffer): string => {
    let b = raw;
    if (b.length > 0 && b[b.length - 1] === 0x0d) b = b.subarray(0, b.length - 1);
    if (b.length > LOG_LIMITS.maxLineBytes) {
      b = b.subarray(0, LOG_LIMITS.maxLineBytes);
      stats.cutLines++;
    }
    for (const c of b) {
      if (c > 0x7f) {
        if (isValidUtf8(b)) return b.toString('utf8');
        stats.nonUtf8Lines++;
        return b.toString('latin1');
      }
    }
    return b.toString('latin1');
  };
  const strict = new TextDecoder('utf-8', { fatal: true });
  let skipping = false;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    if (skipping) {
      // The rest of an over-long line that was already emitted, cut: drop it up to its end.
      const nl = buf.indexOf(0x0a);
      if (nl < 0) {
        carry = Buffer.alloc(0);
        continue;
      }
      buf = buf.subarray(nl + 1);
      skipping = false;
    }
    const lastNl = buf.lastIndexOf(0x0a);
    if (lastNl < 0) {
      carry = buf;
    } else {
      const whole = buf.subarray(0, lastNl);
      carry = buf.subarray(lastNl + 1);
      // Fast path: the block of whole lines is valid UTF-8 (the usual case) and decodes at once.
      let text: string | null = null;
      try {
        text = strict.decode(whole);
      } catch {
        text = null;
      }
      const batch: LineBatch = [];
      if (text !== null) {
        batch.terminatorFree = text.indexOf('\r') < 0 && text.indexOf('\u2028') < 0 && text.indexOf('\u2029') < 0;
        for (const line of text.split('\n')) {
          if (line.length > LOG_LIMITS.maxLineBytes) {
            stats.cutLines++;
            batch.push(line.slice(0, LOG_LIMITS.maxLineBytes));
          } else batch.push(line.endsWith('\r') ? line.slice(0, -1) : line);
        }
      } else {
        let start = 0;
        for (;;) {
          const nl = whole.indexOf(0x0a, start);
          if (nl < 0) {
            batch.push(emit(whole.subarray(start)));
            break;
          }
          batch.push(emit(whole.subarray(start, nl)));
          start = nl + 1;
        }
      }
      yield batch;
    }
    if (carry.length > LOG_LIMITS.maxLineBytes * 4) {
      // A line with no end in sight: emit what there is, cut, and drop the rest of it.
      yield [emit(carry)];
      carry = Buffer.alloc(0);
      skipping = true;
    }
  }
  if (carry.length) yield [emit(carry)];
}
