// Byte-to-text decoding for the charsets Japanese mail really uses, and for the labels
// real mail programs get wrong. iconv-lite covers the single- and double-byte charsets;
// ISO-2022-JP is stateful and iconv-lite has no codec for it, so encoding-japanese does
// that part (it also maps the CP50220 extensions: NEC row 13 and half-width katakana).
import { isAscii, isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import Encoding from 'encoding-japanese';

/** ESC $ @, ESC $ B, ESC ( B, ESC ( J, ESC ( I, ESC $ ( D: the ISO-2022-JP designations. */
const JIS_ESCAPE = /\x1b(?:\$[@B]|\$\(D|\([BJI])/;

const ALIASES: Record<string, string> = {
  'us-ascii': 'ascii',
  ascii: 'ascii',
  'ansi_x3.4-1968': 'ascii',
  'iso-2022-jp': 'jis',
  'iso-2022-jp-1': 'jis',
  'iso-2022-jp-2': 'jis',
  'iso-2022-jp-3': 'jis',
  csiso2022jp: 'jis',
  cp50220: 'jis',
  cp50221: 'jis',
  cp50222: 'jis',
  // Shift_JIS as sent by Windows is CP932 (NEC and IBM extensions); decoding every
  // Shift_JIS label as CP932 is what Japanese mail readers do.
  shift_jis: 'cp932',
  'shift-jis': 'cp932',
  sjis: 'cp932',
  'x-sjis': 'cp932',
  ms_kanji: 'cp932',
  'windows-31j': 'cp932',
  cp932: 'cp932',
  'ms932': 'cp932',
  'euc-jp': 'eucjp',
  eucjp: 'eucjp',
  'x-euc-jp': 'eucjp',
  cp51932: 'eucjp',
  // Korean and Chinese mail labels its charset with the narrower standard name while
  // using the Microsoft superset.
  'ks_c_5601-1987': 'cp949',
  'euc-kr': 'cp949',
  gb2312: 'gbk',
  'x-gbk': 'gbk',
  utf8: 'utf8',
  'utf-8': 'utf8',
};

export function normaliseCharset(label: string | undefined | null): string {
  const l = (label ?? '').trim().toLowerCase().replace(/^["']|["']$/g, '');
  if (!l) return '';
  return ALIASES[l] ?? l;
}

/** Well-formed UTF-8 as the WHATWG decoder's fatal mode judges it (node's isUtf8 follows it, without the exception). */
export function isValidUtf8(bytes: Uint8Array): boolean {
  return isUtf8(bytes);
}

function hasHighBytes(bytes: Uint8Array): boolean {
  return !isAscii(bytes);
}

/**
 * The same bytes as a Buffer, without copying them: every use here reads them during the
 * call (toString, iconv.decode) and keeps only the text made from them.
 */
function view(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** An ISO-2022-JP designation among the bytes; most text has no ESC at all, and needs no string for the search. */
function hasJisEscape(b: Buffer): boolean {
  return b.indexOf(0x1b) >= 0 && JIS_ESCAPE.test(b.toString('latin1'));
}

function decodeJis(bytes: Uint8Array): string {
  // encoding-japanese reads a typed array by index as it reads an array; Array.from of the
  // bytes cost more than the decoding itself.
  return Encoding.convert(bytes, { to: 'UNICODE', from: 'JIS', type: 'string' });
}

/**
 * EUC-JP byte structure: pairs in 0xA1–0xFE, 0x8E + half-width katakana, 0x8F + a JIS X 0212
 * pair. Shift_JIS text nearly always has lead bytes 0x81–0x9F or 0xE0–0xEF followed by
 * bytes below 0xA1, which this rejects; so structural validity is a strong EUC-JP sign.
 */
function isValidEucJp(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x80) continue;
    const inRange = (x: number | undefined) => x !== undefined && x >= 0xa1 && x <= 0xfe;
    if (b === 0x8e) {
      const n = bytes[i + 1];
      if (n === undefined || n < 0xa1 || n > 0xdf) return false;
      i += 1;
    } else if (b === 0x8f) {
      if (!inRange(bytes[i + 1]) || !inRange(bytes[i + 2])) return false;
      i += 2;
    } else if (inRange(b)) {
      if (!inRange(bytes[i + 1])) return false;
      i += 1;
    } else return false;
  }
  return true;
}

/** Guess the charset of unlabelled 8-bit bytes: UTF-8 if valid, else a Japanese charset. */
export function guessCharset(bytes: Uint8Array): string {
  if (hasJisEscape(view(bytes))) return 'jis';
  if (!hasHighBytes(bytes)) return 'ascii';
  if (isValidUtf8(bytes)) return 'utf8';
  return isValidEucJp(bytes) ? 'eucjp' : 'cp932';
}

export interface DecodedText {
  text: string;
  /** The charset actually used, after correcting a wrong or missing label. */
  charset: string;
  /** Set when the label was missing, unknown or contradicted by the bytes. */
  defect?: string;
}

/**
 * Decode bytes that claim to be in `label`. Labels contradicted by the bytes are
 * overridden, because mail programs mislabel Japanese text often (s-nail and PHPMailer
 * write ISO-2022-JP inside `us-ascii` encoded-words; Ruby mail 2.7 labels UTF-8 bodies
 * ISO-2022-JP), and the intended text is what an investigator needs.
 */
export function decodeBytes(bytes: Uint8Array, label: string | undefined | null): DecodedText {
  const cs = normaliseCharset(label);
  const buf = view(bytes);
  const jisEscapes = hasJisEscape(buf);
  if (cs === 'jis' || ((cs === 'ascii' || cs === '' || cs === 'utf8') && jisEscapes && !hasHighBytes(bytes))) {
    if (cs === 'jis' && hasHighBytes(bytes) && isValidUtf8(bytes) && !jisEscapes) {
      return { text: buf.toString('utf8'), charset: 'utf8', defect: `charset label ${label} but UTF-8 bytes` };
    }
    return { text: decodeJis(bytes), charset: 'jis', defect: cs === 'jis' ? undefined : `charset label ${label || '(none)'} but ISO-2022-JP bytes` };
  }
  if (cs === 'ascii' || cs === '') {
    if (!hasHighBytes(bytes)) return { text: buf.toString('latin1'), charset: 'ascii' };
    const guess = guessCharset(bytes);
    return { ...decodeBytes(bytes, guess), defect: `8-bit bytes labelled ${label || '(none)'}; read as ${guess}` };
  }
  if (cs === 'utf8') {
    if (isValidUtf8(bytes) || !hasHighBytes(bytes)) return { text: buf.toString('utf8'), charset: 'utf8' };
    const guess = guessCharset(bytes);
    return { text: iconv.decode(buf, guess), charset: guess, defect: `charset label ${label} but invalid UTF-8; read as ${guess}` };
  }
  if ((cs === 'cp932' || cs === 'eucjp') && hasHighBytes(bytes) && isValidUtf8(bytes)) {
    // A real Shift_JIS or EUC-JP text is very rarely also valid UTF-8 at length.
    if (bytes.length >= 6) return { text: buf.toString('utf8'), charset: 'utf8', defect: `charset label ${label} but UTF-8 bytes` };
  }
  if (iconv.encodingExists(cs)) return { text: iconv.decode(buf, cs), charset: cs };
  const guess = guessCharset(bytes);
  const text = guess === 'jis' ? decodeJis(bytes) : guess === 'ascii' ? buf.toString('latin1') : iconv.decode(buf, guess);
  return { text, charset: guess, defect: `unknown charset ${label}; read as ${guess}` };
}
