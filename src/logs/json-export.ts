// The records of a JSON export (Microsoft Graph `value`, the reporting web service's OData
// `d`/`d.results`, or a top-level array) as CSV-like rows: a header of the keys, then one
// row per record, so that JSON and CSV exports go through the same column tables. Nested
// objects come out as their JSON text (signIn `status`, `location`).
import { readFile, stat } from 'node:fs/promises';

/** JSON exports are parsed whole: larger ones are refused with the advice to export CSV. */
export const JSON_EXPORT_LIMIT_BYTES = 256 * 1024 * 1024;

export interface ExportRow {
  record: string[];
  info: { lines: number };
}

export async function* jsonRows(path: string, utf16: boolean): AsyncGenerator<ExportRow> {
  const { size } = await stat(path);
  if (size > JSON_EXPORT_LIMIT_BYTES) throw new Error(`JSON export larger than ${JSON_EXPORT_LIMIT_BYTES} bytes; export it as CSV`);
  const text = (await readFile(path)).toString(utf16 ? 'utf16le' : 'utf8').replace(/^\uFEFF/, '');
  const doc = JSON.parse(text) as unknown;
  const o = doc as { value?: unknown; d?: { results?: unknown } | unknown[] };
  const list = Array.isArray(doc) ? doc : Array.isArray(o.value) ? o.value : Array.isArray(o.d) ? o.d : Array.isArray((o.d as { results?: unknown })?.results) ? (o.d as { results: unknown[] }).results : [];
  const records = list.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null);
  const keys = [...new Set(records.slice(0, 1000).flatMap((r) => Object.keys(r)))];
  yield { record: keys, info: { lines: 1 } };
  let n = 1;
  for (const r of records) {
    n++;
    yield { record: keys.map((k) => (r[k] === null || r[k] === undefined ? '' : typeof r[k] === 'object' ? JSON.stringify(r[k]) : String(r[k]))), info: { lines: n } };
  }
}

/** True when the file starts (after a BOM and white space) with a JSON array or object. */
export function looksLikeJson(head: string): boolean {
  return /^\s*[[{]/.test(head.replace(/^\uFEFF/, ''));
}
