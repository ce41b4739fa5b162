// Buffer helpers shared by the format mutators, and the generic byte-level mutations that
// are mixed into every target: structure-aware mutators reach deep states, blind ones find
// what nobody thought to model.
import type { Mutation } from './mutation.js';
import type { Rng } from './rng.js';

/** 32-bit values that sit on the edges parsers get wrong: sizes, counts, sector ids. */
export const INTERESTING_32 = [
  0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7ffffff0, 0x7fffffff, 0x80000000, 0xfffffff0, 0xfffffffa, 0xfffffffc,
  0xfffffffd, 0xfffffffe, 0xffffffff,
] as const;
export const INTERESTING_16 = [0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xfffe, 0xffff] as const;
const INTERESTING_8 = [0, 1, 0x7f, 0x80, 0xff, 0x0a, 0x0d, 0x20, 0x3d, 0x3e, 0x2d] as const;

/** Replace `deleteCount` bytes at `start` with `insert` (like Array.prototype.splice). */
export function spliceBytes(buf: Buffer, start: number, deleteCount: number, insert: Buffer = Buffer.alloc(0)): Buffer {
  const s = Math.max(0, Math.min(start, buf.length));
  const e = Math.max(s, Math.min(s + deleteCount, buf.length));
  return Buffer.concat([buf.subarray(0, s), insert, buf.subarray(e)]);
}

/** A copy of `buf` with a little-endian unsigned value written at `offset` (ignored past the end). */
export function withUint(buf: Buffer, offset: number, bytes: 1 | 2 | 4 | 8, value: number | bigint): Buffer {
  if (offset < 0 || offset + bytes > buf.length) return Buffer.from(buf);
  const out = Buffer.from(buf);
  if (bytes === 1) out.writeUInt8(Number(value) & 0xff, offset);
  else if (bytes === 2) out.writeUInt16LE(Number(value) & 0xffff, offset);
  else if (bytes === 4) out.writeUInt32LE(Number(value) >>> 0, offset);
  else out.writeBigUInt64LE(BigInt.asUintN(64, BigInt(value)), offset);
  return out;
}

/** A random [start, end) range of `buf`, at most `maxLen` long. */
export function randomRange(buf: Buffer, rng: Rng, maxLen = buf.length): [number, number] {
  const start = rng.int(buf.length);
  const len = 1 + rng.int(Math.max(1, Math.min(maxLen, buf.length - start)));
  return [start, Math.min(buf.length, start + len)];
}

export const byteMutations: Mutation[] = [
  {
    name: 'bytes.flip',
    apply(input, rng) {
      if (input.length === 0) return null;
      const out = Buffer.from(input);
      for (let n = rng.range(1, 8); n > 0; n--) {
        const i = rng.int(out.length);
        out[i] = out[i]! ^ (1 << rng.int(8));
      }
      return out;
    },
  },
  {
    name: 'bytes.set-interesting',
    apply(input, rng) {
      if (input.length < 4) return null;
      const out = Buffer.from(input);
      for (let n = rng.range(1, 4); n > 0; n--) {
        const width = rng.pick([1, 2, 4] as const);
        const at = rng.int(out.length - width + 1);
        if (width === 1) out[at] = rng.pick(INTERESTING_8);
        else if (width === 2) out.writeUInt16LE(rng.pick(INTERESTING_16), at);
        else out.writeUInt32LE(rng.pick(INTERESTING_32), at);
      }
      return out;
    },
  },
  {
    name: 'bytes.insert',
    apply(input, rng) {
      const at = rng.int(input.length + 1);
      const chunk = rng.chance(0.5) ? rng.bytes(rng.range(1, 64)) : Buffer.alloc(rng.logSize(4096), rng.pick(INTERESTING_8));
      return spliceBytes(input, at, 0, chunk);
    },
  },
  {
    name: 'bytes.delete',
    apply(input, rng) {
      if (input.length < 2) return null;
      const [s, e] = randomRange(input, rng, Math.max(1, input.length >> 3));
      return spliceBytes(input, s, e - s);
    },
  },
  {
    name: 'bytes.duplicate',
    apply(input, rng) {
      if (input.length < 2) return null;
      const [s, e] = randomRange(input, rng, 4096);
      const copies = rng.logSize(64);
      return spliceBytes(input, rng.int(input.length + 1), 0, Buffer.concat(Array.from({ length: copies }, () => input.subarray(s, e))));
    },
  },
  {
    name: 'bytes.splice-seed',
    apply(input, rng, ctx) {
      if (ctx.seeds.length === 0 || input.length === 0) return null;
      const other = rng.pick(ctx.seeds);
      if (other.length === 0) return null;
      return Buffer.concat([input.subarray(0, rng.int(input.length)), other.subarray(rng.int(other.length))]);
    },
  },
  {
    name: 'bytes.truncate',
    apply(input, rng) {
      return input.length < 2 ? null : input.subarray(0, rng.int(input.length));
    },
  },
];
