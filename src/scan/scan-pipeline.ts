// The scan's ordered pipeline. The reader (mbox split, file reads) pushes raw messages in
// input order; they are parsed in batches on the worker pool, their attachments that the case
// has not analysed are analysed there too (once per SHA-256), and the outcomes are handed
// back to `deliver` on this thread strictly in the order they were pushed, so that the
// writer commits messages with the resume offset of the last one it holds.
//
// At most `maxTasksInFlight` batches are out at a time: memory stays bounded whatever the
// input size, and `push` waits when the window is full.
import type { ParsedMessage } from '../mail/types.js';
import type { InspectResult } from '../office/inspect.js';
import type { Extractor } from '../report/extract.js';
import type { AnalysisStore } from '../store/analysis-store.js';
import { workerFailure, type ScanRunner } from './scan-pool.js';
import type { AnalyseTaskResult, ItemKind, ParsedItem } from './scan-worker.js';
import { handedOver, owned, pack, unpack } from './transfer.js';

export const TASK_LIMITS = {
  /** Messages per parse task: large enough that the thread hand-over is noise, small enough to spread. */
  maxItems: 64,
  /** Raw bytes per parse task. */
  maxBytes: 2 * 1024 * 1024,
  /**
   * A message or attachment this large is parsed or analysed in a task of its own, moved to
   * the worker without a copy, and only one such task runs at a time: parsing a mail takes a
   * few times its size in memory, mailparser's fallback up to twenty times, and two of them
   * side by side on 2 workers were what took the process over 400 MB (issue 14's fuzzing).
   */
  largeBytes: 4 * 1024 * 1024,
};

export type Outcome =
  | {
      message: ParsedMessage;
      passwords: string[];
      /** Analyses run for this message's attachments, by SHA-256 (attachments analysed before are not here). */
      analyses: Map<string, InspectResult>;
      /** Attachments whose analysis failed (worker crash or time limit). */
      analysisErrors: string[];
    }
  /** `read`: pushed as an error (the reader's own words); `parse`: the message could not be parsed. */
  | { error: string; stage: 'read' | 'parse' };

/** A pushed item: a raw message to parse, a message read already (a PST item), or an error found before parsing. */
type Pending<M> =
  | { meta: M; kind: ItemKind; raw: Buffer }
  | { meta: M; raw: null; parsed: ParsedItem & { contents: Buffer[] } }
  | { meta: M; raw: null; error: string };

export class ScanPipeline<M> {
  private pending: Pending<M>[] = [];
  private pendingBytes = 0;
  private readonly inFlight: Promise<void>[] = [];
  private dispatchTail: Promise<unknown> = Promise.resolve();
  private deliverTail: Promise<unknown> = Promise.resolve();
  /** Analyses started in this run and not yet known to be committed, by SHA-256 … */
  private readonly bySha = new Map<string, { seq: number; result: Promise<InspectResult> }>();
  /** … and by SHA-256 and password candidates, for archives that need a mail's passwords. */
  private readonly byShaAndPasswords = new Map<string, { seq: number; result: Promise<InspectResult> }>();
  private seq = 0;
  private deliveredSeq = -1;
  /** The end of the last large task queued (oneLargeAtATime). */
  private largeTail: Promise<unknown> = Promise.resolve();
  private failure: unknown = null;
  /** The small analyses of the batch being dispatched, sent together when it has been (runQueued). */
  private queued: QueuedAnalysis[] | null = null;
  private readonly maxTasksInFlight: number;
  /** Analyses actually run in this pipeline (for the bench and the tests). */
  analysesRun = 0;

  constructor(
    private readonly runner: ScanRunner,
    private readonly analyses: AnalysisStore,
    private readonly deliver: (meta: M, outcome: Outcome) => void,
    private readonly extract?: Extractor,
  ) {
    this.maxTasksInFlight = Math.max(2, runner.threads * 4);
  }

