// The OLE / Compound File container (MS-CFB), read with SheetJS cfb. This module only
// opens the container and lists its streams by path; what the streams mean is for the
// readers beside it (vba-project, biff-xlm, encryption).
import CFB from 'cfb';
import { CfbStructureError, checkCompoundFile } from './cfb-check.js';
import { quietly } from '../quiet-console.js';

export const OLE_LIMITS = {
  /** A compound file larger than this is not opened: Office documents in mail are far smaller. */
  maxFileBytes: 200 * 1024 * 1024,
};

export const OLE_MAGIC = Buffer.from('d0cf11e0a1b11ae1', 'hex');

export function isOle(b: Uint8Array): boolean {
  return b.length >= 8 && Buffer.from(b.buffer, b.byteOffset, 8).equals(OLE_MAGIC);
}

export interface OleStream {
  /** Path below the root, '/'-separated, e.g. "Macros/VBA/dir". */
  path: string;
  content: Buffer;
}

export interface OleContainer {
  streams: Map<string, OleStream>;
  /** Storage paths (folders), e.g. "Macros/VBA". */
  storages: string[];
}

export class OleError extends Error {}

export function openOle(bytes: Buffer): OleContainer {
  if (!isOle(bytes)) throw new OleError('not a compound file (no D0CF11E0 signature)');
  if (bytes.length > OLE_LIMITS.maxFileBytes) throw new OleError(`compound file larger than ${OLE_LIMITS.maxFileBytes} bytes`);
  let cfb: CFB.CFB$Container;
  try {
    // SheetJS cfb follows every chain as written; a looping one never ends (cfb-check.ts).
    checkCompoundFile(bytes);
    // SheetJS cfb prints some of what it finds wrong with a file.
    cfb = quietly(() => CFB.read(bytes, { type: 'buffer' })).value;
  } catch (e) {
    throw new OleError(e instanceof CfbStructureError ? `broken compound file: ${e.message}` : `unreadable compound file: ${(e as Error).message}`);
  }
  const streams = new Map<string, OleStream>();
  const storages: string[] = [];
  cfb.FileIndex.forEach((entry, i) => {
    const full = cfb.FullPaths[i] ?? '';
    const path = full.replace(/^[^/]*\//, '').replace(/\/$/, '');
    if (entry.type === 1) storages.push(path);
    else if (entry.type === 2) {
      const c = entry.content as Uint8Array | number[] | undefined;
      streams.set(path, { path, content: c ? Buffer.from(c as Uint8Array) : Buffer.alloc(0) });
    }
  });
  return { streams, storages };
}

/** Case-insensitive lookup: stream names are case-insensitive in MS-CFB. */
export function findStream(ole: OleContainer, path: string): OleStream | undefined {
  const exact = ole.streams.get(path);
  if (exact) return exact;
  const lower = path.toLowerCase();
  for (const [p, s] of ole.streams) if (p.toLowerCase() === lower) return s;
  return undefined;
}
