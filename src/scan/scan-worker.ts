// The scan's worker thread (run by piscina, see scan-pool.ts): the per-message work that
// needs no case file. `parse` reads a task's messages (MIME or Outlook .msg), hashes their
// attachments and harvests their password candidates; `analyse` inspects one attachment;
// `readLog` parses an MTA log and streams its facts to the writer.
// Everything a worker returns is plain data; attachment bytes are moved, not copied (transfer.ts).
import type { MessagePort } from 'node:worker_threads';
import type { PstSummary } from '../ingest/pst-reader.js';
import type { LogReadOptions, LogReadResult } from '../logs/read-log.js';
import type { PackedLogFacts } from '../logs/fact-batch.js';
import { parseMessage } from '../mail/parse.js';
import type { ParsedMessage } from '../mail/types.js';
import type { InspectResult } from '../office/inspect.js';
import { harvestPasswords } from '../office/passwords.js';
import { messageJsonColumns, type StorableMessage } from '../store/message-json.js';
import { movable, owned, pack, unpack, type Packed } from './transfer.js';

export type ItemKind = 'mime' | 'msg';

export interface ParseTask {
  kinds: ItemKind[];
  raws: Packed;
}

/** A read message; one read by `parse` carries its JSON columns serialised (the writer only binds them). */
export type ParsedItem = { message: StorableMessage; passwords: string[] } | { error: string };

export interface ParseTaskResult {
  items: ParsedItem[];
  /** The bytes of every attachment of every parsed message, in order, each in an ArrayBuffer of its own. */
  contents: Uint8Array[];
}

// Loaded on first use: a worker reading plain mail needs none of them, and each worker
// loads its own copy (the .msg, PST and log readers and inspect's readers are about 120 of
// the 245 ms a worker spent loading modules; inspect still loads once an attachment needs analysis).
const msgReader = () => import('../ingest/msg-reader.js');
const pstReader = () => import('../ingest/pst-reader.js');
const logReader = () => Promise.all([import('../logs/read-log.js'), import('../logs/fact-batch.js')]);
const inspector = () => import('../office/inspect-deep.js');

/** Read a parse task's messages (the work itself; `parse` is the pool's entry point). */
export async function parseTask(task: ParseTask): Promise<ParseTaskResult> {
  const raws = unpack(task.raws);
  const items: ParsedItem[] = [];
  const contents: Buffer[] = [];
  for (let i = 0; i < raws.length; i++) {
    try {
      const raw = raws[i]!;
      const message = task.kinds[i] === 'msg' ? (await msgReader()).parseMsgFile(raw, { keepContent: true }) : await parseMessage(raw, { keepContent: true });
      contents.push(...takeContents(message));
      items.push({ message: { ...message, json: messageJsonColumns(message) }, passwords: harvestPasswords(message.subject, message.text) });
    } catch (e) {
      items.push({ error: (e as Error).message });
    }
  }
  return { items, contents };
}

/**
 * The bytes of a message's attachments, each in an ArrayBuffer of its own (to be moved to
 * the main thread), taken off the records: a record crosses threads without its bytes.
 */
function takeContents(message: ParsedMessage): Buffer[] {
  return message.attachments.map((a) => {
    const c = owned(a.content ?? Buffer.alloc(0));
    delete a.content;
    return c;
  });
}

/** The pool's entry point: parseTask's result with the attachments' memory moved to the main thread. */
export async function parse(task: ParseTask): Promise<ParseTaskResult> {
  const r = await parseTask(task);
  return movable(r, [...new Set(r.contents.map((c) => c.buffer as ArrayBuffer))]);
}

export interface AnalyseTask {
  content: Uint8Array;
  /** The content's SHA-256 as the parser computed it. */
  sha256?: string;
  file: string;
  passwords: string[];
  /** Return the bytes of every object that is not clean, for --extract. */
  extract: boolean;
}

export interface AnalyseTaskResult {
  result: InspectResult;
  extracted: { file: string; sha256: string }[];
  extractedBytes: Packed;
}


/**
 * Several attachments analysed in one task (the small ones a parse batch brought): one
 * hand-over each way instead of one per attachment. Each attachment's outcome is its own:
 * an analysis that throws is an error for that attachment alone.
 */
export interface AnalyseBatchTask {
  items: { sha256: string; file: string; passwords: string[] }[];
  /** The attachments' bytes, in the order of `items`. */
  contents: Packed;
  extract: boolean;
}

export interface AnalyseBatchResult {
  results: (AnalyseTaskResult | { error: string })[];
}

/** Analyse a batch's attachments (the work itself; `analyseBatch` is the pool's entry point). */
export async function analyseBatchTask(task: AnalyseBatchTask): Promise<AnalyseBatchResult> {
  const contents = unpack(task.contents);
  const results: AnalyseBatchResult['results'] = [];
  for (let i = 0; i < task.items.length; i++) {
    const it = task.items[i]!;
    try {
      results.push(await analyse({ content: contents[i]!, sha256: it.sha256, file: it.file, passwords: it.passwords, extract: task.extract }));
    } catch (e) {
      results.push({ error: (e as Error).message });
    }
  }
  return { results };
}

/** The pool's entry point: analyseBatchTask's result with the extracted objects' bytes moved to the main thread. */
export async function analyseBatch(task: AnalyseBatchTask): Promise<AnalyseBatchResult> {
  const r = await analyseBatchTask(task);
  return movable(r, r.results.flatMap((x) => ('error' in x || x.extractedBytes.bytes.byteLength === 0 ? [] : [x.extractedBytes.bytes.buffer as ArrayBuffer])));
}

