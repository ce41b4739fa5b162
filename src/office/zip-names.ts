// The character set of ZIP member names. APPNOTE 4.4.4 allows two: IBM code page 437, or
// UTF-8 when general purpose bit 11 (EFS) is set. In practice a name without bit 11 is in
// whatever code page the writing program used:
// - Windows Explorer ("Send to > Compressed folder") writes the machine's OEM code page
//   (437 in the US, 850 in Western Europe, 866 in Russia, 932 in Japan) without bit 11, and
//   reads unflagged names in the OEM code page of the machine that opens the archive;
// - 7-Zip reads them in the OEM code page unless told otherwise (-mcp=866, -mcp=932),
//   takes the Info-ZIP Unicode Path extra field (0x7075) when its CRC matches, and writes
//   that field itself since version 21.02;
// - macOS Archive Utility and Info-ZIP zip on Linux write UTF-8 without bit 11; 7-Zip and
//   recent Windows read names that are valid UTF-8 from such archives as UTF-8;
// - unzip on Linux has -O CHARSET (and -I) for the code page of unflagged names.
// A responder reading a Japanese or Russian lure on a Linux box needs the name the victim
// saw ("請求書.xls", "Счет.xls"), not mojibake, so the charset is guessed here, once per
// archive from all its names (one program wrote them all): UTF-8 if every name is valid
// UTF-8, else CP932 if every name is valid Shift_JIS and reads as Japanese, else CP866 if
// the non-ASCII letters make Cyrillic words, else CP437.
import { TextDecoder } from 'node:util';
import { crc32 } from 'node:zlib';
import iconv from 'iconv-lite';

/** The charset chosen for an archive's names without bit 11 ('ascii' when they are all ASCII). */
export type ZipNameCharset = 'ascii' | 'utf8' | 'cp932' | 'cp866' | 'cp437';

/** Where one member's name came from. */
export type ZipNameEncoding = 'utf8-flag' | 'unicode-path-field' | ZipNameCharset;

export interface RawZipName {
  /** The name field as stored in the central directory. */
  bytes: Buffer;
  /** General purpose bit flag. */
  flags: number;
  /** Data of the Info-ZIP Unicode Path extra field (0x7075), when present. */
  unicodePath?: Buffer;
}

const EFS = 0x0800;
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

const isAscii = (b: Buffer) => b.every((x) => x < 0x80);

function validUtf8(b: Buffer): boolean {
  try {
    utf8Strict.decode(b);
    return true;
  } catch {
    return false;
  }
}

/**
 * Info-ZIP Unicode Path extra field: version 1, CRC-32 of the name field it stands for, the
 * name in UTF-8. A CRC that does not match means a later program renamed the member without
 * updating the field, and the field is ignored (as Info-ZIP unzip and 7-Zip do).
 */
export function unicodePathName(field: Buffer, rawName: Buffer): string | null {
  if (field.length < 6 || field[0] !== 1) return null;
  if (field.readUInt32LE(1) !== crc32(rawName) >>> 0) return null;
  const utf8 = field.subarray(5);
  return validUtf8(utf8) ? utf8.toString('utf8') : null;
}

/**
 * Shift_JIS as Windows writes it (CP932): single bytes 0x00-0x7F and half-width katakana
 * 0xA1-0xDF; double bytes with a lead of 0x81-0x9F or 0xE0-0xEF (0xF0-0xF9, user-defined
 * characters, and 0xFA-0xFC, IBM extensions, are left out: rare in names, common in noise)
 * and a trail of 0x40-0x7E or 0x80-0xFC.
 */
function validShiftJis(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c < 0x80 || (c >= 0xa1 && c <= 0xdf)) continue;
    if ((c >= 0x81 && c <= 0x9f) || (c >= 0xe0 && c <= 0xef)) {
      const t = b[++i];
      if (t === undefined || t < 0x40 || t === 0x7f || t > 0xfc) return false;
      continue;
    }
    return false;
  }
  return true;
}

/**
 * Decoded CP932 reads as Japanese: no unmapped pair, and most non-ASCII characters are
 * kana or kanji. Half-width katakana are counted against it: they are what the bytes of a
 * single-byte code page (CP437 accents, CP866 lower-case Cyrillic) turn into.
 */
