// A member roster for --roster: CSV lines of "address,display name[,display name…]"
// (a header line is allowed), adding names the organisation's own mail did not show.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

export function loadRoster(path: string): Map<string, string[]> {
  const rows = parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true }) as string[][];
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const address = (r[0] ?? '').trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+$/.test(address)) continue;
    out.set(address, r.slice(1).map((n) => n.trim()).filter(Boolean));
  }
  return out;
}
