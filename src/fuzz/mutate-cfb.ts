// Structure-aware mutations of compound files (OLE/CFB: .doc/.xls/.ppt, and Outlook .msg):
// one pointer at a time, made to point at itself or backwards (the loops that hang or
// exhaust naive readers), sizes and counts set to values that make readers allocate, and
// truncation at sector boundaries. The .msg list adds MAPI property-stream mutations.
import { INTERESTING_32, byteMutations, withUint } from './bytes.js';
import {
  DIFSECT,
  DIR,
  ENDOFCHAIN,
  FATSECT,
  FREESECT,
  HDR,
  NOSTREAM,
  chains,
  readCfbLayout,
  sectorOffset,
  streamRanges,
  type CfbLayout,
  type DirEntry,
} from './cfb-layout.js';
import type { Mutation, MutationContext } from './mutation.js';
import type { Rng } from './rng.js';

const HUGE_SIZES = [0x7ffffff0, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff, 0x10000000, 0x1000001];
const SPECIAL_SECTORS = [ENDOFCHAIN, FREESECT, FATSECT, DIFSECT, 0xfffffffb, 0xfffffffa, 0x7ffffff0];

/** A mutation that needs the layout; null when the input is not a readable compound file. */
function cfb(name: string, f: (buf: Buffer, l: CfbLayout, rng: Rng, ctx: MutationContext) => Buffer | null): Mutation {
  return {
    name,
    apply(input, rng, ctx) {
      const l = readCfbLayout(input);
      return l ? f(input, l, rng, ctx) : null;
    },
  };
}

function tableOf(l: CfbLayout, t: 'fat' | 'minifat'): { values: number[]; offsets: number[] } {
  return t === 'fat' ? { values: l.fat, offsets: l.fatOffsets } : { values: l.miniFat, offsets: l.miniFatOffsets };
}

/** Rewrite the link out of chain position `pos` of a randomly chosen chain. */
function relink(buf: Buffer, l: CfbLayout, rng: Rng, ctx: MutationContext, table: 'fat' | 'minifat', target: (sectors: number[], pos: number) => number): Buffer | null {
  const candidates = chains(l).filter((c) => c.table === table);
  if (candidates.length === 0) return null;
  // Favour long chains (data streams): their loops are the ones a reader meets mid-read.
  const c = rng.chance(0.5) ? candidates[0]! : rng.pick(candidates);
  const pos = rng.int(c.sectors.length);
  const sector = c.sectors[pos]!;
  const { offsets } = tableOf(l, table);
  const at = offsets[sector];
  if (at === undefined) return null;
  const value = target(c.sectors, pos);
  ctx.note(`${table} entry ${sector} of ${c.label} -> ${value === sector ? 'itself' : value.toString(16)}`);
  return withUint(buf, at, 4, value);
}

function pickEntry(l: CfbLayout, rng: Rng, want: (e: DirEntry) => boolean): DirEntry | null {
  const es = l.dir.filter(want);
  return es.length > 0 ? rng.pick(es) : null;
}

/** Ancestors of an entry (parent, grand-parent … root), as far as the tree walk found them. */
function ancestors(l: CfbLayout, e: DirEntry): number[] {
  const out: number[] = [];
  for (let p = e.parent; p !== null && !out.includes(p) && out.length < 64; p = l.dir[p]?.parent ?? null) out.push(p);
  return out;
}

