// The scan pipeline: walk the inputs, split and parse each message, store it with its
// sighting. Writes are batched; each batch commits the messages together with the
// input's resume offset, so a killed run resumes where its last commit ended.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { classifyDirection, normaliseDomains } from '../mail/direction.js';
import { firstExternalIp, type ReceivedHop } from '../mail/received.js';
import type { ParsedMessage } from '../mail/types.js';
import { MBOX_LIMITS, readMbox } from '../ingest/mbox-reader.js';
import { containerHint } from '../ingest/container-hint.js';
import { gunzipWhole } from '../ingest/gzip-input.js';
import { memberChunks, zipEntries } from '../ingest/zip-input.js';
import { mailKind } from '../ingest/sources.js';
import { walkInputs, type InputFile, type WalkProblem } from '../ingest/sources.js';
import type { InspectResult } from '../office/inspect.js';
import { AnalysisStore } from '../store/analysis-store.js';
import { CaseFile } from '../store/case-file.js';
import { LogStore } from '../store/log-store.js';
import type { LogReadOptions } from '../logs/read-log.js';
import type { Extractor } from '../report/extract.js';
import { HostInputs, type HostInputSummary } from './scan-hosts.js';
import { ScanPipeline, type Outcome } from './scan-pipeline.js';
import { createRunner, type ScanRunner } from './scan-pool.js';
import type { LogBatch, PstBatch } from './scan-worker.js';

export interface ScanProgress {
  bytesDone: number;
  bytesTotal: number;
  messages: number;
  currentPath: string;
}

export interface ScanOptions {
  inputs: string[];
  casePath: string;
  orgDomains: string[];
  /** Messages per transaction. */
  batchSize?: number;
  /** Files never read as inputs (the profile, when it sits in a scanned folder). */
  exclude?: string[];
  /** Write every analysed object that is not clean here, inside a ZIP with the password "infected". */
  extract?: Extractor;
  /** How to read MTA logs (format override, year and UTC offset of classic syslog time stamps). */
  logs?: LogReadOptions;
  /** Feeds or plain indicator lists (--ioc): matched against the network logs. */
  iocFiles?: string[];
  /** CSV files of host, ip, user (--host-map). */
  hostMaps?: string[];
  onProgress?: (p: ScanProgress) => void;
  /** Worker threads for parsing and attachment analysis; default one per core, 0 runs all on this thread. */
  threads?: number;
  /** Aborted (Ctrl-C): the scan starts nothing new, commits what it has read and returns. */
  signal?: AbortSignal;
}

export interface InputSummary {
  path: string;
  kind: string;
  container: string;
  /** Messages read from this input in this run. */
  messagesRead: number;
  newMessages: number;
  newSightings: number;
  errors: number;
  /** 'unchanged' when a previous run had read the whole file and it has not changed since. */
  skipped: 'unchanged' | null;
  /** Set when this run continued an interrupted earlier run at that byte offset. */
  resumedAt: number | null;
  /** For MTA logs: the format and what the lines were. */
  log?: { format: string; lines: number; recognised: number; unreadable: number; foreign: number; unfinished: number; messages: number; deliveries: number };
  /** For feeds, network logs, PC evidence and host maps: what was read. */
  hosts?: HostInputSummary;
}

export interface ScanSummary {
  case: string;
  orgDomains: string[];
  /** Totals in the case file after this run. */
  messages: number;
  sightings: number;
  attachments: number;
  errors: number;
  /** What this run added. */
  added: { messages: number; sightings: number; errors: number };
  /** Read errors that concern this run's inputs (this run's and earlier runs' records). */
  inputErrors: number;
  inputs: InputSummary[];
  problems: WalkProblem[];
  directions: Record<string, number>;
  /** Attachment analyses run in this run: once per SHA-256 (again only for an archive a later mail's password opens). */
  analysesRun: number;
  /** Attachments by the verdict of their analysis (clean, macro, suspicious, encrypted, error). */
  attachmentVerdicts: Record<string, number>;
  /** MTA log facts in the case: messages (queue ids), recipient status lines, and how many messages are linked to a mailbox copy. */
  logs: { messages: number; deliveries: number; linkedToMailbox: number };
  /** Up to 100 of the error records behind inputErrors, oldest first. */
  errorSamples: { source_path: string; locator: string; byte_offset: number | null; reason: string }[];
}

