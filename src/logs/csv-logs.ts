// CSV message logs: Exchange message tracking (MSGTRK*.LOG, fields named by a "#Fields:"
// line) and Microsoft 365 message trace exports (Get-MessageTrace / V2 CSV, the historical
// summary and extended report downloads). Columns are matched by normalised name, so the
// variants' spellings (SenderAddress, sender_address, sender-address) all land in one
// place. Rows come from json-export.ts (CSV or JSON, UTF-8 or UTF-16LE).
import { exportRows, looksLikeJson } from './json-export.js';
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
  // Exchange message tracking only: the row's own peer and server, the rewritten recipients, the DSN link.
  origClientIp: ['originalclientip'],
  peerIp: ['clientip'],
  serverIp: ['serverip'],
  related: ['relatedrecipientaddress'],
  reference: ['reference'],
  rcptCount: ['recipientcount'],
} as const;

type Col = keyof typeof COLUMNS;
type Get = (c: Col) => string;

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

/** Message trace status (M365): the event when the export has one, else the Status column. */
function traceStatus(event: string, status: string): DeliveryStatus | null {
  const e = event.toUpperCase();
  const s = status.toLowerCase();
  if (e) {
    if (e === 'SEND' || e === 'DELIVER') return 'sent';
    if (e === 'FAIL') return 'bounced';
    if (e === 'DEFER') return 'deferred';
    return null; // RECEIVE, SUBMIT, EXPAND, RESOLVE …: not a delivery
  }
  if (s === 'delivered' || s === 'resolved' || s === 'sent') return 'sent';
  if (s === 'failed') return 'bounced';
  if (s === 'pending' || s === 'deferred' || s === 'gettingstatus') return 'deferred';
  return s ? 'other' : null;
}

/**
 * What an Exchange message tracking event says about the recipients on its row. Events not
 * listed (RECEIVE, SUBMIT, EXPAND, RESOLVE, TRANSFER, AGENTINFO, HAREDIRECT, NOTIFYMAPI …) are
 * steps on the way, not an outcome. DSN is the birth of a notification, not a delivery of the
 * original. HADISCARD is left out on purpose: Exchange logs it when the primary copy has reached
 * the next hop and the shadow copy is thrown away, so it must not overrule that delivery.
 */
const EXCHANGE_STATUS: Record<string, DeliveryStatus> = {
  DELIVER: 'sent',
  SEND: 'sent',
  DUPLICATEDELIVER: 'sent',
  FAIL: 'bounced',
  DEFER: 'deferred',
  SUBMITDEFER: 'deferred',
  RESUBMITDEFER: 'deferred',
  // Dropped, suppressed or refused by a moderator: not delivered, and no bounce went back.
  DROP: 'other',
  SUBMITDROP: 'other',
  BADMAIL: 'other',
  POISONMESSAGE: 'other',
  SUPPRESSED: 'other',
  MODERATORREJECT: 'other',
  MODERATIONEXPIRE: 'other',
};

/** Events whose related-recipient-address names the address a recipient was rewritten from. */
const REWRITE_EVENTS = new Set(['EXPAND', 'REDIRECT', 'RESOLVE']);

/** A recipient list cell ("a@x;b@y"), lower-cased. */
function addresses(v: string): string[] {
  return v.split(/[;,]/).map((r) => r.trim().toLowerCase()).filter(Boolean);
}

function bareMessageId(v: string): string {
  return v.trim().replace(/^<|>$/g, '');
}

/** The enhanced status code (RFC 3463) in a reply such as "550 5.1.1 User unknown". */
function dsnOf(reply: string): string | null {
  return /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(reply)?.[1] ?? null;
}

/** A record with the facts of its first row; the Exchange reader then corrects them from the RECEIVE row. */
function newRecord(format: CsvLogFormat, key: string, line: number, iso: string, get: Get): LogMessage {
  return {
    ...newLogMessage(format, format, key, line, iso),
    clientHost: get('clientHost') || null,
    clientIp: get('clientIp') || null,
    messageId: bareMessageId(get('messageId')) || null,
    envelopeFrom: get('sender').toLowerCase() || null,
    size: Number(get('size')) || null,
    subject: get('subject') || null,
    received: true,
    complete: true,
  };
}

