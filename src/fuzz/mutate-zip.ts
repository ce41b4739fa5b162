// Structure-aware ZIP container mutations: the fields archive readers trust (EOCD counts
// and offsets, central and local sizes, methods, name lengths, local offsets, ZIP64
// records and extra fields) set to values that disagree with the bytes, and deflate
// streams cut short. Used by the zip target and, weighted down, by the ooxml target.
import { INTERESTING_16, INTERESTING_32, withUint } from './bytes.js';
import type { Mutation, MutationContext } from './mutation.js';
import type { Rng } from './rng.js';
import { CEN, EOCD, LOC, SIG, readZipLayout, withCentral, type ZipLayout } from './zip-layout.js';

const METHODS = [0, 1, 6, 8, 9, 12, 14, 93, 95, 98, 99, 0xffff];
const HUGE_64 = [0xffffffffn, 0x100000000n, 0x7ffffff0n, 1n << 53n, (1n << 63n) - 1n, 0xffffffffffffffffn];

function zip(name: string, f: (buf: Buffer, l: ZipLayout, rng: Rng, ctx: MutationContext) => Buffer | null): Mutation {
  return {
    name,
    apply(input, rng, ctx) {
      const l = readZipLayout(input);
      return l ? f(input, l, rng, ctx) : null;
    },
  };
}

function pickIndex(l: ZipLayout, rng: Rng, want: (i: number) => boolean = () => true): number | null {
  const idx = l.central.map((_, i) => i).filter(want);
  return idx.length > 0 ? rng.pick(idx) : null;
}

/** A ZIP64 extra field (header id 1) with the given 64-bit values; `cut` drops its tail. */
function zip64Extra(values: bigint[], cut: number): Buffer {
  const b = Buffer.alloc(4 + values.length * 8);
  b.writeUInt16LE(1, 0);
  b.writeUInt16LE(values.length * 8, 2);
  values.forEach((v, i) => b.writeBigUInt64LE(v, 4 + i * 8));
  return cut > 0 ? b.subarray(0, Math.max(4, b.length - cut)) : b;
}

