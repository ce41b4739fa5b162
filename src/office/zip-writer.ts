// A minimal ZIP writer (stored entries, optional ZipCrypto or WinZip AES-256), for --extract,
// which hands samples out the field's way (inside a ZIP with the password "infected"), and
// for the sample generator, which needs Emotet's password-protected ZIPs with deterministic
// bytes. fflate and yazl write ZIPs but neither encrypts, so the few lines are written here.
import { crc32 } from 'node:zlib';
import { aesAuthCode, aesCtrXor, deriveAesKeys } from './winzip-aes.js';
import { ZipCryptoKeys } from './zipcrypto.js';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

/** DOS date/time for a fixed moment, so that output bytes do not depend on the clock. */
function dosDateTime(ms: number): { time: number; date: number } {
  const d = new Date(ms);
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: (Math.max(0, d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

/**
 * Write a ZIP of stored entries. With a password, entries are ZipCrypto-encrypted; the
 * 12-byte encryption header comes from `headerBytes` (deterministic in the samples).
 */
export function writeZip(
  entries: ZipEntry[],
  opts: { password?: string; encryption?: 'zipcrypto' | 'aes256'; mtimeMs: number; headerBytes?: (n: number) => Buffer },
): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const { time, date } = dosDateTime(opts.mtimeMs);
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    let crc = crc32(e.data) >>> 0;
    let payload = e.data;
    let flags = 0x0800; // names are UTF-8
    let method = 0;
    let extra = Buffer.alloc(0);
    if (opts.password !== undefined && opts.encryption === 'aes256') {
      // WinZip AE-2, AES-256, stored: salt, verifier, ciphertext, 10-byte HMAC; CRC written as 0.
      flags |= 0x0001;
      method = 99;
      const salt = Buffer.from(opts.headerBytes ? opts.headerBytes(16) : Buffer.alloc(16, 0x5a));
      const keys = deriveAesKeys(opts.password, salt, 3);
      const ciphertext = aesCtrXor(keys.key, e.data);
      payload = Buffer.concat([salt, keys.verifier, ciphertext, aesAuthCode(keys.hmacKey, ciphertext)]);
      crc = 0;
      extra = Buffer.from([0x01, 0x99, 0x07, 0x00, 0x02, 0x00, 0x41, 0x45, 0x03, 0x00, 0x00]);
    } else if (opts.password !== undefined) {
      flags |= 0x0001;
      const keys = new ZipCryptoKeys(Buffer.from(opts.password, 'utf8'));
      const header = Buffer.from(opts.headerBytes ? opts.headerBytes(12) : Buffer.alloc(12, 0x5a));
      header[11] = crc >>> 24; // the check byte readers use to reject a wrong password
      payload = Buffer.concat([keys.encrypt(header), keys.encrypt(e.data)]);
    }
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(payload.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extra.length, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(payload.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, extra, payload);
    centrals.push(central, name, extra);
    offset += local.length + name.length + extra.length + payload.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  // More entries than the 16-bit fields hold: the counts go into ZIP64 records (APPNOTE 4.3.14-15).
  const zip64 = entries.length > 0xffff;
  end.writeUInt16LE(zip64 ? 0xffff : entries.length, 8);
  end.writeUInt16LE(zip64 ? 0xffff : entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  if (!zip64) return Buffer.concat([...locals, cd, end]);
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeUInt16LE(45, 12);
  record.writeUInt16LE(45, 14);
  record.writeBigUInt64LE(BigInt(entries.length), 24);
  record.writeBigUInt64LE(BigInt(entries.length), 32);
  record.writeBigUInt64LE(BigInt(cd.length), 40);
  record.writeBigUInt64LE(BigInt(offset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(offset + cd.length), 8);
  locator.writeUInt32LE(1, 16);
  return Buffer.concat([...locals, cd, record, locator, end]);
}
