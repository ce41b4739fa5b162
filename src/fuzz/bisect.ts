// Find the mutants that make a failing batch fail: run each half on its own and recurse
// into the halves that fail, down to single files. A failure no half reproduces needs the
// files together (memory that grows across files, say) and is reported as a group.
//
// Triage must not eat the fuzzing time when one known crash is everywhere (a .msg loop
// fails a fifth of all mutants): a part that fails with a failure already saved is not
// split further, and a batch's triage stops at a deadline. The cost is that another bug
// in the same part as a known crash goes unseen in this batch; later batches mix anew.
import type { Verdict } from './verdict.js';

export interface Group {
  files: string[];
  verdict: Verdict;
}

export interface Culprit {
  file: string;
  /** The verdict of the file run on its own. */
  verdict: Verdict;
}

export interface Isolation {
  culprits: Culprit[];
  /** Smallest groups that failed while none of their halves did. */
  together: Group[];
  /** Parts that failed with an already saved failure, not split further. */
  known: Group[];
  /** Parts left when the deadline passed. */
  unresolved: Group[];
  runs: number;
}

export interface IsolateOptions {
  isKnown(signature: string): boolean;
  /** Date.now() value after which no part is split any more. */
  deadline: number;
}

export async function isolate(run: (files: string[]) => Promise<Verdict | null>, files: string[], verdict: Verdict, o: IsolateOptions): Promise<Isolation> {
  const out: Isolation = { culprits: [], together: [], known: [], unresolved: [], runs: 0 };
  const visit = async (group: string[], v: Verdict, top: boolean): Promise<void> => {
    if (group.length === 1) {
      out.culprits.push({ file: group[0]!, verdict: v });
      return;
    }
    // The whole batch is always split once: its other half may hold something new.
    if (!top && o.isKnown(v.signature)) {
      out.known.push({ files: group, verdict: v });
      return;
    }
    if (Date.now() > o.deadline) {
      out.unresolved.push({ files: group, verdict: v });
      return;
    }
    const mid = Math.ceil(group.length / 2);
    let anyHalf = false;
    for (const half of [group.slice(0, mid), group.slice(mid)]) {
      out.runs++;
      const hv = await run(half);
      if (hv) {
        anyHalf = true;
        await visit(half, hv, false);
      }
    }
    if (!anyHalf) out.together.push({ files: group, verdict: v });
  };
  await visit(files, verdict, true);
  return out;
}
