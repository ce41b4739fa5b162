// PowerPoint 97–2003 keeps its VBA project not as an OLE storage but inside the
// "PowerPoint Document" stream: an ExternalOleObjectStg record (type 0x1011) holding the
// project's compound file, zlib-compressed when recInstance is 1 (MS-PPT 2.10.42/2.10.43).

import { constants, inflateSync } from 'node:zlib';
import { isOle } from './ole-container.js';

const RT_EXTERNAL_OLE_OBJECT_STG = 0x1011;
/** Records visited per stream; a real presentation has tens of thousands at most. */
const MAX_RECORDS = 1_000_000;
const MAX_INFLATED = 100 * 1024 * 1024;

/** Every embedded storage in the stream that is a compound file (VBA project or OLE object). */
export function pptEmbeddedStorages(stream: Buffer): { storages: Buffer[]; errors: string[] } {
  const storages: Buffer[] = [];
  const errors: string[] = [];
  let visited = 0;
  const walk = (start: number, end: number, depth: number) => {
    let p = start;
    while (p + 8 <= end) {
      if (++visited > MAX_RECORDS) {
        errors.push(`more than ${MAX_RECORDS} PowerPoint records`);
        return;
      }
      const verInst = stream.readUInt16LE(p);
      const type = stream.readUInt16LE(p + 2);
      const len = stream.readUInt32LE(p + 4);
      const body = p + 8;
      const next = body + len;
      if (next > end) return; // a cut record ends the walk of this level
      if ((verInst & 0x000f) === 0x000f && depth < 32) walk(body, next, depth + 1);
      else if (type === RT_EXTERNAL_OLE_OBJECT_STG && len > 4) {
        const compressed = verInst >> 4 === 1;
        try {
          const data = compressed ? // Some writers end the zlib data without its final block: keep what inflates.
            inflateSync(stream.subarray(body + 4, next), { maxOutputLength: MAX_INFLATED, finishFlush: constants.Z_SYNC_FLUSH }) : stream.subarray(body, next);
          if (isOle(data)) storages.push(Buffer.from(data));
        } catch (e) {
          errors.push(`embedded storage at ${p}: ${(e as Error).message}`);
        }
      }
      p = next;
    }
  };
  walk(0, stream.length, 0);
  return { storages, errors };
}
