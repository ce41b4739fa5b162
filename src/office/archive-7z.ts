// 7z, RAR (v4 and v5), ISO 9660/Joliet, UDF and FAT images, read with 7-Zip compiled to
// WebAssembly (the 7z-wasm package: 7-Zip 24.09 with its unRAR code).
//
// How it is run, and why:
// - Synchronously, in a worker thread of its own per archive. 7z-wasm's factory is async
//   (it awaits the WebAssembly instantiation), while inspectBytes is synchronous; the
//   calling thread waits on an Atomics flag, then takes the answer with receiveMessageOnPort.
//   The worker also bounds what the archive can take: when the wall-time limit passes it is
//   terminated, whatever 7-Zip is doing, and its memory (the WebAssembly memory included,
//   which no worker heap limit covers) goes with it. Terminating is asynchronous, but the
//   worker thread tears itself down while this thread goes on (measured: gone within about
//   50 ms, while this thread analysed the members it handed over).
// - The main thread's garbage is collected before a worker starts when there is much of it
//   (collectBeforeWorker): see there.
// - WebAssembly memory only grows, and 7z-wasm's binary lets it grow to 2 GiB. The binary's
//   memory maximum is rewritten before it is compiled (ARCHIVE_LIMITS.maxWasmBytes): an archive
//   that asks for a larger dictionary than that fails to open, with an error, instead of
//   taking the machine. Each 7-Zip command runs in a fresh instance (instantiating the
//   compiled module takes a few ms), so no memory is carried from one archive or password
//   attempt to the next.
// - Everything stays in Emscripten's in-memory file system: the archive is written to /in,
//   nothing of the host's file system is mounted, and members are not written to /out at
//   all: the writes are caught and given to a MemberSink (member-sink.ts), which keeps the
//   bytes under the limits and drops end padding.
// - 7-Zip's standard input gives end-of-file (it would otherwise wait for a password typed
//   on the terminal) and its output is captured, never printed.
// - The format is named with -t: 7-Zip parses only the format the bytes were recognised as.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { SevenZipModule, SevenZipModuleFactory } from '7z-wasm';
import type { ArchiveLimits } from './archives.js';
import { keepBudget, MemberSink, type KeepBudget, type Padding } from './member-sink.js';

/** The 7-Zip format names (-t) of the kinds read here. */
export type SevenZipFormat = '7z' | 'Rar' | 'Rar5' | 'Iso' | 'Udf' | 'FAT';

export interface SevenZipEntry {
  name: string;
  /** Size from the archive's listing, or the bytes written when the listing had none. */
  size: number;
  encrypted: boolean;
  data?: Buffer;
  /** sha256 of the member as stored (padding included), when it was decompressed. */
  sha256?: string;
  padding?: Padding;
  /** A link member: its target (a hard link gets its target's data; a symbolic link is not followed). */
  link?: { kind: 'symbolic' | 'hard'; target: string };
  /** Why the data is missing or incomplete. */
  error?: string;
}

export interface SevenZipResult {
  /** Type reported by 7-Zip ('7z', 'Rar', 'Rar5', 'Iso', 'Udf', 'FAT'), when it opened the archive. */
  type?: string;
  /** Some member, or the headers, are encrypted. */
  encrypted: boolean;
  /** Headers are encrypted: the names are unknown without the password. */
  headersEncrypted: boolean;
  /**
   * The archive was opened: listed, no member held back by a missing password, the time
   * limit not reached. Damage to a member (a data or CRC error) is in that member's error.
   */
  opened: boolean;
  password?: string;
  entries: SevenZipEntry[];
  errors: string[];
  /** Largest WebAssembly memory of the 7-Zip runs, and 7-Zip commands run (list, extract, per password). */
  stats?: { wasmBytes: number; runs: number };
}

export interface SevenZipJob {
  bytes: Uint8Array;
  format: SevenZipFormat;
  passwords: string[];
  limits: ArchiveLimits;
  /** Known from the bytes (7z encoded header with AES, RAR main header flags): the listing needs a password. */
  headersEncrypted: boolean;
  /**
   * The time limit an error names, when this job has only the rest of a larger one
   * (`limits.maxMillis` is what is left of it: the second view of a disk image); default
   * limits.maxMillis.
   */
  statedMillis?: number;
}

const WASM_PAGE = 65536;
const require = createRequire(import.meta.url);
/** 7z-wasm is CommonJS (its default export is module.exports itself). */
const SevenZip = require('7z-wasm') as SevenZipModuleFactory;

