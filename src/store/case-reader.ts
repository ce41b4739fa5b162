// Typed reads of an analysed or scanned case for the analysis: mailbox messages a page at a
// time (keyset by id, so memory holds one page of bodies and writes can run between pages),
// their attachments and thread partners by index, and the MTA log records of submissions
// with their deliveries. The analysis never writes SQL; these functions are its view of the case.
import type Database from 'better-sqlite3';
import type { ReceivedHop } from '../mail/received.js';

export interface MessageRecord {
  ref: number;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  date: string | null;
  subject: string;
  fromName: string | null;
  fromAddress: string | null;
  text: string;
  urls: string[];
  direction: string;
  received: ReceivedHop[];
  passwordCandidates: string[];
}

export interface AttachmentRecord {
  filename: string;
  sha256: string;
  verdict: string;
  encryptedArchive: boolean;
  /** The archive was opened and its password is one the message itself gives. */
  archiveOpenedWithBodyPassword: boolean;
  innerVerdicts: string[];
  /** Programs, scripts, shortcuts, installers in the attachment or anything inside it (payload.ts). */
  payloads: { name: string; what: string; disguise: string[] }[];
  /** Documents in the attachment (or inside it) whose macros run by themselves on opening. */
  autoRunMacros: string[];
}

export interface DeliveryRecord {
  recipient: string;
  status: string;
  time: string | null;
  line: number;
  /**
   * The hand-over to a content filter on a loopback port by a record whose copy the filter
   * re-injected: not where the message went. The filter answers only after the copy was
   * queued, so the copy's deliveries can come before this line in the log.
   */
  filterHop: boolean;
}

/** A delivery's filterHop, in SQL over log_deliveries d joined to its log_messages lm. */
const FILTER_HOP = `(lm.handed_to IS NOT NULL AND d.status = 'sent' AND (d.relay LIKE '127.%' OR d.relay LIKE '%[127.%' OR d.relay LIKE '%[::1]%' OR d.relay LIKE 'localhost%'))`;

/**
 * A log record's deliveries and those of the copies a content filter re-injected (two
 * parameters: the record's id twice). Run once per record by `accounts`: each lookup must
 * use an index (tests/store/query-plans.test.ts).
 */
export const DELIVERIES_WITH_COPIES = `SELECT d.recipient, d.status, d.time, d.line, ${FILTER_HOP} AS filter_hop FROM log_deliveries d JOIN log_messages lm ON lm.id = d.log_message_ref
       WHERE d.log_message_ref = ? OR d.log_message_ref IN (SELECT id FROM log_messages WHERE reinjected_from = ?) ORDER BY d.line`;

/** One MTA log record (a queue id, an Exim id, a trace id) that entered the server. */
/** One use of a cloud account from a client address (log_events of kind account-use or mailbox-send). */
export interface AccountActivity {
  kind: 'account-use' | 'mailbox-send';
  time: string;
  clientIp: string;
  user: string;
  messageId: string | null;
  detail: string;
  path: string;
  line: number;
}

const ACTIVITY_SELECT = `SELECT e.kind, e.time, e.client_ip AS clientIp, e.user, e.message_id AS messageId, e.detail, i.path, e.line
  FROM log_events e JOIN inputs i ON i.id = e.input_ref`;

export interface LogRecord {
  id: number;
  format: string;
  path: string;
  firstLine: number;
  receivedAt: string | null;
  clientIp: string | null;
  authUser: string | null;
  envelopeFrom: string | null;
  messageId: string | null;
  messageRef: number | null;
  subject: string | null;
  /** The record of the same message before a content filter re-injected it. */
  reinjectedFrom: number | null;
  deliveries: DeliveryRecord[];
}

/** A received log record with the mailbox copy's subject, for the per-account table. */
export interface AccountLogRow {
  id: number;
  auth_user: string | null;
  envelope_from: string | null;
  client_ip: string | null;
  received_at: string | null;
  subject: string | null;
  mailbox_subject: string | null;
}

export interface LogCoverage {
  path: string;
  format: string;
  first: string | null;
  last: string | null;
}

interface RawMessage {
  id: number;
  message_id: string | null;
  in_reply_to: string | null;
  references_json: string;
  date_utc: string | null;
  subject: string;
  from_name: string | null;
  from_address: string | null;
  text_body: string;
  urls_json: string;
  direction: string;
  received_json: string;
  password_candidates_json: string;
}

/** Messages read per page: bodies of one page are in memory at a time. */
const PAGE = 500;

