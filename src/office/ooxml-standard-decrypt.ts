// Encrypted OOXML packages with ECMA-376 Standard encryption (MS-OFFCRYPTO 2.3.4.5): the
// binary EncryptionInfo of Office 2007 (version 3.2 or 4.2, fCryptoAPI + fAES), AES-128,
// -192 or -256 in ECB mode, SHA-1 with a fixed 50,000 rounds. ooxml-decrypt.ts reads the
// Agile (XML) kind; this has the same call shape so a caller tries one and then the other.
// Written with node:crypto (AES-ECB and SHA-1 are in Node's default OpenSSL provider).
import { createDecipheriv, createHash, hash } from 'node:crypto';
import { setBounded } from '../bounded-map.js';
import type { DecryptResult } from './ooxml-decrypt.js';

export const STANDARD_LIMITS = {
  /** Password candidates tried: each costs 50,000 SHA-1 rounds (tens of ms), the mail gives at most 20. */
  maxPasswords: 32,
  /** A decrypted package larger than this is refused: the same bound as an OLE file opened (OLE_LIMITS). */
  maxPackageBytes: 200 * 1024 * 1024,
  /** EncryptionHeaderSize: 32 bytes of fields and a provider name; a real one is under 200 bytes. */
  maxHeaderBytes: 4096,
};

/** 2.3.4.7: the hash is iterated exactly this often; the file does not say. */
const SPIN_COUNT = 50_000;
const F_CRYPTOAPI = 0x04;
const F_EXTERNAL = 0x10;
const F_AES = 0x20;
const AES_KEY_BITS: Record<number, number> = { 0x660e: 128, 0x660f: 192, 0x6610: 256 };

export interface StandardInfo {
  keyBits: number;
  salt: Buffer;
  encryptedVerifier: Buffer;
  encryptedVerifierHash: Buffer;
}

/** Parse a Standard EncryptionInfo stream (2.3.4.5); null when it is another kind (Agile, extensible, RC4). */
export function parseStandardInfo(info: Buffer): StandardInfo | null {
  if (info.length < 12) return null;
  const major = info.readUInt16LE(0);
  const minor = info.readUInt16LE(2);
  if (!((major === 3 || major === 4) && minor === 2)) return null;
  const headerSize = info.readUInt32LE(8);
  if (headerSize < 32 || headerSize > STANDARD_LIMITS.maxHeaderBytes || 12 + headerSize + 4 + 16 + 16 + 4 + 32 > info.length) return null;
  const h = info.subarray(12, 12 + headerSize);
  const flags = h.readUInt32LE(0);
  if (!(flags & F_CRYPTOAPI) || !(flags & F_AES) || flags & F_EXTERNAL) return null;
  const algId = h.readUInt32LE(8);
  const algIdHash = h.readUInt32LE(12);
  const keyBits = h.readUInt32LE(16);
  // AlgID 0 with fAES means AES-128 (2.3.2); otherwise AlgID and KeySize must agree.
  if (algId === 0 ? keyBits !== 128 : AES_KEY_BITS[algId] !== keyBits) return null;
  if (algIdHash !== 0 && algIdHash !== 0x8004) return null;
  const v = info.subarray(12 + headerSize);
  if (v.readUInt32LE(0) !== 16 || v.readUInt32LE(36) !== 20) return null;
  return { keyBits, salt: v.subarray(4, 20), encryptedVerifier: v.subarray(20, 36), encryptedVerifierHash: v.subarray(40, 72) };
}

function aesEcb(key: Buffer, data: Buffer): Buffer {
  const d = createDecipheriv(`aes-${key.length * 8}-ecb`, key, null);
  d.setAutoPadding(false);
  return Buffer.concat([d.update(data), d.final()]);
}

/** Keys by salt and password: a repeated attachment is not spun again. */
const keyCache = new Map<string, Buffer | null>();
const KEY_CACHE_SIZE = 256;

/** 2.3.4.7 key derivation and 2.3.4.8 verification: the AES key, or null for a wrong password. */
function standardKey(info: StandardInfo, password: string): Buffer | null {
  const cacheKey = `${info.salt.toString('hex')}:${info.keyBits}:${info.encryptedVerifier.toString('hex')}:${password}`;
  if (keyCache.has(cacheKey)) return keyCache.get(cacheKey)!;
  let h = createHash('sha1').update(info.salt).update(Buffer.from(password, 'utf16le')).digest();
  const buf = Buffer.alloc(24);
  for (let i = 0; i < SPIN_COUNT; i++) {
    buf.writeUInt32LE(i, 0);
    h.copy(buf, 4);
    h = hash('sha1', buf, 'buffer');
  }
  const hFinal = createHash('sha1').update(h).update(Buffer.alloc(4)).digest();
  // X1 = SHA-1(0x36 × 64 XOR Hfinal), X2 = SHA-1(0x5C × 64 XOR Hfinal); the key is the start of X1 + X2.
  const pad = (fill: number) => {
    const b = Buffer.alloc(64, fill);
    for (let i = 0; i < hFinal.length; i++) b[i] = b[i]! ^ hFinal[i]!;
    return createHash('sha1').update(b).digest();
  };
  const key = Buffer.concat([pad(0x36), pad(0x5c)]).subarray(0, info.keyBits / 8);
  const verifier = aesEcb(key, info.encryptedVerifier);
  const verifierHash = aesEcb(key, info.encryptedVerifierHash).subarray(0, 20);
  const ok = createHash('sha1').update(verifier).digest().equals(verifierHash);
  return setBounded(keyCache, cacheKey, ok ? key : null, KEY_CACHE_SIZE);
}

/**
 * Try each password; the decrypted package (a ZIP) for the first the verifier accepts.
 * null when the EncryptionInfo is not Standard encryption, the package is malformed, or no
 * password is right.
 */
export function decryptStandardPackage(encryptionInfo: Buffer, encryptedPackage: Buffer, passwords: string[]): DecryptResult | null {
  const info = parseStandardInfo(encryptionInfo);
  if (!info || encryptedPackage.length < 8) return null;
  const size = Number(encryptedPackage.readBigUInt64LE(0));
  const body = encryptedPackage.subarray(8);
  // The stream holds whole 16-byte blocks: a size beyond them is a lie, not a reason to allocate.
  if (size > STANDARD_LIMITS.maxPackageBytes || size > body.length) return null;
  for (const password of passwords.slice(0, STANDARD_LIMITS.maxPasswords)) {
    const key = standardKey(info, password);
    if (!key) continue;
    const usable = body.subarray(0, Math.ceil(size / 16) * 16);
    if (usable.length % 16 !== 0) return null;
    return { data: aesEcb(key, usable).subarray(0, size), password };
  }
  return null;
}