/** The WebAssembly API (this project's lib settings declare no DOM types). */
export type WasmModule = object;
const Wasm = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => WasmModule; Instance: new (m: WasmModule, imports: object) => object } }).WebAssembly;

/** The LEB128 unsigned integer at p: value and the offset after it. */
function leb(b: Uint8Array, p: number): [number, number] {
  let v = 0;
  let shift = 0;
  for (;;) {
    const x = b[p++]!;
    v += (x & 0x7f) * 2 ** shift;
    if (!(x & 0x80)) return [v, p];
    shift += 7;
  }
}

function encodeLeb(v: number): number[] {
  const out: number[] = [];
  do {
    let x = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) x |= 0x80;
    out.push(x);
  } while (v > 0);
  return out;
}

/**
 * The module with its memory section's maximum set to maxBytes (WebAssembly spec 5.5.7: a
 * memory section of one limits entry, flag 1 = a maximum follows). The minimum is kept.
 */
export function capWasmMemory(wasm: Uint8Array, maxBytes: number): Uint8Array {
  let p = 8;
  while (p < wasm.length) {
    const id = wasm[p]!;
    const [size, body] = leb(wasm, p + 1);
    if (id === 5) {
      const [count, q] = leb(wasm, body);
      if (count !== 1 || (wasm[q]! & ~1) !== 0) throw new Error('unexpected memory section in 7zz.wasm');
      const [min] = leb(wasm, q + 1);
      const maxPages = Math.max(min, Math.floor(maxBytes / WASM_PAGE));
      const section = [1, 1, ...encodeLeb(min), ...encodeLeb(maxPages)];
      return Buffer.concat([wasm.subarray(0, p), Buffer.from([5, ...encodeLeb(section.length), ...section]), wasm.subarray(body + size)]);
    }
    p = body + size;
  }
  throw new Error('no memory section in 7zz.wasm');
}

const compiled = new Map<number, WasmModule>();

/** 7zz.wasm compiled once per memory cap (and thread). */
export function sevenZipWasm(maxBytes: number): WasmModule {
  const known = compiled.get(maxBytes);
  if (known) return known;
  const m = new Wasm.Module(capWasmMemory(readFileSync(require.resolve('7z-wasm/7zz.wasm')), maxBytes));
  compiled.set(maxBytes, m);
  return m;
}

/** Thrown from inside a file-system hook to stop 7-Zip; unwinds the WebAssembly stack. */
class Stop extends Error {}

interface RunOutput {
  exit: number | 'threw';
  out: string[];
  err: string[];
  /** Stop reason when a hook ended the run. */
  stopped?: string;
  /** Member sinks in the order 7-Zip opened the files, by path below /out. */
  written: { path: string; sink: MemberSink }[];
}

interface RunContext {
  job: SevenZipJob;
  wasm: WasmModule;
  deadline: number;
  /** Shared by the sinks of one extraction. */
  budget?: KeepBudget;
  /** Sizes from the listing, by path below /out (a member's buffer is allocated once when known). */
  sizes?: Map<string, number>;
  stats: { wasmBytes: number; runs: number };
}

/** Lines kept of 7-Zip's output per stream (a listing of 10,000 members is parsed as it comes). */
const MAX_LINES = 200_000;

