// "Password to open" of PowerPoint 97–2003 presentations (MS-PPT 2.3.7): RC4 CryptoAPI
// only. The UserEditAtom names a persist object holding the CryptSession10Container (the
// encryption header, in clear); every other persist object of the PowerPoint Document
// stream is encrypted on its own, header and data as one RC4 stream, keyed with its persist
// id as the block number. The VBA project of a presentation is such a persist object
// (ExOleObjStg), so decryption is what lets ppt-vba find it.
//
// Not decrypted: the Pictures stream and the EncryptedSummary stream (no macros in either).
import { LEGACY_DECRYPT_LIMITS, type LegacyDecryptResult } from './legacy-decrypt-limits.js';
import { findStream, type OleContainer } from './ole-container.js';
import { parseRc4EncryptionHeader, Rc4, rc4KeyForPassword } from './rc4-crypto.js';

const RT_USER_EDIT_ATOM = 0x0ff5;
const RT_PERSIST_DIRECTORY_ATOM = 0x1772;
const RT_CRYPT_SESSION10_CONTAINER = 0x2f14;
/** CurrentUserAtom.headerToken (2.3.2): 0xF3D1C4DF encrypted, 0xE391C05F not. */
const TOKEN_ENCRYPTED = 0xf3d1c4df;
const TOKEN_PLAIN = 0xe391c05f;
/** A UserEditAtom with encryptSessionPersistIdRef has 0x20 bytes of data (2.3.3). */
const USER_EDIT_WITH_CRYPT_SESSION = 0x20;

interface UserEdit {
  offsetLastEdit: number;
  offsetPersistDirectory: number;
  encryptSessionPersistIdRef: number | null;
}

function readUserEdit(s: Buffer, at: number): UserEdit | null {
  if (at + 8 + 0x1c > s.length || s.readUInt16LE(at + 2) !== RT_USER_EDIT_ATOM) return null;
  const len = s.readUInt32LE(at + 4);
  return {
    offsetLastEdit: s.readUInt32LE(at + 8 + 8),
    offsetPersistDirectory: s.readUInt32LE(at + 8 + 12),
    encryptSessionPersistIdRef: len >= USER_EDIT_WITH_CRYPT_SESSION && at + 8 + 0x20 <= s.length ? s.readUInt32LE(at + 8 + 28) : null,
  };
}

/** The persist object directory (2.1.2 steps 1–8): persist id → stream offset, newest edit winning. */
function persistDirectory(s: Buffer, first: UserEdit, firstAt: number): { dir: Map<number, number>; structural: Set<number> } | { error: string } {
  const atoms: number[] = [];
  const structural = new Set<number>();
  let edit: UserEdit | null = first;
  let at = firstAt;
  const seen = new Set<number>();
  while (edit) {
    if (seen.has(at) || seen.size >= LEGACY_DECRYPT_LIMITS.maxUserEdits) return { error: `UserEditAtom chain loops or passes ${LEGACY_DECRYPT_LIMITS.maxUserEdits} edits` };
    seen.add(at);
    structural.add(at);
    atoms.push(edit.offsetPersistDirectory);
    if (edit.offsetLastEdit === 0) break;
    at = edit.offsetLastEdit;
    edit = readUserEdit(s, at);
    if (!edit) return { error: `no UserEditAtom at ${at}` };
  }
  const dir = new Map<number, number>();
  for (const p of atoms.reverse()) {
    if (p + 8 > s.length || s.readUInt16LE(p + 2) !== RT_PERSIST_DIRECTORY_ATOM) return { error: `no PersistDirectoryAtom at ${p}` };
    structural.add(p);
    const end = p + 8 + s.readUInt32LE(p + 4);
    if (end > s.length) return { error: `PersistDirectoryAtom at ${p} runs past the end of the stream` };
    for (let q = p + 8; q + 4 <= end; ) {
      const word = s.readUInt32LE(q);
      const id = word & 0xfffff;
      const count = word >>> 20;
      q += 4;
      if (q + 4 * count > end) return { error: `PersistDirectoryEntry at ${q - 4} runs past its atom` };
      for (let i = 0; i < count; i++, q += 4) {
        dir.set(id + i, s.readUInt32LE(q));
        if (dir.size > LEGACY_DECRYPT_LIMITS.maxPersistObjects) return { error: `more than ${LEGACY_DECRYPT_LIMITS.maxPersistObjects} persist objects` };
      }
    }
  }
  return { dir, structural };
}

