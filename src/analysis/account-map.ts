// --account-map FILE: lines of "login-or-identity,address" (CSV; "#" comments and a header
// line are allowed) for identities the logs cannot teach: a SASL login that never sent with
// its own envelope sender, an X.500 DN, a UPN in the tenant's onmicrosoft.com domain.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

export function loadAccountMap(path: string): Map<string, string> {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const rows = parse(text, { relax_column_count: true, skip_empty_lines: true, comment: '#', trim: true }) as string[][];
  const out = new Map<string, string>();
  for (const r of rows) {
    const identity = (r[0] ?? '').toLowerCase();
    const address = (r[1] ?? '').toLowerCase();
    if (!identity || !/^[^@\s]+@[^@\s]+$/.test(address)) continue;
    out.set(identity, address);
  }
  return out;
}
