// Typed reads of an analysed case for the report, the notice and explain. The writers in
// report/ get records; the SQL stays here.
import type Database from 'better-sqlite3';
import type { AccountEvidence, CaseCounts } from '../analysis/analyze-case.js';
import type { SessionGround } from '../analysis/attribution.js';
import type { RecipientOutcome } from '../analysis/figures.js';
import type { SubmissionSeen } from '../analysis/submissions.js';
import type { Finding, Ground } from '../office/findings.js';

export interface MessageRow {
  ref: number;
  messageId: string | null;
  date: string | null;
  direction: string;
  sender: string | null;
  subject: string;
  malicious: boolean | null;
  viaOurSystems: boolean | null;
  score: number | null;
  rules: string[];
  reasons: string[];
  sessionRef: number | null;
  sendTier: string | null;
}

export interface AccountRow {
  address: string;
  verdict: string;
  maliciousMessagesSent: number;
  impersonationMessages: number;
  recipientDeliveries: Record<string, number>;
  countsFrom: string;
  first: string | null;
  last: string | null;
  sends: number;
  toReview: number;
  suspected: number;
  attackerIps: string[];
  evidence: AccountEvidence[];
}

export interface SendRow {
  id: number;
  account: string;
  messageRef: number | null;
  messageId: string | null;
  subject: string | null;
  time: string | null;
  timeSource: string;
  clientIp: string | null;
  sessionRef: number | null;
  contentMalicious: boolean;
  tier: string;
  recipients: RecipientOutcome[];
  seen: SubmissionSeen[];
  attachments: string[];
}

export interface SessionRow {
  id: number;
  account: string;
  block: string;
  ips: string[];
  first: string | null;
  last: string | null;
  sends: number;
  replies: number;
  oldThreadReplies: number;
  outsideRecipients: number;
  maxPerWindow: number;
  contentMalicious: number;
  novelty: string;
  tier: string;
  grounds: SessionGround[];
  hours: number[];
}

export interface MessageContentRow {
  ref: number;
  subject: string;
  rules: string[];
  urls: string[];
  attachmentNames: string[];
}

interface ContentSqlRow {
  id: number;
  subject: string;
  urls_json: string;
  rules: string;
}

export class NotAnalysedError extends Error {}

/** The columns explain shows for a message, with its verdict when analysed. */
const EXPLAIN_ROW = `SELECT m.id, m.message_id, m.subject, m.from_name, m.from_address, m.date_utc, m.direction, v.malicious, v.score, v.via_our_systems, v.rules_json,
  v.reasons_json, v.signals_json, v.session_ref, v.send_tier FROM messages m LEFT JOIN message_verdicts v ON v.message_ref = m.id`;

export interface ExplainRow {
  id: number;
  message_id: string | null;
  subject: string;
  from_name: string | null;
  from_address: string | null;
  date_utc: string | null;
  direction: string;
  malicious: number | null;
  score: number | null;
  via_our_systems: number | null;
  rules_json: string | null;
  reasons_json: string | null;
  signals_json: string | null;
  session_ref: number | null;
  send_tier: string | null;
}

export class ReportQueries {
  constructor(private readonly db: Database.Database) {}

  counts(): CaseCounts {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'counts'").get() as { value: string } | undefined;
    if (!row) throw new NotAnalysedError('the case has not been analysed yet (run blastradius analyze)');
    const c = JSON.parse(row.value) as CaseCounts;
    if (!('outsideDeliveries' in c)) throw new NotAnalysedError('the case was analysed by an older blastradius (run blastradius analyze again)');
    return c;
  }

  /** Every message's ref, in the order the report lists them (date, then ref). */
  messageRefs(): number[] {
    return this.db.prepare('SELECT m.id FROM messages m ORDER BY m.date_utc, m.id').pluck().all() as number[];
  }