/** One row of a Microsoft 365 message trace export (one row per recipient, or the summary's recipient_status). */
function traceRow(m: LogMessage, get: Get, line: number, iso: string): void {
  if (!m.clientIp && get('clientIp')) m.clientIp = get('clientIp');
  const event = get('event');
  const summaryStatuses = get('recipientStatus');
  if (summaryStatuses && !event) {
    // Historical summary: "addr##Receive, Send;addr##Receive, Fail": the last event decides.
    for (const part of summaryStatuses.split(';')) {
      const [addr, st] = part.split('##');
      if (!addr) continue;
      const last = (st ?? '').split(',').pop()!.trim();
      const status = traceStatus(last, '') ?? traceStatus('', last) ?? 'other';
      m.deliveries.push({ line, time: iso, recipient: addr.trim().toLowerCase(), origTo: null, relay: null, status, dsn: null, detail: st?.trim() ?? null });
    }
    return;
  }
  const status = traceStatus(event, get('status'));
  if (!status) return;
  for (const rcpt of addresses(get('recipient'))) {
    m.deliveries.push({ line, time: iso, recipient: rcpt, origTo: null, relay: get('relay') || null, status, dsn: null, detail: get('status') || event || null });
  }
}

/**
 * Exchange message tracking (MSGTRK*.LOG): one row per event, many rows per message. Rows are
 * joined on network-message-id, which stays the same on every server and every fork of the
 * message; deliveries are kept in row order, so the last row per recipient is its final status.
 */
class ExchangeTracking {
  /** Bare Message-Id → record key, for rows that carry no network-message-id and for DSN references. */
  private readonly keyOfMessageId = new Map<string, string>();
  /** Per record: recipient address → the address it was expanded, redirected or resolved from. */
  private readonly rewrites = new Map<string, Map<string, string>>();
  /** Records whose first RECEIVE row has been read. */
  private readonly receiveSeen = new Set<string>();

  constructor(private readonly messages: Map<string, LogMessage>) {}

  /** The record a row belongs to: its network-message-id, else the record already holding its Message-Id. */
  key(get: Get): string {
    const mid = bareMessageId(get('messageId'));
    const net = get('traceId');
    if (net && mid && !this.keyOfMessageId.has(mid)) this.keyOfMessageId.set(mid, net);
    if (net) return net;
    return (mid && this.keyOfMessageId.get(mid)) || get('messageId');
  }

  row(m: LogMessage, key: string, get: Get, line: number, iso: string): void {
    const event = get('event').toUpperCase();
    if (!m.messageId) m.messageId = bareMessageId(get('messageId')) || null;
    if (event === 'RECEIVE') this.receive(m, key, get);
    if (event === 'DSN') this.notification(m, key, get);
    if (REWRITE_EVENTS.has(event)) this.rewrite(key, get);
    const status = EXCHANGE_STATUS[event];
    if (!status) return;
    const rcpts = addresses(get('recipient'));
    // recipient-status holds one reply per recipient, separated by ";", but a reply may hold ";"
    // itself ("550 4.4.7 QUEUE.Expired;…"): only a single-recipient row's reply is certain.
    const reply = rcpts.length === 1 ? get('recipientStatus') : '';
    // server-hostname is where a SEND, DEFER or FAIL went (or the mailbox server of a DELIVER); on a DROP it is only the server that logged it.
    const relay = status === 'other' ? null : get('relay') || null;
    for (const rcpt of rcpts) {
      m.deliveries.push({ line, time: iso, recipient: rcpt, origTo: this.origin(key, rcpt), relay, status, dsn: dsnOf(reply), detail: reply ? `${event} ${reply}` : event });
    }
  }

  /**
   * The first RECEIVE row says how the message came in; later ones are hops between our own
   * services or servers. Only an SMTP receive names an outside client: a STOREDRIVER receive is
   * a submission from a mailbox (Outlook, OWA), whose client the tracking log never sees.
   */
  private receive(m: LogMessage, key: string, get: Get): void {
    if (this.receiveSeen.has(key) || !m.received) return;
    this.receiveSeen.add(key);
    m.subject = get('subject') || m.subject;
    m.envelopeFrom = get('sender').toLowerCase() || m.envelopeFrom;
    m.size = Number(get('size')) || m.size;
    m.nrcpt = Number(get('rcptCount')) || m.nrcpt;
    m.clientIp = null;
    m.clientHost = null;
    if (get('source').toUpperCase() !== 'SMTP') return;
    // Behind a Front End (the "Client Proxy" connector), client-ip is the Front End and
    // original-client-ip the client that connected to it. A peer equal to the receiving server
    // is one of our own services handing the message on.
    const peer = get('peerIp');
    const ip = get('origClientIp') || (peer !== get('serverIp') ? peer : '');
    m.clientIp = ip || null;
    // client-hostname names the peer (client-ip): it describes the client only when that is the client.
    m.clientHost = ip && ip === peer ? get('clientHost') || null : null;
  }

