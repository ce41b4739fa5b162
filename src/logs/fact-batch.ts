// Log facts packed for crossing from the reading thread to the writer: one string holding
// every text value and one Float64Array holding numbers and string lengths. Cloning an
// array of LogMessage objects cost the writer (the main thread, the one that cannot be
// spread over cores) more than the inserts it was waiting for: 2M Postfix lines, 265,744
// messages, took 0.7-1.5 s to deserialise as objects and 0.04 s packed; the strings are
// cut out of the one string on the writer's side as the row is bound.
import type { LogEvent, LogMessage } from './types.js';

/** Facts of one batch: messages in the column order of `MESSAGE_COLUMNS` and `DELIVERY_COLUMNS`, events as they are (few). */
export interface PackedLogFacts {
  text: string;
  nums: Float64Array;
  messages: number;
  deliveries: number;
  events: LogEvent[];
}

/**
 * Column kinds: s a string or null; r the same, but written once when it repeats the value
 * of the row before (host, time, relay …: most rows); n a number; N a number or null;
 * b a boolean, stored as 1 or 0 as the log tables keep it.
 */
type Kind = 's' | 'r' | 'n' | 'N' | 'b';

/** The values a log_messages row is bound with after input_ref, in order. */
export const MESSAGE_COLUMNS = [
  'format', 'host', 'queue_id', 'first_line', 'last_line', 'received_at', 'client_host', 'client_ip', 'auth_method', 'auth_user',
  'message_id', 'envelope_from', 'size', 'nrcpt', 'subject', 'received', 'notification_of', 'notifications_json', 'complete',
  'instance', 'received_via', 'handed_to', 'orig_queue_id',
] as const;
const MESSAGE_KINDS: Kind[] = ['r', 'r', 's', 'n', 'n', 'r', 'r', 'r', 'r', 'r', 's', 'r', 'N', 'N', 's', 'b', 's', 'r', 'b', 'r', 'r', 's', 's'];

/** The values a log_deliveries row is bound with after log_message_ref, in order. */
export const DELIVERY_COLUMNS = ['line', 'time', 'recipient', 'orig_to', 'relay', 'status', 'dsn', 'detail'] as const;
const DELIVERY_KINDS: Kind[] = ['n', 'r', 's', 'r', 'r', 'r', 'r', 'r'];

/** Values collected before they are joined into a string of their own (about 16 KB of text). */
const FLATTEN_PARTS = 1024;

const NULL = -1;
const SAME = -2;

function messageValues(m: LogMessage): unknown[] {
  return [
    m.format, m.host, m.queueId, m.firstLine, m.lastLine, m.receivedAt, m.clientHost, m.clientIp, m.authMethod, m.authUser,
    m.messageId, m.envelopeFrom, m.size, m.nrcpt, m.subject, m.received, m.notificationOf,
    m.notifications.length === 0 ? '[]' : JSON.stringify(m.notifications), m.complete, m.instance, m.receivedVia, m.handedTo, m.origQueueId,
  ];
}

/** Collects messages and events and hands them over packed. */
export class LogFactPacker {
  private parts: string[] = [];
  private joined: string[] = [];
  private nums = new Float64Array(4096);
  private n = 0;
  /** Per column, the value of the row before; undefined before the first row. */
  private prev: unknown[] = [];
  private events: LogEvent[] = [];
  messages = 0;
  private deliveries = 0;

  private num(x: number): void {
    if (this.n === this.nums.length) {
      const grown = new Float64Array(this.nums.length * 2);
      grown.set(this.nums);
      this.nums = grown;
    }
    this.nums[this.n++] = x;
  }

  private value(kind: Kind, col: number, value: unknown): void {
    const v = value === undefined ? null : value;
    switch (kind) {
      case 'n':
        this.num(v as number);
        return;
      case 'N':
        this.num(v === null ? NaN : (v as number));
        return;
      case 'b':
        this.num(v ? 1 : 0);
        return;
      case 'r':
        if (v === this.prev[col]) {
          this.num(SAME);
          return;
        }
        this.prev[col] = v;
      // falls through
      case 's':
        if (v === null) this.num(NULL);
        else {
          this.parts.push(v as string);
          this.num((v as string).length);
        }
    }
  }

  add(m: LogMessage): void {
    const values = messageValues(m);
    for (let i = 0; i < values.length; i++) this.value(MESSAGE_KINDS[i]!, i, values[i]);
    this.num(m.deliveries.length);
    for (const d of m.deliveries) {
      const base = MESSAGE_KINDS.length;
      this.num(d.line);
      this.value('r', base + 1, d.time);
      this.value('s', base + 2, d.recipient);
      this.value('r', base + 3, d.origTo);
      this.value('r', base + 4, d.relay);
      this.value('r', base + 5, d.status);
      this.value('r', base + 6, d.dsn);
      this.value('r', base + 7, d.detail);
    }
    this.messages++;
    this.deliveries += m.deliveries.length;
    if (this.parts.length >= FLATTEN_PARTS) this.flatten();
  }

  /**
   * The values are slices of the reader's 64 KiB chunks, and keep them alive: joined into one
   * string now and then, a batch holds its own text and not the chunks. On a worker with a
   * 12 MB young generation (scan-pool.ts) the retained chunks made every scavenge copy
   * megabytes: 450 scavenges took 0.8 s and the old space filled (47 full collections) on 2M lines.
   */
  private flatten(): void {
    this.joined.push(this.parts.join(''));
    this.parts = [];
  }

  event(e: LogEvent): void {
    this.events.push(e);
  }

  get empty(): boolean {
    return this.messages === 0 && this.events.length === 0;
  }

  /** The batch so far (its `nums.buffer` can be transferred), and a fresh start. */
  take(): PackedLogFacts {
    this.flatten();
    const p: PackedLogFacts = { text: this.joined.join(''), nums: this.nums.slice(0, this.n), messages: this.messages, deliveries: this.deliveries, events: this.events };
    this.joined = [];
    this.n = 0;
    this.prev = [];
    this.events = [];
    this.messages = 0;
    this.deliveries = 0;
    return p;
  }
}

/**
 * Read a packed batch row by row: `messageRow` is filled from index `offset` with the
 * values of MESSAGE_COLUMNS and `onMessage` called; then `deliveryRow` likewise for each of
 * that message's deliveries. The rows are reused: they are bound, not kept.
 */
export function readPackedFacts(
  p: PackedLogFacts,
  messageRow: unknown[],
  deliveryRow: unknown[],
  offset: number,
  onMessage: () => void,
  onDelivery: () => void,
): void {
  const { text, nums } = p;
  let at = 0;
  let i = 0;
  const prev: unknown[] = [];
  const read = (kind: Kind, col: number): unknown => {
    const x = nums[i++]!;
    switch (kind) {
      case 'n':
        return x;
      case 'N':
        return Number.isNaN(x) ? null : x;
      case 'b':
        return x;
      case 'r':
        if (x === SAME) return prev[col];
      // falls through
      default: {
        if (x === NULL) return (prev[col] = null);
        const v = text.slice(at, at + x);
        at += x;
        return (prev[col] = v);
      }
    }
  };
  const base = MESSAGE_KINDS.length;
  while (i < nums.length) {
    for (let c = 0; c < base; c++) messageRow[offset + c] = read(MESSAGE_KINDS[c]!, c);
    const deliveries = nums[i++]!;
    onMessage();
    for (let k = 0; k < deliveries; k++) {
      for (let c = 0; c < DELIVERY_KINDS.length; c++) deliveryRow[offset + c] = read(DELIVERY_KINDS[c]!, base + c);
      onDelivery();
    }
  }
}
