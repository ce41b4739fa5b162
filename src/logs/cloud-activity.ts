// Where a Microsoft 365 account was used from: Entra ID (Azure AD) sign-in log exports and
// unified audit log search exports. Message traces rarely say which client address a cloud
// user's mail came from; these two do, and responders export them first.
//
// - Entra sign-ins: the admin centre's CSV download ("Date (UTC)", "Username", "IP address",
//   "Status", "Client app", "Application" …), the same download as JSON, and Graph / Log
//   Analytics exports (createdDateTime or TimeGenerated, userPrincipalName, ipAddress,
//   status.errorCode or ResultType, clientAppUsed, appDisplayName). One event per row:
//   account-use for a successful sign-in, auth-failure for a failed one.
// - Unified audit log: the Purview / Search-UnifiedAuditLog CSV, whose AuditData column is
//   the record as JSON (CreationTime, Operation, UserId, ClientIP or ClientIPAddress,
//   ResultStatus, Item.InternetMessageId …). Send, SendAs and SendOnBehalf become
//   mailbox-send events with the message's Message-ID; UserLoginFailed an auth-failure;
//   every other operation that names a client address an account-use.
// Rows that are read but carry no address (a service's own operations) are recognised and
// give no event. Columns are matched by normalised name, as in csv-logs.ts.
import { normaliseColumn, parseTraceTime } from './csv-logs.js';
import { exportRows, looksLikeJson } from './json-export.js';
import { countUnreadable, newLogStats, type LogEvent, type LogSink, type LogStats } from './types.js';

export type CloudActivityFormat = 'entra-signin' | 'm365-audit';

export const CLOUD_LIMITS = {
  /** An AuditData cell larger than this is not parsed (real records are a few KB). */
  maxAuditDataChars: 1024 * 1024,
};

const SIGNIN = {
  time: ['dateutc', 'date', 'createddatetime', 'timegenerated', 'timegeneratedutc'],
  user: ['username', 'userprincipalname', 'signinidentifier'],
  ip: ['ipaddress'],
  status: ['status'],
  errorCode: ['signinerrorcode', 'errorcode', 'resulttype'],
  failure: ['failurereason', 'resultdescription'],
  clientApp: ['clientapp', 'clientappused'],
  app: ['application', 'appdisplayname'],
} as const;

const AUDIT = {
  time: ['creationdate'],
  user: ['userid', 'userids'],
  operation: ['operation', 'operations'],
  auditData: ['auditdata'],
} as const;

type Columns<T extends Record<string, readonly string[]>> = (row: string[], c: keyof T) => string;

function columns<T extends Record<string, readonly string[]>>(header: string[], table: T): Columns<T> {
  const norm = header.map((h) => normaliseColumn(h.replace(/^\uFEFF/, '')));
  const idx = new Map<keyof T, number>();
  for (const c of Object.keys(table) as (keyof T)[]) idx.set(c, table[c]!.map((a) => norm.indexOf(a)).find((i) => i >= 0) ?? -1);
  return (row, c) => {
    const i = idx.get(c) ?? -1;
    return i >= 0 ? (row[i] ?? '').trim() : '';
  };
}