/** A single .eml or .msg larger than this is not read: no real mail is that large. */
const MAX_SINGLE_FILE_BYTES = MBOX_LIMITS.maxMessageBytes;

interface Pending {
  locator: string;
  offset: number | null;
  length: number | null;
  message: ParsedMessage;
  passwords: string[];
  analyses: Map<string, InspectResult>;
}

/** The files of --ioc and --host-map, read as their option says (a walk problem when missing). */
async function optionFiles(opts: ScanOptions, problems: WalkProblem[]): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const p of opts.iocFiles ?? []) for (const f of await walkInputs([p], problems)) out.push({ ...f, kind: 'feed', iocList: true });
  for (const p of opts.hostMaps ?? []) for (const f of await walkInputs([p], problems)) out.push({ ...f, kind: 'host-map' });
  return out;
}

/**
 * Feeds first, so that every network log of the run is matched against all of them; a file
 * named by an option and found in a scanned folder too is read once, as the option says.
 */
function orderForHosts(files: InputFile[]): InputFile[] {
  const byOption = new Set(files.filter((f) => f.iocList || f.kind === 'host-map').map((f) => f.path));
  const kept = files.filter((f) => f.iocList || f.kind === 'host-map' || !byOption.has(f.path));
  return [...kept.filter((f) => f.kind === 'feed'), ...kept.filter((f) => f.kind !== 'feed')];
}

/** The inputs hold no file at all (empty folders): nothing to read, and no case file is made. */
export class NothingToReadError extends Error {}

export async function runScan(opts: ScanOptions): Promise<ScanSummary> {
  const batchSize = opts.batchSize ?? 500;
  // The inputs are walked before the case file is opened: an empty input set makes no case.
  const problems: WalkProblem[] = [];
  const caseAbs = resolve(opts.casePath);
  const ownFiles = new Set([...['', '-wal', '-shm', '-journal'].map((suffix) => caseAbs + suffix), ...(opts.exclude ?? []).map((p) => resolve(p))]);
  const files = orderForHosts([...(await walkInputs(opts.inputs, problems, ownFiles)), ...(await optionFiles(opts, problems))]);
  if (files.length === 0 && problems.length === 0) throw new NothingToReadError(`no files to read in ${opts.inputs.join(', ')}`);
  const store = new CaseFile(opts.casePath);
  // A run that names no org domains keeps the ones the case was scanned with.
  const stored = store.getMeta('org_domains');
  const orgDomains = opts.orgDomains.length === 0 && stored ? (JSON.parse(stored) as string[]) : normaliseDomains(opts.orgDomains);
  const runner = createRunner(opts.threads);
  try {
    return await scanInto(store, runner, opts, orgDomains, batchSize, files, problems);
  } finally {
    await runner.close();
    store.close();
  }
}

/** What the pipeline hands back for one pushed item: its own handler runs on delivery. */
type Delivery = (outcome: Outcome) => void;

