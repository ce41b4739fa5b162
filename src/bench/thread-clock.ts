// Where a process's CPU time goes, thread by thread, read from /proc (Linux). Node 20 has no
// per-thread CPU clock (process.threadCpuUsage came later) and names every thread "node", so
// the threads are told apart by id: the main thread's id is the process id, and the scan's
// worker threads are the ones that did most of the rest.
import { readdirSync, readFileSync } from 'node:fs';

/** On-CPU nanoseconds of one thread (first field of schedstat), or null when it is gone. */
function threadNanos(tid: number | string): number | null {
  try {
    return Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'latin1').split(' ')[0]);
  } catch {
    return null;
  }
}

export interface ThreadTimes {
  /** CPU ms of the main thread (the event loop: splitting, batching, SQLite writes). */
  mainCpuMs: number;
  /** CPU ms of every other thread, by thread id, as last seen (a thread's last moments before it ended are lost). */
  others: { tid: number; cpuMs: number }[];
}

/**
 * Samples every thread of this process while `during` runs: a thread that ends between two
 * samples (a worker when its pool closes) keeps the time of the last one. The sampling itself
 * costs the main thread a few reads of /proc every `everyMs`.
 */
export async function threadTimes<T>(during: () => Promise<T>, everyMs = 200): Promise<{ result: T; times: ThreadTimes | null }> {
  if (threadNanos(process.pid) === null) return { result: await during(), times: null };
  const start = new Map<string, number>();
  const last = new Map<string, number>();
  const sample = (into: Map<string, number>) => {
    for (const tid of readdirSync('/proc/self/task')) {
      const ns = threadNanos(tid);
      if (ns !== null) into.set(tid, ns);
    }
  };
  sample(start);
  const timer = setInterval(() => sample(last), everyMs);
  try {
    const result = await during();
    sample(last);
    const ms = (tid: string) => ((last.get(tid) ?? 0) - (start.get(tid) ?? 0)) / 1e6;
    const main = String(process.pid);
    const others = [...last.keys()].filter((t) => t !== main).map((t) => ({ tid: Number(t), cpuMs: ms(t) })).filter((t) => t.cpuMs > 0).sort((a, b) => b.cpuMs - a.cpuMs);
    return { result, times: { mainCpuMs: ms(main), others } };
  } finally {
    clearInterval(timer);
  }
}
