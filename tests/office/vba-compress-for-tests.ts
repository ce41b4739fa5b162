// An MS-OVBA 2.4.1.3 compressor, for tests only: it lets property tests check that
// decompressVba inverts real compression. Greedy longest match, as the spec describes.
import { copyTokenBitCount } from '../../src/office/vba-decompress.js';

export function compressVba(input: Uint8Array): Buffer {
  const out: number[] = [0x01];
  for (let chunkStart = 0; chunkStart < input.length; chunkStart += 4096) {
    const end = Math.min(chunkStart + 4096, input.length);
    const body: number[] = [];
    let pos = chunkStart;
    while (pos < end) {
      const flagIndex = body.length;
      body.push(0);
      let flags = 0;
      for (let bit = 0; bit < 8 && pos < end; bit++) {
        const bitCount = copyTokenBitCount(pos - chunkStart);
        const maxLength = (0xffff >> bitCount) + 3;
        const maxOffset = 1 << bitCount;
        let bestLen = 0;
        let bestOff = 0;
        for (let cand = pos - 1; cand >= chunkStart && pos - cand <= maxOffset; cand--) {
          let len = 0;
          while (pos + len < end && len < maxLength && input[cand + len] === input[pos + len]) len++;
          if (len > bestLen) {
            bestLen = len;
            bestOff = pos - cand;
          }
        }
        if (bestLen >= 3) {
          const token = ((bestOff - 1) << (16 - bitCount)) | (bestLen - 3);
          body.push(token & 0xff, token >> 8);
          flags |= 1 << bit;
          pos += bestLen;
        } else {
          body.push(input[pos]!);
          pos++;
        }
      }
      body[flagIndex] = flags;
    }
    const header = 0x8000 | 0x3000 | (body.length + 2 - 3);
    out.push(header & 0xff, header >> 8, ...body);
  }
  return Buffer.from(out);
}
