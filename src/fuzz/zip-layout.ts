// Where things are in a ZIP (APPNOTE 4.3): the end-of-central-directory record, the
// central directory records and the local headers they point at, as file offsets, so that
// the ZIP mutators can rewrite one field. The fuzzer's own forgiving reader: bounded, and
// it returns what it found rather than failing on the first inconsistency.

export const SIG = { local: 0x04034b50, central: 0x02014b50, eocd: 0x06054b50, eocd64: 0x06064b50, locator64: 0x07064b50 } as const;

/** EOCD field offsets, relative to the record. */
export const EOCD = { diskEntries: 8, totalEntries: 10, cdSize: 12, cdOffset: 16, commentLength: 20 } as const;
/** Central directory record field offsets. */
export const CEN = { flags: 8, method: 10, crc: 16, csize: 20, usize: 24, nameLength: 28, extraLength: 30, commentLength: 32, localOffset: 42, name: 46 } as const;
/** Local header field offsets. */
export const LOC = { flags: 6, method: 8, crc: 14, csize: 18, usize: 22, nameLength: 26, extraLength: 28, name: 30 } as const;

export interface CentralRecord {
  offset: number;
  length: number;
  name: string;
  method: number;
  csize: number;
  localOffset: number;
}

export interface LocalHeader {
  offset: number;
  dataOffset: number;
  csize: number;
  method: number;
}

export interface ZipLayout {
  eocd: number;
  cdOffset: number;
  cdSize: number;
  central: CentralRecord[];
  /** Local headers of the central records, where one was found at the stated offset. */
  locals: (LocalHeader | null)[];
  locator64: number | null;
}

const MAX_RECORDS = 100_000;

export function readZipLayout(buf: Buffer): ZipLayout | null {
  if (buf.length < 22) return null;
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === SIG.eocd) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const cdSize = buf.readUInt32LE(eocd + EOCD.cdSize);
  const cdOffset = buf.readUInt32LE(eocd + EOCD.cdOffset);
  const central: CentralRecord[] = [];
  for (let o = cdOffset; o + 46 <= buf.length && buf.readUInt32LE(o) === SIG.central && central.length < MAX_RECORDS; ) {
    const nameLength = buf.readUInt16LE(o + CEN.nameLength);
    const length = 46 + nameLength + buf.readUInt16LE(o + CEN.extraLength) + buf.readUInt16LE(o + CEN.commentLength);
    central.push({
      offset: o,
      length,
      name: buf.toString('latin1', o + 46, Math.min(buf.length, o + 46 + nameLength)),
      method: buf.readUInt16LE(o + CEN.method),
      csize: buf.readUInt32LE(o + CEN.csize),
      localOffset: buf.readUInt32LE(o + CEN.localOffset),
    });
    o += length;
  }
  const locals = central.map((c): LocalHeader | null => {
    const o = c.localOffset;
    if (o + 30 > buf.length || buf.readUInt32LE(o) !== SIG.local) return null;
    const dataOffset = o + 30 + buf.readUInt16LE(o + LOC.nameLength) + buf.readUInt16LE(o + LOC.extraLength);
    return { offset: o, dataOffset, csize: buf.readUInt32LE(o + LOC.csize), method: buf.readUInt16LE(o + LOC.method) };
  });
  const loc = eocd - 20;
  return { eocd, cdOffset, cdSize, central, locals, locator64: loc >= 0 && buf.readUInt32LE(loc) === SIG.locator64 ? loc : null };
}

/**
 * The archive with its central directory replaced by `records` (raw central records),
 * written after the data, with an EOCD whose counts, size and offset describe them.
 */
export function withCentral(buf: Buffer, l: ZipLayout, records: Buffer[]): Buffer {
  const dataEnd = Math.min(l.cdOffset, l.eocd, buf.length);
  const cd = Buffer.concat(records);
  const end = Buffer.from(buf.subarray(l.eocd, Math.min(buf.length, l.eocd + 22)));
  if (end.length < 22) return buf;
  const n = Math.min(records.length, 0xffff);
  end.writeUInt16LE(n, EOCD.diskEntries);
  end.writeUInt16LE(n, EOCD.totalEntries);
  end.writeUInt32LE(cd.length, EOCD.cdSize);
  end.writeUInt32LE(dataEnd, EOCD.cdOffset);
  end.writeUInt16LE(0, EOCD.commentLength);
  return Buffer.concat([buf.subarray(0, dataEnd), cd, end]);
}
