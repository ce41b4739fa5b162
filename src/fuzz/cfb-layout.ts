// Where things are in a compound file (OLE/CFB, MS-CFB): the file offsets of the header
// fields, of every FAT, MiniFAT and DIFAT entry, and of every directory entry, so that the
// CFB mutators can rewrite exactly one pointer. This reader is the fuzzer's own and
// deliberately forgiving: it is only ever run on seeds and on mutants of seeds, and every
// walk is bounded so that an earlier mutation's loop cannot hang it.

export const ENDOFCHAIN = 0xfffffffe;
export const FREESECT = 0xffffffff;
export const FATSECT = 0xfffffffd;
export const DIFSECT = 0xfffffffc;
export const NOSTREAM = 0xffffffff;
const MAGIC = Buffer.from('d0cf11e0a1b11ae1', 'hex');

/** Header field offsets (MS-CFB 2.2). */
export const HDR = {
  minorVersion: 0x18,
  majorVersion: 0x1a,
  sectorShift: 0x1e,
  miniSectorShift: 0x20,
  numDirSectors: 0x28,
  numFatSectors: 0x2c,
  firstDirSector: 0x30,
  miniStreamCutoff: 0x38,
  firstMiniFatSector: 0x3c,
  numMiniFatSectors: 0x40,
  firstDifatSector: 0x44,
  numDifatSectors: 0x48,
  difat: 0x4c,
} as const;

/** Directory entry field offsets, relative to the entry (MS-CFB 2.6.1). */
export const DIR = { nameLength: 0x40, type: 0x42, color: 0x43, left: 0x44, right: 0x48, child: 0x4c, start: 0x74, size: 0x78 } as const;
export const DIR_ENTRY_BYTES = 128;

export interface DirEntry {
  index: number;
  offset: number;
  name: string;
  type: number;
  left: number;
  right: number;
  child: number;
  start: number;
  size: number;
  parent: number | null;
}

export interface CfbLayout {
  sectorSize: number;
  miniSectorSize: number;
  miniCutoff: number;
  /** File offset of FAT entry i (entries in FAT sectors that lie inside the file). */
  fatOffsets: number[];
  fat: number[];
  miniFatOffsets: number[];
  miniFat: number[];
  /** Offsets of the DIFAT entries in the header, and of the next-pointers of DIFAT sectors. */
  difatHeaderOffsets: number[];
  difatNextOffsets: number[];
  fatSectors: number[];
  dirSectors: number[];
  dir: DirEntry[];
}

const LIMIT = 1 << 20;

export const sectorOffset = (l: Pick<CfbLayout, 'sectorSize'>, sector: number): number => (sector + 1) * l.sectorSize;

/** Follow a chain through a table, stopping at a loop, an end marker or `LIMIT` steps. */
export function chain(table: readonly number[], start: number): number[] {
  const out: number[] = [];
  const seen = new Set<number>();
  for (let s = start; s < table.length && !seen.has(s) && out.length < LIMIT; s = table[s]!) {
    seen.add(s);
    out.push(s);
  }
  return out;
}

