// Part-level reduction of a failing OOXML package, before the byte-level minimiser: byte
// cuts inside a deflated package break its streams, so they rarely keep a part-reader
// failure. Here the package is repacked stored, parts are dropped one by one, and what is
// left of each part is cut in chunks, each candidate repacked, kept while it still fails.
import { packParts, unpackParts, type Parts } from './zip-parts.js';

export interface PartReduction {
  bytes: Buffer;
  attempts: number;
  /** False when the stored repack did not fail: the failure is in the container's own bytes. */
  applied: boolean;
}

export async function reduceParts(input: Buffer, stillFails: (candidate: Buffer) => Promise<boolean>, budgetSeconds: number): Promise<PartReduction> {
  const deadline = Date.now() + budgetSeconds * 1000;
  const parts = unpackParts(input);
  if (!parts) return { bytes: input, attempts: 0, applied: false };
  let cur: Parts = parts;
  let bytes = input;
  let attempts = 0;
  const timeLeft = () => Date.now() < deadline;
  const tryKeep = async (candidate: Parts): Promise<boolean> => {
    if (!timeLeft()) return false;
    const b = packParts(candidate, 0);
    attempts++;
    if (!(await stillFails(b))) return false;
    cur = candidate;
    bytes = b;
    return true;
  };

  if (!(await tryKeep({ ...cur }))) return { bytes: input, attempts, applied: false };
  const bySize = () => Object.keys(cur).sort((a, b) => cur[b]!.length - cur[a]!.length);
  for (const name of bySize()) {
    const rest = { ...cur };
    delete rest[name];
    await tryKeep(rest);
  }
  for (const name of bySize()) {
    // Chunks down to 1/256 of the part: finer than that is the byte minimiser's job.
    const floor = Math.max(1, cur[name]!.length >> 8);
    for (let chunk = cur[name]!.length >> 1; chunk >= floor && timeLeft(); chunk >>= 1) {
      for (let off = 0; off < cur[name]!.length && timeLeft(); ) {
        const data = cur[name]!;
        const cut = new Uint8Array(data.length - Math.min(chunk, data.length - off));
        cut.set(data.subarray(0, off), 0);
        cut.set(data.subarray(off + chunk), off);
        if (!(await tryKeep({ ...cur, [name]: cut }))) off += chunk;
      }
    }
  }
  return { bytes, attempts, applied: true };
}
