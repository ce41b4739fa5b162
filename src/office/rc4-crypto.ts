// The two RC4 schemes of Office 97–2003 binary documents (MS-OFFCRYPTO 2.3.5 RC4
// CryptoAPI, 2.3.6 "Office binary document RC4"): reading their encryption header,
// checking a password against the verifier, and the per-block keys. What is encrypted
// where (records, streams, persist objects) is for the format readers: xls-decrypt,
// doc-decrypt, ppt-decrypt.
//
// RC4 itself is written here: Node 20's OpenSSL 3 keeps RC4 in the legacy provider, which a
// library cannot load (createCipheriv('rc4') throws "unsupported"; getCiphers() lists no
// rc4), so node:crypto gives only the hashes.
import { createHash } from 'node:crypto';

/** Where skipped keystream goes: its contents are never read. */
const SKIP_SCRATCH = new Uint8Array(1024);

/** RC4 (the keystream generator) over a key of 1 to 256 bytes. */
export class Rc4 {
  private readonly s = new Uint8Array(256);
  private i = 0;
  private j = 0;

  constructor(key: Uint8Array) {
    if (key.length === 0 || key.length > 256) throw new RangeError(`RC4 key of ${key.length} bytes`);
    const s = this.s;
    for (let n = 0; n < 256; n++) s[n] = n;
    for (let n = 0, j = 0; n < 256; n++) {
      j = (j + s[n]! + key[n % key.length]!) & 0xff;
      const t = s[n]!;
      s[n] = s[j]!;
      s[j] = t;
    }
  }

  /** XOR the keystream into data[start, end) in place. */
  xor(data: Uint8Array, start = 0, end = data.length): void {
    const s = this.s;
    let { i, j } = this;
    for (let n = start; n < end; n++) {
      i = (i + 1) & 0xff;
      j = (j + s[i]!) & 0xff;
      const t = s[i]!;
      s[i] = s[j]!;
      s[j] = t;
      data[n] = data[n]! ^ s[(s[i]! + s[j]!) & 0xff]!;
    }
    this.i = i;
    this.j = j;
  }

  /** Advance the keystream by n bytes without using them. */
  skip(n: number): void {
    for (let left = n; left > 0; left -= SKIP_SCRATCH.length) this.xor(SKIP_SCRATCH, 0, Math.min(left, SKIP_SCRATCH.length));
  }
}

export type Rc4Scheme = 'rc4' | 'rc4-cryptoapi';

/** The encryption header of either scheme, as far as decryption needs it. */
export interface Rc4EncryptionHeader {
  scheme: Rc4Scheme;
  salt: Buffer;
  encryptedVerifier: Buffer;
  encryptedVerifierHash: Buffer;
  /** Key length in bits: 40 for 'rc4' (2.3.6.2 truncates to 40 bits), 40–128 for CryptoAPI. */
  keyBits: number;
  /** RC4 CryptoAPI EncryptionHeader.Flags (fDocProps 0x08 moves the summary streams into "encryption"). */
  flags: number;
  /** Bytes the header occupies, from its Version field. */
  size: number;
}

const ALG_RC4 = 0x6801;
const ALG_SHA1 = 0x8004;

/**
 * Parse an RC4 or RC4 CryptoAPI encryption header, starting at its Version field (2.1.4).
 * Every length is checked against the bytes given: a hostile header gets an error, not a
 * read past its end.
 */
export function parseRc4EncryptionHeader(b: Buffer): Rc4EncryptionHeader | { error: string } {
  if (b.length < 4) return { error: `encryption header of ${b.length} bytes` };
  const major = b.readUInt16LE(0);
  const minor = b.readUInt16LE(2);
  if (major === 1 && minor === 1) {
    // 2.3.6.1: Salt, EncryptedVerifier, EncryptedVerifierHash, 16 bytes each.
    if (b.length < 52) return { error: `RC4 encryption header of ${b.length} bytes, 52 needed` };
    return { scheme: 'rc4', salt: b.subarray(4, 20), encryptedVerifier: b.subarray(20, 36), encryptedVerifierHash: b.subarray(36, 52), keyBits: 40, flags: 0, size: 52 };
  }
  if (!((major === 2 || major === 3 || major === 4) && minor === 2)) return { error: `encryption version ${major}.${minor} is not RC4 or RC4 CryptoAPI` };
  // 2.3.5.1: Version, Flags copy, EncryptionHeaderSize, EncryptionHeader, EncryptionVerifier.
  if (b.length < 12) return { error: 'RC4 CryptoAPI header truncated' };
  const headerSize = b.readUInt32LE(8);
  // Eight 32-bit fields before CSPName; the verifier (4 + 16 + 16 + 4 + 20 bytes) follows.
  if (headerSize < 32 || 12 + headerSize + 60 > b.length) return { error: `RC4 CryptoAPI EncryptionHeaderSize ${headerSize} does not fit the ${b.length} bytes given` };
  const h = b.subarray(12, 12 + headerSize);
  const flags = h.readUInt32LE(0);
  const algId = h.readUInt32LE(8);
  const algIdHash = h.readUInt32LE(12);
  const rawKeyBits = h.readUInt32LE(16);
  if (algId !== ALG_RC4 && algId !== 0) return { error: `RC4 CryptoAPI AlgID 0x${algId.toString(16)} is not RC4` };
  if (algIdHash !== ALG_SHA1 && algIdHash !== 0) return { error: `RC4 CryptoAPI AlgIDHash 0x${algIdHash.toString(16)} is not SHA-1` };
  // 2.3.5.1: 0x28–0x80 bits in steps of 8; 0 means 40 bits.
  const keyBits = rawKeyBits === 0 ? 40 : rawKeyBits;
  if (keyBits < 40 || keyBits > 128 || keyBits % 8 !== 0) return { error: `RC4 CryptoAPI key size of ${rawKeyBits} bits (40 to 128 in steps of 8 allowed)` };
  const v = b.subarray(12 + headerSize);
  const saltSize = v.readUInt32LE(0);
  if (saltSize !== 16) return { error: `RC4 CryptoAPI salt of ${saltSize} bytes, 16 required` };
  const verifierHashSize = v.readUInt32LE(36);
  if (verifierHashSize !== 20) return { error: `RC4 CryptoAPI verifier hash of ${verifierHashSize} bytes, 20 (SHA-1) required` };
  return { scheme: 'rc4-cryptoapi', salt: v.subarray(4, 20), encryptedVerifier: v.subarray(20, 36), encryptedVerifierHash: v.subarray(40, 60), keyBits, flags, size: 12 + headerSize + 60 };
}

