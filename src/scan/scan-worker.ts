// The scan's worker thread (run by piscina, see scan-pool.ts): the per-message work that
// needs no case file. `parse` reads a task's messages (MIME or Outlook .msg), hashes their
// attachments and harvests their password candidates; `analyse` inspects one attachment.
// Everything a worker returns is plain data; attachment bytes travel packed (transfer.ts).
import { parseMsgFile } from '../ingest/msg-reader.js';
import { parseMessage } from '../mail/parse.js';
import type { ParsedMessage } from '../mail/types.js';
import { inspectDeep } from '../office/inspect-deep.js';
import type { InspectResult } from '../office/inspect.js';
import { harvestPasswords } from '../office/passwords.js';
import { pack, unpack, type Packed } from './transfer.js';

export type ItemKind = 'mime' | 'msg';

export interface ParseTask {
  kinds: ItemKind[];
  raws: Packed;
}

export type ParsedItem = { message: ParsedMessage; passwords: string[] } | { error: string };

export interface ParseTaskResult {
  items: ParsedItem[];
  /** The bytes of every attachment of every parsed message, in order. */
  contents: Packed;
}

export async function parse(task: ParseTask): Promise<ParseTaskResult> {
  const raws = unpack(task.raws);
  const items: ParsedItem[] = [];
  const contents: Buffer[] = [];
  for (let i = 0; i < raws.length; i++) {
    try {
      const raw = raws[i]!;
      const message = task.kinds[i] === 'msg' ? parseMsgFile(raw, { keepContent: true }) : await parseMessage(raw, { keepContent: true });
      for (const a of message.attachments) {
        contents.push(a.content ?? Buffer.alloc(0));
        delete a.content;
      }
      items.push({ message, passwords: harvestPasswords(message.subject, message.text) });
    } catch (e) {
      items.push({ error: (e as Error).message });
    }
  }
  return { items, contents: pack(contents) };
}

export interface AnalyseTask {
  content: Uint8Array;
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

export async function analyse(task: AnalyseTask): Promise<AnalyseTaskResult> {
  const extracted: { file: string; sha256: string }[] = [];
  const bytes: Buffer[] = [];
  const content = Buffer.from(task.content.buffer, task.content.byteOffset, task.content.length);
  const result = await inspectDeep(content, task.file, {
    passwords: task.passwords,
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
