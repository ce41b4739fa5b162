// Sophos Source of Infection tool logs: which remote computer wrote which file on this PC
// over the network. The tool (SourceOfInfection.exe, Sophos knowledge-base article 111505,
// "a tool designed to assist Administrators in finding the source of malicious files being
// written to certain machines on the network") records remote writes with -network and
// local processes with -process, into logs in its -logfolder. Sophos has not published the
// log's column layout, and no copy of one was found: this reader does not assume an order.
// It takes a CSV or tab-separated file whose header names a column of the remote writer
// (Remote IP, Remote Address, Remote Machine, Client …) and a column of the file written
// (File, File Name, Path, Target …), and reads the columns by those names. The fixture
// tests/fixtures/endpoint/ uses `Time,Remote IP,Remote Name,User,File`, written for this
// project.
//
// Every remote write is a finding of weight 'suspected': Emotet's spreader module and the
// ransomware that followed it copy themselves onto ADMIN$ and C$ shares, and a write of a
// program from another PC is how that shows here; but file servers, backups, software
// deployment and people copying files write over SMB all day, and the row says who wrote,
// not what was written. It is a lead to the spreading PC, not a verdict on either.
import type { UnreadableSink } from './read-endpoint.js';
import { hostBesideToolName, parseToolTime, rowFields } from './tool-output.js';
import type { EndpointFinding } from './types.js';

type Column = 'time' | 'date' | 'remote-ip' | 'remote-name' | 'file' | 'user' | 'host' | 'process' | 'operation';

/** Names a column of the remote writer has only in this tool's kind of log: enough by themselves. */
const STRONG_REMOTE: Record<string, Column> = {
  'remote ip': 'remote-ip',
  'remote ip address': 'remote-ip',
  'remote address': 'remote-ip',
  'remote machine': 'remote-name',
  'remote computer': 'remote-name',
  'remote host': 'remote-name',
  'remote name': 'remote-name',
  'remote device': 'remote-name',
};

/** Names many logs have: taken only when the file name says Source of Infection. */
const WEAK_REMOTE: Record<string, Column> = {
  ip: 'remote-ip',
  'ip address': 'remote-ip',
  'client ip': 'remote-ip',
  'client address': 'remote-ip',
  'source ip': 'remote-ip',
  client: 'remote-name',
  'client name': 'remote-name',
  'source machine': 'remote-name',
};

const OTHER: Record<string, Column> = {
  file: 'file',
  'file name': 'file',
  filename: 'file',
  'file path': 'file',
  path: 'file',
  target: 'file',
  'target file': 'file',
  time: 'time',
  'date/time': 'time',
  'date time': 'time',
  datetime: 'time',
  timestamp: 'time',
  'time stamp': 'time',
  date: 'date',
  user: 'user',
  'user name': 'user',
  username: 'user',
  account: 'user',
  'remote user': 'user',
  computer: 'host',
  'computer name': 'host',
  'local computer': 'host',
  hostname: 'host',
  host: 'host',
  process: 'process',
  'process name': 'process',
  operation: 'operation',
  action: 'operation',
  access: 'operation',
};

const NAME_HINT = /source[-_ ]?of[-_ ]?infection|(?:^|[-_. ])soi(?:[-_. ]|$)/i;

function names(line: string): { delimiter: string; names: string[] } {
  const delimiter = line.includes('\t') ? '\t' : ',';
  return {
    delimiter,
    names: line
      .replace(/^\uFEFF/, '')
      .split(delimiter)
      .map((f) => f.trim().replace(/^"|"$/g, '').trim().toLowerCase()),
  };
}

interface Header {
  index: number;
  delimiter: string;
  columns: Map<Column, number>;
}

function header(lines: string[], fileName: string, upTo: number): Header | null {
  const hinted = NAME_HINT.test(fileName);
  for (let i = 0; i < Math.min(lines.length, upTo); i++) {
    const { delimiter, names: ns } = names(lines[i]!);
    if (ns.length < 2) continue;
    const columns = new Map<Column, number>();
    let strong = false;
    ns.forEach((n, k) => {
      const c = STRONG_REMOTE[n] ?? (hinted ? WEAK_REMOTE[n] : undefined) ?? OTHER[n];
      if (STRONG_REMOTE[n]) strong = true;
      if (c && !columns.has(c)) columns.set(c, k);
    });
    const remote = columns.has('remote-ip') || columns.has('remote-name');
    if (remote && columns.has('file') && (strong || hinted)) return { index: i, delimiter, columns };
  }
  return null;
}

/** Whether the head of a file is a Source of Infection log: a header naming the remote writer and the file. */
export function sourceOfInfectionHeader(lines: string[], fileName: string): boolean {
  return header(lines, fileName, lines.length) !== null;
}

/** The PC a log was taken on, from its file name: `SOI-PC-NAME.csv`, `PC-NAME_sourceofinfection.csv` (a date after the name allowed). */
export function hostFromLogName(fileName: string): string | null {
  return hostBesideToolName(fileName, 'soi|source[-_ ]?of[-_ ]?infection', 'csv|tsv|txt|log');
}

/** The findings of one Source of Infection log, its lines already decoded. */
export function readSourceOfInfection(lines: string[], fileName: string, offsetMinutes: number, bad: UnreadableSink): EndpointFinding[] {
  const h = header(lines, fileName, lines.length);
  if (!h) {
    bad(1, 'no header naming the remote writer and the file');
    return [];
  }
  const fileHost = hostFromLogName(fileName);
  const out: EndpointFinding[] = [];
  for (let i = h.index + 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const f = rowFields(raw, h.delimiter);
    if (!f) {
      bad(i + 1, raw);
      continue;
    }
    const get = (c: Column): string => {
      const k = h.columns.get(c);
      return k !== undefined ? (f[k] ?? '').trim() : '';
    };
    const file = get('file');
    const remote = get('remote-ip') || get('remote-name');
    if (!file) {
      bad(i + 1, raw);
      continue;
    }
    // A local process's write (the -process records): not a write from another device.
    if (!remote) {
      if (get('process')) continue;
      bad(i + 1, raw);
      continue;
    }
    const op = get('operation');
    if (op && !/writ|creat|modif|renam/i.test(op)) continue;
    const stamp = [get('date'), get('time')].filter(Boolean).join(' ').replace(/(:\d{2})[.,]\d+$/, '$1');
    out.push({
      source: 'source-of-infection',
      line: i + 1,
      host: get('host') || fileHost,
      time: stamp ? parseToolTime(stamp, offsetMinutes) : null,
      kind: 'smb-write',
      weight: 'suspected',
      subject: file,
      rule: 'soi-remote-write',
      remote,
      user: get('user') || null,
    });
  }
  return out;
}
