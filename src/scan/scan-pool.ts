// Where the scan's per-message work runs: a piscina pool of worker threads (one per core by
// default), or this thread when `threads` is 0 (a debugging aid, and the fallback when the
// compiled worker script is not there, as when the sources run under a TypeScript loader).
// Each task carries a time limit: a task that runs over it has its worker terminated and
// comes back as an error, which the pipeline records against the task's messages.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { AnalyseBatchResult, AnalyseBatchTask, AnalyseTask, AnalyseTaskResult, ParseTask, ParseTaskResult, ReadLogTask, ReadPstTask } from './scan-worker.js';

export const POOL_LIMITS = {
  /** A parse task (up to TASK_LIMITS in scan-pipeline.ts) taking longer than this is abandoned. */
  parseTaskMillis: 300_000,
  /** One attachment's analysis; inspect's own deadline (30 s per object) normally ends it first. */
  analyseTaskMillis: 120_000,
  /**
   * Heap of one worker; a message that needs more fails alone instead of taking the machine.
   * With the main thread and the other worker, and the bytes outside the heaps, this keeps
   * the process under 400 MB (128 MB left the fuzzer's large-mail batches at 403 MB).
   */
  workerHeapMB: 112,
};

export interface ScanRunner {
  readonly threads: number;
  parse(task: ParseTask): Promise<ParseTaskResult>;
  analyse(task: AnalyseTask): Promise<AnalyseTaskResult>;
  /** Several small attachments in one task; the time limit is the batch's, and the caller tries each alone when it is hit. */
  analyseBatch(task: AnalyseBatchTask): Promise<AnalyseBatchResult>;
  /** Parse a log, its facts streamed on the task's port; no time limit (a log of 50 M lines takes minutes). */
  readLog(task: ReadLogTask): Promise<void>;
  /** Read a PST/OST store, its items streamed on the task's port; `signal` ends it (the writer's watchdog). */
  readPst(task: ReadPstTask, signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** The worker's code loaded into this thread when first needed (the pool's main thread never loads it). */
const inThread = () => import('./scan-worker.js');

class InThreadRunner implements ScanRunner {
  readonly threads = 0;
  async parse(task: ParseTask) {
    return (await inThread()).parseTask(task);
  }
  async analyse(task: AnalyseTask) {
    return (await inThread()).analyse(task);
  }
  async analyseBatch(task: AnalyseBatchTask) {
    return (await inThread()).analyseBatchTask(task);
  }
  async readLog(task: ReadLogTask) {
    return (await inThread()).readLog(task);
  }
  async readPst(task: ReadPstTask) {
    return (await inThread()).readPstStore(task);
  }
  async close() {}
}

class PoolRunner implements ScanRunner {
  private started: Piscina | null = null;
  constructor(
    readonly threads: number,
    private readonly filename: string,
  ) {}

  /** The workers start with the first task: a scan of logs alone never needs them. */
  private get pool(): Piscina {
    this.started ??= new Piscina({
      filename: this.filename,
      minThreads: this.threads,
      maxThreads: this.threads,
      idleTimeout: 60_000,
      // Tasks are handed to workers by this thread's event loop; while it writes a batch to the
      // case file, a worker with a task or two queued at its side stays busy.
      concurrentTasksPerWorker: 2,
      atomics: 'disabled',
      resourceLimits: { maxOldGenerationSizeMb: POOL_LIMITS.workerHeapMB, maxYoungGenerationSizeMb: 12 },
    });
    return this.started;
  }
  parse(task: ParseTask): Promise<ParseTaskResult> {
    return this.pool.run(task, { name: 'parse', transferList: [task.raws.bytes.buffer as ArrayBuffer], signal: AbortSignal.timeout(POOL_LIMITS.parseTaskMillis) });
  }
  analyse(task: AnalyseTask): Promise<AnalyseTaskResult> {
    return this.pool.run(task, { name: 'analyse', transferList: [task.content.buffer as ArrayBuffer], signal: AbortSignal.timeout(POOL_LIMITS.analyseTaskMillis) });
  }
  analyseBatch(task: AnalyseBatchTask): Promise<AnalyseBatchResult> {
    return this.pool.run(task, { name: 'analyseBatch', transferList: [task.contents.bytes.buffer as ArrayBuffer], signal: AbortSignal.timeout(POOL_LIMITS.analyseTaskMillis) });
  }
  readLog(task: ReadLogTask): Promise<void> {
    return this.pool.run(task, { name: 'readLog', transferList: [task.port] });
  }
  readPst(task: ReadPstTask, signal: AbortSignal): Promise<void> {
    return this.pool.run(task, { name: 'readPstStore', transferList: [task.port], signal });
  }
  async close(): Promise<void> {
    await this.started?.destroy();
  }
}

/**
 * Why a task failed as a whole, with the limit that stopped it: the error record names the
 * limit, so a responder knows whether to raise it (a huge but real mail) or not (a trap).
 */
export function workerFailure(e: unknown, task: 'parse' | 'analyse'): string {
  const err = e as { code?: string; name?: string; message?: string };
  if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') return `ran out of its ${POOL_LIMITS.workerHeapMB} MB heap`;
  if (err.name === 'AbortError' || err.name === 'TimeoutError' || /aborted/i.test(err.message ?? '')) {
    return `ran over its ${(task === 'parse' ? POOL_LIMITS.parseTaskMillis : POOL_LIMITS.analyseTaskMillis) / 1000} s time limit`;
  }
  return `its worker stopped: ${err.message ?? String(e)}`;
}

/** The default number of worker threads: one per core. */
export function defaultThreads(): number {
  return availableParallelism();
}

export function createRunner(threads = defaultThreads()): ScanRunner {
  const script = fileURLToPath(new URL('./scan-worker.js', import.meta.url));
  if (threads <= 0 || !existsSync(script)) return new InThreadRunner();
  return new PoolRunner(threads, script);
}