/** Which of the two exports a file is, from its header row (or a JSON export's first keys). */
export function cloudActivityFormat(firstLines: string[]): CloudActivityFormat | null {
  const text = firstLines.join('\n');
  const header = (firstLines.find((l) => l.trim() !== '') ?? '').replace(/^\uFEFF/, '');
  const names = looksLikeJson(header)
    ? [...text.matchAll(/"([A-Za-z_@.]+)"\s*:/g)].map((m) => normaliseColumn(m[1]!))
    : header.split(',').map((c) => normaliseColumn(c.replace(/"/g, '')));
  const has = (list: readonly string[]) => list.some((a) => names.includes(a));
  if (has(AUDIT.auditData) && has(AUDIT.time)) return 'm365-audit';
  if (has(SIGNIN.ip) && has(SIGNIN.user) && has(SIGNIN.time) && (has(SIGNIN.clientApp) || has(SIGNIN.app))) return 'entra-signin';
  return null;
}

/** "[2001:db8::1]:443", "203.0.113.5:50123", "::ffff:203.0.113.5" → the bare address. */
export function bareIp(v: string): string | null {
  let s = v.trim();
  if (!s) return null;
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracket) s = bracket[1]!;
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(':'));
  s = s.replace(/^::ffff:(?=\d{1,3}(?:\.\d{1,3}){3}$)/i, '');
  return /^[0-9a-f:.]+$/i.test(s) ? s.toLowerCase() : null;
}

/** "11/5/2026, 1:12:07 AM" (the portal's US form has a comma), ISO, or Export-Csv's form; UTC. */
function timeOf(v: string): number {
  return parseTraceTime(v.replace(/^(\d{1,2}\/\d{1,2}\/\d{4}),/, '$1'));
}

export async function readCloudActivity(path: string, format: CloudActivityFormat, sink: LogSink): Promise<{ stats: LogStats }> {
  const stats = newLogStats();
  let header: string[] | null = null;
  const program = format;
  for await (const { record: row, info } of exportRows(path)) {
    stats.lines++;
    if (!header) {
      header = row;
      stats.recognised++;
      continue;
    }
    const event = format === 'entra-signin' ? signInEvent(columns(header, SIGNIN), row) : auditEvent(columns(header, AUDIT), row);
    if (event === 'unreadable') {
      countUnreadable(stats, info.lines, row.join(','));
      continue;
    }
    stats.recognised++;
    if (event) sink.event({ ...event, line: info.lines, program });
  }
  return { stats };
}

type EventFields = Omit<LogEvent, 'line' | 'program'>;

function signInEvent(col: Columns<typeof SIGNIN>, row: string[]): EventFields | null | 'unreadable' {
  const t = timeOf(col(row, 'time'));
  if (Number.isNaN(t)) return 'unreadable';
  const user = col(row, 'user').toLowerCase();
  const ip = bareIp(col(row, 'ip'));
  if (!user || !ip) return null;
  const status = col(row, 'status');
  const code = col(row, 'errorCode') || (/"errorCode"\s*:\s*(\d+)/.exec(status)?.[1] ?? '');
  // The CSV says Success / Failure / Interrupted; Graph and Log Analytics give an error code, 0 for success.
  const ok = code !== '' ? code === '0' : /^success$/i.test(status);
  const app = [col(row, 'clientApp'), col(row, 'app')].filter(Boolean).join(' / ');
  const failure = col(row, 'failure') || (/"failureReason"\s*:\s*"([^"]*)"/.exec(status)?.[1] ?? '');
  return {
    time: new Date(t).toISOString(),
    kind: ok ? 'account-use' : 'auth-failure',
    clientIp: ip,
    sender: null,
    recipient: null,
    user,
    messageId: null,
    detail: `sign-in${app ? ` (${app})` : ''}${ok ? '' : `: failed${code ? ` ${code}` : ''}${failure ? ` ${failure}` : ''}`}`,
  };
}

const SEND_OPERATIONS = new Set(['send', 'sendas', 'sendonbehalf']);

function auditEvent(col: Columns<typeof AUDIT>, row: string[]): EventFields | null | 'unreadable' {
  const raw = col(row, 'auditData');
  if (!raw || raw.length > CLOUD_LIMITS.maxAuditDataChars) return 'unreadable';
  let d: Record<string, unknown>;
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'unreadable';
    d = parsed as Record<string, unknown>;
  } catch {
    return 'unreadable';
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
  const t = timeOf(str(d.CreationTime) || col(row, 'time'));
  if (Number.isNaN(t)) return 'unreadable';
  const operation = str(d.Operation) || col(row, 'operation');
  const user = (str(d.UserId) || col(row, 'user')).toLowerCase();
  const ip = bareIp(str(d.ClientIPAddress) || str(d.ClientIP) || str(d.ActorIpAddress));
  if (!user || !ip) return null;
  const op = operation.toLowerCase();
  const item = typeof d.Item === 'object' && d.Item !== null ? (d.Item as Record<string, unknown>) : {};
  const messageId = str(item.InternetMessageId).replace(/^<|>$/g, '') || null;
  const failed = op === 'userloginfailed' || /^fail/i.test(str(d.ResultStatus));
  const client = str(d.ClientInfoString) || str(d.ClientAppId);
  return {
    time: new Date(t).toISOString(),
    kind: failed ? 'auth-failure' : SEND_OPERATIONS.has(op) ? 'mailbox-send' : 'account-use',
    clientIp: ip,
    sender: null,
    recipient: null,
    user,
    messageId: SEND_OPERATIONS.has(op) ? messageId : null,
    detail: `${operation || 'audit record'}${str(d.Workload) ? ` (${str(d.Workload)})` : ''}${client ? ` ${client}` : ''}`.slice(0, 300),
  };
}
