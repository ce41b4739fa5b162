// Child process of the bench: runs the scan pipeline (default worker threads) on one input
// and prints what it stored; the bench measures its time and memory from outside. From
// inside it measures what issue 19 asks to read off a 2-core run: how busy the main thread
// was (event-loop utilisation over the scan, and its own CPU time) beside the CPU of the
// process and of each other thread. The main thread's share is what caps the speed-up on
// more cores: the workers scale, the single thread that splits, batches and commits does not.
import { performance } from 'node:perf_hooks';
import { runScan } from '../scan/run-scan.js';
import { defaultThreads } from '../scan/scan-pool.js';
import { threadTimes } from './thread-clock.js';

const [input, casePath] = process.argv.slice(2);
if (!input || !casePath) throw new Error('usage: measure-scan <input> <case>');
// The event loop is running once an immediate has fired; utilisation before that reads as zero.
await new Promise((r) => setImmediate(r));
const elu0 = performance.eventLoopUtilization();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const { result: s, times } = await threadTimes(() => runScan({ inputs: [input], casePath, orgDomains: ['sample-shoji.example'] }));
const wallMs = performance.now() - t0;
const elu = performance.eventLoopUtilization(elu0);
const cpu = process.cpuUsage(cpu0);
const processCpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(
  JSON.stringify({
    messages: s.messages,
    logMessages: s.logs.messages,
    errors: s.errors,
    threads: defaultThreads(),
    // The scan alone, from inside: no start-up, no module loading.
    scanMs: wallMs,
    mainActiveMs: elu.active,
    mainUtilisation: elu.utilization,
    mainCpuMs: times?.mainCpuMs ?? null,
    processCpuMs,
    otherThreadsCpuMs: times ? processCpuMs - times.mainCpuMs : null,
    // The busiest other threads (the pool's workers first), as sampled.
    threadCpuMs: times?.others.slice(0, 6).map((t) => Math.round(t.cpuMs)) ?? null,
    analysesRun: s.analysesRun,
    attachmentVerdicts: s.attachmentVerdicts,
  }) + '\n',
);