export class CaseReader {
  private readonly page;
  private readonly byMessageId;
  private readonly attachmentsOf;
  private readonly innerOf;
  private readonly runnableIn;
  private readonly participantsOf;
  private readonly recipientsOf;
  private readonly deliveriesOfLog;
  private readonly deliveriesWithCopies;

  constructor(private readonly db: Database.Database) {
    this.page = db.prepare<[number, number], RawMessage>(
      `SELECT id, message_id, in_reply_to, references_json, date_utc, subject, from_name, from_address, text_body, urls_json, direction,
              received_json, password_candidates_json FROM messages WHERE id > ? ORDER BY id LIMIT ?`,
    );
    this.byMessageId = db.prepare<[string], { id: number; message_id: string; date_utc: string | null }>(
      'SELECT id, message_id, date_utc FROM messages WHERE message_id = ? ORDER BY id LIMIT 1',
    );
    this.attachmentsOf = db.prepare<[number], { filename: string; sha256: string; verdict: string | null; archive_json: string | null; analysis_ref: number | null }>(
      `SELECT a.filename, a.sha256, an.verdict, an.archive_json, a.analysis_ref FROM attachments a LEFT JOIN analyses an ON an.id = a.analysis_ref
       WHERE a.message_ref = ? ORDER BY a.ordinal`,
    );
    this.innerOf = db.prepare<[number], { verdict: string }>('SELECT verdict FROM analyses WHERE parent_ref = ?');
    // The analysed object and everything inside it, as deep as inspect goes (INSPECT_LIMITS.maxDepth 5, plus mail inside archives).
    this.runnableIn = db.prepare<[number], { id: number; name: string; payload_json: string | null; autoexec_json: string; vba: number; xlm: number }>(
      `WITH RECURSIVE tree(id, depth) AS (SELECT ?, 0 UNION ALL SELECT a.id, t.depth + 1 FROM analyses a JOIN tree t ON a.parent_ref = t.id WHERE t.depth < 16)
       SELECT an.id, an.name, an.payload_json, an.autoexec_json, an.vba, an.xlm FROM analyses an JOIN tree t ON an.id = t.id
       WHERE an.payload_json IS NOT NULL OR (an.autoexec_json <> '[]' AND (an.vba = 1 OR an.xlm = 1)) ORDER BY an.id`,
    );
    this.participantsOf = db.prepare<[number], { address: string }>("SELECT address FROM message_addresses WHERE message_ref = ? AND role IN ('from','to','cc')");
    this.recipientsOf = db.prepare<[number], { address: string }>("SELECT DISTINCT address FROM message_addresses WHERE message_ref = ? AND role IN ('to','cc','bcc') ORDER BY address");
    const rows = (sql: string) => db.prepare(sql);
    const hop = (r: { filter_hop: number } & Omit<DeliveryRecord, 'filterHop'>): DeliveryRecord => ({ recipient: r.recipient, status: r.status, time: r.time, line: r.line, filterHop: r.filter_hop === 1 });
    const one = rows(`SELECT d.recipient, d.status, d.time, d.line, ${FILTER_HOP} AS filter_hop FROM log_deliveries d JOIN log_messages lm ON lm.id = d.log_message_ref WHERE d.log_message_ref = ? ORDER BY d.line`);
    const withCopies = rows(DELIVERIES_WITH_COPIES);
    this.deliveriesOfLog = { all: (id: number) => (one.all(id) as Parameters<typeof hop>[0][]).map(hop) };
    this.deliveriesWithCopies = { all: (id: number, id2: number) => (withCopies.all(id, id2) as Parameters<typeof hop>[0][]).map(hop) };
  }

  storedOrgDomains(): string[] {
    const v = (this.db.prepare("SELECT value FROM meta WHERE key = 'org_domains'").get() as { value: string } | undefined)?.value;
    return v ? (JSON.parse(v) as string[]) : [];
  }

  /** (address, display name) pairs of message senders, for learning members' names. */
  senderNames(): { address: string; name: string }[] {
    return this.db.prepare("SELECT DISTINCT from_address AS address, from_name AS name FROM messages WHERE from_address IS NOT NULL AND from_name IS NOT NULL AND from_name <> ''").all() as {
      address: string;
      name: string;
    }[];
  }

