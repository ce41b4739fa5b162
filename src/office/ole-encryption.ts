// Is an OLE document encrypted? Each format says so in its own place:
// an encrypted OOXML package is an OLE file with EncryptionInfo + EncryptedPackage
// (MS-OFFCRYPTO 2.3.4); Word sets fEncrypted in the FIB (MS-DOC 2.5.2); PowerPoint's
// CurrentUserAtom carries the encrypted header token (MS-PPT 2.3.2); Excel writes FILEPASS
// (read in biff.ts).
import { findStream, type OleContainer } from './ole-container.js';

export interface OleEncryption {
  encrypted: boolean;
  /** Where the evidence is: 'ooxml-package', 'word-fib', 'powerpoint-current-user', 'excel-filepass'. */
  how: string | null;
}

export function detectOleEncryption(ole: OleContainer): OleEncryption {
  if (findStream(ole, 'EncryptionInfo') && findStream(ole, 'EncryptedPackage')) return { encrypted: true, how: 'ooxml-package' };
  const word = findStream(ole, 'WordDocument');
  if (word && word.content.length >= 12 && word.content.readUInt16LE(0) === 0xa5ec) {
    const flags = word.content.readUInt16LE(0x0a);
    if (flags & 0x0100) return { encrypted: true, how: 'word-fib' };
  }
  const cu = findStream(ole, 'Current User');
  if (cu && cu.content.length >= 16) {
    const token = cu.content.readUInt32LE(12);
    if (token === 0xf3d1c4df) return { encrypted: true, how: 'powerpoint-current-user' };
  }
  if (findStream(ole, 'EncryptedSummary')) return { encrypted: true, how: 'powerpoint-current-user' };
  return { encrypted: false, how: null };
}