function readsAsJapanese(text: string): boolean {
  let nonAscii = 0;
  let japanese = 0;
  let halfWidth = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) continue;
    if (c === 0xfffd) return false;
    nonAscii++;
    if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0x4e00 && c <= 0x9fff) || c === 0x3005) japanese++;
    else if (c >= 0xff61 && c <= 0xff9f) halfWidth++;
  }
  return nonAscii > 0 && japanese * 2 >= nonAscii && halfWidth * 5 <= nonAscii;
}

/**
 * Names in half-width katakana only (old Japanese software: "ｾｲｷｭｳｼｮ.xls"). Their bytes are
 * 0xA1-0xDF, which the OEM code pages give mostly to box-drawing characters (0xB0-0xDF), no
 * one's file name: most of them in that range reads as katakana.
 */
function halfWidthKatakana(names: Buffer[]): boolean {
  let high = 0;
  let box = 0;
  for (const b of names) {
    for (const x of b) {
      if (x < 0x80) continue;
      if (x < 0xa1 || x > 0xdf) return false;
      high++;
      if (x >= 0xb0) box++;
    }
  }
  return high > 0 && box * 2 > high;
}

/**
 * CP866 or CP437, for names that are neither UTF-8 nor Shift_JIS. Russian names are words
 * of Cyrillic letters only ("Счет", "Договор"); Western names in CP437 are Latin words
 * with an accented letter here and there ("Résumé", "Müller"), which read as CP866 give
 * words that mix Latin and Cyrillic ("RВsumВ"). So: the share of the non-ASCII letters,
 * read as CP866, that stand in words made of Cyrillic letters only.
 */
function cyrillicShare(names: Buffer[]): number {
  let high = 0;
  let inCyrillicWords = 0;
  for (const b of names) {
    const text = iconv.decode(b, 'cp866');
    for (const m of text.matchAll(/\p{L}+/gu)) {
      const word = m[0];
      const nonAscii = [...word].filter((ch) => ch.codePointAt(0)! >= 0x80).length;
      high += nonAscii;
      if (nonAscii > 0 && /^\p{Script=Cyrillic}+$/u.test(word)) inCyrillicWords += nonAscii;
    }
  }
  return high === 0 ? 0 : inCyrillicWords / high;
}

/** The charset of the names that carry no bit 11 and no valid Unicode Path field. */
export function decideZipCharset(names: Buffer[]): ZipNameCharset {
  const nonAscii = names.filter((b) => !isAscii(b));
  if (nonAscii.length === 0) return 'ascii';
  if (nonAscii.every(validUtf8)) return 'utf8';
  if (nonAscii.every(validShiftJis) && (readsAsJapanese(nonAscii.map((b) => iconv.decode(b, 'cp932')).join('')) || halfWidthKatakana(nonAscii))) return 'cp932';
  return cyrillicShare(nonAscii) >= 0.6 ? 'cp866' : 'cp437';
}

function decodeAs(b: Buffer, charset: ZipNameCharset): string {
  if (charset === 'ascii' || charset === 'utf8') return b.toString('utf8');
  return iconv.decode(b, charset);
}

/** Every member's name, and the archive's charset for names without bit 11. */
export function decodeZipNames(raw: RawZipName[]): { charset: ZipNameCharset; names: { name: string; encoding: ZipNameEncoding }[] } {
  const fromField = raw.map((r) => (r.unicodePath ? unicodePathName(r.unicodePath, r.bytes) : null));
  const undecided = raw.filter((r, i) => !(r.flags & EFS) && fromField[i] === null).map((r) => r.bytes);
  const charset = decideZipCharset(undecided);
  const names = raw.map((r, i) => {
    if (r.flags & EFS) return { name: r.bytes.toString('utf8'), encoding: 'utf8-flag' as const };
    const field = fromField[i];
    if (field !== null && field !== undefined) return { name: field, encoding: 'unicode-path-field' as const };
    if (isAscii(r.bytes)) return { name: r.bytes.toString('latin1'), encoding: 'ascii' as const };
    return { name: decodeAs(r.bytes, charset), encoding: charset };
  });
  return { charset, names };
}
