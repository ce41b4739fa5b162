// A feed file as streamed text: gunzipped when compressed, decoded as UTF-8 or UTF-16 (a
// list pasted into Notepad and saved as "Unicode") chunk by chunk, so that no feed is ever
// held whole in memory. Line splitting for UTF-16 is here; UTF-8 files go through
// logs/line-reader.ts like every log.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

export type FeedEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** The encoding of a file from its first bytes: a BOM, or NULs in every other byte (UTF-16 without BOM). */
export function feedEncoding(head: Uint8Array): FeedEncoding {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (head.length >= 4 && head[0] !== 0 && head[1] === 0 && head[2] !== 0 && head[3] === 0) return 'utf-16le';
  if (head.length >= 4 && head[0] === 0 && head[1] !== 0 && head[2] === 0 && head[3] !== 0) return 'utf-16be';
  return 'utf-8';
}

/** The first `n` bytes of a file (fewer when it is shorter), after gunzip when it is gzip. */
export async function firstBytes(path: string, n: number): Promise<Buffer> {
  const raw = await readHead(path, n);
  if (raw[0] !== 0x1f || raw[1] !== 0x8b) return raw;
  const chunks: Buffer[] = [];
  let have = 0;
  const stream = createReadStream(path).pipe(createGunzip());
  try {
    for await (const c of stream as AsyncIterable<Buffer>) {
      chunks.push(c);
      have += c.length;
      if (have >= n) break;
    }
  } catch {
    // A damaged gzip member: whatever came out before the damage is the head.
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, n);
}

function readHead(path: string, n: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    createReadStream(path, { start: 0, end: n - 1 })
      .on('data', (c) => chunks.push(c as Buffer))
      .on('end', () => resolve(Buffer.concat(chunks)))
      .on('error', reject);
  });
}

/** The file's text in chunks of about `chunkBytes`, decoded; a BOM is dropped. */
export async function* textChunks(path: string, encoding: FeedEncoding, chunkBytes = 1024 * 1024): AsyncGenerator<string> {
  const head = await readHead(path, 2);
  let stream: Readable = createReadStream(path, { highWaterMark: chunkBytes });
  if (head[0] === 0x1f && head[1] === 0x8b) stream = stream.pipe(createGunzip());
  // 'utf-16be' needs Node's full ICU (the default build); fatal: false puts U+FFFD for bad bytes.
  const decoder = new TextDecoder(encoding);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** A line longer than this is cut (a feed row is a few hundred characters). */
const MAX_LINE_CHARS = 1024 * 1024;

/** Lines of streamed text in batches (one per chunk), CR LF or LF; the last line need not end. */
export async function* lineBatches(chunks: AsyncIterable<string>): AsyncGenerator<string[]> {
  let carry = '';
  for await (const chunk of chunks) {
    const text = carry + chunk;
    const last = text.lastIndexOf('\n');
    if (last < 0) {
      carry = text;
      // A "line" past any real row's length: handed over cut, so memory stays bounded.
      if (carry.length > MAX_LINE_CHARS) {
        yield [carry.slice(0, MAX_LINE_CHARS)];
        carry = '';
      }
      continue;
    }
    carry = text.slice(last + 1);
    yield text
      .slice(0, last)
      .split('\n')
      .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }
  if (carry !== '') yield [carry.endsWith('\r') ? carry.slice(0, -1) : carry];
}
