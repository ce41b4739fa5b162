// Limits and result types shared by the decryptors of Office 97–2003 binary documents
// (xls-decrypt, doc-decrypt, ppt-decrypt) and their entry point, legacy-decrypt.

export const LEGACY_DECRYPT_LIMITS = {
  /**
   * Password candidates tried per document, Excel's default included. The mail's harvest
   * gives at most 20 (passwords.ts); a check costs one or two hashes and an RC4 key setup,
   * but the list comes from hostile text and is not trusted to be short.
   */
  maxPasswords: 32,
  /** Characters of a password: MS-OFFCRYPTO 2.3.5.2 allows 255; a longer candidate is not one. */
  maxPasswordLength: 255,
  /**
   * Bytes of an encryption header (Word's FibBase.lKey, PowerPoint's CryptSession10Container):
   * real ones are 52 bytes (RC4) or about 200 (CryptoAPI, with the provider name).
   */
  maxHeaderBytes: 4096,
  /** UserEditAtom records followed in a PowerPoint Document stream: one per incremental save. */
  maxUserEdits: 1000,
  /**
   * Persist objects decrypted in a PowerPoint Document stream. Each is at least an 8-byte
   * record header, so the stream's size bounds them anyway; this stops a directory of
   * millions of entries pointing at the same bytes.
   */
  maxPersistObjects: 200_000,
};

/** Decrypted streams of a legacy Office document. */
export interface LegacyDecryption {
  /**
   * The streams that were rewritten, by their path in the container ('Workbook',
   * 'WordDocument', '1Table', 'Data', 'PowerPoint Document', 'Current User'). Each has the
   * size of the stream it replaces; the encryption marker is neutralised (see each reader).
   */
  streams: Map<string, Buffer>;
  /** The password that opened it. */
  password: string;
  /** Format and scheme: 'xls-xor', 'xls-rc4', 'xls-rc4-cryptoapi', 'doc-rc4', 'doc-rc4-cryptoapi', 'ppt-rc4-cryptoapi'. */
  method: string;
}

/** null: not encrypted with a legacy scheme. An error says why an encrypted one was not opened. */
export type LegacyDecryptResult = LegacyDecryption | { error: string } | null;
