// The journal part of `npm run bench` (issue 19): one journal of one shape and size, scanned
// by blastradius (worker threads, attachment analysis on) beside mailparser's simpleParser
// alone on one core. Whole-process wall and CPU time, CPU per message (the figure that
// scales to bigger machines) and peak RSS of each, measured from outside; and from inside
// the scan, the main thread's busy time, which caps the speed-up on more cores.
import type { JournalResult, JournalShape, MessageSizes } from '../samples/journal-generator.js';
import { f0, f1, f2, mb, pad } from './figures.js';
import type { Run } from './measure-process.js';

/** What measure-scan.ts prints on its last line. */
export interface ScanChild {
  messages: number;
  errors: number;
  threads: number;
  scanMs: number;
  mainActiveMs: number;
  mainUtilisation: number;
  mainCpuMs: number | null;
  processCpuMs: number;
  otherThreadsCpuMs: number | null;
  threadCpuMs: number[] | null;
  analysesRun: number;
  attachmentVerdicts: Record<string, number>;
}

interface ProcessFigures {
  seconds: number;
  cpuSeconds: number;
  cpuMicrosPerMessage: number;
  messagesPerSecond: number;
  mbPerSecond: number;
  peakRssMB: number;
}

export interface JournalBench {
  shape: JournalShape;
  mboxBytes: number;
  messages: number;
  withAttachments: number;
  large: number;
  messageSizes: MessageSizes;
  scan: ProcessFigures & {
    threads: number;
    messagesStored: number;
    errors: number;
    analysesRun: number;
    attachmentVerdicts: Record<string, number>;
    /** Measured inside the child over runScan alone (no start-up). */
    inProcess: {
      scanSeconds: number;
      /**
       * Event-loop active time of the main thread, its share of the scan's wall time, per
       * message. Active time counts the thread's waits inside a callback (a commit's fsync)
       * and the time it was ready but another process had the core; its CPU time does not.
       */
      mainThreadBusyMs: number;
      mainThreadShare: number;
      mainThreadMicrosPerMessage: number;
      /** The main thread's own CPU time (/proc schedstat), null off Linux. */
      mainThreadCpuMs: number | null;
      mainThreadCpuMicrosPerMessage: number | null;
      processCpuMs: number;
      otherThreadsCpuMs: number | null;
      /** CPU ms of the busiest other threads (the pool's workers first), as sampled. */
      busiestThreadsCpuMs: number[] | null;
    };
  };
  simpleParserAlone: ProcessFigures;
  /**
   * What a 2-core run says of more cores (null off Linux). The main thread splits the input,
   * hands out tasks and writes the case file, one message after another: its CPU per message
   * bounds the scan's rate however many workers parse beside it. Assumes each thread's CPU
   * per message stays as measured here; V8's own threads (concurrent GC and compilation)
   * are counted apart and grow with the workers.
   */
  scaling: {
    mainCpuMicrosPerMessage: number;
    /** CPU of the pool's worker threads (the `threads` busiest threads besides the main one) per message. */
    workerCpuMicrosPerMessage: number;
    /** CPU of the process's other threads (V8's platform threads, libuv's pool) per message. */
    otherCpuMicrosPerMessage: number;
    /** 10⁶ / mainCpuMicrosPerMessage: the most messages a second the main thread can take. */
    mainThreadCapMessagesPerSecond: number;
    /** That cap over simpleParser's messages a second on one core. */
    capOverSimpleParser: number;
    /** workerCpuMicrosPerMessage / mainCpuMicrosPerMessage: worker threads (cores) past which more add nothing. */
    workerThreadsAtCap: number;
  } | null;
  /** simpleParser wall / scan wall: how many times the library floor's speed scan runs at (issue 19's target ≥ 5). */
  ratio: number;
  /** simpleParser CPU / scan CPU. */
  cpuRatio: number;
}

function figures(r: Run, messages: number, bytes: number): ProcessFigures {
  return { seconds: r.seconds, cpuSeconds: r.cpuSeconds, cpuMicrosPerMessage: (r.cpuSeconds * 1e6) / messages, messagesPerSecond: messages / r.seconds, mbPerSecond: mb(bytes) / r.seconds, peakRssMB: r.peakRssMB };
}

export function journalRow(shape: JournalShape, g: JournalResult, bytes: number, scan: Run, inside: ScanChild, floor: Run): JournalBench {
  return {
    shape,
    mboxBytes: bytes,
    messages: g.messages,
    withAttachments: g.withAttachments,
    large: g.large,
    messageSizes: g.sizes,
    scan: {
      ...figures(scan, g.messages, bytes),
      threads: inside.threads,
      messagesStored: inside.messages,
      errors: inside.errors,
      analysesRun: inside.analysesRun,
      attachmentVerdicts: inside.attachmentVerdicts,
      inProcess: {
        scanSeconds: inside.scanMs / 1000,
        mainThreadBusyMs: inside.mainActiveMs,
        mainThreadShare: inside.mainActiveMs / inside.scanMs,
        mainThreadMicrosPerMessage: (inside.mainActiveMs * 1000) / g.messages,
        mainThreadCpuMs: inside.mainCpuMs,
        mainThreadCpuMicrosPerMessage: inside.mainCpuMs === null ? null : (inside.mainCpuMs * 1000) / g.messages,
        processCpuMs: inside.processCpuMs,
        otherThreadsCpuMs: inside.otherThreadsCpuMs,
        busiestThreadsCpuMs: inside.threadCpuMs,
      },
    },
    simpleParserAlone: figures(floor, g.messages, bytes),
    scaling: scaling(inside, g.messages, g.messages / floor.seconds),
    ratio: floor.seconds / scan.seconds,
    cpuRatio: floor.cpuSeconds / scan.cpuSeconds,
  };
}

