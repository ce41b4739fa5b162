// Byte arrays between the scan's threads. A Buffer is often a view into a larger
// ArrayBuffer (a read chunk, node's 8 KB pool), and the structured clone copies or moves the
// whole ArrayBuffer behind a view: so the bytes of a task are packed into one exactly-sized
// ArrayBuffer, moved to the worker without a copy, and cut into views there.

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