/** One 7-Zip command in a fresh instance. */
async function run7z(ctx: RunContext, args: string[], extract: boolean): Promise<RunOutput> {
  const res: RunOutput = { exit: 'threw', out: [], err: [], written: [] };
  let instance: { exports: { memory: { buffer: ArrayBuffer } } } | undefined;
  const { limits } = ctx.job;
  const options = {
    print: (s: string) => void (res.out.length < MAX_LINES && res.out.push(s)),
    printErr: (s: string) => void (res.err.length < MAX_LINES && res.err.push(s)),
    stdin: () => null,
    instantiateWasm(imports: object, done: (i: object, m: WasmModule) => void) {
      instance = new Wasm.Instance(ctx.wasm, imports) as { exports: { memory: { buffer: ArrayBuffer } } };
      done(instance, ctx.wasm);
      return {};
    },
  };
  const m: SevenZipModule = await SevenZip(options as never);
  const FS = m.FS as unknown as Record<string, (...a: never[]) => unknown>;
  FS.mkdir!('/in' as never);
  FS.mkdir!('/out' as never);
  // canOwn: the file system keeps this copy instead of making another.
  m.FS.writeFile('/in/archive', ctx.job.bytes, { canOwn: true } as never);
  const sinks = new Map<unknown, MemberSink>();
  let outputBytes = 0;
  const check = () => {
    if (Date.now() > ctx.deadline) throw new Stop(`time limit of ${ctx.job.statedMillis ?? limits.maxMillis} ms reached`);
  };
  const { open, write, read, truncate, ftruncate } = FS as Record<string, (...a: unknown[]) => unknown>;
  const isOut = (path: unknown) => typeof path === 'string' && path.startsWith('/out/');
  FS.open = ((path: unknown, flags: unknown, mode: unknown) => {
    check();
    const stream = open!(path, flags, mode) as { path: string; node: unknown; flags: number };
    if (extract && isOut(stream.path) && stream.flags & 3) {
      if (res.written.length >= limits.maxEntries) throw new Stop(`more than ${limits.maxEntries} members`);
      const path = stream.path.slice(5);
      const sink = new MemberSink(limits.maxEntryBytes, ctx.budget, { sizeHint: ctx.sizes?.get(path) ?? 0 });
      sinks.set(stream, sink);
      res.written.push({ path, sink });
    }
    return stream;
  }) as never;
  FS.write = ((stream: { position: number }, buffer: Uint8Array, offset: number, length: number, position?: number, canOwn?: boolean) => {
    const sink = sinks.get(stream);
    if (!sink) return write!(stream, buffer, offset, length, position, canOwn);
    check();
    const count = (n: number) => {
      outputBytes += n;
      if (outputBytes > limits.maxOutputBytes) throw new Stop(`more than ${limits.maxOutputBytes} bytes decompressed`);
    };
    // 7-Zip writes members in order; a seek ahead (a sparse member) reads as zeros, given
    // in pieces and counted like any output. Bytes written again over earlier ones (no
    // format read here does that) are not taken back.
    const at = position ?? stream.position;
    for (let gap = at - sink.size; gap > 0; gap = at - sink.size) {
      const zeros = Math.min(gap, 1024 * 1024);
      count(zeros);
      sink.write(new Uint8Array(zeros));
    }
    if (at === sink.size) sink.write(buffer.subarray(offset, offset + length));
    if (position === undefined) stream.position += length;
    count(length);
    return length;
  }) as never;
  FS.read = ((...a: unknown[]) => {
    check();
    return read!(...a);
  }) as never;
  // A member's size set ahead of its bytes would allocate it in the in-memory file system.
  FS.truncate = ((path: unknown, len: unknown) => (isOut(path) ? undefined : truncate!(path, len))) as never;
  FS.ftruncate = ((fd: unknown, len: unknown) => {
    const stream = (FS.getStream as unknown as (fd: unknown) => unknown)(fd);
    return stream && sinks.has(stream) ? undefined : ftruncate!(fd, len);
  }) as never;
  const exitCode = process.exitCode;
  try {
    const code = m.callMain(args) as unknown;
    res.exit = typeof code === 'number' ? code : 0;
  } catch (e) {
    if (e instanceof Stop) res.stopped = e.message;
    // Otherwise a C++ exception 7-Zip did not catch (this build throws on a wrong password
    // for encrypted headers, among others): the run failed.
  } finally {
    // Emscripten's exit() sets the thread's exit code.
    process.exitCode = exitCode;
    ctx.stats.runs++;
    ctx.stats.wasmBytes = Math.max(ctx.stats.wasmBytes, instance?.exports.memory.buffer.byteLength ?? 0);
  }
  return res;
}

/** Fields of `7z l -slt`: one record per member after the "----------" line. */
export function parseListing(lines: string[]): { type?: string; items: Record<string, string>[]; errors: string[] } {
  let type: string | undefined;
  const items: Record<string, string>[] = [];
  const errors: string[] = [];
  let inItems = false;
  let current: Record<string, string> | null = null;
  for (const line of lines) {
    if (line === '----------') {
      inItems = true;
      continue;
    }
    const eq = line.indexOf(' = ');
    if (eq < 0) {
      if (/^(ERROR|WARNING|Open WARNING|Open ERROR)/.test(line) || /Unexpected end|Headers Error|unsupported|Can not open|Cannot open/i.test(line)) errors.push(line.trim());
      continue;
    }
    const key = line.slice(0, eq);
    const value = line.slice(eq + 3);
    if (!inItems) {
      if (key === 'Type') type = value;
      else if (key === 'ERRORS' || key === 'WARNINGS' || key === 'Warning' || key === 'Error') errors.push(`${key}: ${value}`);
      continue;
    }
    if (key === 'Path') {
      current = { Path: value };
      items.push(current);
    } else if (current) current[key] = value;
  }
  return { ...(type ? { type } : {}), items, errors };
}

