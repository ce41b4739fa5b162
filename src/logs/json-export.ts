// The rows of a Microsoft export (message trace, Exchange tracking, sign-ins, audit log):
// CSV through csv-parse (quoting: subjects hold commas and newlines), or the records of a
// JSON export (Microsoft Graph `value`, the reporting web service's OData `d`/`d.results`,
// or a top-level array) as CSV-like rows: a header of the keys, then one row per record, so
// that JSON and CSV exports go through the same column tables. Nested objects come out as
// their JSON text (signIn `status`, `location`). UTF-8 or UTF-16LE, with or without BOM.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { parse } from 'csv-parse';

/** JSON exports are parsed whole: larger ones are refused with the advice to export CSV. */
export const JSON_EXPORT_LIMIT_BYTES = 256 * 1024 * 1024;

export interface ExportRow {
  record: string[];
  info: { lines: number };
}

/** Every row of an export, CSV or JSON, told apart by its first bytes. */
export async function* exportRows(path: string): AsyncGenerator<ExportRow> {
  const head = await new Promise<Buffer>((res, rej) => {
    const c: Buffer[] = [];
    createReadStream(path, { start: 0, end: 63 }).on('data', (d) => c.push(d as Buffer)).on('end', () => res(Buffer.concat(c))).on('error', rej);
  });
  // UTF-16LE: a BOM, or NULs in every other byte.
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[1] === 0 && head[3] === 0);
  if (looksLikeJson(head.toString(utf16 ? 'utf16le' : 'utf8'))) {
    yield* jsonRows(path, utf16);
    return;
  }
  yield* createReadStream(path, utf16 ? { encoding: 'utf16le' } : { encoding: 'utf8' }).pipe(
    parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true }),
  ) as AsyncIterable<ExportRow>;
}

async function* jsonRows(path: string, utf16: boolean): AsyncGenerator<ExportRow> {
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
