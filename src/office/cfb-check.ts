// A structural check of an MS-CFB compound file before any library walks it. SheetJS cfb
// and @kenjiuno/msgreader follow the FAT, MiniFAT and DIFAT chains as the file states them:
// a chain that returns to an earlier sector loops forever, and a stream size taken from a
// directory entry becomes an allocation of that size (V8 aborts the whole process, in a
// worker thread too). Neither library can be told to stop, so every chain is walked here
// first, against the real file length, stopping at the first repeat; a file that fails is
// refused with the reason and never reaches them. MS-CFB 2.2–2.6 give the layout.

export class CfbStructureError extends Error {}

const FREESECT = 0xffffffff;
const ENDOFCHAIN = 0xfffffffe;
const FATSECT = 0xfffffffd;
const DIFSECT = 0xfffffffc;
const NOSTREAM = 0xffffffff;
const MAGIC = Buffer.from('d0cf11e0a1b11ae1', 'hex');

export interface CfbLayout {
  sectorSize: number;
  /** Sectors the file really holds after the header. */
  sectors: number;
  directoryEntries: number;
  /** Largest stream size a directory entry states (bytes), after the check. */
  largestStream: number;
}

/** Throws CfbStructureError when a chain loops, leaves the file, or is shorter than its stream. */
export function checkCompoundFile(b: Buffer): CfbLayout {
  if (b.length < 512 || !b.subarray(0, 8).equals(MAGIC)) throw new CfbStructureError('not a compound file');
  const major = b.readUInt16LE(26);
  const shift = b.readUInt16LE(30);
  const miniShift = b.readUInt16LE(32);
  if (!((major === 3 && shift === 9) || (major === 4 && shift === 12))) throw new CfbStructureError(`unsupported version ${major} with sector shift ${shift}`);
  if (miniShift !== 6) throw new CfbStructureError(`mini sector shift ${miniShift}, not 6`);
  const sectorSize = 1 << shift;
  // The header takes the first sector (512 bytes, or 4096 in version 4).
  const sectors = Math.max(0, Math.ceil((b.length - sectorSize) / sectorSize));
  const fatSectors = b.readUInt32LE(44);
  const firstDir = b.readUInt32LE(48);
  const miniCutoff = b.readUInt32LE(56);
  const firstMiniFat = b.readUInt32LE(60);
  const miniFatSectors = b.readUInt32LE(64);
  const firstDifat = b.readUInt32LE(68);
  const difatSectors = b.readUInt32LE(72);
  if (miniCutoff !== 4096) throw new CfbStructureError(`mini stream cutoff ${miniCutoff}, not 4096`);
  if (fatSectors > sectors) throw new CfbStructureError(`header claims ${fatSectors} FAT sectors in a file of ${sectors}`);
  if (difatSectors > sectors) throw new CfbStructureError(`header claims ${difatSectors} DIFAT sectors in a file of ${sectors}`);
  const offset = (s: number) => sectorSize + s * sectorSize;
  const inFile = (s: number) => s < sectors;
  const perSector = sectorSize / 4;

  // DIFAT: 109 entries in the header, then a chain of DIFAT sectors (last entry = next).
  const fatList: number[] = [];
  for (let i = 0; i < 109 && fatList.length < fatSectors; i++) fatList.push(b.readUInt32LE(76 + i * 4));
  let d = firstDifat;
  const seenDifat = new Set<number>();
  while (fatList.length < fatSectors) {
    if (d === ENDOFCHAIN || d === FREESECT) throw new CfbStructureError(`DIFAT chain ends after ${fatList.length} of ${fatSectors} FAT sectors`);
    if (!inFile(d)) throw new CfbStructureError(`DIFAT sector ${d} is outside the file`);
    if (seenDifat.has(d)) throw new CfbStructureError(`DIFAT chain loops at sector ${d}`);
    seenDifat.add(d);
    for (let i = 0; i < perSector - 1 && fatList.length < fatSectors; i++) fatList.push(readAt(b, offset(d) + i * 4));
    d = readAt(b, offset(d) + (perSector - 1) * 4);
  }
  const seenFatSector = new Set<number>();
  for (const s of fatList) {
    if (!inFile(s)) throw new CfbStructureError(`FAT sector ${s} is outside the file`);
    if (seenFatSector.has(s)) throw new CfbStructureError(`FAT sector ${s} is listed twice`);
    seenFatSector.add(s);
  }
  const fatEntries = fatList.length * perSector;
  const fat = (s: number) => (s < fatEntries ? readAt(b, offset(fatList[Math.floor(s / perSector)]!) + (s % perSector) * 4) : FREESECT);

  // Every sector walked counts against one budget: valid files never share sectors between
  // chains, so more than the file's sectors (with room for odd writers) means a trap.
  let budget = 4 * sectors + 64;
  const walk = (start: number, next: (s: number) => number, limit: number, what: string, inRange: (s: number) => boolean): number[] => {
    const chain: number[] = [];
    const seen = new Set<number>();
    let s = start;
    while (s !== ENDOFCHAIN) {
      if (s === FREESECT || s === FATSECT || s === DIFSECT) throw new CfbStructureError(`${what}: chain reaches a ${s === FREESECT ? 'free' : 'FAT/DIFAT'} sector after ${chain.length} sectors`);
      if (!inRange(s)) throw new CfbStructureError(`${what}: sector ${s} is outside the file`);
      if (seen.has(s)) throw new CfbStructureError(`${what}: chain loops back to sector ${s} after ${chain.length} sectors`);
      if (chain.length >= limit) throw new CfbStructureError(`${what}: chain longer than ${limit} sectors`);
      if (--budget < 0) throw new CfbStructureError(`${what}: the chains together are longer than the file`);
      seen.add(s);
      chain.push(s);
      s = next(s);
    }
    return chain;
  };

  const dirChain = walk(firstDir, fat, sectors, 'directory', inFile);
  const entriesPerSector = sectorSize / 128;
  const entries = dirChain.length * entriesPerSector;
  const entryAt = (i: number) => offset(dirChain[Math.floor(i / entriesPerSector)]!) + (i % entriesPerSector) * 128;
  const miniFatChain = firstMiniFat === ENDOFCHAIN || miniFatSectors === 0 ? [] : walk(firstMiniFat, fat, sectors, 'MiniFAT', inFile);
  const miniFatEntries = miniFatChain.length * perSector;
  const miniFat = (s: number) => (s < miniFatEntries ? readAt(b, offset(miniFatChain[Math.floor(s / perSector)]!) + (s % perSector) * 4) : FREESECT);

  const sizeOf = (e: number) => {
    const lo = readAt(b, e + 120);
    const hi = readAt(b, e + 124);
    // Version 3 files may leave garbage in the high half (MS-CFB 2.6.3).
    return major === 3 ? lo : hi * 2 ** 32 + lo;
  };
  const root = entryAt(0);
  if (b[root + 66] !== 5) throw new CfbStructureError('the first directory entry is not the root');
  const miniStreamSize = sizeOf(root);
  const miniStream = miniStreamSize > 0 ? walk(readAt(b, root + 116), fat, sectors, 'mini stream', inFile) : [];
  if (miniStream.length * sectorSize < miniStreamSize) throw new CfbStructureError(`mini stream of ${miniStreamSize} bytes held in ${miniStream.length} sectors`);
  const miniSectors = Math.ceil(miniStreamSize / 64);
  budget += 4 * miniSectors;
  let largest = miniStreamSize;

  // Directory tree: siblings and children stay within the entries and are met once.
  const visited = new Set<number>();
  const stack = [readAt(b, root + 76)];
  while (stack.length) {
    const i = stack.pop()!;
    if (i === NOSTREAM) continue;
    if (i >= entries) throw new CfbStructureError(`directory entry ${i} is outside the directory (${entries} entries)`);
    if (visited.has(i)) throw new CfbStructureError(`directory tree loops at entry ${i}`);
    visited.add(i);
    const e = entryAt(i);
    const type = b[e + 66];
    if (type === 2) {
      const size = sizeOf(e);
      const start = readAt(b, e + 116);
      if (size > b.length) throw new CfbStructureError(`stream entry ${i} states ${size} bytes in a file of ${b.length}`);
      if (size > 0) {
        if (size < miniCutoff) {
          const chain = walk(start, miniFat, miniSectors, `stream entry ${i} (mini)`, (s) => s < miniSectors);
          if (chain.length * 64 < size) throw new CfbStructureError(`stream entry ${i}: ${size} bytes held in ${chain.length} mini sectors`);
        } else {
          const chain = walk(start, fat, sectors, `stream entry ${i}`, inFile);
          if (chain.length * sectorSize < size) throw new CfbStructureError(`stream entry ${i}: ${size} bytes held in ${chain.length} sectors`);
        }
      }
      largest = Math.max(largest, size);
    }
    stack.push(readAt(b, e + 68), readAt(b, e + 72), readAt(b, e + 76));
    if (visited.size > entries) throw new CfbStructureError('directory tree larger than the directory');
  }
  return { sectorSize, sectors, directoryEntries: entries, largestStream: largest };
}

/** A 32-bit little-endian value; past the end of the file reads as free (the caller bounds offsets). */
function readAt(b: Buffer, off: number): number {
  return off + 4 <= b.length ? b.readUInt32LE(off) : FREESECT;
}