async function scanInto(store: CaseFile, runner: ScanRunner, opts: ScanOptions, orgDomains: string[], batchSize: number, files: InputFile[], problems: WalkProblem[]): Promise<ScanSummary> {
  const before = store.counts();
  for (const p of problems) store.recordError(p.path, '', null, p.reason);

  const derive = (from: string | null, recipients: string[], received: ReceivedHop[]) => ({
    direction: classifyDirection(from, recipients, orgDomains),
    firstExternalIp: firstExternalIp(received, orgDomains),
  });
  const previousOrg = store.getMeta('org_domains');
  if (previousOrg !== undefined && previousOrg !== JSON.stringify(orgDomains)) {
    store.reclassify((from, rcpts, receivedJson) => derive(from, rcpts, JSON.parse(receivedJson) as ReceivedHop[]));
  }
  store.setMeta('org_domains', JSON.stringify(orgDomains));

  const bytesTotal = files.reduce((s, f) => s + f.size, 0);
  let bytesDone = 0;
  let messagesSeen = 0;
  const summaries: InputSummary[] = [];
  const report = (path: string, fileBytes: number) =>
    opts.onProgress?.({ bytesDone: bytesDone + fileBytes, bytesTotal, messages: messagesSeen, currentPath: path });

  const analyses = new AnalysisStore(store.db);
  const logStore = new LogStore(store.db);
  const hostInputs = new HostInputs(store);
  const pipeline = new ScanPipeline<Delivery>(runner, analyses, (handle, outcome) => handle(outcome), opts.extract);
  const storeBatch = (input: { id: number }, s: InputSummary, batch: Pending[]) => {
    for (const p of batch) {
      const m = p.message;
      const rcpts = [...m.to, ...m.cc, ...m.bcc].map((a) => a.address).filter(Boolean);
      const r = store.storeMessage(input.id, p.locator, p.offset, p.length, m, derive(m.from?.address ?? null, rcpts, m.received));
      if (r.newMessage) {
        s.newMessages++;
        storeAnalyses(store, analyses, r.messageRef, m, p.passwords, p.analyses);
      }
      if (r.newSighting) s.newSightings++;
    }
  };

  for (const f of files) {
    // Ctrl-C: no new file is started; what was read is committed below as usual.
    if (opts.signal?.aborted) break;
    const summary: InputSummary = {
      path: f.path, kind: f.kind, container: f.container, messagesRead: 0, newMessages: 0, newSightings: 0, errors: 0, skipped: null, resumedAt: null,
    };
    summaries.push(summary);
    const input = store.openInput(f);
    // A network log read before the case had its current feeds is matched again.
    if (input.completed && !(f.kind === 'netlog' && hostInputs.needsRematch(input.id))) {
      summary.skipped = 'unchanged';
      bytesDone += f.size;
      report(f.path, 0);
      continue;
    }
    const fail = (locator: string, offset: number | null, reason: string) => {
      store.recordError(f.path, locator, offset, reason);
      summary.errors++;
    };
    if (f.kind === 'empty' || f.kind === 'not-mail') {
      const hint = f.kind === 'not-mail' ? await containerHint(f.path) : null;
      store.transaction(() => {
        fail('', null, f.kind === 'empty' ? 'empty file' : hint ? `not a mail file: ${hint.what}; ${hint.fix}` : 'not a mail file (no mbox separator, mail header or .msg container)');
        store.completeInput(input.id, f.size, 0);
      });
    } else if (f.kind === 'zip') {
      await scanZipExport(f, new ItemWriter(store, pipeline, input, summary, fail, storeBatch, batchSize, 0, () => {
        messagesSeen++;
        report(f.path, 0);
      }));
    } else if (f.kind === 'pst') {
      await scanPst(f, runner, new ItemWriter(store, pipeline, input, summary, fail, storeBatch, batchSize, input.messages_read, () => {
        messagesSeen++;
        report(f.path, 0);
      }));
    } else if (f.kind === 'feed') {
      summary.hosts = { feed: await hostInputs.feed(f, input, fail, f.iocList === true) };
    } else if (f.kind === 'netlog') {
      await pipeline.drain();
      summary.hosts = { net: await hostInputs.netLog(f, input, fail, { offsetMinutes: opts.logs?.offsetMinutes, year: opts.logs?.year, onLine: () => report(f.path, 0) }) };
    } else if (f.kind === 'endpoint') {
      summary.hosts = { endpoint: await hostInputs.endpoint(f, input, fail, { offsetMinutes: opts.logs?.offsetMinutes }) };
    } else if (f.kind === 'host-map') {
      summary.hosts = { hostMap: await hostInputs.hostMap(f, input, fail) };
    } else if (f.kind === 'log') {
      // The log's facts are written in order with the mail before it: let the pipeline catch up.
      await pipeline.drain();
      await scanLogFile(f, store, logStore, runner, input, summary, fail, opts.logs ?? {});
    } else if (f.kind === 'eml' || f.kind === 'msg') {
      await scanSingleFile(f, store, pipeline, input, summary, fail, storeBatch, () => {
        messagesSeen += summary.messagesRead;
        bytesDone += f.size;
        report(f.path, 0);
      });
      continue;
    } else {
      await scanMbox(f, store, pipeline, input, summary, fail, storeBatch, batchSize, (done) => {
        messagesSeen++;
        report(f.path, f.gzip ? Math.min(done, f.size) : done); // a .gz: decompressed offsets, shown against the file size
      }, opts.signal);
    }
    bytesDone += f.size;
    report(f.path, 0);
  }
  await pipeline.drain();

  logStore.linkReinjections();
  const linkedToMailbox = logStore.linkMessages();
  const after = store.counts();
  const errorsByPath = store.errorsByPath();
  const paths = new Set([...files.map((f) => f.path), ...problems.map((p) => p.path)]);
  let inputErrors = 0;
  for (const p of paths) inputErrors += errorsByPath.get(p) ?? 0;
  const errorSamples: ScanSummary['errorSamples'] = inputErrors > 0 ? store.errorSamples(paths, 100) : [];
  const logs = { ...store.logCounts(), linkedToMailbox };
  const attachmentVerdicts = store.attachmentVerdicts();
  const directions = store.directions();
  return {
    case: opts.casePath,
    orgDomains,
    messages: after.messages,
    sightings: after.sightings,
    attachments: after.attachments,
    errors: after.errors,
    added: { messages: after.messages - before.messages, sightings: after.sightings - before.sightings, errors: after.errors - before.errors },
    inputErrors,
    inputs: summaries,
    problems,
    directions,
    analysesRun: pipeline.analysesRun,
    attachmentVerdicts,
    logs,
    errorSamples,
  };
}

