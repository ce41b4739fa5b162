// Traditional PKWARE encryption (APPNOTE 6.1): three keys updated with CRC-32 and a linear
// congruence; each byte is XORed with a key-stream byte. Node's crypto has no such cipher.

function crcByte(crc: number, b: number): number {
  let c = (crc ^ b) & 0xff;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return (c ^ (crc >>> 8)) >>> 0;
}

export class ZipCryptoKeys {
  private k0 = 0x12345678;
  private k1 = 0x23456789;
  private k2 = 0x34567890;

  constructor(password: Buffer) {
    for (const c of password) this.update(c);
  }

  private update(c: number): void {
    this.k0 = crcByte(this.k0, c);
    this.k1 = (Math.imul((this.k1 + (this.k0 & 0xff)) >>> 0, 134775813) + 1) >>> 0;
    this.k2 = crcByte(this.k2, this.k1 >>> 24);
  }

  private streamByte(): number {
    const t = (this.k2 | 2) & 0xffff;
    return (Math.imul(t, t ^ 1) >>> 8) & 0xff;
  }

  encrypt(plain: Uint8Array): Buffer {
    const out = Buffer.alloc(plain.length);
    for (let i = 0; i < plain.length; i++) {
      out[i] = plain[i]! ^ this.streamByte();
      this.update(plain[i]!);
    }
    return out;
  }

  decrypt(data: Uint8Array): Buffer {
    const out = Buffer.alloc(data.length);
    for (let i = 0; i < data.length; i++) {
      const c = data[i]! ^ this.streamByte();
      out[i] = c;
      this.update(c);
    }
    return out;
  }
}
