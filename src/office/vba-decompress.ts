// MS-OVBA 2.4.1 decompression, written here because no maintained npm package implements
// it. A CompressedContainer is a signature byte 0x01 then chunks; each chunk has a 2-byte
// header (size - 3 in bits 0–11, signature 0b011 in bits 12–14, compressed flag in bit 15)
// and decompresses to at most 4096 bytes. Copy tokens split their 16 bits between offset
// and length according to how far the output has got inside the current chunk.

export const VBA_DECOMPRESS_LIMITS = {
  /** Output above this is cut: the largest real VBA modules are a few hundred KB. */
  maxOutputBytes: 32 * 1024 * 1024,
};

export interface DecompressResult {
  data: Buffer;
  /** Set when the container is malformed; `data` then holds what was decoded before the fault. */
  error?: string;
}

const CHUNK = 4096;

/** Bits of a copy token that hold the offset, for a position `d` bytes into the chunk (2.4.1.3.19.1). */
export function copyTokenBitCount(d: number): number {
  let bits = 4;
  while (1 << bits < d) bits++;
  return Math.min(bits, 12);
}

export function decompressVba(input: Uint8Array, start = 0, limits = VBA_DECOMPRESS_LIMITS): DecompressResult {
  if (input[start] !== 0x01) {
    return { data: Buffer.alloc(0), error: `bad signature byte 0x${(input[start] ?? 0).toString(16)} at ${start}` };
  }
  let buf = Buffer.alloc(Math.min(limits.maxOutputBytes, Math.max(CHUNK, (input.length - start) * 4)));
  let outLen = 0;
  let pos = start + 1;
  /** Make room for `need` output bytes; false when that would pass the output limit. */
  const ensure = (need: number): boolean => {
    if (need > limits.maxOutputBytes) return false;
    if (need <= buf.length) return true;
    const bigger = Buffer.alloc(Math.min(limits.maxOutputBytes, Math.max(need, buf.length * 2)));
    buf.copy(bigger, 0, 0, outLen);
    buf = bigger;
    return true;
  };

  while (pos < input.length) {
    if (pos + 2 > input.length) return { data: buf.subarray(0, outLen), error: `truncated chunk header at ${pos}` };
    const header = input[pos]! | (input[pos + 1]! << 8);
    const size = (header & 0x0fff) + 3;
    const signature = (header >> 12) & 0x07;
    const compressed = (header & 0x8000) !== 0;
    if (signature !== 0b011) return { data: buf.subarray(0, outLen), error: `bad chunk signature ${signature} at ${pos}` };
    const chunkEnd = Math.min(pos + size, input.length);
    const chunkStart = outLen;
    pos += 2;
    if (!compressed) {
      // A raw chunk holds exactly 4096 bytes (2.4.1.3.3); take what is there if cut short.
      const n = Math.min(CHUNK, input.length - pos);
      if (!ensure(outLen + n)) return { data: buf.subarray(0, outLen), error: 'output limit reached' };
      buf.set(input.subarray(pos, pos + n), outLen);
      outLen += n;
      pos += n;
      continue;
    }
    while (pos < chunkEnd) {
      const flags = input[pos++]!;
      for (let bit = 0; bit < 8 && pos < chunkEnd; bit++) {
        if ((flags & (1 << bit)) === 0) {
          if (!ensure(outLen + 1)) return { data: buf.subarray(0, outLen), error: 'output limit reached' };
          buf[outLen++] = input[pos++]!;
          continue;
        }
        if (pos + 2 > chunkEnd) return { data: buf.subarray(0, outLen), error: `truncated copy token at ${pos}` };
        const token = input[pos]! | (input[pos + 1]! << 8);
        pos += 2;
        const bitCount = copyTokenBitCount(outLen - chunkStart);
        const lengthMask = 0xffff >> bitCount;
        const length = (token & lengthMask) + 3;
        const offset = (token >> (16 - bitCount)) + 1;
        if (offset > outLen - chunkStart) return { data: buf.subarray(0, outLen), error: `copy token reaches before its chunk at ${pos - 2}` };
        if (!ensure(outLen + length)) return { data: buf.subarray(0, outLen), error: 'output limit reached' };
        // Byte by byte: source and destination may overlap (runs).
        for (let k = 0; k < length; k++) {
          buf[outLen] = buf[outLen - offset]!;
          outLen++;
        }
      }
    }
  }
  return { data: buf.subarray(0, outLen) };
}