  /** (SASL login, envelope sender) pairs of the logs with how many records each: what identity learning reads. */
  loginSenderPairs(): { login: string; sender: string; records: number }[] {
    return this.db
      .prepare(
        `SELECT auth_user AS login, envelope_from AS sender, count(*) AS records FROM log_messages
         WHERE auth_user IS NOT NULL AND coalesce(envelope_from, '') <> '' GROUP BY auth_user, envelope_from`,
      )
      .all() as { login: string; sender: string; records: number }[];
  }

  /** Mailbox sends the unified audit log saw (Send, SendAs, SendOnBehalf), in time order. */
  mailboxSends(): AccountActivity[] {
    return this.db
      .prepare(`${ACTIVITY_SELECT} WHERE e.kind = 'mailbox-send' AND e.user IS NOT NULL AND e.client_ip IS NOT NULL AND e.time IS NOT NULL ORDER BY e.time, e.input_ref, e.line`)
      .all() as AccountActivity[];
  }

  /** Successful uses of an account (sign-ins, mailbox operations) with from <= time <= to, in time order. */
  accountUses(user: string, from: string, to: string): AccountActivity[] {
    this.usesStmt ??= this.db.prepare(`${ACTIVITY_SELECT} WHERE e.kind IN ('account-use', 'mailbox-send') AND e.user = ? AND e.time >= ? AND e.time <= ? AND e.client_ip IS NOT NULL ORDER BY e.time, e.input_ref, e.line`);
    return this.usesStmt.all(user, from, to) as AccountActivity[];
  }

  private usesStmt: Database.Statement | undefined;

  /** Per account, client address and UTC day: the first successful use (one row per day, however many events). */
  accountUseDays(): { user: string; clientIp: string; day: string; first: string }[] {
    return this.db
      .prepare(
        `SELECT user, client_ip AS clientIp, substr(time, 1, 10) AS day, min(time) AS first FROM log_events
         WHERE kind IN ('account-use', 'mailbox-send') AND user IS NOT NULL AND client_ip IS NOT NULL AND time IS NOT NULL
         GROUP BY user, client_ip, day ORDER BY user, client_ip, day`,
      )
      .all() as { user: string; clientIp: string; day: string; first: string }[];
  }

  /** Every address the mailboxes name, in any role. */
  addresses(): string[] {
    return (this.db.prepare('SELECT DISTINCT address FROM message_addresses').all() as { address: string }[]).map((r) => r.address);
  }

  /** Mailbox messages in pages of PAGE, by id. The caller may write between pages. */
  *messagePages(): Generator<MessageRecord[]> {
    let after = 0;
    for (;;) {
      const rows = this.page.all(after, PAGE);
      if (!rows.length) return;
      after = rows[rows.length - 1]!.id;
      yield rows.map((r) => ({
        ref: r.id,
        messageId: r.message_id,
        inReplyTo: r.in_reply_to,
        references: JSON.parse(r.references_json) as string[],
        date: r.date_utc,
        subject: r.subject,
        fromName: r.from_name,
        fromAddress: r.from_address,
        text: r.text_body,
        urls: JSON.parse(r.urls_json) as string[],
        direction: r.direction,
        received: JSON.parse(r.received_json) as ReceivedHop[],
        passwordCandidates: JSON.parse(r.password_candidates_json) as string[],
      }));
    }
  }

  messageByMessageId(messageId: string): { ref: number; messageId: string; date: string | null } | null {
    const r = this.byMessageId.get(messageId);
    return r ? { ref: r.id, messageId: r.message_id, date: r.date_utc } : null;
  }

  /**
   * Every attachment of a message, those inside a TNEF winmail.dat or an attached message
   * (nest_path not '') included: a workbook Outlook wrapped in winmail.dat runs as well as
   * one attached directly. Archive members are not rows here; they are in runnableIn.
   */
  attachments(ref: number, passwordCandidates: string[]): AttachmentRecord[] {
    return this.attachmentsOf.all(ref).map((a) => {
      const archive = a.archive_json ? (JSON.parse(a.archive_json) as { encrypted: boolean; opened: boolean; password?: string }) : null;
      return {
        filename: a.filename,
        sha256: a.sha256,
        verdict: a.verdict ?? 'clean',
        encryptedArchive: archive?.encrypted === true,
        archiveOpenedWithBodyPassword: archive?.opened === true && !!archive.password && passwordCandidates.includes(archive.password),
        innerVerdicts: a.analysis_ref ? this.innerOf.all(a.analysis_ref).map((x) => x.verdict) : [],
        ...this.runnable(a.analysis_ref, a.filename),
      };
    });
  }

