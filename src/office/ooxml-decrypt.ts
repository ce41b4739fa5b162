// Encrypted OOXML packages (MS-OFFCRYPTO 2.3.4.10 agile encryption): an OLE file holding
// EncryptionInfo (XML) and EncryptedPackage. Tried with Excel's built-in default password
// "VelvetSweatshop" (files that are only write-protected use it) and with the password
// candidates of the mail. Written with node:crypto because no npm package decrypts OOXML
// without native code; standard (non-agile) encryption is reported, not decrypted.
import { createDecipheriv, createHash, hash } from 'node:crypto';
import { setBounded } from '../bounded-map.js';

export const DEFAULT_EXCEL_PASSWORD = 'VelvetSweatshop';
/** Spin counts above this are refused: 100,000 is what Office writes; a hostile file could ask for billions. */
const MAX_SPIN = 10_000_000;
const MAX_PACKAGE = 200 * 1024 * 1024;

const BLOCK_VERIFIER_INPUT = Buffer.from('fea7d2763b4b9e79', 'hex');
const BLOCK_VERIFIER_VALUE = Buffer.from('d7aa0f6d3061344e', 'hex');
const BLOCK_KEY_VALUE = Buffer.from('146e0be7abacd0d6', 'hex');

interface AgileInfo {
  keyData: { salt: Buffer; keyBits: number; blockSize: number; hash: string };
  encryptedKey: { salt: Buffer; keyBits: number; blockSize: number; hash: string; spinCount: number; verifierInput: Buffer; verifierValue: Buffer; keyValue: Buffer };
}

function attr(tag: string, name: string): string | undefined {
  return new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
}

function hashName(v: string | undefined): string {
  const h = (v ?? 'SHA1').toUpperCase().replace('-', '');
  return ({ SHA1: 'sha1', SHA256: 'sha256', SHA384: 'sha384', SHA512: 'sha512', MD5: 'md5' } as Record<string, string>)[h] ?? 'sha1';
}

export function parseAgileInfo(encryptionInfo: Buffer): AgileInfo | null {
  if (encryptionInfo.length < 8 || encryptionInfo.readUInt16LE(0) !== 4 || encryptionInfo.readUInt16LE(2) !== 4) return null;
  const xml = encryptionInfo.subarray(8).toString('utf8');
  const kd = /<keyData\b[^>]*>/.exec(xml)?.[0];
  const ek = /<p:encryptedKey\b[^>]*>/.exec(xml)?.[0];
  if (!kd || !ek) return null;
  const b64 = (t: string, n: string) => Buffer.from(attr(t, n) ?? '', 'base64');
  return {
    keyData: { salt: b64(kd, 'saltValue'), keyBits: Number(attr(kd, 'keyBits')), blockSize: Number(attr(kd, 'blockSize')), hash: hashName(attr(kd, 'hashAlgorithm')) },
    encryptedKey: {
      salt: b64(ek, 'saltValue'),
      keyBits: Number(attr(ek, 'keyBits')),
      blockSize: Number(attr(ek, 'blockSize')),
      hash: hashName(attr(ek, 'hashAlgorithm')),
      spinCount: Number(attr(ek, 'spinCount')),
      verifierInput: b64(ek, 'encryptedVerifierHashInput'),
      verifierValue: b64(ek, 'encryptedVerifierHashValue'),
      keyValue: b64(ek, 'encryptedKeyValue'),
    },
  };
}

function fit(b: Buffer, n: number): Buffer {
  return b.length >= n ? b.subarray(0, n) : Buffer.concat([b, Buffer.alloc(n - b.length, 0x36)]);
}

function aesCbc(key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const d = createDecipheriv(`aes-${key.length * 8}-cbc`, key, iv);
  d.setAutoPadding(false);
  return Buffer.concat([d.update(data), d.final()]);
}

/**
 * Derived keys by (salt, spin count, hash, password). The spin is 100,000 hash rounds
 * (about 0.13 s here) per password and file; the same file met again in one process (a
 * repeated attachment, the bench's rounds) is not spun again.
 */