/**
 * One .eml or .msg file: read here, parsed on the pool, and written with its input's
 * completion in one transaction when its turn comes (files are batched into tasks).
 */
async function scanSingleFile(
  f: InputFile,
  store: CaseFile,
  pipeline: ScanPipeline<Delivery>,
  input: { id: number },
  summary: InputSummary,
  fail: (locator: string, offset: number | null, reason: string) => void,
  storeBatch: (input: { id: number }, s: InputSummary, batch: Pending[]) => void,
  onDone: () => void,
): Promise<void> {
  const what = f.kind === 'msg' ? 'Outlook .msg' : 'message';
  const handle: Delivery = (outcome) => {
    store.transaction(() => {
      if ('error' in outcome) fail('', null, outcome.stage === 'parse' ? `unparseable ${what}: ${outcome.error}` : outcome.error);
      else {
        summary.messagesRead = 1;
        for (const e of outcome.analysisErrors) fail('', null, e);
        storeBatch(input, summary, [{ locator: '', offset: null, length: f.size, message: outcome.message, passwords: outcome.passwords, analyses: outcome.analyses }]);
      }
      store.completeInput(input.id, f.size, summary.messagesRead);
    });
    onDone();
  };
  if (f.size > MAX_SINGLE_FILE_BYTES) {
    await pipeline.pushError(handle, `file of ${f.size} bytes exceeds the ${MAX_SINGLE_FILE_BYTES}-byte limit for one message; not parsed`);
    return;
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(f.path);
    // A compressed message is refused past the same limit once decompressed (a gzip bomb stops there).
    if (f.gzip) bytes = await gunzipWhole(bytes, MAX_SINGLE_FILE_BYTES);
  } catch (e) {
    await pipeline.pushError(handle, `unparseable ${what}: ${(e as Error).message}`);
    return;
  }
  await pipeline.push(handle, f.kind === 'msg' ? 'msg' : 'mime', bytes);
}

