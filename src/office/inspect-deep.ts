// The full inspection of one object, as `inspect` and `scan` run it: the synchronous
// container analysis (inspect.ts), then the enrichment that needs async work: mail messages
// found inside archives (.eml, .msg, MHT) are parsed and their attachments analysed as
// children, with the password candidates of that inner mail; and documents with something
// to enable get their text read for lures. Only then is the whole tree judged (judge.ts),
// once, and onObject called with each object and its verdict.
import { parseMsgFile } from '../ingest/msg-reader.js';
import { parseMessage } from '../mail/parse.js';
import { addDocumentText } from './document-text.js';
import { analyseBytes, INSPECT_LIMITS, type Found, type InspectOptions, type InspectResult } from './inspect.js';
import { judgeTree, verdictOf } from './judge.js';
import { harvestPasswords } from './passwords.js';

/** Parses a mail message found as an object and analyses its attachments as its children. */
async function expandMail(r: InspectResult, bytes: Buffer, opts: InspectOptions, depth: number, found: Found): Promise<void> {
  if (depth >= INSPECT_LIMITS.maxDepth) {
    r.errors.push(`mail nested deeper than ${INSPECT_LIMITS.maxDepth}; attachments not inspected`);
    return;
  }
  try {
    const m = r.container === 'outlook-msg' ? parseMsgFile(bytes, { keepContent: true }) : await parseMessage(bytes, { keepContent: true, openNested: false });
    const passwords = [...new Set([...(opts.passwords ?? []), ...harvestPasswords(m.subject, m.text)])];
    r.findings.push({ kind: 'mail', subject: m.subject, from: m.from?.address ?? null, attachments: m.attachments.length });
    for (const a of m.attachments) {
      if (!a.content) continue; // nested messages' parts are reached through their own .eml
      // The parser hashed the attachment already (digests.ts): it is not hashed again.
      r.children.push(await analyseDeep(a.content, a.filename || '(no name)', { ...opts, passwords, depth: depth + 1, sha256: a.sha256 }, found));
    }
  } catch (e) {
    r.errors.push(`mail message unreadable: ${(e as Error).message}`);
  }
}

/** Analyses and enriches one object and what it holds, without judging it. */
async function analyseDeep(bytes: Buffer, file: string, opts: InspectOptions, found: Found): Promise<InspectResult> {
  const mine: Found = [];
  const r = analyseBytes(bytes, file, opts, mine);
  found.push(...mine);
  const depth = opts.depth ?? 0;
  for (const f of mine) {
    if (f.r.container === 'mail' || f.r.container === 'outlook-msg') await expandMail(f.r, f.bytes, opts, depth, found);
    // Lures matter where the document has something to enable; text extraction is skipped
    // for documents with nothing to enable (cost), except RTF, whose objects need no macros.
    else if (f.r.container === 'rtf' || verdictOf(f.r) !== 'clean') await addDocumentText(f.r, f.bytes);
  }
  return r;
}

export async function inspectDeep(bytes: Buffer, file: string, opts: InspectOptions = {}): Promise<InspectResult> {
  const found: Found = [];
  const r = await analyseDeep(bytes, file, opts, found);
  judgeTree(r);
  if (opts.onObject) for (const f of found) opts.onObject(f.r, f.bytes);
  return r;
}
