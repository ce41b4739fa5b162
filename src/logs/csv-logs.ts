// CSV message logs: Exchange message tracking (MSGTRK*.LOG, fields named by a "#Fields:"
// line) and Microsoft 365 message trace exports (Get-MessageTrace / V2 CSV, the historical
// summary and extended report downloads). Columns are matched by normalised name, so the
// variants' spellings (SenderAddress, sender_address, sender-address) all land in one
// place; files may be UTF-8 or UTF-16LE, with or without BOM. csv-parse does the quoting
// (subjects hold commas and newlines).
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { parse } from 'csv-parse';
import { countUnreadable, newLogMessage, newLogStats, type DeliveryStatus, type LogMessage, type LogSink, type LogStats } from './types.js';

export type CsvLogFormat = 'exchange' | 'm365';

/** Lower-case, no separators: "Sender-Address", "sender_address" and "SenderAddress" → "senderaddress". */
export function normaliseColumn(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

const COLUMNS = {
  time: ['datetime', 'received', 'origintimestamputc', 'datetimeutc', 'timestamp', 'receiveddatetime'],
  sender: ['senderaddress', 'sender', 'returnpath'],
  recipient: ['recipientaddress', 'recipient'],
  recipientStatus: ['recipientstatus'],
  status: ['status', 'deliverystatus'],
  event: ['eventid', 'event'],
  subject: ['messagesubject', 'subject'],
  messageId: ['messageid'],
  traceId: ['messagetraceid', 'networkmessageid', 'internalmessageid', 'id'],
  clientIp: ['originalclientip', 'fromip', 'clientip'],
  clientHost: ['clienthostname'],
  size: ['totalbytes', 'size'],
  directionality: ['directionality'],
  source: ['source'],
  relay: ['toip', 'serverhostname'],
} as const;

type Col = keyof typeof COLUMNS;

function indexer(header: string[]): (row: string[], c: Col) => string {
  const norm = header.map(normaliseColumn);
  const idx = {} as Record<Col, number>;
  for (const c of Object.keys(COLUMNS) as Col[]) {
    idx[c] = -1;
    for (const alias of COLUMNS[c]) {
      const i = norm.indexOf(alias);
      if (i >= 0) {
        idx[c] = i;
        break;
      }
    }
  }
  return (row, c) => (idx[c] >= 0 ? (row[idx[c]] ?? '').trim() : '');
}

function statusOf(format: CsvLogFormat, event: string, status: string): DeliveryStatus | null {
  const e = event.toUpperCase();
  const s = status.toLowerCase();
  if (format === 'exchange' || e) {
    if (e === 'SEND' || e === 'DELIVER') return 'sent';
    if (e === 'FAIL') return 'bounced';
    if (e === 'DEFER') return 'deferred';
    if (e) return null; // RECEIVE, SUBMIT, EXPAND, RESOLVE …: not a delivery
  }
  if (s === 'delivered' || s === 'resolved' || s === 'sent') return 'sent';
  if (s === 'failed') return 'bounced';
  if (s === 'pending' || s === 'deferred' || s === 'gettingstatus') return 'deferred';
  return s ? 'other' : null;
}

export async function readCsvLog(path: string, format: CsvLogFormat, sink: LogSink): Promise<{ stats: LogStats; unfinished: number }> {
  const stats: LogStats = newLogStats();
  const head = await new Promise<Buffer>((res, rej) => {
    const c: Buffer[] = [];
    createReadStream(path, { start: 0, end: 3 }).on('data', (d) => c.push(d as Buffer)).on('end', () => res(Buffer.concat(c))).on('error', rej);
  });
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[1] === 0 && head[3] === 0);
  const messages = new Map<string, LogMessage>();
  let header: string[] | null = null;
  let col: ((row: string[], c: Col) => string) | null = null;
  const parser = (await isJsonExport(path, utf16))
    ? jsonRows(path, utf16)
    : createReadStream(path, utf16 ? { encoding: 'utf16le' } : { encoding: 'utf8' }).pipe(
        parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true }),
      );
  for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    const row = rec.record;
    const line = rec.info.lines;
    stats.lines++;
    const first = (row[0] ?? '').replace(/^\uFEFF/, '');
    if (first.startsWith('#')) {
      // Exchange comment lines; "#Fields:" names the columns.
      if (first.startsWith('#Fields:')) {
        header = [first.slice('#Fields:'.length).trim(), ...row.slice(1)];
        col = indexer(header);
      }
      stats.recognised++;
      continue;
    }
    if (!header) {
      header = row;
      col = indexer(header);
      stats.recognised++;
      continue;
    }
    const get = (c: Col) => col!(row, c);
    const time = parseTraceTime(get('time'));
    const traceId = get('traceId') || get('messageId');
    // A row with no time, or with under half the columns, was cut or is not a row of this export.
    if (Number.isNaN(time) || row.length < header.length / 2) {
      countUnreadable(stats, line, row.join(','));
      continue;
    }
    if (!traceId) {
      // Valid rows that name no message (Exchange NOTIFYMAPI, some SUBMIT and HAREDIRECT
      // events): nothing to key a fact on, and nothing wrong with the line.
      stats.recognised++;
      continue;
    }
    stats.recognised++;
    const iso = new Date(time).toISOString();
    let m = messages.get(traceId);
    if (!m) {
      m = {
        ...newLogMessage(format, format, traceId, line, iso),
        clientHost: get('clientHost') || null,
        clientIp: get('clientIp') || null,
        messageId: get('messageId').replace(/^<|>$/g, '') || null,
        envelopeFrom: get('sender').toLowerCase() || null,
        size: Number(get('size')) || null,
        subject: get('subject') || null,
        received: true,
        complete: true,
      };
      messages.set(traceId, m);
    }
    m.lastLine = line;
    if (!m.clientIp && get('clientIp')) m.clientIp = get('clientIp');
    const event = get('event');
    const summaryStatuses = get('recipientStatus');
    if (summaryStatuses && !event) {
      // Historical summary: "addr##Receive, Send;addr##Receive, Fail": the last event decides.
      for (const part of summaryStatuses.split(';')) {
        const [addr, st] = part.split('##');
        if (!addr) continue;
        const last = (st ?? '').split(',').pop()!.trim();
        const status = statusOf(format, last, '') ?? statusOf(format, '', last) ?? 'other';
        m.deliveries.push({ line, time: iso, recipient: addr.trim().toLowerCase(), origTo: null, relay: null, status, dsn: null, detail: st?.trim() ?? null });
      }
      continue;
    }
    const status = statusOf(format, event, get('status'));
    if (!status) continue;
    for (const rcpt of get('recipient').split(/[;,]/).map((r) => r.trim()).filter(Boolean)) {
      m.deliveries.push({ line, time: iso, recipient: rcpt.toLowerCase(), origTo: null, relay: get('relay') || null, status, dsn: null, detail: get('status') || event || null });
    }
  }
  // Trace exports are not ordered by message, so records are emitted at the end; memory
  // grows with the number of distinct messages in one export (not with its rows).
  for (const m of messages.values()) sink.message(m);
  return { stats, unfinished: 0 };
}