export function readCfbLayout(buf: Buffer): CfbLayout | null {
  if (buf.length < 512 || !buf.subarray(0, 8).equals(MAGIC)) return null;
  const shift = buf.readUInt16LE(HDR.sectorShift);
  const miniShift = buf.readUInt16LE(HDR.miniSectorShift);
  if ((shift !== 9 && shift !== 12) || miniShift !== 6) return null;
  const sectorSize = 1 << shift;
  const perSector = sectorSize / 4;
  const sectorsInFile = Math.floor(buf.length / sectorSize) - 1;
  const inFile = (s: number) => s < sectorsInFile;
  const u32 = (o: number) => (o + 4 <= buf.length ? buf.readUInt32LE(o) : FREESECT);

  // DIFAT: 109 entries in the header, then a chain of DIFAT sectors.
  const difatHeaderOffsets = Array.from({ length: 109 }, (_, i) => HDR.difat + i * 4);
  const fatSectors = difatHeaderOffsets.map(u32).filter((s) => s < 0xfffffffa && inFile(s));
  const difatNextOffsets: number[] = [];
  const seenDifat = new Set<number>();
  for (let d = u32(HDR.firstDifatSector); d < 0xfffffffa && inFile(d) && !seenDifat.has(d); ) {
    seenDifat.add(d);
    const base = sectorOffset({ sectorSize }, d);
    for (let i = 0; i < perSector - 1; i++) {
      const s = u32(base + i * 4);
      if (s < 0xfffffffa && inFile(s)) fatSectors.push(s);
    }
    difatNextOffsets.push(base + (perSector - 1) * 4);
    d = u32(base + (perSector - 1) * 4);
  }

  const fatOffsets: number[] = [];
  for (const s of fatSectors) for (let i = 0; i < perSector; i++) fatOffsets.push(sectorOffset({ sectorSize }, s) + i * 4);
  const fat = fatOffsets.map(u32);

  const dirSectors = chain(fat, u32(HDR.firstDirSector)).filter(inFile);
  const dir: DirEntry[] = [];
  for (const s of dirSectors) {
    for (let i = 0; i < sectorSize / DIR_ENTRY_BYTES; i++) {
      const offset = sectorOffset({ sectorSize }, s) + i * DIR_ENTRY_BYTES;
      if (offset + DIR_ENTRY_BYTES > buf.length) break;
      const nameLen = Math.min(64, buf.readUInt16LE(offset + DIR.nameLength));
      dir.push({
        index: dir.length,
        offset,
        name: buf.toString('utf16le', offset, offset + Math.max(0, nameLen - 2)),
        type: buf[offset + DIR.type]!,
        left: u32(offset + DIR.left),
        right: u32(offset + DIR.right),
        child: u32(offset + DIR.child),
        start: u32(offset + DIR.start),
        size: u32(offset + DIR.size),
        parent: null,
      });
    }
  }
  // Parents, by walking the red-black trees from the root (bounded: the tree may already loop).
  const seen = new Set<number>([0]);
  const walk = (node: number, parent: number) => {
    const stack = [node];
    while (stack.length > 0 && seen.size < LIMIT) {
      const n = stack.pop()!;
      const e = dir[n];
      if (!e || seen.has(n)) continue;
      seen.add(n);
      e.parent = parent;
      stack.push(e.left, e.right);
      if (e.type === 1) walk(e.child, n);
    }
  };
  if (dir[0]) walk(dir[0].child, 0);

  const miniFatOffsets: number[] = [];
  for (const s of chain(fat, u32(HDR.firstMiniFatSector)).filter(inFile)) {
    for (let i = 0; i < perSector; i++) miniFatOffsets.push(sectorOffset({ sectorSize }, s) + i * 4);
  }
  return {
    sectorSize,
    miniSectorSize: 1 << miniShift,
    miniCutoff: u32(HDR.miniStreamCutoff),
    fatOffsets,
    fat,
    miniFatOffsets,
    miniFat: miniFatOffsets.map(u32),
    difatHeaderOffsets,
    difatNextOffsets,
    fatSectors,
    dirSectors,
    dir,
  };
}

/** File ranges holding a stream's bytes, in order (through the mini stream for small streams). */
export function streamRanges(l: CfbLayout, e: DirEntry, fileLength: number): [number, number][] {
  const root = l.dir[0];
  if (e.type !== 2 || !root) return [];
  const out: [number, number][] = [];
  let left = e.size;
  if (e.size < l.miniCutoff) {
    const rootChain = chain(l.fat, root.start);
    for (const m of chain(l.miniFat, e.start)) {
      if (left <= 0) break;
      const byteInMini = m * l.miniSectorSize;
      const host = rootChain[Math.floor(byteInMini / l.sectorSize)];
      if (host === undefined) break;
      const start = sectorOffset(l, host) + (byteInMini % l.sectorSize);
      const len = Math.min(left, l.miniSectorSize);
      if (start + len <= fileLength) out.push([start, start + len]);
      left -= len;
    }
  } else {
    for (const s of chain(l.fat, e.start)) {
      if (left <= 0) break;
      const start = sectorOffset(l, s);
      const len = Math.min(left, l.sectorSize);
      if (start + len <= fileLength) out.push([start, start + len]);
      left -= len;
    }
  }
  return out;
}

/** The chains of the file that carry data or metadata, longest first: where a loop hurts most. */
export function chains(l: CfbLayout): { label: string; table: 'fat' | 'minifat'; sectors: number[] }[] {
  const out: { label: string; table: 'fat' | 'minifat'; sectors: number[] }[] = [];
  out.push({ label: 'directory', table: 'fat', sectors: l.dirSectors });
  for (const e of l.dir) {
    if (e.type === 5) out.push({ label: 'root mini stream', table: 'fat', sectors: chain(l.fat, e.start) });
    else if (e.type === 2) {
      const mini = e.size < l.miniCutoff;
      out.push({ label: `stream ${e.name}`, table: mini ? 'minifat' : 'fat', sectors: chain(mini ? l.miniFat : l.fat, e.start) });
    }
  }
  return out.filter((c) => c.sectors.length > 0).sort((a, b) => b.sectors.length - a.sectors.length);
}