export const zipMutations: Mutation[] = [
  zip('zip.eocd-count', (buf, l, rng, ctx) => {
    const n = l.central.length;
    const field = rng.pick(['diskEntries', 'totalEntries', 'both'] as const);
    const value = rng.pick([0, 1, n - 1, n + 1, 0xffff, 0xfffe]);
    ctx.note(`EOCD ${field} = ${value}`);
    const set = (b: Buffer, f: 'diskEntries' | 'totalEntries') => withUint(b, l.eocd + EOCD[f], 2, value);
    return field === 'both' ? set(set(buf, 'diskEntries'), 'totalEntries') : set(buf, field);
  }),
  zip('zip.eocd-offset', (buf, l, rng, ctx) => {
    if (rng.chance(0.5)) {
      const others = l.locals.filter((x) => x !== null).map((x) => x.offset);
      const value = rng.pick([0, buf.length, l.eocd, l.cdOffset + 1, l.cdOffset - 1, 0xffffffff, ...others]);
      ctx.note(`EOCD cd offset = ${value}`);
      return withUint(buf, l.eocd + EOCD.cdOffset, 4, value);
    }
    const value = rng.pick([0, 1, l.cdSize + 1, l.cdSize * 2, 0x7ffffff0, 0xffffffff]);
    ctx.note(`EOCD cd size = ${value}`);
    return withUint(buf, l.eocd + EOCD.cdSize, 4, value);
  }),
  zip('zip.eocd-comment', (buf, l, rng, ctx) => {
    if (rng.chance(0.5)) {
      ctx.note('EOCD comment length past the end');
      return withUint(buf, l.eocd + EOCD.commentLength, 2, rng.pick([1, 22, 0xffff]));
    }
    // A second, lying EOCD inside the comment: which one does the reader believe?
    const fake = Buffer.from(buf.subarray(l.eocd, l.eocd + 22));
    fake.writeUInt32LE(rng.pick([0, 0xffffffff, Math.max(0, l.cdOffset - 46)]), EOCD.cdOffset);
    fake.writeUInt16LE(rng.pick([0, 0xffff]), EOCD.totalEntries);
    const head = Buffer.from(buf.subarray(0, l.eocd + 22));
    head.writeUInt16LE(22, l.eocd + EOCD.commentLength);
    ctx.note('second EOCD in the comment');
    return Buffer.concat([head, fake]);
  }),
  zip('zip.central-sizes', (buf, l, rng, ctx) => {
    const i = pickIndex(l, rng);
    if (i === null) return null;
    const c = l.central[i]!;
    const field = rng.pick(['csize', 'usize'] as const);
    const value = rng.pick([...INTERESTING_32, c.csize + 1, Math.max(0, c.csize - 1)]);
    ctx.note(`central ${c.name} ${field} = 0x${value.toString(16)}`);
    return withUint(buf, c.offset + CEN[field], 4, value);
  }),
  zip('zip.local-sizes', (buf, l, rng, ctx) => {
    const i = pickIndex(l, rng, (k) => l.locals[k] !== null);
    if (i === null) return null;
    const loc = l.locals[i]!;
    const field = rng.pick(['csize', 'usize'] as const);
    const value = rng.pick([...INTERESTING_32, loc.csize + 1]);
    ctx.note(`local ${l.central[i]!.name} ${field} = 0x${value.toString(16)}`);
    return withUint(buf, loc.offset + LOC[field], 4, value);
  }),
  zip('zip.method', (buf, l, rng, ctx) => {
    const i = pickIndex(l, rng);
    if (i === null) return null;
    const method = rng.pick(METHODS);
    const where = rng.pick(['central', 'local', 'both'] as const);
    ctx.note(`${where} method of ${l.central[i]!.name} = ${method}`);
    let out = buf;
    if (where !== 'local') out = withUint(out, l.central[i]!.offset + CEN.method, 2, method);
    const loc = l.locals[i];
    if (where !== 'central' && loc) out = withUint(out, loc.offset + LOC.method, 2, method);
    return out;
  }),
  zip('zip.name-length', (buf, l, rng, ctx) => {
    const i = pickIndex(l, rng);
    if (i === null) return null;
    const c = l.central[i]!;
    const value = rng.pick([...INTERESTING_16, c.name.length + 1]);
    if (rng.chance(0.5) && l.locals[i]) {
      const field = rng.pick(['nameLength', 'extraLength'] as const);
      ctx.note(`local ${c.name} ${field} = ${value}`);
      return withUint(buf, l.locals[i]!.offset + LOC[field], 2, value);
    }
    const field = rng.pick(['nameLength', 'extraLength', 'commentLength'] as const);
    ctx.note(`central ${c.name} ${field} = ${value}`);
    return withUint(buf, c.offset + CEN[field], 2, value);
  }),
  zip('zip.local-offset', (buf, l, rng, ctx) => {
    const i = pickIndex(l, rng);
    if (i === null) return null;
    const c = l.central[i]!;
    const value = rng.pick([c.offset, 0, buf.length, 0xffffffff, l.central[rng.int(l.central.length)]!.localOffset, c.localOffset + 1]);
    ctx.note(`central ${c.name} local offset = ${value}`);
    return withUint(buf, c.offset + CEN.localOffset, 4, value);
  }),
  zip('zip.flags', (buf, l, rng, ctx) => {
    const i = pickIndex(l, rng);
    if (i === null) return null;
    const flag = rng.pick([0x0001, 0x0008, 0x0040, 0x0800, 0x2000, 0xffff]);
    ctx.note(`flags of ${l.central[i]!.name} |= 0x${flag.toString(16)}`);
    let out = withUint(buf, l.central[i]!.offset + CEN.flags, 2, buf.readUInt16LE(l.central[i]!.offset + CEN.flags) | flag);
    const loc = l.locals[i];
    if (loc && rng.chance(0.5)) out = withUint(out, loc.offset + LOC.flags, 2, buf.readUInt16LE(loc.offset + LOC.flags) | flag);
    return out;
  }),
  zip('zip.zip64-extra', (buf, l, rng, ctx) => {
    const i = pickIndex(l, rng);
    if (i === null) return null;
    const records = l.central.map((c) => Buffer.from(buf.subarray(c.offset, c.offset + c.length)));
    const r = records[i]!;
    const nameLength = r.readUInt16LE(CEN.nameLength);
    // The extra-field length is 16 bits: a record whose extra field is already near full is left alone.
    if (r.readUInt16LE(CEN.extraLength) + 4 + 3 * 8 > 0xffff) return null;
    const values = Array.from({ length: rng.range(1, 3) }, () => rng.pick(HUGE_64));
    const extra = zip64Extra(values, rng.chance(0.3) ? rng.range(1, 8) : 0);
    // The 32-bit fields say "see ZIP64" so the reader must use the extra field.
    r.writeUInt32LE(0xffffffff, CEN.csize);
    r.writeUInt32LE(0xffffffff, CEN.usize);
    if (values.length === 3) r.writeUInt32LE(0xffffffff, CEN.localOffset);
    r.writeUInt16LE(r.readUInt16LE(CEN.extraLength) + extra.length, CEN.extraLength);
    records[i] = Buffer.concat([r.subarray(0, 46 + nameLength), extra, r.subarray(46 + nameLength)]);
    ctx.note(`ZIP64 extra on ${l.central[i]!.name}: ${values.map((v) => '0x' + v.toString(16)).join(', ')}${extra.length < 4 + values.length * 8 ? ' (cut short)' : ''}`);
    return withCentral(buf, l, records);
  }),
  zip('zip.zip64-eocd', (buf, l, rng, ctx) => {
    // A ZIP64 end record and locator before the EOCD, and an EOCD that defers to them.
    const rec = Buffer.alloc(56);
    rec.writeUInt32LE(SIG.eocd64, 0);
    rec.writeBigUInt64LE(44n, 4);
    rec.writeUInt16LE(45, 12);
    rec.writeUInt16LE(45, 14);
    rec.writeBigUInt64LE(rng.pick([BigInt(l.central.length), ...HUGE_64]), 24);
    rec.writeBigUInt64LE(rng.pick([BigInt(l.central.length), ...HUGE_64]), 32);
    rec.writeBigUInt64LE(rng.pick([BigInt(l.cdSize), ...HUGE_64]), 40);
    rec.writeBigUInt64LE(rng.pick([BigInt(l.cdOffset), ...HUGE_64]), 48);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(SIG.locator64, 0);
    const recOffset = l.eocd;
    loc.writeBigUInt64LE(rng.chance(0.8) ? BigInt(recOffset) : rng.pick(HUGE_64), 8);
    loc.writeUInt32LE(rng.pick([1, 0, 0xffffffff]), 16);
    const end = Buffer.from(buf.subarray(l.eocd, l.eocd + 22));
    end.writeUInt16LE(0xffff, EOCD.diskEntries);
    end.writeUInt16LE(0xffff, EOCD.totalEntries);
    end.writeUInt32LE(0xffffffff, EOCD.cdSize);
    end.writeUInt32LE(0xffffffff, EOCD.cdOffset);
    ctx.note('ZIP64 EOCD and locator inserted');
    return Buffer.concat([buf.subarray(0, l.eocd), rec, loc, end]);
  }),
  zip('zip.deflate-truncate', (buf, l, rng, ctx) => {
    const i = pickIndex(l, rng, (k) => l.locals[k] !== null && l.central[k]!.method === 8 && l.central[k]!.csize > 4);
    if (i === null) return null;
    const c = l.central[i]!;
    const loc = l.locals[i]!;
    const keep = rng.int(c.csize);
    if (rng.chance(0.5)) {
      // The sizes say the stream is shorter: the reader gets a deflate stream with no end.
      ctx.note(`deflate stream of ${c.name} cut to ${keep} of ${c.csize} (sizes)`);
      return withUint(withUint(buf, c.offset + CEN.csize, 4, keep), loc.offset + LOC.csize, 4, keep);
    }
    // The bytes after the cut are garbage (zeros or noise), sizes unchanged.
    const out = Buffer.from(buf);
    const end = Math.min(out.length, loc.dataOffset + c.csize);
    if (rng.chance(0.5)) out.fill(0, loc.dataOffset + keep, end);
    else for (let p = loc.dataOffset + keep; p < end; p++) out[p] = rng.int(256);
    ctx.note(`deflate stream of ${c.name} overwritten after byte ${keep} of ${c.csize}`);
    return out;
  }),
  zip('zip.duplicate-entry', (buf, l, rng, ctx) => {
    const i = pickIndex(l, rng);
    if (i === null) return null;
    const records = l.central.map((c) => buf.subarray(c.offset, c.offset + c.length));
    const copies = rng.pick([1, 2, 100, 5000]);
    records.splice(i, 0, ...Array.from({ length: copies }, () => records[i]!));
    ctx.note(`central record of ${l.central[i]!.name} repeated ${copies} times`);
    return withCentral(buf, l, records);
  }),
];
