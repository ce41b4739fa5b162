// What the PST reader tests share: a store read to its end, and its items by kind.
import { readPst, type PstItem, type PstItemError, type PstMessageItem, type PstReadOptions, type PstSummary } from '../../src/ingest/pst-reader.js';

export async function readAll(path: string, opts: PstReadOptions = {}): Promise<{ items: PstItem[]; summary: PstSummary }> {
  const it = readPst(path, opts);
  const items: PstItem[] = [];
  for (;;) {
    const r = await it.next();
    if (r.done) return { items, summary: r.value };
    items.push(r.value);
  }
}

export const messages = (items: PstItem[]) => items.filter((i): i is PstMessageItem => 'message' in i);
export const errors = (items: PstItem[]) => items.filter((i): i is PstItemError => 'error' in i);