  /**
   * A DSN row is the first row of the notification Exchange generated (its own ids); its
   * reference field holds the Message-Id of the message it reports on. The notification has the
   * null sender and was not submitted by anyone, so it is not counted as received.
   */
  private notification(m: LogMessage, key: string, get: Get): void {
    const of = this.keyOfMessageId.get(bareMessageId(get('reference')));
    // A DSN row under the reported message's own id would otherwise turn that message into a notification.
    if (of === key) return;
    m.received = false;
    m.envelopeFrom = '';
    const original = of ? this.messages.get(of) : undefined;
    if (!original) return;
    m.notificationOf = of!;
    if (!original.notifications.includes(key)) original.notifications.push(key);
  }

  /** EXPAND (group → members), REDIRECT and RESOLVE (old → new address): remember where each new address came from. */
  private rewrite(key: string, get: Get): void {
    const from = addresses(get('related'));
    const to = addresses(get('recipient'));
    let map = this.rewrites.get(key);
    if (!map) this.rewrites.set(key, (map = new Map()));
    to.forEach((addr, i) => {
      const before = from.length === to.length ? from[i] : from.length === 1 ? from[0] : undefined;
      if (before && before !== addr && !map.has(addr)) map.set(addr, before);
    });
  }

  /** The address the sender wrote, following a chain of rewrites (a resolved member of an expanded group → the group); null when not rewritten. */
  private origin(key: string, rcpt: string): string | null {
    const map = this.rewrites.get(key);
    let addr = rcpt;
    // The seen set stops a loop (a → b → a) that a garbled log could make.
    const seen = new Set([addr]);
    let next = map?.get(addr);
    while (next !== undefined && !seen.has(next)) {
      addr = next;
      seen.add(addr);
      next = map?.get(addr);
    }
    return addr === rcpt ? null : addr;
  }
}

export async function readCsvLog(path: string, format: CsvLogFormat, sink: LogSink): Promise<{ stats: LogStats; unfinished: number }> {
  const stats: LogStats = newLogStats();
  const messages = new Map<string, LogMessage>();
  const exchange = format === 'exchange' ? new ExchangeTracking(messages) : null;
  let header: string[] | null = null;
  let col: ((row: string[], c: Col) => string) | null = null;
  for await (const rec of exportRows(path)) {
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
    const get: Get = (c) => col!(row, c);
    const time = parseTraceTime(get('time'));
    // A row with no time, or with under half the columns, was cut or is not a row of this export.
    if (Number.isNaN(time) || row.length < header.length / 2) {
      countUnreadable(stats, line, row.join(','));
      continue;
    }
    const key = exchange ? exchange.key(get) : get('traceId') || get('messageId');
    stats.recognised++;
    // Valid rows that name no message (Exchange NOTIFYMAPI, some SUBMIT and HAREDIRECT
    // events): nothing to key a fact on, and nothing wrong with the line.
    if (!key) continue;
    const iso = new Date(time).toISOString();
    let m = messages.get(key);
    if (!m) {
      m = newRecord(format, key, line, iso, get);
      messages.set(key, m);
    }
    m.lastLine = line;
    if (exchange) exchange.row(m, key, get, line, iso);
    else traceRow(m, get, line, iso);
  }
  // Trace exports are not ordered by message, so records are emitted at the end; memory
  // grows with the number of distinct messages in one export (not with its rows).
  for (const m of messages.values()) sink.message(m);
  return { stats, unfinished: 0 };
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
  if (looksLikeJson(header)) {
    const keys = [...text.matchAll(/"([A-Za-z_]+)"\s*:/g)].map((m) => normaliseColumn(m[1]!));
    if (keys.includes('senderaddress') && keys.includes('recipientaddress')) return 'm365';
    return null;
  }
  if ((has('senderaddress') && (has('recipientaddress') || has('recipientstatus')) && (has('messageid') || has('messagetraceid'))) || (has('eventid') && has('networkmessageid'))) return 'm365';
  return null;
}