/** Message trace as JSON (Microsoft Graph exchangeMessageTrace, the reporting web service's MessageTrace): larger files are not read whole. */
export const JSON_EXPORT_LIMIT_BYTES = 256 * 1024 * 1024;

async function isJsonExport(path: string, utf16: boolean): Promise<boolean> {
  const head = await new Promise<Buffer>((res, rej) => {
    const c: Buffer[] = [];
    createReadStream(path, { start: 0, end: 63 }).on('data', (d) => c.push(d as Buffer)).on('end', () => res(Buffer.concat(c))).on('error', rej);
  });
  return /^\s*[[{]/.test(head.toString(utf16 ? 'utf16le' : 'utf8').replace(/^\uFEFF/, ''));
}

/**
 * The records of a JSON export as CSV rows: a header of the keys, then one row per record,
 * so that they go through the same columns as the CSV exports. The records are the top-level
 * array, or `value` (Graph), or `d.results` / `d` (the reporting web service's OData).
 */
async function* jsonRows(path: string, utf16: boolean): AsyncGenerator<{ record: string[]; info: { lines: number } }> {
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

/**
 * Trace times: ISO 8601, or the "11/5/2026 1:12:07 AM" that Export-Csv writes (US order,
 * UTC: message trace reports times in UTC). Never the machine's local zone.
 */
export function parseTraceTime(v: string): number {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?(AM|PM))?$/i.exec(v.trim());
  if (m) {
    let h = Number(m[4]) % (m[7] ? 12 : 24);
    if (m[7]?.toUpperCase() === 'PM') h += 12;
    return Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]), h, Number(m[5]), Number(m[6] ?? 0));
  }
  const iso = /^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(v.trim()) ? `${v.trim()}Z` : v;
  return Date.parse(iso);
}

/** Which CSV log a header line is, if any. */
export function csvLogFormat(firstLines: string[]): CsvLogFormat | null {
  const text = firstLines.join('\n');
  if (/^#Software: Microsoft Exchange/m.test(text) || /^#Fields: date-time,/m.test(text)) return 'exchange';
  const header = (firstLines.find((l) => l.trim() !== '') ?? '').replace(/^\uFEFF/, '');
  const cols = header.split(',').map((c) => normaliseColumn(c.replace(/"/g, '')));
  const has = (a: string) => cols.includes(a);
  // A JSON export: the first record's keys.
  if (/^\s*[[{]/.test(header)) {
    const keys = [...text.matchAll(/"([A-Za-z_]+)"\s*:/g)].map((m) => normaliseColumn(m[1]!));
    if (keys.includes('senderaddress') && keys.includes('recipientaddress')) return 'm365';
    return null;
  }
  if ((has('senderaddress') && (has('recipientaddress') || has('recipientstatus')) && (has('messageid') || has('messagetraceid'))) || (has('eventid') && has('networkmessageid'))) return 'm365';
  return null;
}