export const cfbMutations: Mutation[] = [
  cfb('cfb.fat-self-loop', (buf, l, rng, ctx) => relink(buf, l, rng, ctx, 'fat', (s, pos) => s[pos]!)),
  cfb('cfb.fat-back-edge', (buf, l, rng, ctx) => relink(buf, l, rng, ctx, 'fat', (s, pos) => s[rng.int(pos + 1)]!)),
  cfb('cfb.fat-cross', (buf, l, rng, ctx) =>
    relink(buf, l, rng, ctx, 'fat', () => rng.pick([...l.fatSectors, ...l.dirSectors, ...chains(l).map((c) => c.sectors[0]!)])),
  ),
  cfb('cfb.fat-special', (buf, l, rng, ctx) => relink(buf, l, rng, ctx, 'fat', () => rng.pick([...SPECIAL_SECTORS, l.fat.length, l.fat.length + 1]))),
  cfb('cfb.minifat-self-loop', (buf, l, rng, ctx) => relink(buf, l, rng, ctx, 'minifat', (s, pos) => s[pos]!)),
  cfb('cfb.minifat-back-edge', (buf, l, rng, ctx) => relink(buf, l, rng, ctx, 'minifat', (s, pos) => s[rng.int(pos + 1)]!)),
  cfb('cfb.minifat-special', (buf, l, rng, ctx) => relink(buf, l, rng, ctx, 'minifat', () => rng.pick([...SPECIAL_SECTORS, l.miniFat.length]))),
  cfb('cfb.difat', (buf, l, rng, ctx) => {
    const how = rng.int(4);
    if (how === 0 && l.fatSectors.length > 0) {
      // A FAT sector listed again (or a directory sector listed as FAT): the FAT describes itself.
      const slot = rng.int(Math.min(109, l.fatSectors.length + 1));
      const value = rng.pick([...l.fatSectors, ...l.dirSectors]);
      ctx.note(`header DIFAT[${slot}] = ${value}`);
      return withUint(buf, l.difatHeaderOffsets[slot]!, 4, value);
    }
    if (how === 1 && l.difatNextOffsets.length > 0) {
      const at = rng.pick(l.difatNextOffsets);
      const self = Math.floor(at / l.sectorSize) - 1;
      ctx.note('DIFAT sector next -> itself');
      return withUint(buf, at, 4, self);
    }
    if (how === 2) {
      // A DIFAT chain starting at a FAT sector, with a huge count.
      const first = l.fatSectors[0] ?? 0;
      ctx.note(`first DIFAT sector = ${first}`);
      return withUint(withUint(buf, HDR.firstDifatSector, 4, first), HDR.numDifatSectors, 4, rng.pick(HUGE_SIZES));
    }
    return withUint(buf, HDR.numDifatSectors, 4, rng.pick([1, 2, ...HUGE_SIZES]));
  }),
  cfb('cfb.dir-sibling-loop', (buf, l, rng, ctx) => {
    const e = pickEntry(l, rng, (x) => x.index > 0 && x.type !== 0);
    if (!e) return null;
    const up = ancestors(l, e);
    const target = rng.chance(0.4) || up.length === 0 ? e.index : rng.pick(up);
    const field = rng.pick(['left', 'right'] as const);
    ctx.note(`dir ${e.index} (${e.name}) ${field} -> ${target === e.index ? 'itself' : target}`);
    return withUint(buf, e.offset + DIR[field], 4, target);
  }),
  cfb('cfb.dir-child-loop', (buf, l, rng, ctx) => {
    const e = pickEntry(l, rng, (x) => x.type === 1 || x.type === 5);
    if (!e) return null;
    const up = ancestors(l, e);
    const target = rng.pick([e.index, 0, ...up]);
    ctx.note(`dir ${e.index} (${e.name}) child -> ${target}`);
    return withUint(buf, e.offset + DIR.child, 4, target);
  }),
  cfb('cfb.dir-index-wild', (buf, l, rng, ctx) => {
    const e = pickEntry(l, rng, (x) => x.type !== 0);
    if (!e) return null;
    const field = rng.pick(['left', 'right', 'child'] as const);
    const value = rng.pick([l.dir.length, l.dir.length + 1, 0x7ffffff0, NOSTREAM - 1, 0x10000]);
    ctx.note(`dir ${e.index} (${e.name}) ${field} = ${value}`);
    return withUint(buf, e.offset + DIR[field], 4, value);
  }),
  cfb('cfb.stream-size-huge', (buf, l, rng, ctx) => {
    const e = pickEntry(l, rng, (x) => x.type === 2 || x.type === 5);
    if (!e) return null;
    if (rng.chance(0.2)) {
      // Version 3 files must ignore the high dword; readers that do not see a 4 GB+ stream.
      ctx.note(`dir ${e.index} (${e.name}) size high dword = 1`);
      return withUint(buf, e.offset + DIR.size + 4, 4, 1);
    }
    const value = rng.pick([...HUGE_SIZES, l.miniCutoff - 1, l.miniCutoff, e.size + 1, e.size * 64]);
    ctx.note(`dir ${e.index} (${e.name}) size = 0x${(value >>> 0).toString(16)}`);
    return withUint(buf, e.offset + DIR.size, 4, value);
  }),
  cfb('cfb.stream-start-wild', (buf, l, rng, ctx) => {
    const e = pickEntry(l, rng, (x) => x.type === 2 || x.type === 5);
    if (!e) return null;
    const value = rng.pick([...SPECIAL_SECTORS, ...l.fatSectors, ...l.dirSectors, l.fat.length, 0]);
    ctx.note(`dir ${e.index} (${e.name}) start = 0x${value.toString(16)}`);
    return withUint(buf, e.offset + DIR.start, 4, value);
  }),
  cfb('cfb.dir-name-type', (buf, l, rng, ctx) => {
    const e = pickEntry(l, rng, (x) => x.type !== 0);
    if (!e) return null;
    if (rng.chance(0.5)) {
      const len = rng.pick([0, 1, 3, 65, 66, 128, 0xffff]);
      ctx.note(`dir ${e.index} (${e.name}) name length = ${len}`);
      return withUint(buf, e.offset + DIR.nameLength, 2, len);
    }
    const type = rng.pick([0, 1, 2, 3, 4, 5, 6, 0xff]);
    ctx.note(`dir ${e.index} (${e.name}) type = ${type}`);
    return withUint(buf, e.offset + DIR.type, 1, type);
  }),
  cfb('cfb.header-counts', (buf, l, rng, ctx) => {
    const field = rng.pick(['numFatSectors', 'numDirSectors', 'numMiniFatSectors', 'firstDirSector', 'firstMiniFatSector', 'miniStreamCutoff'] as const);
    const value = rng.pick([0, 1, l.fatSectors.length + 1, ...INTERESTING_32]);
    ctx.note(`header ${field} = 0x${value.toString(16)}`);
    return withUint(buf, HDR[field], 4, value);
  }),
  cfb('cfb.header-shift', (buf, l, rng, ctx) => {
    if (rng.chance(0.5)) {
      const v = rng.pick([0, 7, 8, 10, 12, 16, 31, 0xffff]);
      ctx.note(`sector shift = ${v}`);
      return withUint(buf, HDR.sectorShift, 2, v);
    }
    const v = rng.pick([0, 1, 5, 9, 12, 31]);
    ctx.note(`mini sector shift = ${v}`);
    return withUint(buf, HDR.miniSectorShift, 2, v);
  }),
  cfb('cfb.truncate', (buf, l, rng, ctx) => {
    const sectors = Math.floor(buf.length / l.sectorSize) - 1;
    if (sectors < 2) return null;
    const keep = rng.int(sectors);
    const at = sectorOffset(l, keep) + (rng.chance(0.3) ? rng.int(l.sectorSize) : 0);
    ctx.note(`cut at ${at} of ${buf.length}`);
    return buf.subarray(0, at);
  }),
  cfb('cfb.stream-bytes', (buf, l, rng, ctx) => {
    // A byte-level mutation confined to one stream's bytes (VBA dir, FIB, BIFF records…),
    // so the container stays valid and the stream's own parser gets the damage.
    const e = pickEntry(l, rng, (x) => x.type === 2 && x.size > 0);
    if (!e) return null;
    const ranges = streamRanges(l, e, buf.length);
    if (ranges.length === 0) return null;
    const data = Buffer.concat(ranges.map(([a, b]) => buf.subarray(a, b)));
    const m = rng.pick(byteMutations.filter((x) => x.name === 'bytes.flip' || x.name === 'bytes.set-interesting'));
    const mutated = m.apply(data, rng, ctx);
    if (!mutated) return null;
    ctx.note(`${m.name} inside stream ${e.name}`);
    const out = Buffer.from(buf);
    let pos = 0;
    for (const [a, b] of ranges) {
      mutated.copy(out, a, pos, pos + (b - a));
      pos += b - a;
    }
    return out;
  }),
];