/**
 * An mbox, from its resume offset: messages go through the pipeline and are written in
 * batches; each batch commits with the offset after its last message, so a killed run
 * resumes there. Errors are committed with the batch that follows them; a kill in between
 * re-reads those messages and INSERT OR IGNORE keeps the error count exact.
 */
async function scanMbox(
  f: InputFile,
  store: CaseFile,
  pipeline: ScanPipeline<Delivery>,
  input: { id: number; resume_offset: number; messages_read: number },
  summary: InputSummary,
  fail: (locator: string, offset: number | null, reason: string) => void,
  storeBatch: (input: { id: number }, s: InputSummary, batch: Pending[]) => void,
  batchSize: number,
  onMessage: (fileBytesDone: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  const resumeAt = input.resume_offset;
  if (resumeAt > 0) summary.resumedAt = resumeAt;
  /** End of the last message delivered: where a stopped run resumes. */
  let lastEnd = resumeAt;
  let batch: Pending[] = [];
  let readTotal = input.messages_read;
  let batchBytes = 0;
  const flush = (nextOffset: number, done: boolean) => {
    const b = batch;
    batch = [];
    batchBytes = 0;
    store.transaction(() => {
      storeBatch(input, summary, b);
      if (done) store.completeInput(input.id, nextOffset, readTotal);
      else store.recordProgress(input.id, nextOffset, readTotal);
    });
    pipeline.committed();
  };
  for await (const item of readMbox(f.path, resumeAt, { gzip: f.gzip === true })) {
    const locator = `@${item.offset}`;
    const end = item.offset + item.length;
    const handle: Delivery = (outcome) => {
      summary.messagesRead++;
      readTotal++;
      if ('error' in outcome) {
        fail(locator, item.offset, outcome.stage === 'parse' ? `unparseable message: ${outcome.error}` : outcome.error);
      } else {
        for (const e of outcome.analysisErrors) fail(locator, item.offset, e);
        batch.push({ locator, offset: item.offset, length: item.length, message: outcome.message, passwords: outcome.passwords, analyses: outcome.analyses });
        batchBytes += item.length;
      }
      lastEnd = end;
      if (batch.length >= batchSize || batchBytes >= 64 * 1024 * 1024) flush(end, false);
      onMessage(end);
    };
    if (signal?.aborted) break;
    if ('oversize' in item) await pipeline.pushError(handle, `message of ${item.length} bytes exceeds the ${MBOX_LIMITS.maxMessageBytes}-byte limit; not parsed`);
    else await pipeline.push(handle, 'mime', item.raw);
  }
  await pipeline.drain();
  // Stopped: commit what was delivered and remember where to resume; the file is not complete.
  if (signal?.aborted) flush(lastEnd, false);
  else flush(f.size, true);
}

/** Bytes of a ZIP member looked at to tell what it is. */
const MEMBER_HEAD_BYTES = 8192;

/**
 * A ZIP file of mail exports (zip-input.ts): each member read as a stream and judged by its
 * content as a file in a folder would be; .eml and .msg members are messages, mbox members
 * are split as they stream. A member that is not mail, is encrypted or nested is an error
 * record naming it. A killed run reads the ZIP again from its start; sightings are unique by
 * locator, so the counts stay exact.
 */
async function scanZipExport(f: InputFile, w: ItemWriter): Promise<void> {
  const { store, pipeline, input, fail } = w;
  const delivery = (locator: string, offset: number | null, length: number | null) => w.delivery(locator, offset, length);
  let dir: Awaited<ReturnType<typeof zipEntries>>;
  try {
    dir = await zipEntries(f.path, f.size);
  } catch (e) {
    store.transaction(() => {
      fail('', null, `unreadable ZIP: ${(e as Error).message}`);
      store.completeInput(input.id, f.size, 0);
    });
    return;
  }
  for (const e of dir.errors) fail('', null, `ZIP: ${e}`);
  for (const e of dir.entries) {
    const where = `zip:${e.name}`;
    let chunks: AsyncIterable<Buffer>;
    try {
      chunks = await memberChunks(f.path, e);
    } catch (x) {
      fail(where, null, (x as Error).message);
      continue;
    }
    const it = chunks[Symbol.asyncIterator]();
    const first: Buffer[] = [];
    let have = 0;
    let ended = false;
    try {
      while (have < MEMBER_HEAD_BYTES) {
        const n = await it.next();
        if (n.done) {
          ended = true;
          break;
        }
        first.push(n.value);
        have += n.value.length;
      }
    } catch (x) {
      fail(where, null, `unreadable member: ${(x as Error).message}`);
      continue;
    }
    const whole = async function* (): AsyncGenerator<Buffer> {
      yield* first;
      if (ended) return;
      for (;;) {
        const n = await it.next();
        if (n.done) return;
        yield n.value;
      }
    };
    const kind = mailKind(Buffer.concat(first).subarray(0, MEMBER_HEAD_BYTES), e.name);
    try {
      if (kind === 'mbox') {
        for await (const item of readMbox(f.path, 0, { source: whole() })) {
          const locator = `${where}@${item.offset}`;
          if ('oversize' in item) await pipeline.pushError(delivery(locator, item.offset, item.length), `message of ${item.length} bytes exceeds the ${MBOX_LIMITS.maxMessageBytes}-byte limit; not parsed`);
          else await pipeline.push(delivery(locator, item.offset, item.length), 'mime', item.raw);
        }
      } else if (kind === 'eml' || kind === 'msg') {
        const parts: Buffer[] = [];
        let size = 0;
        for await (const c of whole()) {
          size += c.length;
          if (size > MAX_SINGLE_FILE_BYTES) break;
          parts.push(c);
        }
        if (size > MAX_SINGLE_FILE_BYTES) await pipeline.pushError(delivery(where, null, null), `member of more than ${MAX_SINGLE_FILE_BYTES} bytes exceeds the limit for one message; not parsed`);
        else await pipeline.push(delivery(where, null, size), kind === 'msg' ? 'msg' : 'mime', Buffer.concat(parts, size));
      } else {
        fail(where, null, kind === 'pst' ? 'a PST store inside a ZIP: extract it and scan the .pst' : 'not a mail file (no mbox separator, mail header or .msg container)');
      }
    } catch (x) {
      fail(where, null, `unreadable member: ${(x as Error).message}`);
    } finally {
      await it.return?.();
    }
  }
  await pipeline.drain();
  w.flush();
  store.transaction(() => store.completeInput(input.id, f.size, w.read));
}

/** A PST store that sends no item for this long is taken to be stuck in its reader, and the reading ends. */
const PST_IDLE_MILLIS = 120_000;

/**
 * A PST/OST store: read on a worker (pst-reader.ts), its mail items streamed here already
 * parsed, their attachments analysed through the pipeline and written in batches. Evidence
 * points at the store and the item's locator (pst:<folder>#<node id>), not a byte offset.
 * A killed run starts the store again and passes over the locators the case has.
 */
async function scanPst(f: InputFile, runner: ScanRunner, w: ItemWriter): Promise<void> {
  const { store, pipeline, input, fail } = w;
  const done = store.locatorsOf(input.id, f.path);
  const { port1, port2 } = new MessageChannel();
  const stop = new AbortController();
  let idle: NodeJS.Timeout | undefined;
  const watch = () => {
    clearTimeout(idle);
    idle = setTimeout(() => stop.abort(), PST_IDLE_MILLIS);
  };
  const queue: PstBatch[] = [];
  let wake: (() => void) | null = null;
  port1.on('message', (b: PstBatch) => {
    queue.push(b);
    wake?.();
    wake = null;
  });
  watch();
  const task = runner.readPst({ path: f.path, done, port: port2 }, stop.signal).then(
    () => null,
    (e: unknown) => e,
  );
  let end: PstBatch | null = null;
  try {
    while (!end) {
      while (queue.length === 0) {
        const settled = await Promise.race([new Promise<'item'>((r) => (wake = () => r('item'))), task.then(() => 'task' as const)]);
        // The task's end and the port's last messages travel separately: give those a moment.
        if (settled === 'task' && queue.length === 0) await new Promise<void>((r) => {
          const t = setTimeout(r, 2000);
          wake = () => (clearTimeout(t), r());
        });
        if (settled === 'task' && queue.length === 0) {
          const e = await task;
          end = { kind: 'failed', error: stop.signal.aborted ? `no item for ${PST_IDLE_MILLIS / 1000} s: the reader was stopped` : e ? `worker failed: ${(e as Error).message}` : 'the reader ended without a summary' };
          break;
        }
      }
      if (end) break;
      const b = queue.shift()!;
      watch();
      if (b.kind === 'done' || b.kind === 'failed') {
        end = b;
        break;
      }
      port1.postMessage('written');
      if (b.kind === 'error') {
        fail(b.locator, null, `unreadable PST item in "${b.folder}": ${b.error}`);
        continue;
      }
      const { locator } = b;
      const contents = b.contents.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength));
      await pipeline.pushParsed(w.delivery(locator, null, null), { ...b.item, contents } as Parameters<ScanPipeline<Delivery>['pushParsed']>[1]);
    }
  } finally {
    clearTimeout(idle);
    port1.close();
  }
  await pipeline.drain();
  w.flush();
  if (end.kind === 'failed') {
    fail('pst:#store', null, `unreadable PST/OST store: ${end.error}`);
    return;
  }
  const s = end.summary;
  store.transaction(() => {
    if (s.abandoned) fail('pst:#abandoned', null, s.abandoned);
    store.completeInput(input.id, f.size, w.read);
  });
}

