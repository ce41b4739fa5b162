// Mail exports handed over gzip-compressed (journal.mbox.gz, message.eml.gz): read through a
// streaming gunzip, never unpacked to disk or held whole. Offsets in such an input are
// offsets in its decompressed bytes (what a sighting's byte offset points at after
// `gunzip -c`), and a resumed read decompresses from the start and skips to its offset:
// gzip has no index to seek with.
import { createReadStream } from 'node:fs';
import { createGunzip, gunzip } from 'node:zlib';

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** The decompressed bytes of `path` from `start`, as a stream of chunks (a cut file ends where its data does). */
export async function* gunzipChunks(path: string, start = 0): AsyncGenerator<Buffer> {
  const src = createReadStream(path);
  const z = src.pipe(createGunzip());
  let skip = start;
  try {
    for await (const chunk of z as AsyncIterable<Buffer>) {
      if (skip >= chunk.length) {
        skip -= chunk.length;
        continue;
      }
      yield skip > 0 ? chunk.subarray(skip) : chunk;
      skip = 0;
    }
  } catch {
    // A cut or corrupt stream: what was decompressed before the fault has been read; the
    // messages before it are kept, as a cut mbox keeps its complete messages.
  } finally {
    src.destroy();
    z.destroy();
  }
}

/** The first `n` decompressed bytes (fewer when the data ends or breaks first). */
export async function gunzipHead(path: string, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const c of gunzipChunks(path)) {
    parts.push(c);
    size += c.length;
    if (size >= n) break;
  }
  return Buffer.concat(parts).subarray(0, n);
}

/** A whole compressed message, refused past `maxBytes` decompressed (a gzip bomb stops there). */
export function gunzipWhole(data: Buffer, maxBytes: number): Promise<Buffer> {
  return new Promise((res, rej) => gunzip(data, { maxOutputLength: maxBytes }, (e, out) => (e ? rej(e) : res(out))));
}
