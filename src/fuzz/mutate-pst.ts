// Structure-aware mutators for Outlook PST files (MS-PST, Unicode format): the header's
// root pointers and the 512-byte B-tree pages, whose entries point at other pages and blocks
// by file offset (IB) and block id (BID). Pointing them at themselves, at each other, past
// the end, or giving entry counts and levels that lie is what makes a reader loop or
// allocate from a length field.
import type { Rng } from './rng.js';
import type { Mutation } from './mutation.js';

const PAGE = 512;
/** Unicode header: ROOT at 0xB4; BREF of the node B-tree at 0xD8+? (NBT ib at 0xE0), block B-tree ib at 0xF0. */
const ROOT_NBT_IB = 0xe0;
const ROOT_BBT_IB = 0xf0;
/** Page trailer of a Unicode page: ptype at 496, cEnt at 488, cEntMax 489, cbEnt 490, cLevel 491. */
const C_ENT = 488;
const C_LEVEL = 491;
const P_TYPE = 496;

function isUnicodePst(b: Buffer): boolean {
  return b.length >= 0x200 && b.toString('latin1', 0, 4) === '!BDN' && b.readUInt16LE(10) >= 23;
}

/** Offsets of the B-tree pages (ptype 0x80 block B-tree, 0x81 node B-tree). */
function btreePages(b: Buffer): number[] {
  const out: number[] = [];
  for (let at = 0x4400; at + PAGE <= b.length; at += PAGE) if (b[at + P_TYPE] === 0x80 || b[at + P_TYPE] === 0x81) out.push(at);
  return out;
}

function withPage(input: Buffer, rng: Rng, f: (out: Buffer, page: number, note: string) => string | null): Buffer | null {
  if (!isUnicodePst(input)) return null;
  const pages = btreePages(input);
  if (pages.length === 0) return null;
  const out = Buffer.from(input);
  return f(out, rng.pick(pages), '') === null ? null : out;
}

export const pstMutations: Mutation[] = [
  {
    name: 'pst.root-pointer',
    apply(input, rng, ctx) {
      if (!isUnicodePst(input)) return null;
      const out = Buffer.from(input);
      const at = rng.pick([ROOT_NBT_IB, ROOT_BBT_IB]);
      const pages = btreePages(input);
      const target = rng.pick([0, at, out.length + 4096, ...(pages.length ? [rng.pick(pages)] : []), 0xffffffff]);
      out.writeBigUInt64LE(BigInt(target), at);
      ctx.note(`root ${at === ROOT_NBT_IB ? 'node' : 'block'} B-tree -> ${target}`);
      return out;
    },
  },
  {
    name: 'pst.page-entry-loop',
    apply(input, rng, ctx) {
      return withPage(input, rng, (out, page) => {
        // An intermediate entry (BTENTRY: key 8, BREF bid 8, ib 8) pointing back at its own page.
        if (out[page + C_LEVEL] === 0) return null;
        const n = Math.min(out[page + C_ENT] ?? 0, 20);
        if (n === 0) return null;
        const e = rng.range(0, n - 1);
        out.writeBigUInt64LE(BigInt(page), page + e * 24 + 16);
        ctx.note(`page at ${page}: entry ${e} -> its own page`);
        return '';
      });
    },
  },
  {
    name: 'pst.page-counts',
    apply(input, rng, ctx) {
      return withPage(input, rng, (out, page) => {
        const field = rng.pick([C_ENT, C_ENT + 1, C_ENT + 2, C_LEVEL]);
        const v = rng.pick([0, 1, 0x7f, 0xff]);
        out[page + field] = v;
        ctx.note(`page at ${page}: trailer byte ${field - C_ENT} -> ${v}`);
        return '';
      });
    },
  },
  {
    name: 'pst.block-size',
    apply(input, rng, ctx) {
      return withPage(input, rng, (out, page) => {
        // A leaf of the block B-tree (BBTENTRY: BREF 16, cb 2, cRef 2, …): a block size that lies.
        if (out[page + P_TYPE] !== 0x80 || out[page + C_LEVEL] !== 0) return null;
        const n = Math.min(out[page + C_ENT] ?? 0, 20);
        if (n === 0) return null;
        const e = rng.range(0, n - 1);
        const v = rng.pick([0, 1, 0xffff, 8176, 8177]);
        out.writeUInt16LE(v, page + e * 24 + 16);
        ctx.note(`block entry ${e} in page at ${page}: cb -> ${v}`);
        return '';
      });
    },
  },
];
