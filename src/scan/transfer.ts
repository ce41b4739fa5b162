// Byte arrays between the scan's threads. A Buffer is often a view into a larger
// ArrayBuffer (a read chunk, node's 8 KB pool), and the structured clone copies or moves the
// whole ArrayBuffer behind a view. So:
// - the small messages of a parse task are packed into one exactly-sized ArrayBuffer, moved
//   to the worker without a copy, and cut into views there (pack/unpack);
// - a large message, and every attachment a worker returns, travels in an ArrayBuffer of its
//   own (owned): moved, never copied, from the thread that made it to the thread that reads
//   it. A copy of every attachment on its way back and another on its way to analysis held
//   three copies of a large mail at once, which is what took the process over its 400 MB.
import { Piscina } from 'piscina';

export interface Packed {
  bytes: Uint8Array;
  /** End offset of each array in `bytes`; array i spans ends[i-1] (or 0) to ends[i]. */
  ends: number[];
}

export function pack(parts: readonly Uint8Array[]): Packed {
  let total = 0;
  for (const p of parts) total += p.length;
  const bytes = new Uint8Array(new ArrayBuffer(total));
  const ends: number[] = [];
  let pos = 0;
  for (const p of parts) {
    bytes.set(p, pos);
    pos += p.length;
    ends.push(pos);
  }
  return { bytes, ends };
}

/** The arrays of a packed block as Buffers sharing its memory. */
export function unpack(p: Packed): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (const end of p.ends) {
    out.push(Buffer.from(p.bytes.buffer, p.bytes.byteOffset + start, end - start));
    start = end;
  }
  return out;
}

/** True when `b` spans the whole of its ArrayBuffer, so moving the ArrayBuffer moves exactly `b`. */
export function ownsItsBuffer(b: Uint8Array): boolean {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer;
}

/** `b` in an ArrayBuffer of its own: itself when it has one already, else a copy. */
export function owned(b: Uint8Array): Buffer {
  if (ownsItsBuffer(b)) return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, 0, b.byteLength);
  const copy = Buffer.from(new ArrayBuffer(b.byteLength));
  copy.set(b);
  return copy;
}

/**
 * `b` as it can be moved: itself when it fills its ArrayBuffer but for a little (a message
 * cut from the reader's own copy of it: the mbox separator line, a trailing blank line), else
 * a copy. Only for bytes the caller hands over: the whole block moves, and every other view
 * into it is emptied.
 */
export function handedOver(b: Uint8Array): Uint8Array {
  const slack = b.buffer.byteLength - b.byteLength;
  return b.buffer instanceof ArrayBuffer && slack <= 64 * 1024 ? b : owned(b);
}

/**
 * A worker's result whose ArrayBuffers are moved to the main thread instead of copied
 * (piscina's movable protocol: transferableSymbol lists what moves, valueSymbol is the result).
 */
export function movable<T extends object>(value: T, buffers: ArrayBuffer[]): T {
  const wrapper = {
    get [Piscina.transferableSymbol]() {
      return buffers;
    },
    get [Piscina.valueSymbol]() {
      return value;
    },
  };
  return Piscina.move(wrapper as unknown as Parameters<typeof Piscina.move>[0]) as unknown as T;
}
