// The host map (--host-map FILE): which PC had which address and which user, for joining the
// network logs (addresses) with the PCs' own evidence (names) and with the mail accounts.
// A CSV with a header naming its columns: host (or hostname, computer), ip (or address),
// user (or account, mail); any may be empty on a row. Written by the responder from the
// asset register or the directory. A DHCP server's lease file or audit log is read as it is
// (dhcp-leases.ts).
// An address that two PC names held in one file (a lease that moved) is not used to join:
// without the times, a log line at that address could be either PC. It is said, once.
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { detectLeaseFormat, readLeases } from './dhcp-leases.js';

export interface HostMapRead {
  rows: { line: number; host: string | null; ip: string | null; user: string | null }[];
  problems: { line: number; reason: string }[];
}

const COLUMNS = {
  host: ['host', 'hostname', 'host name', 'computer', 'computer name', 'device', 'pc'],
  ip: ['ip', 'ip address', 'address', 'ipaddress', 'client ip'],
  user: ['user', 'username', 'user name', 'account', 'mail', 'email', 'e-mail'],
};

/** Rows past this are not read: a host map lists an organisation's PCs, not a log. */
export const HOST_MAP_MAX_ROWS = 1_000_000;

export async function readHostMap(path: string): Promise<HostMapRead> {
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  const leases = detectLeaseFormat(text);
  const read = leases ? { rows: readLeases(text, leases).map((r) => ({ ...r, user: null })), problems: [] } : readCsv(text);
  return withoutAmbiguousAddresses(read);
}

/** Rows whose address another name also held lose the address (and go when nothing is left). */
function withoutAmbiguousAddresses(read: HostMapRead): HostMapRead {
  const names = new Map<string, Set<string>>();
  for (const r of read.rows) if (r.ip && r.host) (names.get(r.ip) ?? names.set(r.ip, new Set()).get(r.ip)!).add(r.host.toUpperCase());
  const ambiguous = new Map([...names].filter(([, n]) => n.size > 1));
  if (ambiguous.size === 0) return dedupe(read);
  const problems = [...read.problems];
  const said = new Set<string>();
  const rows: HostMapRead['rows'] = [];
  for (const r of read.rows) {
    if (!r.ip || !ambiguous.has(r.ip)) {
      rows.push(r);
      continue;
    }
    if (!said.has(r.ip)) {
      said.add(r.ip);
      problems.push({ line: r.line, reason: `address ${r.ip} was held by ${ambiguous.get(r.ip)!.size} hosts (${[...ambiguous.get(r.ip)!].sort().join(', ')}): not used to join` });
    }
    if (r.host || r.user) rows.push({ ...r, ip: null });
  }
  return dedupe({ rows, problems });
}

/** One row per (host, ip, user): a lease renewed every hour is one fact. */
function dedupe(read: HostMapRead): HostMapRead {
  const seen = new Set<string>();
  return { problems: read.problems, rows: read.rows.filter((r) => !seen.has(`${r.host}\t${r.ip}\t${r.user}`) && !!seen.add(`${r.host}\t${r.ip}\t${r.user}`)) };
}

function readCsv(text: string): HostMapRead {
  const records = parse(text, { relax_column_count: true, relax_quotes: true, info: true, to: HOST_MAP_MAX_ROWS + 1 }) as unknown as { record: string[]; info: { lines: number } }[];
  const out: HostMapRead = { rows: [], problems: [] };
  const header = (records[0]?.record ?? []).map((h) => h.trim().toLowerCase());
  const col = (names: string[]) => header.findIndex((h) => names.includes(h));
  const at = { host: col(COLUMNS.host), ip: col(COLUMNS.ip), user: col(COLUMNS.user) };
  if (at.host < 0 && at.ip < 0) {
    out.problems.push({ line: 1, reason: 'host map: the header names no host or ip column (expected host,ip,user)' });
    return out;
  }
  const cell = (r: string[], i: number) => (i >= 0 ? r[i]?.trim() || null : null);
  for (let i = 1; i < records.length; i++) {
    const { record: r, info } = records[i]!;
    if (r.every((c) => c.trim() === '')) continue;
    const row = { line: info.lines, host: cell(r, at.host), ip: cell(r, at.ip), user: cell(r, at.user) };
    if (!row.host && !row.ip) out.problems.push({ line: row.line, reason: 'host map row with neither host nor ip' });
    else out.rows.push(row);
  }
  return out;
}
