// "Password to open" of Word 97–2003 documents (MS-DOC 2.2.6): FibBase.fEncrypted says the
// document is encrypted, fObfuscated that it is XOR obfuscation rather than RC4. For RC4 and
// RC4 CryptoAPI (2.2.6.2, 2.2.6.3) the encryption header sits in clear in the first lKey
// bytes of the Table stream; the WordDocument stream after its first 68 bytes, the rest of
// the Table stream and the whole Data stream are encrypted in 512-byte blocks, the block
// number counted from the start of each stream. The macros (the Macros storage) are never
// encrypted, so vba-project reads them either way; what decryption adds is the text, the
// fields (DDE) and the objects in Data.
import { LEGACY_DECRYPT_LIMITS, type LegacyDecryptResult } from './legacy-decrypt-limits.js';
import { findStream, type OleContainer } from './ole-container.js';
import { parseRc4EncryptionHeader, Rc4BlockStream, rc4KeyForPassword, type Rc4DocumentKey } from './rc4-crypto.js';

/** FibBase (2.5.2) is 32 bytes; the first 68 bytes of the stream are never encrypted. */
const CLEAR_FIB_BYTES = 68;
const WORD_BLOCK_BYTES = 512;
const F_ENCRYPTED = 0x0100;
const F_WHICH_TBL_STM = 0x0200;
const F_OBFUSCATED = 0x8000;

export interface WordEncryption {
  tableName: '0Table' | '1Table';
  obfuscated: boolean;
  /** FibBase.lKey: the encryption header's size (RC4) or the XOR verifier. */
  lKey: number;
}

/** FibBase's encryption flags; null when the stream is no Word FIB or is not encrypted. */
export function readWordEncryption(wordDocument: Buffer): WordEncryption | null {
  if (wordDocument.length < CLEAR_FIB_BYTES || wordDocument.readUInt16LE(0) !== 0xa5ec) return null;
  const flags = wordDocument.readUInt16LE(0x0a);
  if (!(flags & F_ENCRYPTED)) return null;
  return { tableName: flags & F_WHICH_TBL_STM ? '1Table' : '0Table', obfuscated: (flags & F_OBFUSCATED) !== 0, lKey: wordDocument.readUInt32LE(0x0e) };
}

function decryptFrom(stream: Buffer, from: number, key: Rc4DocumentKey): Buffer {
  const out = Buffer.from(stream);
  new Rc4BlockStream(key, WORD_BLOCK_BYTES).xor(out, Math.min(from, out.length), out.length);
  return out;
}

/**
 * Decrypt an RC4 or RC4 CryptoAPI Word document. The WordDocument stream comes back with
 * fEncrypted, fObfuscated and lKey cleared (as msoffcrypto-tool writes it), so it reads as
 * a plain document; the Table stream keeps its clear encryption header in front.
 */
export function decryptWordDocument(ole: OleContainer, passwords: string[]): LegacyDecryptResult {
  const word = findStream(ole, 'WordDocument');
  if (!word) return null;
  const enc = readWordEncryption(word.content);
  if (!enc) return null;
  if (enc.obfuscated) return { error: 'Word XOR obfuscation (fObfuscated) is not decrypted' };
  const table = findStream(ole, enc.tableName);
  if (!table) return { error: `Word document is encrypted but has no ${enc.tableName} stream` };
  if (enc.lKey > LEGACY_DECRYPT_LIMITS.maxHeaderBytes || enc.lKey > table.content.length) return { error: `FibBase.lKey of ${enc.lKey} bytes does not fit the ${table.content.length}-byte ${enc.tableName} stream` };
  const header = parseRc4EncryptionHeader(table.content.subarray(0, enc.lKey));
  if ('error' in header) return { error: `${enc.tableName} encryption header: ${header.error}` };
  const data = findStream(ole, 'Data');
  for (const password of passwords) {
    const key = rc4KeyForPassword(header, password);
    if (!key) continue;
    const wordOut = decryptFrom(word.content, CLEAR_FIB_BYTES, key);
    wordOut.writeUInt16LE(word.content.readUInt16LE(0x0a) & ~(F_ENCRYPTED | F_OBFUSCATED), 0x0a);
    wordOut.writeUInt32LE(0, 0x0e);
    const streams = new Map<string, Buffer>([
      [word.path, wordOut],
      [table.path, decryptFrom(table.content, enc.lKey, key)],
    ]);
    if (data) streams.set(data.path, decryptFrom(data.content, 0, key));
    return { streams, password, method: `doc-${header.scheme}` };
  }
  return { error: `Word ${header.scheme} encryption: none of ${passwords.length} password(s) matched the verifier` };
}