/** Variable-length MAPI property types, whose 16-byte entry carries a size (MS-OXMSG 2.4.2.2). */
const VARIABLE_TYPES = new Set([0x001e, 0x001f, 0x0102, 0x000d, 0x0048]);

/**
 * Header bytes before the property entries of a __properties_version1.0 stream: 32 for the
 * top-level message, 24 for an embedded message, 8 for recipients and attachments.
 */
function propertyHeader(l: CfbLayout, e: DirEntry): number {
  if (e.parent === 0) return 32;
  const p = e.parent === null ? undefined : l.dir[e.parent];
  return p && /^__substg1\.0_3701000D/i.test(p.name) ? 24 : 8;
}

export const msgMutations: Mutation[] = [
  ...cfbMutations,
  cfb('msg.property-size', (buf, l, rng, ctx) => {
    const e = pickEntry(l, rng, (x) => x.type === 2 && x.name === '__properties_version1.0');
    if (!e) return null;
    const ranges = streamRanges(l, e, buf.length);
    const data = Buffer.concat(ranges.map(([a, b]) => buf.subarray(a, b)));
    const head = propertyHeader(l, e);
    const entries: number[] = [];
    for (let o = head; o + 16 <= data.length; o += 16) if (VARIABLE_TYPES.has(data.readUInt16LE(o))) entries.push(o);
    if (entries.length === 0) return null;
    const o = rng.pick(entries);
    const value = rng.pick([...HUGE_SIZES, 0, 1]);
    ctx.note(`property 0x${data.readUInt32LE(o).toString(16)} size = 0x${value.toString(16)}`);
    data.writeUInt32LE(value, o + 8);
    const out = Buffer.from(buf);
    let pos = 0;
    for (const [a, b] of ranges) {
      data.copy(out, a, pos, pos + (b - a));
      pos += b - a;
    }
    return out;
  }),
  cfb('msg.substg-size', (buf, l, rng, ctx) => {
    // The value streams themselves: a body, a header block, an attachment's data.
    const e = pickEntry(l, rng, (x) => x.type === 2 && x.name.startsWith('__substg1.0_'));
    if (!e) return null;
    const value = rng.pick(HUGE_SIZES);
    ctx.note(`${e.name} size = 0x${value.toString(16)}`);
    return withUint(buf, e.offset + DIR.size, 4, value);
  }),
  cfb('msg.storage-drop', (buf, l, rng, ctx) => {
    // A recipient or attachment storage emptied: the property says it exists, the tree does not.
    const e = pickEntry(l, rng, (x) => x.type === 1 && /^__(recip|attach)_version1\.0_/.test(x.name));
    if (!e) return null;
    ctx.note(`${e.name} child = none`);
    return withUint(buf, e.offset + DIR.child, 4, NOSTREAM);
  }),
];
