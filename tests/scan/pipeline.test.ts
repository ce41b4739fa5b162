// The scan pipeline on its own, with a runner whose worker "crashes" on one message: the
// batch is read again message by message, so only that message becomes an error, and
// outcomes still come back in push order.
import { describe, expect, it } from 'vitest';
import { ScanPipeline, TASK_LIMITS, type Outcome } from '../../src/scan/scan-pipeline.js';
import type { ScanRunner } from '../../src/scan/scan-pool.js';
import { analyse, analyseBatchTask, parseTask as parse, type AnalyseBatchTask, type AnalyseTask, type ParseTask } from '../../src/scan/scan-worker.js';
import { unpack } from '../../src/scan/transfer.js';
import { AnalysisStore } from '../../src/store/analysis-store.js';
import { CaseFile } from '../../src/store/case-file.js';

const mail = (i: number, body = 'hello') => Buffer.from(`From: a${i}@b.example\r\nSubject: m${i}\r\nMessage-ID: <m${i}@b.example>\r\n\r\n${body}\r\n`);

describe('scan pipeline', () => {
  it('a message that breaks its worker fails alone; the rest of its batch is read, in order', async () => {
    let tasks = 0;
    const runner: ScanRunner = {
      threads: 2,
      parse: async (task: ParseTask) => {
        tasks++;
        // As piscina reports them: a worker over its heap limit, and a task over its time limit.
        if (unpack(task.raws).some((b) => b.includes('POISON'))) throw Object.assign(new Error('Worker terminated due to reaching memory limit: JS heap out of memory'), { code: 'ERR_WORKER_OUT_OF_MEMORY' });
        if (unpack(task.raws).some((b) => b.includes('ENDLESS'))) throw Object.assign(new Error('The task has been aborted'), { name: 'AbortError' });
        return parse(task);
      },
      analyse,
      analyseBatch: analyseBatchTask,
      readLog: async () => {},
      readPst: async () => {},
      close: async () => {},
    };
    const store = new CaseFile(':memory:');
    const got: [number, string][] = [];
    const stages: [number, string][] = [];
    const pipeline = new ScanPipeline<number>(runner, new AnalysisStore(store.db), (i, o: Outcome) => {
      got.push([i, 'error' in o ? o.error : o.message.subject]);
      if ('error' in o) stages.push([i, o.stage]);
    });
    for (let i = 0; i < 10; i++) await pipeline.push(i, 'mime', mail(i, i === 4 ? 'POISON' : i === 7 ? 'ENDLESS' : 'hello'));
    await pipeline.pushError(10, 'message of 200 bytes exceeds the limit');
    await pipeline.drain();
    store.close();
    expect(got).toEqual([
      [0, 'm0'], [1, 'm1'], [2, 'm2'], [3, 'm3'], [4, 'the mime reader ran out of its 112 MB heap'],
      [5, 'm5'], [6, 'm6'], [7, 'the mime reader ran over its 300 s time limit'], [8, 'm8'], [9, 'm9'], [10, 'message of 200 bytes exceeds the limit'],
    ]);
    // A parse failure and an error pushed by the reader are told apart (the writer words them differently).
    expect(stages).toEqual([[4, 'parse'], [7, 'parse'], [10, 'read']]);
    // One task for the batch, then one per message when it failed.
    expect(tasks).toBe(11);
  });

  it('a large message is parsed in a task of its own, one large task at a time, its bytes moved', async () => {
    const big = (i: number) => mail(i, 'x'.repeat(TASK_LIMITS.largeBytes));
    const tasks: number[] = [];
    let running = 0;
    let most = 0;
    const runner: ScanRunner = {
      threads: 2,
      parse: async (task: ParseTask) => {
        tasks.push(task.raws.ends.length);
        const large = task.raws.bytes.length >= TASK_LIMITS.largeBytes;
        if (large) most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 5));
        const r = await parse(task);
        if (large) running--;
        return r;
      },
      analyse,
      analyseBatch: analyseBatchTask,
      readLog: async () => {},
      readPst: async () => {},
      close: async () => {},
    };
    const store = new CaseFile(':memory:');
    const got: string[] = [];
    const pipeline = new ScanPipeline<number>(runner, new AnalysisStore(store.db), (_i, o: Outcome) => got.push('error' in o ? o.error : o.message.subject));
    const raws = [mail(0), big(1), big(2), mail(3), mail(4)];
    for (let i = 0; i < raws.length; i++) await pipeline.push(i, 'mime', raws[i]!);
    await pipeline.drain();
    store.close();
    expect(got).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    // Three tasks of one message (m0 alone: a large one follows it; m1; m2) and one of two; the second large one waits for the first.
    expect([...tasks].sort()).toEqual([1, 1, 1, 2]);
    expect(most).toBe(1);
  });

  it("a batch's attachments are analysed in one task; when it fails, each is tried alone and only the one that breaks a worker is an error", async () => {
    const withAttachment = (i: number, body: string) =>
      Buffer.from(
        `From: a${i}@b.example\r\nSubject: m${i}\r\nMessage-ID: <m${i}@b.example>\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n` +
          `--B\r\nContent-Type: text/plain; name=a${i}.txt\r\nContent-Disposition: attachment; filename=a${i}.txt\r\n\r\n${body} ${i}\r\n--B--\r\n`,
      );
    const run = async (poison: boolean) => {
      const batches: number[] = [];
      const alone: string[] = [];
      const runner: ScanRunner = {
        threads: 2,
        parse,
        analyse: async (task: AnalyseTask) => {
          alone.push(task.file);
          if (Buffer.from(task.content).includes('POISON')) throw Object.assign(new Error('Worker terminated due to reaching memory limit: JS heap out of memory'), { code: 'ERR_WORKER_OUT_OF_MEMORY' });
          return analyse(task);
        },
        analyseBatch: async (task: AnalyseBatchTask) => {
          batches.push(task.items.length);
          if (Buffer.from(task.contents.bytes).includes('POISON')) throw Object.assign(new Error('Worker terminated due to reaching memory limit: JS heap out of memory'), { code: 'ERR_WORKER_OUT_OF_MEMORY' });
          return analyseBatchTask(task);
        },
        readLog: async () => {},
        readPst: async () => {},
        close: async () => {},
      };
      const store = new CaseFile(':memory:');
      const got: [string, string[], string[]][] = [];
      const pipeline = new ScanPipeline<number>(runner, new AnalysisStore(store.db), (_i, o: Outcome) => {
        if ('error' in o) throw new Error(o.error);
        got.push([o.message.subject, [...o.analyses.values()].map((r) => `${r.file} ${r.verdict}`), o.analysisErrors.map((e) => e.replace(/[0-9a-f]{64}/, 'SHA'))]);
      });
      for (let i = 0; i < 5; i++) await pipeline.push(i, 'mime', withAttachment(i, poison && i === 2 ? 'POISON' : 'plain text'));
      await pipeline.drain();
      store.close();
      return { got, batches, alone, analysesRun: pipeline.analysesRun };
    };
    const clean = await run(false);
    expect(clean.batches).toEqual([5]);
    expect(clean.alone).toEqual([]);
    expect(clean.analysesRun).toBe(5);
    expect(clean.got).toEqual([0, 1, 2, 3, 4].map((i) => [`m${i}`, [`a${i}.txt clean`], []]));
    const poisoned = await run(true);
    expect(poisoned.batches).toEqual([5]);
    expect(poisoned.alone).toEqual(['a0.txt', 'a1.txt', 'a2.txt', 'a3.txt', 'a4.txt']);
    expect(poisoned.analysesRun).toBe(5);
    expect(poisoned.got).toEqual([0, 1, 2, 3, 4].map((i) => [`m${i}`, i === 2 ? [] : [`a${i}.txt clean`], i === 2 ? ['analysis of attachment SHA ran out of its 112 MB heap'] : []]));
  });
});