/**
 * Decrypt an RC4 CryptoAPI presentation. Returns the PowerPoint Document stream with every
 * persist object in clear (the CryptSession10Container, UserEditAtom and PersistDirectoryAtom
 * as they were), and the Current User stream with the plain headerToken.
 */
export function decryptPresentation(ole: OleContainer, passwords: string[]): LegacyDecryptResult {
  const cu = findStream(ole, 'Current User');
  const doc = findStream(ole, 'PowerPoint Document');
  if (!cu || !doc || cu.content.length < 20) return null;
  const s = doc.content;
  const editAt = cu.content.readUInt32LE(16);
  const edit = readUserEdit(s, editAt);
  // Until a CryptSession10Container is found only the token says "encrypted": a plain
  // presentation with an odd UserEditAtom is not reported as an encrypted one.
  const notFound = (why: string): LegacyDecryptResult => (cu.content.readUInt32LE(12) === TOKEN_ENCRYPTED ? { error: `PowerPoint Document: ${why}` } : null);
  if (!edit || edit.encryptSessionPersistIdRef === null) return notFound('the UserEditAtom names no CryptSession10Container');
  const pd = persistDirectory(s, edit, editAt);
  if ('error' in pd) return notFound(pd.error);
  const cryptAt = pd.dir.get(edit.encryptSessionPersistIdRef);
  if (cryptAt === undefined || cryptAt + 8 > s.length || s.readUInt16LE(cryptAt + 2) !== RT_CRYPT_SESSION10_CONTAINER) return notFound('no CryptSession10Container where encryptSessionPersistIdRef points');
  const cryptLen = s.readUInt32LE(cryptAt + 4);
  if (cryptLen > LEGACY_DECRYPT_LIMITS.maxHeaderBytes || cryptAt + 8 + cryptLen > s.length) return { error: `CryptSession10Container of ${cryptLen} bytes does not fit` };
  const header = parseRc4EncryptionHeader(s.subarray(cryptAt + 8, cryptAt + 8 + cryptLen));
  if ('error' in header) return { error: `CryptSession10Container: ${header.error}` };
  if (header.scheme !== 'rc4-cryptoapi') return { error: 'PowerPoint encryption other than RC4 CryptoAPI' };
  for (const password of passwords) {
    const key = rc4KeyForPassword(header, password);
    if (!key) continue;
    const out = Buffer.from(s);
    // Persist objects do not overlap in a real file; this bounds a hostile directory's work.
    let budget = s.length;
    for (const [id, at] of pd.dir) {
      if (at === cryptAt || pd.structural.has(at) || at + 8 > s.length) continue;
      const rc4 = new Rc4(key.keyForBlock(id));
      const rh = Buffer.from(s.subarray(at, at + 8));
      rc4.xor(rh);
      rh.copy(out, at);
      const end = Math.min(at + 8 + rh.readUInt32LE(4), s.length);
      budget -= end - at;
      if (budget < 0) return { error: 'persist objects overlap: more bytes to decrypt than the stream holds' };
      const body = Buffer.from(s.subarray(at + 8, end));
      rc4.xor(body);
      body.copy(out, at + 8);
    }
    const currentUser = Buffer.from(cu.content);
    currentUser.writeUInt32LE(TOKEN_PLAIN, 12);
    return { streams: new Map([[doc.path, out], [cu.path, currentUser]]), password, method: 'ppt-rc4-cryptoapi' };
  }
  return { error: `PowerPoint RC4 CryptoAPI encryption: none of ${passwords.length} password(s) matched the verifier` };
}
