// BIFF records of the Excel Workbook stream (MS-XLS 2.1.4), for what matters in mail:
// macro sheets (BOUNDSHEET dt=1) with their visibility, the Auto_Open defined name, DDE
// links (SUPBOOK/EXTERNNAME: =cmd|' /c calc.exe'!A0 runs a program when the link updates),
// and FILEPASS (the workbook is encrypted). Written here because no npm library reports
// macro sheets or hidden states; SheetJS reads cells, not this.

export const BIFF_LIMITS = {
  /** Records read per stream: a real workbook globals substream has a few thousand. */
  maxRecords: 2_000_000,
};

export interface SheetInfo {
  name: string;
  /** 'worksheet', 'macro' (Excel 4.0 macro sheet), 'chart', 'vba-module', or 'other'. */
  type: 'worksheet' | 'macro' | 'chart' | 'vba-module' | 'other';
  visibility: 'visible' | 'hidden' | 'very hidden';
  /** Offset of the sheet's BOF record in the Workbook stream (BOUNDSHEET lbPlyPos). */
  offset?: number;
}

export interface BiffInfo {
  biffVersion: 5 | 8 | null;
  sheets: SheetInfo[];
  /** Names that run on open: the built-in Auto_Open (code 0x01) or a name spelled Auto_Open…. */
  autoOpenNames: string[];
  encrypted: boolean;
  /** FILEPASS encryption kind: 'xor', 'rc4', 'rc4-cryptoapi'. */
  encryption: string | null;
  /** DDE links as a formula writes them: app|'topic'!item. */
  ddeLinks: string[];
  errors: string[];
}

const SHEET_TYPES: Record<number, SheetInfo['type']> = { 0: 'worksheet', 1: 'macro', 2: 'chart', 6: 'vba-module' };
const VISIBILITY: SheetInfo['visibility'][] = ['visible', 'hidden', 'very hidden'];
const BUILTIN_NAMES: Record<number, string> = { 0x01: 'Auto_Open', 0x02: 'Auto_Close' };

function readShortString(data: Buffer, at: number, biff8: boolean): string {
  const cch = data[at] ?? 0;
  if (!biff8) return data.subarray(at + 1, at + 1 + cch).toString('latin1');
  const high = (data[at + 1] ?? 0) & 0x01;
  const start = at + 2;
  return high ? data.subarray(start, start + cch * 2).toString('utf16le') : data.subarray(start, start + cch).toString('latin1');
}

/** Read the globals substream of a Workbook (BIFF8) or Book (BIFF5) stream. */
export function readBiffGlobals(stream: Buffer): BiffInfo {
  const info: BiffInfo = { biffVersion: null, sheets: [], autoOpenNames: [], encrypted: false, encryption: null, ddeLinks: [], errors: [] };
  /** The DDE application and topic of the SUPBOOK the next EXTERNNAME records belong to. */
  let dde: { app: string; topic: string; items: number } | null = null;
  let pos = 0;
  let records = 0;
  while (pos + 4 <= stream.length) {
    const type = stream.readUInt16LE(pos);
    const len = stream.readUInt16LE(pos + 2);
    const data = stream.subarray(pos + 4, pos + 4 + len);
    if (pos + 4 + len > stream.length) {
      info.errors.push(`record 0x${type.toString(16)} at ${pos} runs past the end of the stream`);
      break;
    }
    pos += 4 + len;
    if (++records > BIFF_LIMITS.maxRecords) {
      info.errors.push(`more than ${BIFF_LIMITS.maxRecords} records`);
      break;
    }
    if (records === 1) {
      if (type !== 0x0809 && type !== 0x0409 && type !== 0x0209 && type !== 0x0009) {
        info.errors.push('stream does not start with a BOF record');
        break;
      }
      const vers = data.length >= 2 ? data.readUInt16LE(0) : 0;
      info.biffVersion = vers === 0x0600 ? 8 : vers === 0x0500 ? 5 : null;
      continue;
    }
    const biff8 = info.biffVersion === 8;
    switch (type) {
      case 0x002f: {
        // FILEPASS: wEncryptionType 0 = XOR obfuscation, 1 = RC4 (then 1 = RC4, 2/3 = CryptoAPI).
        info.encrypted = true;
        const kind = data.length >= 2 ? data.readUInt16LE(0) : 0;
        const major = data.length >= 4 ? data.readUInt16LE(2) : 0;
        info.encryption = kind === 0 ? 'xor' : major === 1 ? 'rc4' : 'rc4-cryptoapi';
        // Records after FILEPASS are encrypted; nothing more can be read without the key.
        return info;
      }
      case 0x0085: {
        if (data.length < 7) break;
        const hs = data[4]! & 0x03;
        const dt = data[5]!;
        info.sheets.push({ name: readShortString(data, 6, biff8), type: SHEET_TYPES[dt] ?? 'other', visibility: VISIBILITY[hs] ?? 'very hidden', offset: data.readUInt32LE(0) });
        break;
      }
      case 0x0018: {
        if (data.length < 15) break;
        const flags = data.readUInt16LE(0);
        const cch = data[3]!;
        const builtin = (flags & 0x0020) !== 0;
        let name: string;
        if (biff8) {
          const high = data[14]! & 0x01;
          const raw = high ? data.subarray(15, 15 + cch * 2) : data.subarray(15, 15 + cch);
          name = high ? raw.toString('utf16le') : raw.toString('latin1');
          if (builtin) name = BUILTIN_NAMES[(high ? raw.readUInt16LE(0) : raw[0]) ?? 0] ?? name;
        } else {
          const raw = data.subarray(14, 14 + cch);
          name = builtin ? BUILTIN_NAMES[raw[0] ?? 0] ?? raw.toString('latin1') : raw.toString('latin1');
        }
        if (/^auto_open/i.test(name)) info.autoOpenNames.push(name);
        break;
      }
      case 0x01ae: {
        // SUPBOOK (MS-XLS 2.4.271): ctab, cch, then virtPath. A DDE source is "app\x03topic"
        // (cch 0x0401 and 0x3A01 mark this workbook and add-ins, which have no path).
        dde = null;
        if (!biff8 || data.length < 5) break;
        const cch = data.readUInt16LE(2);
        if (cch === 0x0401 || cch === 0x3a01) break;
        const high = data[4]! & 0x01;
        const path = high ? data.subarray(5, 5 + cch * 2).toString('utf16le') : data.subarray(5, 5 + cch).toString('latin1');
        const sep = path.indexOf('\x03');
        if (sep > 0) {
          dde = { app: path.slice(0, sep), topic: path.slice(sep + 1), items: 0 };
          info.ddeLinks.push(`${dde.app}|'${dde.topic}'`);
        }
        break;
      }
      case 0x0023: {
        // EXTERNNAME of a DDE SUPBOOK (ExternDdeLinkNoOper): flags, 4 unused bytes, the item name.
        if (!dde || data.length < 8) break;
        const item = readShortString(data, 6, biff8);
        const link = `${dde.app}|'${dde.topic}'!${item}`;
        if (dde.items++ === 0) info.ddeLinks[info.ddeLinks.length - 1] = link;
        else info.ddeLinks.push(link);
        break;
      }
      case 0x000a:
        // EOF of the globals substream: the sheets follow.
        return info;
      default:
        break;
    }
  }
  return info;
}