  /**
   * Queue one raw message (`kind` says how to read it). The pipeline takes `raw`: a large
   * one's memory is moved to a worker, so the caller must not read it afterwards.
   */
  async push(meta: M, kind: ItemKind, raw: Buffer): Promise<void> {
    if (raw.length >= TASK_LIMITS.largeBytes) await this.submit();
    this.pending.push({ meta, kind, raw });
    if (raw.length >= TASK_LIMITS.largeBytes) {
      await this.submit();
      return;
    }
    this.pendingBytes += raw.length;
    if (this.pending.length >= TASK_LIMITS.maxItems || this.pendingBytes >= TASK_LIMITS.maxBytes) await this.submit();
  }

  /**
   * Queue a message a reader has parsed already (a PST store's item, read on its own worker),
   * with its attachments' bytes: only their analyses are left to run.
   */
  async pushParsed(meta: M, parsed: ParsedItem & { contents: Buffer[] }): Promise<void> {
    this.pending.push({ meta, raw: null, parsed });
    if (this.pending.length >= TASK_LIMITS.maxItems) await this.submit();
  }

  /** Queue an item that failed before parsing (oversize, unreadable): delivered in its place in the order. */
  async pushError(meta: M, error: string): Promise<void> {
    this.pending.push({ meta, raw: null, error });
    if (this.pending.length >= TASK_LIMITS.maxItems) await this.submit();
  }

  /** Wait until everything pushed so far has been delivered. */
  async drain(): Promise<void> {
    await this.submit();
    await this.deliverTail;
    this.rethrow();
  }

  /**
   * The writer has committed everything delivered so far: analyses of fully delivered
   * batches are in the case file now (AnalysisStore finds them), so the run's maps let go.
   */
  committed(): void {
    for (const map of [this.bySha, this.byShaAndPasswords]) {
      for (const [k, v] of map) if (v.seq < this.deliveredSeq) map.delete(k);
    }
  }

  private rethrow(): void {
    if (this.failure) throw this.failure;
  }