/**
 * The messages of an input read item by item (a ZIP's members, a PST's items), written in
 * batches with the input's count of messages read; evidence is a locator, not a resume offset.
 */
class ItemWriter {
  private batch: Pending[] = [];
  constructor(
    readonly store: CaseFile,
    readonly pipeline: ScanPipeline<Delivery>,
    readonly input: { id: number },
    private readonly summary: InputSummary,
    readonly fail: (locator: string, offset: number | null, reason: string) => void,
    private readonly storeBatch: (input: { id: number }, s: InputSummary, batch: Pending[]) => void,
    private readonly batchSize: number,
    /** Messages read from the input so far, earlier runs included. */
    public read: number,
    private readonly onMessage: () => void,
  ) {}

  /** What the pipeline calls with the outcome of the message found at `locator`. */
  delivery(locator: string, offset: number | null, length: number | null): Delivery {
    return (outcome) => {
      this.summary.messagesRead++;
      this.read++;
      if ('error' in outcome) this.fail(locator, offset, outcome.stage === 'parse' ? `unparseable message: ${outcome.error}` : outcome.error);
      else {
        for (const e of outcome.analysisErrors) this.fail(locator, offset, e);
        this.batch.push({ locator, offset, length, message: outcome.message, passwords: outcome.passwords, analyses: outcome.analyses });
      }
      if (this.batch.length >= this.batchSize) this.flush();
      this.onMessage();
    };
  }

