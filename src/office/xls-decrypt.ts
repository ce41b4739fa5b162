// "Password to open" of Excel 97–2003 workbooks (MS-XLS 2.2.10, FilePass 2.4.117): XOR
// obfuscation, RC4, or RC4 CryptoAPI over the record data of the Workbook stream. The
// output is the same stream in clear, FILEPASS turned into an empty record of type 0 of
// the same size (as msoffcrypto-tool writes it), so every stream offset (BoundSheet8's
// lbPlyPos, INDEX, EXTSST) still holds and biff.ts and xlm-formulas.ts read it as a plain
// workbook. Excel opens a workbook encrypted under "VelvetSweatshop" without asking, which
// is why Qakbot and Dridex mailed XLM workbooks that way.
import { BIFF_LIMITS } from './biff.js';
import { parseRc4EncryptionHeader, Rc4BlockStream, rc4KeyForPassword, type Rc4EncryptionHeader } from './rc4-crypto.js';
import { xorArrayMethod1, xorDecryptByte, xorKeyMethod1, xorPasswordBytes, xorVerifierMethod1 } from './xor-obfuscation.js';

const BOF = 0x0809;
const EOF = 0x000a;
const FILEPASS = 0x002f;
const BOUNDSHEET8 = 0x0085;
/** 2.2.10: records that are never encrypted: BOF, FilePass, UsrExcl, FileLock, InterfaceHdr, RRDInfo, RRDHead. */
const CLEAR_RECORDS = new Set([BOF, FILEPASS, 0x0194, 0x0195, 0x00e1, 0x0196, 0x0138]);
/** 2.2.10: RC4 is re-keyed every 1024 bytes of the stream. */
const RC4_BLOCK_BYTES = 1024;

export type XlsScheme = 'xor' | 'rc4' | 'rc4-cryptoapi';

export interface FilePass {
  /** Stream offset of the FILEPASS record (its header). */
  offset: number;
  scheme: XlsScheme;
  /** XORObfuscation (2.5.343): the 16-bit key and password verifier. */
  xor?: { key: number; verifier: number };
  rc4?: Rc4EncryptionHeader;
}

/** The FILEPASS record of a BIFF8 Workbook stream; null when the workbook is not encrypted. */
export function readFilePass(workbook: Buffer): FilePass | { error: string } | null {
  if (workbook.length < 8 || workbook.readUInt16LE(0) !== BOF) return null;
  const biff8 = workbook.readUInt16LE(2) >= 2 && workbook.readUInt16LE(4) === 0x0600;
  let pos = 0;
  for (let records = 0; pos + 4 <= workbook.length && records < BIFF_LIMITS.maxRecords; records++) {
    const type = workbook.readUInt16LE(pos);
    const size = workbook.readUInt16LE(pos + 2);
    if (type === EOF) return null;
    if (type === FILEPASS) {
      if (!biff8) return { error: 'FILEPASS in a BIFF5 workbook (Excel 95 XOR obfuscation) is not decrypted' };
      if (pos + 4 + size > workbook.length) return { error: `FILEPASS at ${pos} runs past the end of the stream` };
      const body = workbook.subarray(pos + 4, pos + 4 + size);
      if (size < 2) return { error: `FILEPASS at ${pos} of ${size} bytes` };
      const kind = body.readUInt16LE(0);
      if (kind === 0) {
        if (size < 6) return { error: `XOR FILEPASS at ${pos} of ${size} bytes, 6 needed` };
        return { offset: pos, scheme: 'xor', xor: { key: body.readUInt16LE(2), verifier: body.readUInt16LE(4) } };
      }
      if (kind !== 1) return { error: `FILEPASS at ${pos}: unknown wEncryptionType ${kind}` };
      const header = parseRc4EncryptionHeader(body.subarray(2));
      if ('error' in header) return { error: `FILEPASS at ${pos}: ${header.error}` };
      return { offset: pos, scheme: header.scheme, rc4: header };
    }
    pos += 4 + size;
  }
  return null;
}

/**
 * Apply `decrypt(out, start, end, recordSize)` to every encrypted byte range of the stream,
 * in stream order, and neutralise FILEPASS. A last record cut short by the end of the stream
 * is decrypted as far as it goes.
 */
function transformRecords(workbook: Buffer, filePassAt: number, decrypt: (out: Buffer, start: number, end: number, recordSize: number) => void): Buffer | { error: string } {
  const out = Buffer.from(workbook);
  let pos = 0;
  for (let records = 0; pos + 4 <= out.length; records++) {
    if (records >= BIFF_LIMITS.maxRecords) return { error: `more than ${BIFF_LIMITS.maxRecords} records` };
    const type = out.readUInt16LE(pos);
    const size = out.readUInt16LE(pos + 2);
    const body = pos + 4;
    const end = Math.min(body + size, out.length);
    if (pos === filePassAt) {
      out.writeUInt16LE(0, pos);
      out.fill(0, body, end);
    } else if (!CLEAR_RECORDS.has(type)) {
      // BoundSheet8.lbPlyPos (its first 4 bytes) stays in clear: readers seek by it.
      decrypt(out, type === BOUNDSHEET8 ? Math.min(body + 4, end) : body, end, size);
    }
    pos = body + size;
  }
  return out;
}

export interface WorkbookDecryption {
  stream: Buffer;
  password: string;
  scheme: XlsScheme;
}

/**
 * Decrypt a BIFF8 Workbook stream with the first password the FILEPASS verifier accepts.
 * null: no FILEPASS. Passwords are tried in the order given (the caller puts Excel's default first).
 */
export function decryptWorkbook(workbook: Buffer, passwords: string[]): WorkbookDecryption | { error: string } | null {
  const fp = readFilePass(workbook);
  if (!fp || 'error' in fp) return fp;
  for (const password of passwords) {
    let out: Buffer | { error: string };
    if (fp.xor) {
      const pw = xorPasswordBytes(password);
      // The key is checked as well as the verifier: 16 bits alone let one wrong candidate in 65,536 through.
      if (pw.length === 0 || xorVerifierMethod1(pw) !== fp.xor.verifier || xorKeyMethod1(pw) !== fp.xor.key) continue;
      const xorArray = xorArrayMethod1(pw);
      // MS-XLS 2.2.10: the array index of a byte is (its stream offset + the record's data size) mod 16.
      out = transformRecords(workbook, fp.offset, (b, start, end, size) => {
        for (let p = start; p < end; p++) b[p] = xorDecryptByte(b[p]!, xorArray, p + size);
      });
    } else {
      const key = rc4KeyForPassword(fp.rc4!, password);
      if (!key) continue;
      // One keystream for the whole stream: record headers and clear records use theirs up too.
      const rc4 = new Rc4BlockStream(key, RC4_BLOCK_BYTES);
      out = transformRecords(workbook, fp.offset, (b, start, end) => rc4.xor(b, start, end));
    }
    if ('error' in out) return out;
    return { stream: out, password, scheme: fp.scheme };
  }
  return { error: `Excel ${fp.scheme} encryption: none of ${passwords.length} password(s) matched the verifier` };
}
