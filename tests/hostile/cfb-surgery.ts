// Test helper: find the structures of a small compound file (header DIFAT only, version 3)
// so a test can break one chain or one size the way a hostile file does.
export interface CfbMap {
  sectorSize: number;
  sectorOffset: (s: number) => number;
  /** Byte offset of FAT entry s. */
  fatEntry: (s: number) => number;
  /** Byte offset of MiniFAT entry s. */
  miniFatEntry: (s: number) => number;
  fat: (s: number) => number;
  entries: { index: number; offset: number; name: string; type: number; start: number; size: number }[];
}

export function mapCfb(b: Buffer): CfbMap {
  const sectorSize = 1 << b.readUInt16LE(30);
  const sectorOffset = (s: number) => sectorSize + s * sectorSize;
  const fatSectors = Array.from({ length: b.readUInt32LE(44) }, (_, i) => b.readUInt32LE(76 + i * 4));
  const per = sectorSize / 4;
  const fatEntry = (s: number) => sectorOffset(fatSectors[Math.floor(s / per)]!) + (s % per) * 4;
  const fat = (s: number) => b.readUInt32LE(fatEntry(s));
  const chain = (start: number) => {
    const out: number[] = [];
    for (let s = start; s < 0xfffffffc && out.length < 100_000; s = fat(s)) out.push(s);
    return out;
  };
  const dir = chain(b.readUInt32LE(48));
  const miniFat = chain(b.readUInt32LE(60));
  const miniFatEntry = (s: number) => sectorOffset(miniFat[Math.floor(s / per)]!) + (s % per) * 4;
  const entries: CfbMap['entries'] = [];
  for (let i = 0; i < dir.length * (sectorSize / 128); i++) {
    const o = sectorOffset(dir[Math.floor(i / (sectorSize / 128))]!) + (i % (sectorSize / 128)) * 128;
    const type = b[o + 66]!;
    if (type === 0) continue;
    const nameLen = b.readUInt16LE(o + 64);
    entries.push({ index: i, offset: o, name: b.toString('utf16le', o, o + Math.max(0, nameLen - 2)), type, start: b.readUInt32LE(o + 116), size: b.readUInt32LE(o + 120) });
  }
  return { sectorSize, sectorOffset, fatEntry, miniFatEntry, fat, entries };
}
