// Shrink a failing file while the same failure reproduces, within a time budget. Three
// passes, coarse to fine: cut the tail, zero ranges, cut chunks. For binary containers
// (compound files, ZIPs) zeroing comes before cutting, because it keeps every offset
// valid, and cutting from the middle of a container rarely keeps a container.

export interface Minimised {
  bytes: Buffer;
  attempts: number;
  seconds: number;
  /** False when the budget ran out before the finest pass finished. */
  complete: boolean;
}

export async function minimise(
  input: Buffer,
  binary: boolean,
  stillFails: (candidate: Buffer) => Promise<boolean>,
  budgetSeconds: number,
): Promise<Minimised> {
  const started = Date.now();
  const deadline = started + budgetSeconds * 1000;
  let cur = input;
  let attempts = 0;
  const timeLeft = () => Date.now() < deadline;
  const tryKeep = async (candidate: Buffer): Promise<boolean> => {
    if (candidate.length === 0 || candidate.equals(cur) || !timeLeft()) return false;
    attempts++;
    if (await stillFails(candidate)) {
      cur = candidate;
      return true;
    }
    return false;
  };

  const truncateTail = async () => {
    for (let progress = true; progress && timeLeft(); ) {
      progress = false;
      for (const frac of [1 / 2, 3 / 4, 7 / 8, 15 / 16]) {
        if (await tryKeep(cur.subarray(0, Math.floor(cur.length * frac)))) {
          progress = true;
          break;
        }
      }
    }
  };

  const zeroRanges = async (minChunk: number) => {
    for (let chunk = cur.length >> 1; chunk >= minChunk && timeLeft(); chunk >>= 1) {
      for (let off = 0; off < cur.length && timeLeft(); off += chunk) {
        const end = Math.min(cur.length, off + chunk);
        if (cur.subarray(off, end).every((b) => b === 0)) continue;
        const z = Buffer.from(cur);
        z.fill(0, off, end);
        await tryKeep(z);
      }
    }
  };

  const cutChunks = async () => {
    for (let chunk = cur.length >> 1; chunk >= 1 && timeLeft(); chunk >>= 1) {
      for (let off = 0; off < cur.length && timeLeft(); ) {
        const candidate = Buffer.concat([cur.subarray(0, off), cur.subarray(off + chunk)]);
        // On success the next chunk has moved to `off`: try it without advancing.
        if (!(await tryKeep(candidate))) off += chunk;
      }
    }
  };

  await truncateTail();
  if (binary) {
    await zeroRanges(16);
    await cutChunks();
  } else {
    await cutChunks();
  }
  return { bytes: cur, attempts, seconds: (Date.now() - started) / 1000, complete: timeLeft() };
}
