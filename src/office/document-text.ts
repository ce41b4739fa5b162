// Document text, for the lures that ask the reader to enable macros ("Enable Content",
// 「コンテンツの有効化」) and for URLs in the text. officeparser reads the text of OOXML,
// PDF and RTF documents (OCR stays off: nothing is fetched or run).
import type { OfficeParser } from 'officeparser';
import { quietlyAsync } from '../quiet-console.js';
import { keepBuiltins } from './builtin-guard.js';
import type { InspectResult } from './inspect.js';

export const TEXT_LIMITS = {
  /** Documents larger than this are not given to the text extractor. */
  maxBytes: 20 * 1024 * 1024,
  /** Extraction taking longer than this is abandoned (its result is ignored). */
  timeoutMs: 10_000,
  /** Characters of text searched. */
  maxChars: 1_000_000,
};

const LURES: RegExp[] = [
  /enable\s+(?:the\s+)?(?:content|editing|macros?)/i,
  /コンテンツの有効化/,
  /編集を有効に/,
  /マクロを有効/,
  /保護ビュー/,
  /document\s+is\s+protected/i,
  /(?:created|made)\s+in\s+(?:an?\s+)?(?:earlier|newer|previous|online)\s+version/i,
  /このドキュメントは(?:保護|以前のバージョン)/,
];

export function findLures(text: string): string[] {
  const found: string[] = [];
  for (const re of LURES) {
    const m = re.exec(text);
    if (m) found.push(m[0]);
  }
  return found;
}

/**
 * officeparser is loaded when a document first needs its text: it brings pdf.js, which
 * takes a few hundred ms of CPU to load in every thread and whose legacy build replaces
 * JSON.stringify with core-js's, several times slower, for the rest of the process (the
 * case writer's JSON columns ran on it in a scan on one thread; issue 19).
 */
let officeParser: Promise<typeof OfficeParser> | null = null;
const loadOfficeParser = () => (officeParser ??= import('officeparser').then((m) => m.OfficeParser));
/** Puts back the built-ins pdf.js replaces as it loads (builtin-guard.ts); noted before it is loaded. */
const restoreBuiltins = keepBuiltins();

async function extract(bytes: Buffer): Promise<{ text: string; complaints: number }> {
  try {
    const parser = await loadOfficeParser();
    // officeparser's XML parser (xmldom) prints every complaint about a malformed part.
    const r = await quietlyAsync(async () => {
      const ast = await parser.parseOffice(bytes, { ocr: false, extractAttachments: false } as Parameters<typeof OfficeParser.parseOffice>[1]);
      return (await (ast as unknown as { to(f: 'text'): Promise<{ value: unknown }> }).to('text')).value;
    });
    return { text: String(r.value ?? ''), complaints: r.complaints };
  } finally {
    // pdf.js loads its worker code with the first PDF, and core-js with it.
    restoreBuiltins();
  }
}

/** Add lures and URLs from the document's text to its inspection result. */
export async function addDocumentText(r: InspectResult, bytes: Buffer): Promise<void> {
  if (!['ooxml', 'pdf', 'rtf'].includes(r.container) || r.encrypted || bytes.length > TEXT_LIMITS.maxBytes) return;
  let timer: NodeJS.Timeout | undefined;
  try {
    const { text, complaints } = await Promise.race([
      extract(bytes),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`text extraction took longer than ${TEXT_LIMITS.timeoutMs} ms`)), TEXT_LIMITS.timeoutMs);
      }),
    ]);
    if (complaints) r.errors.push(`document text: the XML parser reported ${complaints} problem${complaints === 1 ? '' : 's'} in malformed parts`);
    const t = text.slice(0, TEXT_LIMITS.maxChars);
    r.lures = findLures(t);
    for (const m of t.matchAll(/\bhttps?:\/\/[^\s"'<>()]{3,500}/gi)) if (!r.iocs.includes(m[0])) r.iocs.push(m[0]);
    if (r.lures.length) r.findings.push({ kind: 'lure', phrases: r.lures });
  } catch (e) {
    // Unsupported variants (.xlsm, .docm) and unreadable files: the macro analysis stands.
    const msg = (e as Error).message;
    if (!/currently supports/.test(msg)) r.errors.push(`document text: ${msg}`);
  } finally {
    clearTimeout(timer);
  }
}
