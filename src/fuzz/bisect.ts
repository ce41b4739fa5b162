// Find the mutants that make a failing batch fail: run each half of the batch on its own
// and recurse into the halves that fail, down to single files. A failure that no half
// reproduces needs the files together (memory that grows across files, say): the group
// is reported as such rather than blamed on one file.
import type { Verdict } from './verdict.js';

export interface Culprit {
  file: string;
  /** The verdict of the file run on its own. */
  verdict: Verdict;
}

export interface Isolation {
  culprits: Culprit[];
  /** Smallest groups that failed while none of their halves did. */
  together: { files: string[]; verdict: Verdict }[];
  runs: number;
}

export async function isolate(run: (files: string[]) => Promise<Verdict | null>, files: string[], verdict: Verdict): Promise<Isolation> {
  const out: Isolation = { culprits: [], together: [], runs: 0 };
  const visit = async (group: string[], v: Verdict): Promise<void> => {
    if (group.length === 1) {
      out.culprits.push({ file: group[0]!, verdict: v });
      return;
    }
    const mid = Math.ceil(group.length / 2);
    let anyHalf = false;
    for (const half of [group.slice(0, mid), group.slice(mid)]) {
      out.runs++;
      const hv = await run(half);
      if (hv) {
        anyHalf = true;
        await visit(half, hv);
      }
    }
    if (!anyHalf) out.together.push({ files: group, verdict: v });
  };
  await visit(files, verdict);
  return out;
}