const keyCache = new Map<string, Buffer | null>();
const KEY_CACHE_SIZE = 256;

/** Key derivations run in this process and the time they took (for npm run bench). */
export const KEY_DERIVATION_STATS = { derivations: 0, millis: 0 };

/** The package key for a password, or null when the verifier says the password is wrong. */
function packageKey(info: AgileInfo, password: string): Buffer | null {
  const ek = info.encryptedKey;
  const cacheKey = `${ek.salt.toString('hex')}:${ek.spinCount}:${ek.hash}:${ek.keyValue.toString('hex')}:${password}`;
  if (keyCache.has(cacheKey)) return keyCache.get(cacheKey)!;
  const t0 = performance.now();
  const key = derivePackageKey(info, password);
  KEY_DERIVATION_STATS.derivations++;
  KEY_DERIVATION_STATS.millis += performance.now() - t0;
  return setBounded(keyCache, cacheKey, key, KEY_CACHE_SIZE);
}

function derivePackageKey(info: AgileInfo, password: string): Buffer | null {
  const ek = info.encryptedKey;
  if (!(ek.spinCount > 0 && ek.spinCount <= MAX_SPIN) || !ek.keyBits) return null;
  let h = createHash(ek.hash).update(ek.salt).update(Buffer.from(password, 'utf16le')).digest();
  // H(n) = hash(LE32(n) || H(n-1)), 100,000 times: crypto.hash's one-shot call costs two
  // thirds of a Hash object's, and the spin is most of the time of a cold inspect.
  const buf = Buffer.alloc(4 + h.length);
  for (let i = 0; i < ek.spinCount; i++) {
    buf.writeUInt32LE(i, 0);
    h.copy(buf, 4);
    h = hash(ek.hash, buf, 'buffer');
  }
  const keyFor = (block: Buffer) => fit(createHash(ek.hash).update(h).update(block).digest(), ek.keyBits / 8);
  const iv = fit(ek.salt, ek.blockSize);
  const input = aesCbc(keyFor(BLOCK_VERIFIER_INPUT), iv, ek.verifierInput).subarray(0, ek.salt.length);
  const value = aesCbc(keyFor(BLOCK_VERIFIER_VALUE), iv, ek.verifierValue);
  const expected = createHash(ek.hash).update(input).digest();
  if (!value.subarray(0, expected.length).equals(expected)) return null;
  return aesCbc(keyFor(BLOCK_KEY_VALUE), iv, ek.keyValue).subarray(0, info.keyData.keyBits / 8);
}

export interface DecryptResult {
  data: Buffer;
  password: string;
}

/** Try each password; the decrypted package (a ZIP) for the first that is right. */
export function decryptAgilePackage(encryptionInfo: Buffer, encryptedPackage: Buffer, passwords: string[]): DecryptResult | null {
  const info = parseAgileInfo(encryptionInfo);
  if (!info || encryptedPackage.length < 8) return null;
  const size = Number(encryptedPackage.readBigUInt64LE(0));
  if (size > MAX_PACKAGE || size > encryptedPackage.length) return null;
  for (const password of passwords) {
    const key = packageKey(info, password);
    if (!key) continue;
    const body = encryptedPackage.subarray(8);
    const out = Buffer.alloc(Math.ceil(body.length / 16) * 16);
    let written = 0;
    for (let seg = 0, off = 0; off < body.length; seg++, off += 4096) {
      const idx = Buffer.alloc(4);
      idx.writeUInt32LE(seg, 0);
      const iv = fit(createHash(info.keyData.hash).update(info.keyData.salt).update(idx).digest(), info.keyData.blockSize);
      const chunk = body.subarray(off, Math.min(off + 4096, body.length));
      const usable = chunk.subarray(0, chunk.length - (chunk.length % 16));
      const plain = aesCbc(key, iv, usable);
      plain.copy(out, written);
      written += plain.length;
    }
    return { data: out.subarray(0, size), password };
  }
  return null;
}
