// The worker thread of archive-7z.ts: runs one 7-Zip job and hands the answer back on the
// port it was given, then wakes the waiting thread through the shared flag. One worker per
// archive: when it ends, everything 7-Zip allocated ends with it.
import { workerData, type MessagePort } from 'node:worker_threads';
import { run7zJob, type SevenZipJob, type WasmModule } from './archive-7z.js';

const { job, wasm, flag, port } = workerData as { job: SevenZipJob; wasm: WasmModule; flag: Int32Array; port: MessagePort };

function answer(message: unknown, transfer: ArrayBuffer[] = []): void {
  try {
    port.postMessage(message, transfer);
  } catch (e) {
    port.postMessage({ error: `answer not sent: ${(e as Error).message}` });
  }
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

run7zJob(job, wasm).then(
  (result) => {
    const buffers = new Set<ArrayBuffer>();
    for (const e of result.entries) if (e.data) buffers.add(e.data.buffer as ArrayBuffer);
    answer({ result }, [...buffers]);
  },
  (e: unknown) => answer({ error: e instanceof Error ? e.message : String(e) }),
);