const clean = (l: string) => l.trim().replaceAll('/in/archive', 'archive').replaceAll('/out/', '');

/**
 * 7-Zip's error and warning lines. Failures to make links or set attributes are left out:
 * they come from the in-memory file system (which has no hard links), not from the archive.
 */
function messages(lines: string[]): string[] {
  return [...new Set(lines.map(clean))]
    .filter((l) => !['ERROR: archive', 'ERROR: archive : archive', 'ERRORS:'].includes(l) && !/Cannot create (hard|symbolic) link|Cannot set file attribute/i.test(l))
    .filter((l) => /^(ERROR|WARNING|Open ERROR|Open WARNING)\b/.test(l) || /Wrong password|Cannot open|Can not open|Unexpected end|Data Error|CRC Failed|Headers Error|Unsupported|Can't allocate|not enough/i.test(l));
}

const wrongPassword = (r: RunOutput) => r.err.some((l) => /wrong password/i.test(l)) || r.out.some((l) => /wrong password/i.test(l));

/** The whole job in this thread: list (trying passwords when the headers are encrypted), then extract. */
export async function run7zJob(job: SevenZipJob, wasm: WasmModule): Promise<SevenZipResult> {
  const { limits } = job;
  const ctx: RunContext = { job, wasm, deadline: Date.now() + limits.maxMillis, stats: { wasmBytes: 0, runs: 0 } };
  const result: SevenZipResult = { encrypted: job.headersEncrypted, headersEncrypted: job.headersEncrypted, opened: false, entries: [], errors: [], stats: ctx.stats };
  const candidates = job.passwords.slice(0, limits.maxPasswords);
  if (job.passwords.length > candidates.length) result.errors.push(`only the first ${limits.maxPasswords} of ${job.passwords.length} password candidates tried`);
  const base = ['-bd', '-y', `-t${job.format}`];
  const list = (pw: string) => run7z(ctx, ['l', '-slt', ...base, `-p${pw}`, '/in/archive'], false);

  // 1. The listing. With encrypted headers only the right password lists anything.
  let listing: ReturnType<typeof parseListing> | null = null;
  let listPassword: string | undefined;
  for (const pw of job.headersEncrypted ? candidates : ['']) {
    const r = await list(pw);
    if (r.stopped) {
      result.errors.push(r.stopped);
      return result;
    }
    const parsed = parseListing(r.out);
    if (r.exit === 0 || (parsed.type && parsed.items.length > 0)) {
      listing = { ...parsed, errors: messages([...parsed.errors, ...r.err]) };
      if (job.headersEncrypted) listPassword = pw;
      break;
    }
    if (!job.headersEncrypted) {
      const why = messages([...parsed.errors, ...r.err]);
      result.errors.push(...(why.length ? why : [`7-Zip could not open the archive as ${job.format}`]));
    }
  }
  if (!listing) {
    if (job.headersEncrypted) result.errors.push(candidates.length ? `encrypted headers: none of ${candidates.length} password candidate(s) opened it` : 'encrypted headers: no password candidate');
    return result;
  }
  result.type = listing.type;
  result.errors.push(...listing.errors);
  const files = listing.items.filter((i) => i.Folder !== '+' && !/D/.test((i.Attributes ?? '').split(' ')[0] ?? ''));
  if (files.length > limits.maxEntries) result.errors.push(`more than ${limits.maxEntries} members; the rest not read`);
  const listed = files.slice(0, limits.maxEntries).map((i): { name: string; size: number; encrypted: boolean; link?: SevenZipEntry['link'] } => ({
    name: i.Path!,
    size: Number(i.Size ?? 0) || 0,
    encrypted: i.Encrypted === '+',
    ...(i['Hard Link'] ? { link: { kind: 'hard' as const, target: i['Hard Link'] } } : i['Symbolic Link'] ? { link: { kind: 'symbolic' as const, target: i['Symbolic Link'] } } : {}),
  }));
  if (listed.some((e) => e.encrypted)) result.encrypted = true;
  const outPath = (name: string) => name.replace(/\\/g, '/').replace(/^\/+/, '');
  ctx.sizes = new Map(listed.map((e) => [outPath(e.name), e.size]));

  // 2. Extraction: with the listing's password, else without one and then with each candidate.
  const attempts = listPassword !== undefined ? [listPassword] : result.encrypted ? ['', ...candidates] : [''];
  let best: { run: RunOutput; pw: string; budget: KeepBudget } | null = null;
  for (const pw of attempts) {
    const budget = keepBudget(limits, job.bytes.length);
    ctx.budget = budget;
    const r = await run7z(ctx, ['x', ...base, `-p${pw}`, '-o/out', '/in/archive'], true);
    const wrong = wrongPassword(r) || (r.exit === 'threw' && !r.stopped && result.encrypted);
    if (!best || !wrong) best = { run: r, pw, budget };
    if (!wrong || r.stopped) break;
  }
  const run = best!.run;
  // A password that decrypted the headers is right: a data error after it is damage.
  const failedPassword = listPassword === undefined && (wrongPassword(run) || (run.exit === 'threw' && !run.stopped && result.encrypted));
  if (result.encrypted && !failedPassword && best!.pw !== '') result.password = best!.pw;
  if (run.stopped) result.errors.push(run.stopped);
  else if (run.exit === 'threw' && !failedPassword) result.errors.push('7-Zip stopped with an internal error');
  const errs = messages(run.err);
  for (const e of errs) if (!result.errors.includes(e) && result.errors.length < 100) result.errors.push(e);

  // 3. Members: the listing's, matched in order with the files 7-Zip wrote.
  const written = new Map<string, MemberSink[]>();
  for (const w of run.written) written.set(w.path, [...(written.get(w.path) ?? []), w.sink]);
  const used = new Set<MemberSink>();
  const entryError = (name: string) => errs.find((e) => e.endsWith(` : ${name}`) || e.endsWith(` ${name}`));
  for (const e of listed) {
    const sink = written.get(outPath(e.name))?.find((s) => !used.has(s));
    if (sink) used.add(sink);
    const entry: SevenZipEntry = { name: e.name, size: e.size, encrypted: e.encrypted, ...(e.link ? { link: e.link } : {}) };
    const err = entryError(e.name);
    const passwordFailed = e.encrypted && failedPassword;
    if (e.link?.kind === 'symbolic') {
      entry.error = `symbolic link to "${e.link.target}" (not followed)`;
    } else if (e.link?.kind === 'hard' && !sink) {
      const target = result.entries.find((t) => t.name === e.link!.target && t.data);
      if (target) Object.assign(entry, { data: target.data, sha256: target.sha256, ...(target.padding ? { padding: target.padding } : {}) });
      else entry.error = `hard link to "${e.link.target}", which was not extracted`;
    } else if (sink && !passwordFailed) {
      const s = sink.finish();
      entry.data = s.data;
      entry.sha256 = s.sha256;
      if (s.padding) entry.padding = s.padding;
      if (e.size === 0 && s.size > 0) entry.size = s.size;
      if (s.truncated) entry.error = `not all kept: ${s.truncated}; first ${s.data.length} bytes kept`;
      else if (s.size < e.size) entry.error = `incomplete: ${s.size} of ${e.size} bytes decompressed${run.stopped ? ` (${run.stopped})` : ''}`;
      if (err) entry.error = entry.error ? `${err}; ${entry.error}` : err;
    } else if (e.size === 0 && !err && !run.stopped && !passwordFailed) {
      entry.data = Buffer.alloc(0);
    } else {
      entry.error = passwordFailed
        ? candidates.length ? `encrypted; none of ${candidates.length} password candidate(s) opened it` : 'encrypted; no password candidate'
        : err ?? (run.stopped ? `not extracted: ${run.stopped}` : `not extracted${errs[0] ? ` (${errs[0]})` : ''}`);
    }
    result.entries.push(entry);
  }
  // Files 7-Zip wrote that the listing did not name (a name it had to change).
  for (const w of run.written) {
    if (used.has(w.sink) || result.entries.length >= limits.maxEntries) continue;
    const s = w.sink.finish();
    result.entries.push({ name: w.path, size: s.size, encrypted: false, data: s.data, sha256: s.sha256, ...(s.padding ? { padding: s.padding } : {}) });
  }
  result.opened = !run.stopped && !(result.encrypted && failedPassword);
  return result;
}

/**
 * The worker's bootstrap: the compiled worker next to this file, or the TypeScript source
 * under tsx's require hook (tests run the sources). A worker that fails to load says so on
 * the port, so that the waiting thread does not wait out the time limit.
 */
function workerBootstrap(): string {
  const js = fileURLToPath(new URL('./archive-7z-worker.js', import.meta.url));
  const fail = `const fail = (e) => { const { port, flag } = require('node:worker_threads').workerData; port.postMessage({ error: String((e && e.stack) || e) }); Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); };`;
  if (existsSync(js)) return `${fail} import(${JSON.stringify(pathToFileURL(js).href)}).catch(fail);`;
  const ts = fileURLToPath(new URL('./archive-7z-worker.ts', import.meta.url));
  return `${fail} try { require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(ts)}); } catch (e) { fail(e); }`;
}

/** Time given to a worker to start, on top of the archive's own time limit. */
const WORKER_START_MILLIS = 10_000;

/**
 * Heap and array buffers of this thread above which its garbage is collected before a worker
 * starts. Below it a collection is not worth its cost (10-30 ms; ordinary archives leave
 * about 20 MB here); above it the garbage is on the scale of what one archive hands over
 * (ARCHIVE_LIMITS.maxTotalBytes, 64 MiB) and of the copies its analysis makes (an OLE parser
 * copies a document whole: about three times the bytes kept, in all).
 */
const COLLECT_ABOVE_BYTES = 64 * 1024 * 1024;

let fullGc: (() => void) | undefined;

/**
 * V8's full collection, without --expose-gc on the command line: the flag is set just long
 * enough for one new context to hold gc(), then cleared, so that no other context gets it
 * (made on first use: the workers that import this file never need it). Twice: V8 frees the
 * array buffers a collection found dead on another thread and finishes that at the next
 * collection or on a task of this thread's event loop, which does not turn while it waits
 * for a worker (measured: one collection left 108 MB of them allocated, two left none).
 */
function collectGarbage(): void {
  if (!fullGc) {
    setFlagsFromString('--expose-gc');
    try {
      fullGc = runInNewContext('gc') as () => void;
    } finally {
      setFlagsFromString('--no-expose-gc');
    }
  }
  fullGc();
  fullGc();
}

/**
 * Collect this thread's garbage before a worker starts, when there is much of it. The main
 * isolate's collector is driven by its own allocations and does not see a worker's memory
 * (WebAssembly up to maxWasmBytes, members kept up to maxTotalBytes), and this thread
 * allocates nothing while it waits; so without this, the garbage of the previous archive's
 * analysis was still resident when the next archive was read and analysed, and the two
 * stacked: 7z files of 40-48 MiB kept each, inspected one after another, peaked at 380-403 MB
 * (of which the first one's garbage was over 100 MB), 285-305 MB with this.
 */
function collectBeforeWorker(): void {
  const m = process.memoryUsage();
  if (m.heapUsed + m.arrayBuffers > COLLECT_ABOVE_BYTES) collectGarbage();
}

/**
 * Read an archive with 7-Zip, synchronously: the work runs in a worker thread of its own,
 * this thread waits for it (at most limits.maxMillis and the worker's start-up).
 */
export function read7z(job: SevenZipJob): SevenZipResult {
  collectBeforeWorker();
  const wasm = sevenZipWasm(job.limits.maxWasmBytes);
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  // A copy of exactly the archive's bytes: a Buffer may be a view of a much larger one.
  const bytes = new Uint8Array(job.bytes);
  const workerData = { job: { ...job, bytes }, wasm, flag, port: port2 };
  const transferList = [bytes.buffer as ArrayBuffer, port2];
  const worker = new Worker(workerBootstrap(), { eval: true, workerData, transferList, stdout: true, stderr: true });
  worker.unref();
  // Errors of the worker itself come back as a message; the event would only reach a loop that may never turn.
  worker.on('error', () => {});
  try {
    const waited = Atomics.wait(flag, 0, 0, job.limits.maxMillis + WORKER_START_MILLIS);
    const msg = receiveMessageOnPort(port1)?.message as { result?: SevenZipResult; error?: string } | undefined;
    if (msg?.result) {
      for (const e of msg.result.entries) if (e.data) e.data = Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength);
      return msg.result;
    }
    const why = waited === 'timed-out' ? `time limit of ${job.statedMillis ?? job.limits.maxMillis} ms reached` : `7-Zip worker failed: ${msg?.error ?? 'no answer'}`;
    return { encrypted: job.headersEncrypted, headersEncrypted: job.headersEncrypted, opened: false, entries: [], errors: [why] };
  } finally {
    port1.close();
    void worker.terminate();
  }
}