function scaling(inside: ScanChild, messages: number, simpleParserPerSecond: number): JournalBench['scaling'] {
  if (inside.mainCpuMs === null || inside.threadCpuMs === null || inside.otherThreadsCpuMs === null) return null;
  const perMessage = (ms: number) => (ms * 1000) / messages;
  const workersMs = inside.threadCpuMs.slice(0, inside.threads).reduce((a, b) => a + b, 0);
  const main = perMessage(inside.mainCpuMs);
  const workers = perMessage(workersMs);
  const cap = 1e6 / main;
  return {
    mainCpuMicrosPerMessage: main,
    workerCpuMicrosPerMessage: workers,
    otherCpuMicrosPerMessage: perMessage(inside.otherThreadsCpuMs - workersMs),
    mainThreadCapMessagesPerSecond: cap,
    capOverSimpleParser: cap / simpleParserPerSecond,
    workerThreadsAtCap: workers / main,
  };
}

const kb = (n: number) => `${f1(n / 1024)} KB`;

export function journalLines(r: JournalBench): string[] {
  const z = r.messageSizes;
  const i = r.scan.inProcess;
  const row = (label: string, x: ProcessFigures) =>
    `  ${pad(label, 34)}${pad(f1(x.seconds), 3)}${pad(f1(x.cpuSeconds), 3)}${pad(f0(x.cpuMicrosPerMessage), 7)}${pad(f0(x.messagesPerSecond), 4)}${pad(f1(x.mbPerSecond), 2)}${f0(x.peakRssMB)} MB`;
  return [
    `journal "${r.shape}": mbox ${f0(mb(r.mboxBytes))} MB, ${r.messages} messages (${r.withAttachments} with attachments, ${r.large} large), ${r.scan.errors} errors stored, ${r.scan.analysesRun} attachment analyses`,
    `  message sizes: median ${kb(z.median)}, mean ${kb(z.mean)} (${kb(z.meanWithoutLarge)} without the large), p10 ${kb(z.p10)}, p25 ${kb(z.p25)}, p75 ${kb(z.p75)}, p90 ${kb(z.p90)}, p99 ${kb(z.p99)}, max ${kb(z.max)}`,
    `  ${pad('', 34)}${pad('wall s', 3)}${pad('CPU s', 3)}${pad('CPU µs/msg', 7)}${pad('msgs/s', 4)}${pad('MB/s', 2)}peak RSS`,
    row(`blastradius scan (${r.scan.threads} worker threads)`, r.scan),
    row('simpleParser alone (one core)', r.simpleParserAlone),
    `  main thread: busy ${f0(i.mainThreadBusyMs)} ms of the ${f1(i.scanSeconds)} s scan (${f0(i.mainThreadShare * 100)} %), ${f0(i.mainThreadMicrosPerMessage)} µs/message` +
      (i.mainThreadCpuMs === null ? '' : `; its CPU ${f0(i.mainThreadCpuMs)} ms (${f0(i.mainThreadCpuMicrosPerMessage!)} µs/message), other threads ${f0(i.otherThreadsCpuMs!)} ms (busiest: ${i.busiestThreadsCpuMs!.join(', ')} ms)`),
    `  simpleParser / scan: ${f2(r.ratio)}× in wall time, ${f2(r.cpuRatio)}× in CPU time`,
    ...(r.scaling === null
      ? []
      : [
          `  more cores: the main thread's ${f0(r.scaling.mainCpuMicrosPerMessage)} µs/message caps the scan at ${f0(r.scaling.mainThreadCapMessagesPerSecond)} messages/s ` +
            `(${f2(r.scaling.capOverSimpleParser)}× simpleParser on one core), reached with about ${f1(r.scaling.workerThreadsAtCap)} worker threads, ` +
            `whose work takes ${f0(r.scaling.workerCpuMicrosPerMessage)} µs/message (V8's and libuv's threads: ${f0(r.scaling.otherCpuMicrosPerMessage)} µs/message more)`,
        ]),
  ];
}

/** All journal runs side by side, the figures the table asks for. */
export function journalTable(rows: JournalBench[]): string[] {
  const head = `  ${pad('shape', 3)}${pad('MB', 2)}${pad('msgs', 4)}${pad('scan s', 4)}${pad('CPU s', 3)}${pad('µs/msg', 4)}${pad('main ms', 5)}${pad('main %', 4)}${pad('main µs/msg', 8)}${pad('RSS MB', 4)}${pad('sP s', 3)}${pad('sP CPU', 4)}${pad('sP µs/msg', 6)}${pad('sP RSS', 4)}×sP`;
  return [
    'journal summary (scan = blastradius scan with attachment analysis, all cores; sP = simpleParser alone, one core; × = sP wall / scan wall)',
    head,
    ...rows.map((r) => {
      const i = r.scan.inProcess;
      const s = r.scan;
      const p = r.simpleParserAlone;
      return `  ${pad(r.shape, 3)}${pad(f0(mb(r.mboxBytes)), 2)}${pad(String(r.messages), 4)}${pad(f1(s.seconds), 4)}${pad(f1(s.cpuSeconds), 3)}${pad(f0(s.cpuMicrosPerMessage), 4)}${pad(f0(i.mainThreadBusyMs), 5)}${pad(f0(i.mainThreadShare * 100), 4)}${pad(f0(i.mainThreadMicrosPerMessage), 8)}${pad(f0(s.peakRssMB), 4)}${pad(f1(p.seconds), 3)}${pad(f1(p.cpuSeconds), 4)}${pad(f0(p.cpuMicrosPerMessage), 6)}${pad(f0(p.peakRssMB), 4)}${f2(r.ratio)}`;
    }),
  ];
}
