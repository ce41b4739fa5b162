// The full inspection of one object, as `inspect` and `scan` run it: the synchronous
// container analysis (inspect.ts), then the steps that need async work: mail messages
// found inside archives (.eml, .msg, MHT) are parsed and their attachments inspected as
// children, with the password candidates of that inner mail; and documents that are not
// clean get their text read for lures.
import { parseMsgFile } from '../ingest/msg-reader.js';
import { parseMessage } from '../mail/parse.js';
import { addDocumentText } from './document-text.js';
import { INSPECT_LIMITS, inspectBytes, SEVERITY, type InspectOptions, type InspectResult, type Verdict } from './inspect.js';
import { harvestPasswords } from './passwords.js';


function propagate(r: InspectResult): Verdict {
  for (const c of r.children) {
    const v = propagate(c);
    if (SEVERITY[v] > SEVERITY[r.verdict]) r.verdict = v;
  }
  return r.verdict;
}

async function expandMail(r: InspectResult, bytes: Buffer, opts: InspectOptions, depth: number): Promise<void> {
  if (depth >= INSPECT_LIMITS.maxDepth) {
    r.errors.push(`mail nested deeper than ${INSPECT_LIMITS.maxDepth}; attachments not inspected`);
    return;
  }
  try {
    const m = r.container === 'outlook-msg' ? parseMsgFile(bytes, { keepContent: true }) : await parseMessage(bytes, { keepContent: true, openNested: false });
    const passwords = [...new Set([...(opts.passwords ?? []), ...harvestPasswords(m.subject, m.text)])];
    r.reasons.push(`mail message "${m.subject}" from ${m.from?.address ?? '(no sender)'} with ${m.attachments.length} attachment(s)`);
    for (const a of m.attachments) {
      if (!a.content) continue; // nested messages' parts are reached through their own .eml
      r.children.push(await inspectDeep(a.content, a.filename || '(no name)', { ...opts, passwords, depth: depth + 1 }));
    }
  } catch (e) {
    r.errors.push(`mail message unreadable: ${(e as Error).message}`);
  }
}

export async function inspectDeep(bytes: Buffer, file: string, opts: InspectOptions = {}): Promise<InspectResult> {
  const found: { r: InspectResult; bytes: Buffer }[] = [];
  const r = inspectBytes(bytes, file, {
    ...opts,
    onObject: (obj, b) => {
      opts.onObject?.(obj, b);
      found.push({ r: obj, bytes: b });
    },
  });
  const depth = opts.depth ?? 0;
  for (const f of found) {
    if (f.r.container === 'mail' || f.r.container === 'outlook-msg') await expandMail(f.r, f.bytes, opts, depth);
    // Lures matter where the document has something to enable; clean documents are skipped (cost).
    else if (f.r.verdict !== 'clean' || f.r.container === 'rtf') await addDocumentText(f.r, f.bytes);
  }
  propagate(r);
  return r;
}