/** The document key of one password: the RC4 key for any block number. */
export interface Rc4DocumentKey {
  scheme: Rc4Scheme;
  keyForBlock(block: number): Buffer;
}

function blockBytes(block: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(block >>> 0, 0);
  return b;
}

/** The block keys of a password, unchecked (2.3.5.2, 2.3.6.2). */
export function rc4DocumentKey(header: Rc4EncryptionHeader, password: string): Rc4DocumentKey {
  const pw = Buffer.from(password, 'utf16le');
  if (header.scheme === 'rc4') {
    // 2.3.6.2: H0 = MD5(password); 16 × (first 40 bits of H0 + salt); its MD5 truncated to
    // 40 bits; the block key is MD5(that + block), all 128 bits of it.
    const h0 = createHash('md5').update(pw).digest().subarray(0, 5);
    const unit = Buffer.concat([h0, header.salt]);
    const h1 = createHash('md5').update(Buffer.concat(Array.from({ length: 16 }, () => unit))).digest().subarray(0, 5);
    return { scheme: 'rc4', keyForBlock: (block) => createHash('md5').update(h1).update(blockBytes(block)).digest() };
  }
  // 2.3.5.2: H0 = SHA-1(salt + password), Hfinal = SHA-1(H0 + block), the first keyBits of
  // it; a 40-bit key is padded with 88 zero bits to 128 bits.
  const h0 = createHash('sha1').update(header.salt).update(pw).digest();
  const bytes = header.keyBits / 8;
  return {
    scheme: 'rc4-cryptoapi',
    keyForBlock: (block) => {
      const h = createHash('sha1').update(h0).update(blockBytes(block)).digest();
      return bytes === 5 ? Buffer.concat([h.subarray(0, 5), Buffer.alloc(11)]) : h.subarray(0, bytes);
    },
  };
}

/**
 * The key for a password, or null when the verifier says it is wrong (2.3.5.6, 2.3.6.4):
 * the verifier and its hash are decrypted as one RC4 stream under the block-0 key, and the
 * hash (MD5 or SHA-1) of the first must equal the second.
 */
export function rc4KeyForPassword(header: Rc4EncryptionHeader, password: string): Rc4DocumentKey | null {
  const key = rc4DocumentKey(header, password);
  const rc4 = new Rc4(key.keyForBlock(0));
  const verifier = Buffer.from(header.encryptedVerifier);
  const hash = Buffer.from(header.encryptedVerifierHash);
  rc4.xor(verifier);
  rc4.xor(hash);
  const expected = createHash(header.scheme === 'rc4' ? 'md5' : 'sha1').update(verifier).digest();
  return expected.equals(hash.subarray(0, expected.length)) ? key : null;
}

/**
 * The keystream of a stream encrypted in blocks of `blockSize` bytes, the key changed at
 * each block boundary (block n from stream offset n × blockSize). Bytes that are stored in
 * clear still use up their keystream, so callers name stream offsets, moving forward only.
 */
export class Rc4BlockStream {
  private block = -1;
  private used = 0;
  private rc4: Rc4 | null = null;

  constructor(
    private readonly key: Rc4DocumentKey,
    private readonly blockSize: number,
  ) {}

  /** Decrypt (or encrypt) data[start, end), where data[n] sits at stream offset n. */
  xor(data: Uint8Array, start: number, end: number): void {
    let pos = start;
    while (pos < end) {
      const block = Math.floor(pos / this.blockSize);
      const inBlock = pos - block * this.blockSize;
      if (block !== this.block || inBlock < this.used) {
        this.rc4 = new Rc4(this.key.keyForBlock(block));
        this.block = block;
        this.used = 0;
      }
      this.rc4!.skip(inBlock - this.used);
      const n = Math.min(end - pos, this.blockSize - inBlock);
      this.rc4!.xor(data, pos, pos + n);
      this.used = inBlock + n;
      pos += n;
    }
  }
}
