// A ZIP package as named parts and back: what the OOXML mutators change, and what the
// minimiser reduces part by part. Reading goes through the fuzzer's own bounded layout
// (fflate's unzipSync walks a lying ZIP64 entry count for ever); writing is fflate's, with a
// fixed time stamp so that the same seed gives the same bytes.
import { zipSync, type Zippable } from 'fflate';
import { inflateRawSync } from 'node:zlib';
import { readZipLayout } from './zip-layout.js';

export type Parts = Record<string, Uint8Array>;

const MTIME = new Date(Date.UTC(2026, 0, 1));

/** Null unless every entry is plainly readable: stored or deflated, sizes that fit, at most 64 MB inflated. */
export function unpackParts(input: Buffer): Parts | null {
  if (input.length < 4 || input.readUInt32LE(0) !== 0x04034b50) return null;
  const l = readZipLayout(input);
  if (!l || l.locator64 !== null || l.central.length === 0 || l.central.length > 5000) return null;
  const parts: Parts = {};
  for (let i = 0; i < l.central.length; i++) {
    const c = l.central[i]!;
    const loc = l.locals[i];
    if (!loc || loc.dataOffset + c.csize > input.length || (c.method !== 0 && c.method !== 8)) return null;
    const raw = input.subarray(loc.dataOffset, loc.dataOffset + c.csize);
    try {
      parts[c.name] = c.method === 0 ? raw : inflateRawSync(raw, { maxOutputLength: 64 << 20 });
    } catch {
      return null;
    }
  }
  return parts;
}

/** Level 0 stores the parts: their bytes then appear as they are in the file. */
export function packParts(parts: Parts, level: 0 | 6 | 9): Buffer {
  const z: Zippable = {};
  for (const [name, data] of Object.entries(parts)) z[name] = [data, { level, mtime: MTIME }];
  return Buffer.from(zipSync(z, { mtime: MTIME }));
}
