// Excel 4.0 macro formulas in BIFF5/8 macro sheets: each FORMULA record holds a parsed
// expression (Rgce, MS-XLS 2.5.198.103). Walking its tokens gives the functions called
// (EXEC, CALL, REGISTER …) and the string constants (commands, URLs, DLL names). Written
// here because no npm library exposes macro-sheet formulas; only the tokens needed to
// step over an expression are decoded, not the expression itself.

/** Ftab (MS-XLS 2.5.198.17) and Cetab (2.5.198.4) entries that matter for triage. */
const FTAB: Record<number, string> = {
  0x35: 'GOTO', 0x36: 'HALT', 0x37: 'RETURN', 0x58: 'SET.NAME', 0x6c: 'SET.VALUE', 0x6e: 'EXEC', 0x6f: 'CHAR',
  0x84: 'FOPEN', 0x85: 'FCLOSE', 0x89: 'FWRITELN', 0x8a: 'FWRITE', 0x95: 'REGISTER', 0x96: 'CALL', 0xaf: 'INITIATE',
  0xb2: 'EXECUTE', 0xb9: 'GET.CELL', 0xba: 'GET.WORKSPACE', 0xbc: 'GET.DOCUMENT', 0xec: 'CREATE.OBJECT', 0x101: 'EVALUATE',
  0x10b: 'REGISTER.ID', 0x10c: 'GET.WORKBOOK', 0x1: 'IF', 0x1f: 'MID', 0x73: 'LEFT', 0x74: 'RIGHT', 0x94: 'INDIRECT',
};
const CETAB: Record<number, string> = {
  0x06: 'FILE.DELETE', 0x11: 'RUN', 0x60: 'FORMULA', 0x61: 'FORMULA.FILL', 0x62: 'FORMULA.ARRAY', 0x76: 'ALERT',
  0x83: 'SEND.KEYS', 0x94: 'ON.TIME', 0x95: 'WAIT', 0x17f: 'WORKBOOK.HIDE', 0xbd: 'SEND.MAIL', 0x5d: 'HIDE',
};

export interface XlmFormulas {
  functions: string[];
  strings: string[];
  errors: string[];
}

/** Operand sizes after the token byte, for the fixed-size tokens (BIFF8). */
const FIXED: Record<number, number> = {
  0x01: 4, 0x02: 4, 0x1c: 1, 0x1d: 1, 0x1e: 2, 0x1f: 8, 0x20: 7, 0x23: 4, 0x24: 4, 0x25: 8, 0x26: 6, 0x27: 6, 0x28: 6, 0x29: 2,
  0x2a: 4, 0x2b: 8, 0x2c: 4, 0x2d: 8, 0x39: 6, 0x3a: 6, 0x3b: 10, 0x3c: 6, 0x3d: 10,
};

function walkRgce(rgce: Buffer, biff8: boolean, out: XlmFormulas): void {
  let p = 0;
  while (p < rgce.length) {
    const t = rgce[p++]!;
    if (t >= 0x03 && t <= 0x16) continue; // operators, parentheses, missing argument
    if (t === 0x17) {
      const cch = rgce[p] ?? 0;
      if (biff8) {
        const high = (rgce[p + 1] ?? 0) & 1;
        const bytes = rgce.subarray(p + 2, p + 2 + cch * (high ? 2 : 1));
        out.strings.push(high ? bytes.toString('utf16le') : bytes.toString('latin1'));
        p += 2 + cch * (high ? 2 : 1);
      } else {
        out.strings.push(rgce.subarray(p + 1, p + 1 + cch).toString('latin1'));
        p += 1 + cch;
      }
      continue;
    }
    if (t === 0x19) {
      // ptgAttr: a CHOOSE jump table has (count + 1) offsets after it.
      const flags = rgce[p] ?? 0;
      const arg = rgce.readUInt16LE(Math.min(p + 1, rgce.length - 2));
      p += 3;
      if (flags & 0x04) p += 2 * (arg + 1);
      continue;
    }
    // Operand tokens come in three classes (0x2X reference, 0x4X value, 0x6X array) of one layout.
    const kind = t >= 0x20 ? (t & 0x1f) | 0x20 : t;
    if (kind === 0x21) {
      const tab = rgce.readUInt16LE(p);
      out.functions.push(FTAB[tab] ?? `FTAB_${tab}`);
      p += 2;
      continue;
    }
    if (kind === 0x22) {
      const tab = rgce.readUInt16LE(p + 1);
      const cmd = (tab & 0x8000) !== 0;
      out.functions.push(cmd ? (CETAB[tab & 0x7fff] ?? `CETAB_${tab & 0x7fff}`) : (FTAB[tab] ?? `FTAB_${tab}`));
      p += 3;
      continue;
    }
    const size = FIXED[kind] ?? FIXED[t];
    if (size === undefined) {
      out.errors.push(`unknown formula token 0x${t.toString(16)}`);
      return;
    }
    p += size;
  }
}

/** Formulas of the macro sheets whose BOF offsets are given. */
export function readXlmFormulas(workbook: Buffer, sheetOffsets: number[], biff8: boolean): XlmFormulas {
  const out: XlmFormulas = { functions: [], strings: [], errors: [] };
  for (const start of sheetOffsets) {
    let pos = start;
    let first = true;
    let records = 0;
    while (pos + 4 <= workbook.length && records++ < 1_000_000) {
      const type = workbook.readUInt16LE(pos);
      const len = workbook.readUInt16LE(pos + 2);
      const data = workbook.subarray(pos + 4, pos + 4 + len);
      pos += 4 + len;
      if (first) {
        first = false;
        if (type !== 0x0809 && type !== 0x0409) {
          out.errors.push(`no BOF at macro sheet offset ${start}`);
          break;
        }
        continue;
      }
      if (type === 0x000a) break;
      if (type === 0x0006 && data.length >= 22) {
        const cce = data.readUInt16LE(20);
        try {
          walkRgce(data.subarray(22, 22 + cce), biff8, out);
        } catch (e) {
          out.errors.push(`formula at ${pos - 4 - len}: ${(e as Error).message}`);
        }
      }
    }
  }
  out.functions = [...new Set(out.functions)];
  return out;
}
