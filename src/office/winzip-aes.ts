// WinZip AES (AE-1/AE-2) for ZIP entries: PBKDF2-HMAC-SHA1 (1000 rounds) derives the AES
// key, the HMAC key and a 2-byte password verifier; data is AES-CTR with a little-endian
// counter starting at 1, authenticated by the first 10 bytes of HMAC-SHA1 over the
// ciphertext. node:crypto has the primitives; its CTR mode counts big-endian, so the
// counter blocks are made here and encrypted with ECB.
import { createCipheriv, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';

export const AES_SALT_BYTES: Record<number, number> = { 1: 8, 2: 12, 3: 16 };
const KEY_BYTES: Record<number, number> = { 1: 16, 2: 24, 3: 32 };

export interface AesKeys {
  key: Buffer;
  hmacKey: Buffer;
  verifier: Buffer;
}

export function deriveAesKeys(password: string, salt: Buffer, strength: number): AesKeys {
  const n = KEY_BYTES[strength];
  if (!n) throw new Error(`unknown AES strength ${strength}`);
  const dk = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, 1000, 2 * n + 2, 'sha1');
  return { key: dk.subarray(0, n), hmacKey: dk.subarray(n, 2 * n), verifier: dk.subarray(2 * n) };
}

/** AES-CTR with WinZip's little-endian counter; the same call encrypts and decrypts. */
export function aesCtrXor(key: Buffer, data: Buffer): Buffer {
  const ecb = createCipheriv(`aes-${key.length * 8}-ecb`, key, null);
  ecb.setAutoPadding(false);
  const blocks = Math.ceil(data.length / 16);
  const counters = Buffer.alloc(blocks * 16);
  for (let i = 0; i < blocks; i++) counters.writeBigUInt64LE(BigInt(i + 1), i * 16);
  const stream = ecb.update(counters);
  const out = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]! ^ stream[i]!;
  return out;
}

export function aesAuthCode(hmacKey: Buffer, ciphertext: Buffer): Buffer {
  return createHmac('sha1', hmacKey).update(ciphertext).digest().subarray(0, 10);
}

/** Decrypt an entry's data (salt, verifier, ciphertext, auth code); null if the password is wrong. */
export function aesDecrypt(raw: Buffer, password: string, strength: number): Buffer | null {
  const saltLen = AES_SALT_BYTES[strength];
  if (!saltLen || raw.length < saltLen + 2 + 10) return null;
  const keys = deriveAesKeys(password, raw.subarray(0, saltLen), strength);
  if (!keys.verifier.equals(raw.subarray(saltLen, saltLen + 2))) return null;
  const ciphertext = raw.subarray(saltLen + 2, raw.length - 10);
  const auth = raw.subarray(raw.length - 10);
  if (!timingSafeEqual(aesAuthCode(keys.hmacKey, ciphertext), auth)) return null;
  return aesCtrXor(keys.key, ciphertext);
}