  flush(): void {
    const b = this.batch;
    this.batch = [];
    this.store.transaction(() => {
      this.storeBatch(this.input, this.summary, b);
      this.store.recordProgress(this.input.id, 0, this.read);
    });
    this.pipeline.committed();
  }
}

/** Store (or reuse) the analysis of each attachment of a newly stored message and link it. */
function storeAnalyses(store: CaseFile, analyses: AnalysisStore, messageRef: number, m: ParsedMessage, passwords: string[], prepared: Map<string, InspectResult>): void {
  if (passwords.length) store.setPasswordCandidates(messageRef, passwords);
  for (const a of m.attachments) {
    const mine = prepared.get(a.sha256);
    const id = analyses.known(a.sha256, passwords.length > 0 || (mine?.archive?.opened ?? false)) ?? (mine ? analyses.save(mine) : null);
    if (id !== null) analyses.linkAttachment(messageRef, a.ordinal, id);
  }
}

/**
 * Read one MTA log into the case. The log is parsed on a worker thread, which streams its
 * facts here in batches, each written in one transaction as it arrives: parsing and writing
 * overlap. A killed run reads the file again from its start, and the unique keys of the log
 * tables keep the counts exact. Lines of the format that could not be read become error
 * records with their line numbers.
 */
async function scanLogFile(
  f: InputFile,
  store: CaseFile,
  logStore: LogStore,
  runner: ScanRunner,
  input: { id: number },
  summary: InputSummary,
  fail: (locator: string, offset: number | null, reason: string) => void,
  opts: LogReadOptions,
): Promise<void> {
  let count = 0;
  let deliveries = 0;
  let writeError: Error | null = null;
  const { port1, port2 } = new MessageChannel();
  const finished = new Promise<LogBatch & { kind: 'done' | 'failed' }>((resolve, reject) => {
    port1.on('message', (b: LogBatch) => {
      if (b.kind !== 'facts') {
        resolve(b);
        return;
      }
      try {
        store.transaction(() => {
          summary.newMessages += logStore.packed(input.id, b.facts);
        });
      } catch (e) {
        writeError = e as Error;
        reject(writeError);
        return;
      }
      count += b.facts.messages;
      deliveries += b.facts.deliveries;
      port1.postMessage('written');
    });
  });
  const { onLine: _onLine, pause: _pause, ...plain } = opts;
  // The indexes of log_messages are dropped and built at the end only when this thread parses
  // the log too (no worker threads): then every row's index upkeep is on the one thread, and
  // one build is cheaper. With a worker parsing, this thread waits for batches part of the
  // time, keeping the indexes up to date costs no wall time, and the build at the end is a
  // tail nothing overlaps: 2M Postfix lines scanned in 3.2-3.3 s with the indexes kept,
  // 3.4-4.1 s with the bulk load (of which 0.7 s building them).
  // A Postfix log spends about 900 bytes per message (a compressed one is counted low: that only costs speed).
  const bulk = runner.threads === 0 && logStore.beginBulkLoad(f.size / 900);
  const task = runner.readLog({ path: f.path, opts: plain, port: port2 });
  let end: LogBatch;
  try {
    end = await Promise.race([finished, task.then(() => finished)]);
  } catch (e) {
    // The case file could not be written: that ends the scan. The reader failing is the log's problem.
    if (writeError) throw writeError;
    end = { kind: 'failed', error: `worker failed: ${(e as Error).message}` };
  } finally {
    port1.close();
    if (bulk) logStore.endBulkLoad();
  }
  await task.catch(() => {});
  if (end.kind === 'failed') {
    fail('', null, `unreadable log: ${end.error}`);
    return;
  }
  const r = end.result;
  summary.messagesRead = count;
  summary.log = { format: r.format, lines: r.stats.lines, recognised: r.stats.recognised, unreadable: r.stats.unreadable, foreign: r.stats.foreign, unfinished: r.unfinished, messages: count, deliveries };
  store.transaction(() => {
    logStore.recordRead(input.id, { format: r.format, lines: r.stats.lines, recognised: r.stats.recognised, unreadable: r.stats.unreadable, foreign: r.stats.foreign, unfinished: r.unfinished, nonUtf8: r.lineStats.nonUtf8Lines, cut: r.lineStats.cutLines, utcOffsetMinutes: opts.offsetMinutes ?? 0 });
    for (const u of r.stats.unreadableSamples) fail(`line ${u.line}`, null, `unreadable ${r.format} line: ${u.text}`);
    if (r.stats.unreadable > r.stats.unreadableSamples.length) fail('', null, `${r.stats.unreadable} unreadable ${r.format} lines in all (the first ${r.stats.unreadableSamples.length} recorded)`);
    store.completeInput(input.id, f.size, count);
  });
}