  /** Each message's date, one at a time (the report's time columns are named after their offsets). */
  messageDates(): IterableIterator<string | null> {
    return this.db.prepare('SELECT date_utc FROM messages').pluck().iterate() as IterableIterator<string | null>;
  }

  /** The rows of the given messages, in the order of `refs` (a page of messageRefs). */
  messages(refs: readonly number[]): MessageRow[] {
    const rows = this.db
      .prepare(
        `SELECT m.id, m.message_id, m.date_utc, m.direction, m.from_address, m.subject, v.malicious, v.via_our_systems, v.score, v.rules_json, v.reasons_json, v.session_ref, v.send_tier
         FROM messages m LEFT JOIN message_verdicts v ON v.message_ref = m.id WHERE m.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(refs)) as { id: number; message_id: string | null; date_utc: string | null; direction: string; from_address: string | null; subject: string; malicious: number | null; via_our_systems: number | null; score: number | null; rules_json: string | null; reasons_json: string | null; session_ref: number | null; send_tier: string | null }[];
    const byRef = new Map(rows.map((r) => [r.id, r]));
    return refs.flatMap((ref) => {
      const r = byRef.get(ref);
      return r
        ? [
            {
              ref: r.id,
              messageId: r.message_id,
              date: r.date_utc,
              direction: r.direction,
              sender: r.from_address,
              subject: r.subject,
              malicious: r.malicious === null ? null : r.malicious === 1,
              viaOurSystems: r.via_our_systems === null ? null : r.via_our_systems === 1,
              score: r.score,
              rules: r.rules_json ? (JSON.parse(r.rules_json) as string[]) : [],
              reasons: r.reasons_json ? (JSON.parse(r.reasons_json) as string[]) : [],
              sessionRef: r.session_ref,
              sendTier: r.send_tier,
            },
          ]
        : [];
    });
  }

  accounts(): AccountRow[] {
    const rows = this.db.prepare('SELECT * FROM account_verdicts ORDER BY account').all() as AccountVerdictRow[];
    return rows.map(accountRow);
  }

  account(address: string): AccountRow | null {
    const r = this.db.prepare('SELECT * FROM account_verdicts WHERE account = ?').get(address.toLowerCase()) as AccountVerdictRow | undefined;
    return r ? accountRow(r) : null;
  }

  /** Sends of the given tiers, in time order, with the top-level attachment names of their mailbox copy. */
  sends(tiers: string[]): SendRow[] {
    const names = this.db.prepare<[number], { filename: string }>("SELECT filename FROM attachments WHERE message_ref = ? AND nest_path = '' ORDER BY ordinal");
    const rows = this.db
      .prepare(`SELECT * FROM sends WHERE tier IN (${tiers.map(() => '?').join(',')}) ORDER BY time, id`)
      .all(...tiers) as { id: number; account: string; message_ref: number | null; message_id: string | null; subject: string | null; time: string | null; time_source: string; client_ip: string | null; session_ref: number | null; content_malicious: number; tier: string; recipients_json: string; seen_json: string }[];
    return rows.map((r) => ({
      id: r.id,
      account: r.account,
      messageRef: r.message_ref,
      messageId: r.message_id,
      subject: r.subject,
      time: r.time,
      timeSource: r.time_source,
      clientIp: r.client_ip,
      sessionRef: r.session_ref,
      contentMalicious: r.content_malicious === 1,
      tier: r.tier,
      recipients: JSON.parse(r.recipients_json) as RecipientOutcome[],
      seen: JSON.parse(r.seen_json) as SubmissionSeen[],
      attachments: r.message_ref !== null ? names.all(r.message_ref).map((a) => a.filename) : [],
    }));
  }

  /** Sessions that are not the user's own (attacker, review, suspected). */
  sessions(): SessionRow[] {
    const rows = this.db.prepare("SELECT * FROM submission_sessions WHERE tier <> 'user' ORDER BY first, id").all() as {
      id: number; account: string; block: string; ips_json: string; first: string | null; last: string | null; sends: number; replies: number; old_thread_replies: number;
      outside_recipients: number; max_per_window: number; content_malicious: number; novelty: string; tier: string; grounds_json: string; hours_json: string;
    }[];
    return rows.map((r) => ({
      id: r.id, account: r.account, block: r.block, ips: JSON.parse(r.ips_json) as string[], first: r.first, last: r.last, sends: r.sends, replies: r.replies,
      oldThreadReplies: r.old_thread_replies, outsideRecipients: r.outside_recipients, maxPerWindow: r.max_per_window, contentMalicious: r.content_malicious,
      novelty: r.novelty, tier: r.tier, grounds: JSON.parse(r.grounds_json) as SessionGround[], hours: JSON.parse(r.hours_json) as number[],
    }));
  }

  inputs(): { path: string; kind: string; itemsRead: number; errors: number }[] {
    return this.db
      .prepare('SELECT i.path, i.kind, i.messages_read AS itemsRead, (SELECT count(*) FROM errors e WHERE e.source_path = i.path) AS errors FROM inputs i ORDER BY i.path')
      .all() as { path: string; kind: string; itemsRead: number; errors: number }[];
  }

  /** Payload attachments of malicious messages (and what their archives hold), for the IOC list. */
  maliciousPayloads(): { name: string; sha256: string; verdict: string; members: { name: string; sha256: string; verdict: string }[] }[] {
    const members = this.db.prepare<[number], { name: string; sha256: string; verdict: string }>("SELECT name, sha256, verdict FROM analyses WHERE parent_ref = ? AND sha256 <> ''");
    const rows = this.db
      .prepare(
        `SELECT a.filename AS name, an.sha256, an.verdict, an.id FROM attachments a JOIN analyses an ON an.id = a.analysis_ref
         JOIN message_verdicts v ON v.message_ref = a.message_ref
         WHERE v.malicious = 1 AND a.nest_path = '' AND an.verdict IN ('macro', 'suspicious', 'encrypted') ORDER BY a.message_ref, a.ordinal`,
      )
      .all() as { name: string; sha256: string; verdict: string; id: number }[];
    return rows.map((r) => ({ name: r.name, sha256: r.sha256, verdict: r.verdict, members: members.all(r.id) }));
  }

  /** URLs, sender and first outside hop of each malicious message. */
  maliciousMessageIndicators(): { urls: string[]; sender: string | null; firstExternalIp: string | null; viaOurSystems: boolean }[] {
    return (
      this.db
        .prepare('SELECT m.urls_json AS urls, m.from_address AS sender, m.first_external_ip AS ip, v.via_our_systems AS via FROM messages m JOIN message_verdicts v ON v.message_ref = m.id WHERE v.malicious = 1 ORDER BY m.id')
        .all() as { urls: string; sender: string | null; ip: string | null; via: number }[]
    ).map((r) => ({ urls: JSON.parse(r.urls) as string[], sender: r.sender, firstExternalIp: r.ip, viaOurSystems: r.via === 1 }));
  }

  /** Subjects, rules and attachment names (archive members included) of the malicious messages. */
  maliciousContent(): { subject: string; rules: string[]; urls: string[]; attachmentNames: string[] }[] {
    const rows = this.db
      .prepare('SELECT m.id, m.subject, m.urls_json, v.rules_json AS rules FROM messages m JOIN message_verdicts v ON v.message_ref = m.id WHERE v.malicious = 1 ORDER BY m.id')
      .all() as ContentSqlRow[];
    return this.contentRows(rows).map(({ ref: _ref, ...c }) => c);
  }

  /**
   * The same for the given messages (by ref), with the ref: the notice reads only the mails
   * sent in the organisation's name, not every malicious mail the organisation received.
   */
  contentOf(refs: number[]): MessageContentRow[] {
    const one = this.db.prepare<[number], ContentSqlRow>(
      'SELECT m.id, m.subject, m.urls_json, coalesce(v.rules_json, \'[]\') AS rules FROM messages m LEFT JOIN message_verdicts v ON v.message_ref = m.id WHERE m.id = ?',
    );
    return this.contentRows([...new Set(refs)].sort((a, b) => a - b).flatMap((r) => one.all(r)));
  }

  private contentRows(rows: ContentSqlRow[]): MessageContentRow[] {
    const names = this.db.prepare<[number], { filename: string; analysis_ref: number | null }>("SELECT filename, analysis_ref FROM attachments WHERE message_ref = ? AND nest_path = '' ORDER BY ordinal");
    const members = this.db.prepare<[number], { name: string }>('SELECT name FROM analyses WHERE parent_ref = ?');
    return rows.map((m) => {
      const attachmentNames: string[] = [];
      for (const a of names.all(m.id)) {
        attachmentNames.push(a.filename);
        if (a.analysis_ref) for (const c of members.all(a.analysis_ref)) attachmentNames.push(c.name.split('/').pop()!);
      }
      return { ref: m.id, subject: m.subject, rules: JSON.parse(m.rules) as string[], urls: JSON.parse(m.urls_json) as string[], attachmentNames };
    });
  }

  /** From display name and address of the given messages: the notice tells how the impersonating mails present themselves. */
  messageSenders(refs: number[]): { ref: number; name: string | null; address: string | null }[] {
    const one = this.db.prepare<[number], { ref: number; name: string | null; address: string | null }>('SELECT id AS ref, from_name AS name, from_address AS address FROM messages WHERE id = ?');
    return [...new Set(refs)].sort((a, b) => a - b).flatMap((r) => one.all(r));
  }

  /**
   * Display names written for each address in the To and Cc headers of the mailbox copies,
   * most frequent first (then alphabetically): how the organisation's own staff address that
   * person, for the salutation of a letter to them. Names that are addresses are left out.
   */
  recipientNames(addresses: string[]): Map<string, string[]> {
    const wanted = [...new Set(addresses.map((a) => a.toLowerCase()))];
    const out = new Map<string, string[]>(wanted.map((a) => [a, []]));
    if (wanted.length === 0) return out;
    // One pass over the table for all the addresses: lower(address) cannot use the address
    // index, and a query per address read the whole table once for each (a thousand
    // recipients of a large journal: a thousand full scans).
    const rows = this.db
      .prepare<[string], { a: string; name: string }>(
        `SELECT lower(address) AS a, name, count(*) AS n FROM message_addresses
         WHERE lower(address) IN (SELECT value FROM json_each(?)) AND role IN ('to', 'cc') AND trim(name) <> '' AND name NOT LIKE '%@%'
         GROUP BY lower(address), name ORDER BY a, n DESC, name`,
      )
      .all(JSON.stringify(wanted));
    for (const r of rows) out.get(r.a)?.push(r.name.trim());
    return out;
  }

  /** The organisation domains the case was scanned with. */
  orgDomains(): string[] {
    const v = (this.db.prepare("SELECT value FROM meta WHERE key = 'org_domains'").get() as { value: string } | undefined)?.value;
    return v ? (JSON.parse(v) as string[]) : [];
  }

  /** How much the case holds: messages, and log records (MTA records and cloud events). Nothing of both: nothing to report. */
  evidenceSize(): { messages: number; logRecords: number } {
    return this.db
      .prepare('SELECT (SELECT count(*) FROM messages) AS messages, (SELECT count(*) FROM log_messages) + (SELECT count(*) FROM log_events) AS logRecords')
      .get() as { messages: number; logRecords: number };
  }

  /**
   * The first and last time stamp of any log record in the case (MTA records, their
   * deliveries, cloud events): the window the server's records cover. "Not sent through our
   * server" holds only inside it.
   */
  logWindow(): { first: string | null; last: string | null } {
    return this.db
      .prepare(
        `SELECT min(t) AS first, max(t) AS last FROM (
           SELECT received_at AS t FROM log_messages UNION ALL SELECT time FROM log_deliveries UNION ALL SELECT time FROM log_events
         ) WHERE t IS NOT NULL AND t <> ''`,
      )
      .get() as { first: string | null; last: string | null };
  }

  /** Where a message was seen: mailbox sightings and log records. */
  messageLocations(ref: number) {
    const sightings = this.db
      .prepare('SELECT i.path, s.locator, s.byte_offset AS offset, s.byte_length AS length FROM sightings s JOIN inputs i ON i.id = s.input_ref WHERE s.message_ref = ? ORDER BY i.path')
      .all(ref) as { path: string; locator: string; offset: number | null; length: number | null }[];
    const logs = this.db
      .prepare(
        `SELECT i.path, lm.format, lm.queue_id AS queueId, lm.first_line AS firstLine, lm.last_line AS lastLine, lm.auth_user AS authUser, lm.client_ip AS clientIp
         FROM log_messages lm JOIN inputs i ON i.id = lm.input_ref WHERE lm.message_ref = ?`,
      )
      .all(ref) as { path: string; format: string; queueId: string; firstLine: number; lastLine: number; authUser: string | null; clientIp: string | null }[];
    return { sightings, logs };
  }

  messagesById(messageId: string): ExplainRow[] {
    return this.db.prepare(`${EXPLAIN_ROW} WHERE m.message_id = ? ORDER BY m.id`).all(messageId) as ExplainRow[];
  }

  /** A message by its case reference (messages.id), the handle of a message without a Message-ID. */
  messageByRef(ref: number): ExplainRow[] {
    return this.db.prepare(`${EXPLAIN_ROW} WHERE m.id = ?`).all(ref) as ExplainRow[];
  }

  /**
   * Messages seen in an input file, at a byte offset when one is given (an mbox), else all of
   * them (an .eml holds one). `path` is matched as stored (absolute) or as its ending.
   */
  messagesAt(path: string, offset: number | null): ExplainRow[] {
    return this.db
      .prepare(
        `${EXPLAIN_ROW} WHERE m.id IN (SELECT s.message_ref FROM sightings s JOIN inputs i ON i.id = s.input_ref
           WHERE (i.path = @path OR i.path LIKE '%/' || @path) AND (@offset IS NULL OR s.byte_offset = @offset)) ORDER BY m.id`,
      )
      .all({ path, offset }) as ExplainRow[];
  }

  attachmentsOf(ref: number) {
    return this.db
      .prepare(
        'SELECT a.filename, a.sha256, an.verdict, an.reasons_json, an.findings_json FROM attachments a LEFT JOIN analyses an ON an.id = a.analysis_ref WHERE a.message_ref = ? ORDER BY a.ordinal',
      )
      .all(ref)
      .map((row) => {
        const r = row as { filename: string; sha256: string; verdict: string | null; reasons_json: string | null; findings_json: string | null };
        return {
          filename: r.filename,
          sha256: r.sha256,
          verdict: r.verdict,
          /** Typed findings and grounds (schema 10 on); null for older rows and attachments not analysed. */
          judged: r.findings_json ? (JSON.parse(r.findings_json) as { findings: Finding[]; grounds: Ground[] }) : null,
          /** Reasons as worded by versions before schema 10. */
          legacyReasons: r.reasons_json ? (JSON.parse(r.reasons_json) as string[]) : [],
        };
      });
  }

  session(id: number): SessionRow | null {
    return this.sessionsById([id])[0] ?? null;
  }

  private sessionsById(ids: number[]): SessionRow[] {
    const all = this.db.prepare('SELECT * FROM submission_sessions WHERE id = ?');
    return ids
      .map((id) => all.get(id) as Record<string, unknown> | undefined)
      .filter((r): r is Record<string, unknown> => !!r)
      .map((r) => ({
        id: r.id as number, account: r.account as string, block: r.block as string, ips: JSON.parse(r.ips_json as string) as string[], first: r.first as string | null, last: r.last as string | null,
        sends: r.sends as number, replies: r.replies as number, oldThreadReplies: r.old_thread_replies as number, outsideRecipients: r.outside_recipients as number,
        maxPerWindow: r.max_per_window as number, contentMalicious: r.content_malicious as number, novelty: r.novelty as string, tier: r.tier as string,
        grounds: JSON.parse(r.grounds_json as string) as SessionGround[], hours: JSON.parse(r.hours_json as string) as number[],
      }));
  }

  /** Mailbox files read (every input that is not a log) and the distinct messages they held. */
  mailboxCoverage(): { files: number; messages: number } {
    return this.db
      .prepare("SELECT (SELECT count(*) FROM inputs WHERE kind <> 'log') AS files, (SELECT count(*) FROM messages) AS messages")
      .get() as { files: number; messages: number };
  }

  /**
   * Per log format: the files read, their records (MTA records and cloud events) and the first
   * and last time stamp of any of them (deliveries included): the window each kind of log covers.
   */
  logCoverageByFormat(): { format: string; files: number; records: number; first: string | null; last: string | null }[] {
    const files = this.db.prepare('SELECT format, count(*) AS files FROM log_reads GROUP BY format ORDER BY format').all() as { format: string; files: number }[];
    const byFormat = (sql: string) => new Map((this.db.prepare(sql).all() as { format: string; n: number }[]).map((r) => [r.format, r.n]));
    const records = [
      byFormat('SELECT r.format, count(*) AS n FROM log_messages m JOIN log_reads r ON r.input_ref = m.input_ref GROUP BY r.format'),
      byFormat('SELECT r.format, count(*) AS n FROM log_events e JOIN log_reads r ON r.input_ref = e.input_ref GROUP BY r.format'),
    ];
    // One pass over every time stamp, each joined to its file's format by the file's key.
    const times = new Map(
      (
        this.db
          .prepare(
            `SELECT r.format, min(u.t) AS first, max(u.t) AS last FROM (
               SELECT input_ref AS input, received_at AS t FROM log_messages
               UNION ALL SELECT lm.input_ref, d.time FROM log_deliveries d JOIN log_messages lm ON lm.id = d.log_message_ref
               UNION ALL SELECT input_ref, time FROM log_events
             ) u JOIN log_reads r ON r.input_ref = u.input WHERE u.t IS NOT NULL AND u.t <> '' GROUP BY r.format`,
          )
          .all() as { format: string; first: string; last: string }[]
      ).map((r) => [r.format, r]),
    );
    return files.map((f) => ({
      format: f.format,
      files: f.files,
      records: records.reduce((a, m) => a + (m.get(f.format) ?? 0), 0),
      first: times.get(f.format)?.first ?? null,
      last: times.get(f.format)?.last ?? null,
    }));
  }

  /**
   * The newest time stamp of the logs (records, deliveries, cloud events) and of the messages'
   * Date headers, each no later than notAfter (a Date header can be set in the future).
   */
  newestEvidence(notAfter: string): { logs: string | null; mailboxes: string | null } {
    return this.db
      .prepare(
        `SELECT (SELECT max(t) FROM (SELECT received_at AS t FROM log_messages UNION ALL SELECT time FROM log_deliveries UNION ALL SELECT time FROM log_events)
                 WHERE t IS NOT NULL AND t <> '' AND t <= @notAfter) AS logs,
                (SELECT max(date_utc) FROM messages WHERE date_utc IS NOT NULL AND date_utc <> '' AND date_utc <= @notAfter) AS mailboxes`,
      )
      .get({ notAfter }) as { logs: string | null; mailboxes: string | null };
  }

  /** To, Cc and Bcc of the given messages (addresses and display names as written), by message ref. */
  recipientsOf(refs: readonly number[]): Map<number, { role: string; name: string; address: string }[]> {
    const out = new Map<number, { role: string; name: string; address: string }[]>();
    const rows = this.db
      .prepare(
        `SELECT message_ref AS ref, role, name, address FROM message_addresses WHERE message_ref IN (SELECT value FROM json_each(?)) AND role IN ('to', 'cc', 'bcc')
         ORDER BY message_ref, CASE role WHEN 'to' THEN 0 WHEN 'cc' THEN 1 ELSE 2 END, rowid`,
      )
      .all(JSON.stringify(refs)) as { ref: number; role: string; name: string; address: string }[];
    for (const r of rows) (out.get(r.ref) ?? out.set(r.ref, []).get(r.ref)!).push({ role: r.role, name: r.name, address: r.address });
    return out;
  }

  /** Top-level attachment names of the given messages, in their order, by message ref. */
  attachmentNamesOf(refs: readonly number[]): Map<number, string[]> {
    const out = new Map<number, string[]>();
    const rows = this.db
      .prepare("SELECT message_ref AS ref, filename FROM attachments WHERE message_ref IN (SELECT value FROM json_each(?)) AND nest_path = '' ORDER BY message_ref, ordinal")
      .all(JSON.stringify(refs)) as { ref: number; filename: string }[];
    for (const r of rows) (out.get(r.ref) ?? out.set(r.ref, []).get(r.ref)!).push(r.filename);
    return out;
  }

  /** Where the given messages were found: input file, locator and byte offset (null for a file that is one message), by message ref. */
  sightingsOf(refs: readonly number[]): Map<number, { path: string; locator: string; offset: number | null }[]> {
    const out = new Map<number, { path: string; locator: string; offset: number | null }[]>();
    const rows = this.db
      .prepare(
        `SELECT s.message_ref AS ref, i.path, s.locator, s.byte_offset AS offset FROM sightings s JOIN inputs i ON i.id = s.input_ref
         WHERE s.message_ref IN (SELECT value FROM json_each(?)) ORDER BY s.message_ref, i.path, s.byte_offset, s.locator`,
      )
      .all(JSON.stringify(refs)) as { ref: number; path: string; locator: string; offset: number | null }[];
    for (const r of rows) (out.get(r.ref) ?? out.set(r.ref, []).get(r.ref)!).push({ path: r.path, locator: r.locator, offset: r.offset });
    return out;
  }

  /** The verdict of the last analysis for an address or login, for the accounts table. */
  verdictOf(account: string): string | null {
    return (this.db.prepare<[string], { verdict: string }>('SELECT verdict FROM account_verdicts WHERE account = ?').get(account)?.verdict) ?? null;
  }
}

interface AccountVerdictRow {
  account: string;
  verdict: string;
  malicious_sent: number;
  impersonation_messages: number;
  recipient_deliveries_json: string;
  counts_from: string;
  first: string | null;
  last: string | null;
  evidence_json: string;
  details_json: string;
}

function accountRow(r: AccountVerdictRow): AccountRow {
  const d = JSON.parse(r.details_json) as { sends?: number; toReview?: number; suspected?: number; attackerIps?: string[] };
  const evidence = JSON.parse(r.evidence_json) as unknown[];
  return {
    address: r.account,
    verdict: r.verdict,
    maliciousMessagesSent: r.malicious_sent,
    impersonationMessages: r.impersonation_messages,
    recipientDeliveries: JSON.parse(r.recipient_deliveries_json) as Record<string, number>,
    countsFrom: r.counts_from,
    first: r.first,
    last: r.last,
    sends: d.sends ?? 0,
    toReview: d.toReview ?? 0,
    suspected: d.suspected ?? 0,
    attackerIps: d.attackerIps ?? [],
    // Evidence written by an older blastradius was text; it is dropped rather than misread.
    evidence: evidence.filter((e): e is AccountEvidence => typeof e === 'object' && e !== null),
  };
}