export async function analyse(task: AnalyseTask): Promise<AnalyseTaskResult> {
  const extracted: { file: string; sha256: string }[] = [];
  const bytes: Buffer[] = [];
  const content = Buffer.from(task.content.buffer, task.content.byteOffset, task.content.length);
  const { inspectDeep } = await inspector();
  const result = await inspectDeep(content, task.file, {
    passwords: task.passwords,
    sha256: task.sha256,
    onObject: task.extract
      ? (obj, b) => {
          if (obj.verdict !== 'clean' && b.length > 0) {
            extracted.push({ file: obj.file, sha256: obj.sha256 });
            bytes.push(b);
          }
        }
      : undefined,
  });
  return { result, extracted, extractedBytes: pack(bytes) };
}

/**
 * Batches sent on `port` and not yet acknowledged by the writer (each acknowledgement is one
 * message back): `room()` waits while `limit` are out, so a reader never runs far ahead.
 */
function ackWindow(port: MessagePort, limit: number): { sent(): void; room(): Promise<void> } {
  let ahead = 0;
  let wake: (() => void) | null = null;
  port.on('message', () => {
    ahead--;
    wake?.();
    wake = null;
  });
  return {
    sent: () => void ahead++,
    room: async () => {
      while (ahead >= limit) await new Promise<void>((r) => (wake = r));
    },
  };
}

/** A batch of log facts on its way to the writer (packed: fact-batch.ts), or the end of the file with what reading it found. */
export type LogBatch =
  | { kind: 'facts'; facts: PackedLogFacts }
  | { kind: 'done'; result: LogReadResult }
  | { kind: 'failed'; error: string };

export interface ReadLogTask {
  path: string;
  opts: Omit<LogReadOptions, 'onLine' | 'pause'>;
  /** Batches go out on this port; the writer answers each with an acknowledgement. */
  port: MessagePort;
}

/** Messages per batch (the writer commits each batch), and batches sent but not yet written: the reader waits beyond that. */
const LOG_BATCH_MESSAGES = 2000;
const LOG_BATCHES_AHEAD = 4;

/**
 * Read one MTA log and stream its facts to the writer: the parsing runs here while the
 * writer stores the batches before, and the reader never gets more than a few batches ahead.
 */
export async function readLog(task: ReadLogTask): Promise<void> {
  const { port } = task;
  const [{ readLogFile }, { LogFactPacker }] = await logReader();
  const window = ackWindow(port, LOG_BATCHES_AHEAD);
  const packer = new LogFactPacker();
  const send = () => {
    if (packer.empty) return;
    const facts = packer.take();
    port.postMessage({ kind: 'facts', facts } satisfies LogBatch, [facts.nums.buffer as ArrayBuffer]);
    window.sent();
  };
  try {
    const result = await readLogFile(
      task.path,
      {
        message: (m) => {
          packer.add(m);
          if (packer.messages >= LOG_BATCH_MESSAGES) send();
        },
        event: (e) => packer.event(e),
      },
      {
        ...task.opts,
        pause: () => window.room(),
      },
    );
    send();
    port.postMessage({ kind: 'done', result } satisfies LogBatch);
  } catch (e) {
    send();
    port.postMessage({ kind: 'failed', error: (e as Error).message } satisfies LogBatch);
  } finally {
    // The acknowledgements of the last batches are not waited for: the writer has them all.
    port.unref();
  }
}

/** An item of a PST store on its way to the writer, or the end of the store. */
export type PstBatch =
  | { kind: 'item'; locator: string; folder: string; item: ParsedItem; contents: Uint8Array[] }
  | { kind: 'error'; locator: string; folder: string; error: string }
  | { kind: 'done'; summary: PstSummary }
  | { kind: 'failed'; error: string };

export interface ReadPstTask {
  path: string;
  /** Locators already in the case for this store (a resumed run passes them over). */
  done: string[];
  port: MessagePort;
}

/** Items sent but not yet acknowledged by the writer: the reader waits beyond that. */
const PST_ITEMS_AHEAD = 16;

/**
 * Read one PST/OST store and stream its mail items to the writer, attachments moved, not
 * copied. Runs on a worker: pst-extractor follows the store's structures as written, and
 * what pst-guard.ts does not bound is bounded by this worker's heap and the writer's
 * watchdog (run-scan.ts), which ends the task when no item comes for a while.
 */
export async function readPstStore(task: ReadPstTask): Promise<void> {
  const { port } = task;
  const done = new Set(task.done);
  const window = ackWindow(port, PST_ITEMS_AHEAD);
  try {
    const { readPst } = await pstReader();
    const items = readPst(task.path, { skip: (l) => done.has(l) });
    for (;;) {
      const next = await items.next();
      if (next.done) {
        port.postMessage({ kind: 'done', summary: next.value } satisfies PstBatch);
        break;
      }
      const it = next.value;
      if ('error' in it) {
        port.postMessage({ kind: 'error', locator: it.locator, folder: it.folder, error: it.error } satisfies PstBatch);
        continue;
      }
      const contents = takeContents(it.message);
      const item: ParsedItem = { message: it.message, passwords: harvestPasswords(it.message.subject, it.message.text) };
      const b: PstBatch = { kind: 'item', locator: it.locator, folder: it.folder, item, contents };
      port.postMessage(b, [...new Set(contents.map((c) => c.buffer as ArrayBuffer))]);
      window.sent();
      await window.room();
    }
  } catch (e) {
    port.postMessage({ kind: 'failed', error: (e as Error).message } satisfies PstBatch);
  } finally {
    port.unref();
  }
}