  private async submit(): Promise<void> {
    this.rethrow();
    if (this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    const seq = this.seq++;
    const toParse = items.flatMap((i) => (i.raw === null ? [] : [[i.kind, i.raw] as const]));
    // The parsed items in push order, those read already in their places.
    const parsed = this.parseAll(toParse).then((out) => {
      let k = 0;
      return items.flatMap((i) => (i.raw !== null ? [out[k++]!] : 'parsed' in i ? [i.parsed] : []));
    });
    // Analyses are decided in push order (so that "analysed once" holds across batches) …
    const decided: Promise<Promise<Outcome>[]> = this.dispatchTail.then(async () => this.dispatch(seq, await parsed));
    this.dispatchTail = decided;
    // … and outcomes are delivered in push order.
    const delivered: Promise<void> = this.deliverTail.then(async () => {
      const outcomes = await decided;
      let k = 0;
      for (const item of items) {
        if (item.raw === null && 'error' in item) this.deliver(item.meta, { error: item.error, stage: 'read' });
        else this.deliver(item.meta, await outcomes[k++]!);
      }
      this.deliveredSeq = seq;
    });
    this.deliverTail = delivered;
    const tracked: Promise<void> = delivered.catch((e: unknown) => {
      this.failure ??= e;
    });
    this.inFlight.push(tracked);
    void tracked.finally(() => {
      const i = this.inFlight.indexOf(tracked);
      if (i >= 0) this.inFlight.splice(i, 1);
    });
    while (this.inFlight.length >= this.maxTasksInFlight) await this.inFlight[0];
    this.rethrow();
  }

  /**
   * Parse a batch on the pool. When the task fails as a whole (its worker crashed or ran out
   * of time), each message is tried again alone, so that only the one that breaks a worker
   * becomes an error record and the rest of the batch is read.
   */
  private async parseAll(batch: readonly (readonly [ItemKind, Buffer])[]): Promise<(ParsedItem & { contents?: Buffer[] })[]> {
    if (batch.length === 0) return [];
    try {
      const r =
        batch.length === 1 && batch[0]![1].length >= TASK_LIMITS.largeBytes
          ? await this.oneLargeAtATime(() => {
              // Moved, not copied: this message is never read again on this thread (no retry alone).
              const raw = handedOver(batch[0]![1]);
              return this.runner.parse({ kinds: [batch[0]![0]], raws: { bytes: raw, ends: [raw.length] } });
            })
          : await this.runner.parse({ kinds: batch.map((b) => b[0]), raws: pack(batch.map((b) => b[1])) });
      return attachContents(r.items, r.contents.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength)));
    } catch (e) {
      if (batch.length === 1) return [{ error: `the ${batch[0]![0]} reader ${workerFailure(e, 'parse')}` }];
      const one = await Promise.all(batch.map((b) => this.parseAll([b])));
      return one.flat();
    }
  }

  /** Start the analyses a batch's messages need; returns each message's outcome to come. */
  private dispatch(seq: number, items: (ParsedItem & { contents?: Buffer[] })[]): Promise<Outcome>[] {
    // The small analyses this batch starts are collected and sent as one task (runQueued).
    this.queued = [];
    try {
      return this.outcomes(seq, items);
    } finally {
      const queued = this.queued;
      this.queued = null;
      this.runQueued(queued);
    }
  }

  private outcomes(seq: number, items: (ParsedItem & { contents?: Buffer[] })[]): Promise<Outcome>[] {
    return items.map((item) => {
      if ('error' in item) return Promise.resolve({ error: item.error, stage: 'parse' as const });
      const { message, passwords } = item;
      const wanted = new Map<string, Promise<InspectResult>>();
      message.attachments.forEach((a, i) => {
        const content = item.contents![i]!;
        if (wanted.has(a.sha256)) return;
        const p = this.analysisFor(seq, a.sha256, content, a.filename, passwords);
        if (p) wanted.set(a.sha256, p);
      });
      return (async (): Promise<Outcome> => {
        const analyses = new Map<string, InspectResult>();
        const analysisErrors: string[] = [];
        for (const [sha, p] of wanted) {
          try {
            analyses.set(sha, await p);
          } catch (e) {
            analysisErrors.push(`analysis of attachment ${sha} ${workerFailure(e, 'analyse')}`);
          }
        }
        return { message, passwords, analyses, analysisErrors };
      })();
    });
  }

  /**
   * The analysis an attachment needs, or null when the case has it already. An encrypted
   * archive analysed without the passwords this mail brings is analysed again with them.
   */
  private analysisFor(seq: number, sha: string, content: Buffer, file: string, passwords: string[]): Promise<InspectResult> | null {
    const earlier = this.bySha.get(sha)?.result;
    if (passwords.length === 0) {
      if (earlier) return earlier;
      if (!this.analyses.needsAnalysis(sha, false)) return null;
      const result = this.run(sha, content, file, passwords);
      this.bySha.set(sha, { seq, result });
      return result;
    }
    const key = `${sha}\n${passwords.join('\n')}`;
    const same = this.byShaAndPasswords.get(key)?.result;
    if (same) return same;
    if (!earlier && !this.analyses.needsAnalysis(sha, true)) return null;
    const result = earlier
      ? earlier.then((r) => (r.archive?.encrypted && !r.archive.opened ? this.run(sha, content, file, passwords) : r))
      : this.run(sha, content, file, passwords);
    this.byShaAndPasswords.set(key, { seq, result });
    if (!earlier) this.bySha.set(sha, { seq, result });
    return result;
  }

  /** Run `task` when no other large task is running (TASK_LIMITS.largeBytes). */
  private oneLargeAtATime<T>(task: () => Promise<T>): Promise<T> {
    const before = this.largeTail;
    let done!: () => void;
    this.largeTail = new Promise<void>((r) => (done = r));
    return before.then(task).finally(done);
  }

  /**
   * `sha` is the SHA-256 the parser computed for `content`: the analysis does not hash it
   * again. While a batch is dispatched, a small attachment's analysis waits for the batch's
   * task (runQueued); a large one, or one started later (an archive a mail's password may
   * open), runs in a task of its own.
   */
  private run(sha: string, content: Buffer, file: string, passwords: string[]): Promise<InspectResult> {
    this.analysesRun++;
    const queued = this.queued;
    if (queued && content.length < TASK_LIMITS.largeBytes) return new Promise((resolve, reject) => queued.push({ sha, content, file, passwords, resolve, reject }));
    return this.runAlone(sha, content, file, passwords);
  }

  private async runAlone(sha: string, content: Buffer, file: string, passwords: string[]): Promise<InspectResult> {
    // The bytes are moved to the worker. Each attachment came back from its parse in an
    // ArrayBuffer of its own and is analysed once per message (dispatch), so no copy is made
    // unless the bytes share their block (the in-thread runner's case).
    const analyse = () => this.runner.analyse({ content: owned(content), sha256: sha, file, passwords, extract: this.extract !== undefined });
    const r = await (content.length >= TASK_LIMITS.largeBytes ? this.oneLargeAtATime(analyse) : analyse());
    return this.took(r);
  }

  /**
   * A batch's small analyses, in tasks of up to TASK_LIMITS.maxItems attachments and
   * maxBytes: one hand-over each way instead of one per attachment (on short mail a task per
   * attachment cost the main thread about 70 µs of each analysis). The bytes are packed, a
   * copy: when a task fails as a whole (its worker crashed or ran out of time), each of its
   * attachments is tried again alone with its own bytes, so that only the one that breaks a
   * worker becomes an analysis error.
   */
  private runQueued(queued: QueuedAnalysis[]): void {
    for (let start = 0; start < queued.length; ) {
      let end = start;
      let bytes = 0;
      while (end < queued.length && end - start < TASK_LIMITS.maxItems && (end === start || bytes + queued[end]!.content.length <= TASK_LIMITS.maxBytes)) bytes += queued[end++]!.content.length;
      const part = queued.slice(start, end);
      start = end;
      const alone = (q: QueuedAnalysis) => void this.runAlone(q.sha, q.content, q.file, q.passwords).then(q.resolve, q.reject);
      if (part.length === 1) {
        alone(part[0]!);
        continue;
      }
      const task = { items: part.map((q) => ({ sha256: q.sha, file: q.file, passwords: q.passwords })), contents: pack(part.map((q) => q.content)), extract: this.extract !== undefined };
      this.runner.analyseBatch(task).then(
        (r) =>
          r.results.forEach((x, i) => {
            if ('error' in x) part[i]!.reject(new Error(x.error));
            else part[i]!.resolve(this.took(x));
          }),
        () => part.forEach(alone),
      );
    }
  }

  /** An analysis's result, its extracted objects written out (--extract). */
  private took(r: AnalyseTaskResult): InspectResult {
    if (this.extract) {
      const bytes = unpack(r.extractedBytes);
      r.extracted.forEach((x, i) => this.extract!.write(x.file, x.sha256, bytes[i]!));
    }
    return r.result;
  }
}

/** A small attachment's analysis waiting for its batch's task. */
interface QueuedAnalysis {
  sha: string;
  content: Buffer;
  file: string;
  passwords: string[];
  resolve: (r: InspectResult) => void;
  reject: (e: unknown) => void;
}

/** Give each parsed message the views of its attachments' bytes. */
function attachContents(items: ParsedItem[], contents: Buffer[]): (ParsedItem & { contents?: Buffer[] })[] {
  let k = 0;
  return items.map((item) => {
    if ('error' in item) return item;
    const mine = contents.slice(k, k + item.message.attachments.length);
    k += item.message.attachments.length;
    return { ...item, contents: mine };
  });
}
