// Writing MTA log facts into the case file. Rows are unique per (input, queue id, first
// line) and per (message, line, recipient), so reading a file again, after a kill or not,
// adds nothing.
import type Database from 'better-sqlite3';
import { DELIVERY_COLUMNS, MESSAGE_COLUMNS, readPackedFacts, type PackedLogFacts } from '../logs/fact-batch.js';
import type { LogEvent, LogMessage } from '../logs/types.js';
import { ensureLogIndexes, LOG_MESSAGE_INDEXES } from './schema.js';

/** A log_deliveries row as bound: its message's id, then the values fact-batch.ts packs. */
const DELIVERY_ROW = ['log_message_ref', ...DELIVERY_COLUMNS] as const;

/** Delivery rows bound by one statement when a packed batch is written (9 values each, well under SQLite's 32,766). */
const DELIVERY_ROWS = 64;

/** "(?, ?, …)" for a row of `n` values. */
const valuesRow = (n: number) => `(${Array(n).fill('?').join(', ')})`;

export class LogStore {
  private readonly insertMessage;
  private readonly insertPacked;
  private readonly findMessage;
  private readonly insertDelivery;
  private readonly insertDeliveries;
  private readonly insertEvent;
  private readonly upsertRead;

  constructor(private readonly db: Database.Database) {
    // Positional parameters: binding by name costs more than the insert here.
    this.insertMessage = db.prepare(
      `INSERT OR IGNORE INTO log_messages (input_ref, format, host, queue_id, first_line, last_line, received_at, client_host, client_ip,
        auth_method, auth_user, message_id, envelope_from, size, nrcpt, subject, received, notification_of, notifications_json, complete,
        instance, received_via, handed_to, orig_queue_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertPacked = db.prepare(
      `INSERT OR IGNORE INTO log_messages (input_ref, ${MESSAGE_COLUMNS.join(', ')}) VALUES ${valuesRow(1 + MESSAGE_COLUMNS.length)}`,
    );
    this.findMessage = db.prepare<[number, string, string, number], { id: number }>(
      'SELECT id FROM log_messages WHERE input_ref = ? AND host = ? AND queue_id = ? AND first_line = ?',
    );
    this.insertDelivery = db.prepare(`INSERT OR IGNORE INTO log_deliveries (${DELIVERY_ROW.join(', ')}) VALUES ${valuesRow(DELIVERY_ROW.length)}`);
    // DELIVERY_ROWS rows a statement: the rows of a packed batch are bound in groups, not one
    // call each (2M Postfix lines: 400,000 rows, 0.87 s one by one).
    this.insertDeliveries = db.prepare(
      `INSERT OR IGNORE INTO log_deliveries (${DELIVERY_ROW.join(', ')}) VALUES ${Array(DELIVERY_ROWS).fill(valuesRow(DELIVERY_ROW.length)).join(', ')}`,
    );
    this.insertEvent = db.prepare(
      'INSERT OR IGNORE INTO log_events (input_ref, line, time, kind, client_ip, sender, recipient, user, detail, program, message_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.upsertRead = db.prepare(
      `INSERT INTO log_reads (input_ref, format, lines, recognised, unreadable, foreign_lines, unfinished, non_utf8_lines, cut_lines, utc_offset_minutes)
       VALUES (@input_ref, @format, @lines, @recognised, @unreadable, @foreign_lines, @unfinished, @non_utf8_lines, @cut_lines, @utc_offset_minutes)
       ON CONFLICT(input_ref) DO UPDATE SET format = excluded.format, lines = excluded.lines, recognised = excluded.recognised,
         unreadable = excluded.unreadable, foreign_lines = excluded.foreign_lines, unfinished = excluded.unfinished,
         non_utf8_lines = excluded.non_utf8_lines, cut_lines = excluded.cut_lines, utc_offset_minutes = excluded.utc_offset_minutes`,
    );
  }

  /**
   * Before reading a log of about `expectedMessages` messages: when that is more than the
   * case holds already, drop the secondary indexes of log_messages, to be built once by
   * `endBulkLoad` (schema.ts, LOG_MESSAGE_INDEXES). The unique key stays, so a file read
   * again adds nothing. Returns whether the indexes were dropped.
   */
  beginBulkLoad(expectedMessages: number): boolean {
    const held = (this.db.prepare('SELECT coalesce(max(id), 0) AS n FROM log_messages').get() as { n: number }).n;
    if (held >= expectedMessages) return false;
    this.db.transaction(() => {
      for (const i of LOG_MESSAGE_INDEXES) this.db.exec(`DROP INDEX IF EXISTS ${i.name}`);
    })();
    return true;
  }

  /** Build the indexes a bulk load dropped (also done on every open of the case, should this never run). */
  endBulkLoad(): void {
    ensureLogIndexes(this.db);
  }

  /** Store one log message; returns true when it was new. */
  message(inputRef: number, m: LogMessage): boolean {
    const info = this.insertMessage.run(
      inputRef, m.format, m.host, m.queueId, m.firstLine, m.lastLine, m.receivedAt, m.clientHost, m.clientIp,
      m.authMethod, m.authUser, m.messageId, m.envelopeFrom, m.size, m.nrcpt, m.subject, m.received ? 1 : 0, m.notificationOf,
      JSON.stringify(m.notifications), m.complete ? 1 : 0, m.instance, m.receivedVia, m.handedTo, m.origQueueId,
    );
    const id = info.changes > 0 ? Number(info.lastInsertRowid) : this.findMessage.get(inputRef, m.host, m.queueId, m.firstLine)!.id;
    for (const d of m.deliveries) this.insertDelivery.run(id, d.line, d.time, d.recipient, d.origTo, d.relay, d.status, d.dsn, d.detail);
    return info.changes > 0;
  }

  /**
   * Store a packed batch (fact-batch.ts): the same rows as `message` and `event` for each of
   * its facts, bound straight from the batch. Returns how many messages were new.
   */
  packed(inputRef: number, p: PackedLogFacts): number {
    let added = 0;
    const m = new Array<unknown>(1 + MESSAGE_COLUMNS.length);
    const width = DELIVERY_ROW.length;
    const d = new Array<unknown>(width);
    // Delivery rows waiting for a full group (a multi-row insert adds the rows in order, each
    // one ignored on its own conflict, as one statement per row would).
    const group = new Array<unknown>(width * DELIVERY_ROWS);
    let grouped = 0;
    m[0] = inputRef;
    // Indexes of the unique key's values in the message row, for finding a message stored before.
    const host = 1 + MESSAGE_COLUMNS.indexOf('host');
    const queueId = 1 + MESSAGE_COLUMNS.indexOf('queue_id');
    const firstLine = 1 + MESSAGE_COLUMNS.indexOf('first_line');
    readPackedFacts(
      p, m, d, 1,
      () => {
        const info = this.insertPacked.run(m);
        if (info.changes > 0) {
          added++;
          d[0] = Number(info.lastInsertRowid);
        } else d[0] = this.findMessage.get(inputRef, m[host] as string, m[queueId] as string, m[firstLine] as number)!.id;
      },
      () => {
        for (let c = 0; c < width; c++) group[grouped * width + c] = d[c];
        if (++grouped === DELIVERY_ROWS) {
          this.insertDeliveries.run(group);
          grouped = 0;
        }
      },
    );
    for (let r = 0; r < grouped; r++) this.insertDelivery.run(group.slice(r * width, (r + 1) * width));
    for (const e of p.events) this.event(inputRef, e);
    return added;
  }

  event(inputRef: number, e: LogEvent): void {
    this.insertEvent.run(inputRef, e.line, e.time, e.kind, e.clientIp, e.sender, e.recipient, e.user, e.detail, e.program, e.messageId ?? null);
  }

  recordRead(inputRef: number, r: { format: string; lines: number; recognised: number; unreadable: number; foreign: number; unfinished: number; nonUtf8: number; cut: number; utcOffsetMinutes: number }): void {
    this.upsertRead.run({
      input_ref: inputRef,
      format: r.format,
      lines: r.lines,
      recognised: r.recognised,
      unreadable: r.unreadable,
      foreign_lines: r.foreign,
      unfinished: r.unfinished,
      non_utf8_lines: r.nonUtf8,
      cut_lines: r.cut,
      utc_offset_minutes: r.utcOffsetMinutes,
    });
  }

  /**
   * Link each copy a content filter re-injected to the record of the message before the
   * filter (same log file, host and instance): the filter's reply named the copy's queue id
   * (handed_to), or the copy names the original (orig_queue_id, from XFORWARD). Two updates,
   * each a lookup in an index (handed_to; input_ref, host, queue_id): one statement with
   * both conditions OR-ed scans the table once per record, and took 110 s on 50 logs.
   */
  linkReinjections(): void {
    this.db
      .prepare(
        `UPDATE log_messages SET reinjected_from = (
           SELECT min(p.id) FROM log_messages p WHERE p.handed_to = log_messages.queue_id AND p.input_ref = log_messages.input_ref
             AND p.host = log_messages.host AND p.instance IS log_messages.instance AND p.id <> log_messages.id)
         WHERE reinjected_from IS NULL AND queue_id IN (SELECT handed_to FROM log_messages WHERE handed_to IS NOT NULL)`,
      )
      .run();
    this.db
      .prepare(
        `UPDATE log_messages SET reinjected_from = (
           SELECT min(p.id) FROM log_messages p WHERE p.input_ref = log_messages.input_ref AND p.host = log_messages.host
             AND p.queue_id = log_messages.orig_queue_id AND p.instance IS log_messages.instance AND p.id <> log_messages.id)
         WHERE reinjected_from IS NULL AND orig_queue_id IS NOT NULL`,
      )
      .run();
  }

  /** Link log messages to mailbox messages with the same Message-ID; returns how many are linked. */
  linkMessages(): number {
    // A case of logs alone: nothing to link, and the update would look up every log record in vain.
    if (this.db.prepare('SELECT 1 FROM messages LIMIT 1').get() === undefined) {
      return (this.db.prepare('SELECT count(*) AS n FROM log_messages WHERE message_ref IS NOT NULL').get() as { n: number }).n;
    }
    this.db
      .prepare(
        `UPDATE log_messages SET message_ref = (SELECT m.id FROM messages m WHERE m.message_id = log_messages.message_id ORDER BY m.id LIMIT 1)
         WHERE message_ref IS NULL AND message_id IS NOT NULL`,
      )
      .run();
    return (this.db.prepare('SELECT count(*) AS n FROM log_messages WHERE message_ref IS NOT NULL').get() as { n: number }).n;
  }
}