  /**
   * Payloads and self-running macros in an attachment's analysis tree. The analysis is shared
   * by every attachment with its bytes and carries the name of the first; the attachment
   * itself goes by its own name here.
   */
  private runnable(analysisRef: number | null, filename: string): Pick<AttachmentRecord, 'payloads' | 'autoRunMacros'> {
    const rows = (analysisRef ? this.runnableIn.all(analysisRef) : []).map((r) => (r.id === analysisRef ? { ...r, name: filename } : r));
    return {
      payloads: rows.flatMap((r) => {
        if (!r.payload_json) return [];
        const p = JSON.parse(r.payload_json) as { what: string; disguise: string[] };
        return [{ name: r.name, what: p.what, disguise: p.disguise }];
      }),
      autoRunMacros: rows.filter((r) => r.autoexec_json !== '[]' && (r.vba === 1 || r.xlm === 1)).map((r) => r.name),
    };
  }

  participants(ref: number): string[] {
    return this.participantsOf.all(ref).map((p) => p.address);
  }

  /** To/Cc/Bcc of the mailbox copy, distinct, sorted. */
  mailboxRecipients(ref: number): string[] {
    return this.recipientsOf.all(ref).map((r) => r.address);
  }

  /**
   * Log records of mail the servers received from a client (not their own bounces), with
   * their deliveries, one at a time in id order: the candidates for submissions.
   */
  *receivedLogRecords(): Generator<LogRecord> {
    const rows = this.db
      .prepare(
        `SELECT lm.id, lm.format, i.path, lm.first_line, lm.received_at, lm.client_ip, lm.auth_user, lm.envelope_from, lm.message_id, lm.message_ref, lm.subject, lm.reinjected_from
         FROM log_messages lm JOIN inputs i ON i.id = lm.input_ref
         WHERE lm.received = 1 AND lm.notification_of IS NULL AND coalesce(lm.envelope_from, '') <> '' ORDER BY lm.id`,
      )
      .iterate() as Iterable<{
      id: number;
      format: string;
      path: string;
      first_line: number;
      received_at: string | null;
      client_ip: string | null;
      auth_user: string | null;
      envelope_from: string | null;
      message_id: string | null;
      message_ref: number | null;
      subject: string | null;
      reinjected_from: number | null;
    }>;
    for (const r of rows) {
      yield {
        id: r.id,
        format: r.format,
        path: r.path,
        firstLine: r.first_line,
        receivedAt: r.received_at,
        clientIp: r.client_ip,
        authUser: r.auth_user,
        envelopeFrom: r.envelope_from,
        messageId: r.message_id,
        messageRef: r.message_ref,
        subject: r.subject,
        reinjectedFrom: r.reinjected_from,
        deliveries: this.deliveriesOfLog.all(r.id),
      };
    }
  }

  /** Received log records from a sender (not the server's own bounces), in time order. */
  accountLogRows(): AccountLogRow[] {
    return this.db
      .prepare(
        `SELECT lm.id, lm.auth_user, lm.envelope_from, lm.client_ip, lm.received_at, lm.subject, m.subject AS mailbox_subject
         FROM log_messages lm LEFT JOIN messages m ON m.id = lm.message_ref
         WHERE lm.received = 1 AND lm.notification_of IS NULL AND lm.reinjected_from IS NULL AND coalesce(lm.envelope_from, '') <> ''
         ORDER BY lm.received_at, lm.id`,
      )
      .all() as AccountLogRow[];
  }

  /** Deliveries of one log record, in line order. */
  deliveries(logRef: number): DeliveryRecord[] {
    return this.deliveriesOfLog.all(logRef);
  }

  /** Deliveries of a record and of the copies a content filter re-injected, in line order: the message's whole path. */
  deliveriesThroughFilters(logRef: number): DeliveryRecord[] {
    return this.deliveriesWithCopies.all(logRef, logRef);
  }

  /** Each log file's first and last time stamp among the facts read from it. */
  logCoverage(): LogCoverage[] {
    return this.db
      .prepare(
        `SELECT i.path, r.format,
                min(coalesce(lm.received_at, d.time)) AS first,
                max(coalesce(d.time, lm.received_at)) AS last
         FROM log_reads r JOIN inputs i ON i.id = r.input_ref
         LEFT JOIN log_messages lm ON lm.input_ref = r.input_ref
         LEFT JOIN log_deliveries d ON d.log_message_ref = lm.id
         GROUP BY i.path, r.format ORDER BY i.path`,
      )
      .all() as LogCoverage[];
  }
}
