// The case file's schema, as an ordered list of migrations. PRAGMA user_version holds the
// number of migrations applied; a case file written by a newer blastradius is refused
// rather than guessed at. Append new migrations; never edit one that has shipped.
import type Database from 'better-sqlite3';

export const MIGRATIONS: string[] = [
  // 1: mailbox evidence
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  -- One row per input file. resume_offset is the offset of the next unread mbox message,
  -- committed in the same transaction as the messages before it.
  CREATE TABLE inputs (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    container TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms INTEGER NOT NULL,
    resume_offset INTEGER NOT NULL DEFAULT 0,
    completed INTEGER NOT NULL DEFAULT 0,
    messages_read INTEGER NOT NULL DEFAULT 0,
    first_scanned TEXT NOT NULL,
    last_scanned TEXT NOT NULL
  );

  -- One row per distinct message. Two copies are the same message when Message-ID and
  -- content hash both agree; a reused Message-ID with other content is another message.
  CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    message_id TEXT,
    message_id_key TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    in_reply_to TEXT,
    references_json TEXT NOT NULL,
    date_utc TEXT,
    date_raw TEXT,
    subject TEXT NOT NULL,
    from_name TEXT,
    from_address TEXT,
    sender_name TEXT,
    sender_address TEXT,
    reply_to_json TEXT NOT NULL,
    to_json TEXT NOT NULL,
    cc_json TEXT NOT NULL,
    bcc_json TEXT NOT NULL,
    received_json TEXT NOT NULL,
    first_external_ip TEXT,
    x_originating_ip TEXT,
    auth_results_json TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    urls_json TEXT NOT NULL,
    size INTEGER NOT NULL,
    direction TEXT NOT NULL,
    defects_json TEXT NOT NULL,
    UNIQUE (message_id_key, content_hash)
  );
  CREATE INDEX messages_message_id ON messages(message_id);
  CREATE INDEX messages_from ON messages(from_address);

  -- Every place a message was seen. locator is the byte offset in an mbox ("@123") or
  -- "" for a file that is one message; (input, locator) identifies a sighting for good.
  CREATE TABLE sightings (
    id INTEGER PRIMARY KEY,
    message_ref INTEGER NOT NULL REFERENCES messages(id),
    input_ref INTEGER NOT NULL REFERENCES inputs(id),
    locator TEXT NOT NULL,
    byte_offset INTEGER,
    byte_length INTEGER,
    UNIQUE (input_ref, locator)
  );
  CREATE INDEX sightings_message ON sightings(message_ref);

  CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    message_ref INTEGER NOT NULL REFERENCES messages(id),
    ordinal INTEGER NOT NULL,
    nest_path TEXT NOT NULL,
    filename TEXT NOT NULL,
    declared_type TEXT NOT NULL,
    sniffed_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    md5 TEXT NOT NULL,
    sha1 TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    UNIQUE (message_ref, ordinal)
  );
  CREATE INDEX attachments_sha256 ON attachments(sha256);

  -- Addresses per message, one row per (role, address): the analysis and the
  -- notification list query these rather than the JSON columns.
  CREATE TABLE message_addresses (
    message_ref INTEGER NOT NULL REFERENCES messages(id),
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    domain TEXT NOT NULL,
    UNIQUE (message_ref, role, address)
  );
  CREATE INDEX message_addresses_address ON message_addresses(address);

  CREATE TABLE errors (
    id INTEGER PRIMARY KEY,
    source_path TEXT NOT NULL,
    locator TEXT NOT NULL,
    byte_offset INTEGER,
    reason TEXT NOT NULL,
    UNIQUE (source_path, locator, reason)
  );
  `,
  // 2: attachment analysis (blastradius inspect's results, one row per analysed object)
  `
  -- An analysed object: an attachment, or a member of an archive (parent_ref set).
  -- Root rows are shared by every attachment with the same bytes (sha256).
  CREATE TABLE analyses (
    id INTEGER PRIMARY KEY,
    parent_ref INTEGER REFERENCES analyses(id),
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    container TEXT NOT NULL,
    verdict TEXT NOT NULL,
    encrypted INTEGER NOT NULL,
    encryption TEXT,
    vba INTEGER NOT NULL,
    xlm INTEGER NOT NULL,
    autoexec_json TEXT NOT NULL,
    suspicious_json TEXT NOT NULL,
    iocs_json TEXT NOT NULL,
    dde_json TEXT NOT NULL,
    external_json TEXT NOT NULL,
    embedded_json TEXT NOT NULL,
    macro_sheets_json TEXT NOT NULL,
    archive_json TEXT,
    disguised INTEGER NOT NULL,
    reasons_json TEXT NOT NULL,
    errors_json TEXT NOT NULL
  );
  CREATE UNIQUE INDEX analyses_root_sha256 ON analyses(sha256) WHERE parent_ref IS NULL;
  CREATE INDEX analyses_parent ON analyses(parent_ref);

  CREATE TABLE vba_modules (
    analysis_ref INTEGER NOT NULL REFERENCES analyses(id),
    name TEXT NOT NULL,
    stream TEXT NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    pcode_bytes INTEGER NOT NULL,
    source_bytes INTEGER NOT NULL,
    stomped INTEGER NOT NULL
  );
  CREATE INDEX vba_modules_analysis ON vba_modules(analysis_ref);

  ALTER TABLE attachments ADD COLUMN analysis_ref INTEGER REFERENCES analyses(id);
  ALTER TABLE messages ADD COLUMN password_candidates_json TEXT NOT NULL DEFAULT '[]';
  `,
  // 3: MTA logs
  `
  -- One row per queue id (Postfix, Sendmail) or message id (Exim) in a log file, with the
  -- lines it spans. message_ref links it to the mailbox copy with the same Message-ID.
  CREATE TABLE log_messages (
    id INTEGER PRIMARY KEY,
    input_ref INTEGER NOT NULL REFERENCES inputs(id),
    format TEXT NOT NULL,
    host TEXT NOT NULL,
    queue_id TEXT NOT NULL,
    first_line INTEGER NOT NULL,
    last_line INTEGER NOT NULL,
    received_at TEXT,
    client_host TEXT,
    client_ip TEXT,
    auth_method TEXT,
    auth_user TEXT,
    message_id TEXT,
    envelope_from TEXT,
    size INTEGER,
    nrcpt INTEGER,
    subject TEXT,
    received INTEGER NOT NULL,
    notification_of TEXT,
    notifications_json TEXT NOT NULL,
    complete INTEGER NOT NULL,
    message_ref INTEGER REFERENCES messages(id),
    UNIQUE (input_ref, host, queue_id, first_line)
  );
  CREATE INDEX log_messages_message_id ON log_messages(message_id);
  CREATE INDEX log_messages_auth_user ON log_messages(auth_user);
  CREATE INDEX log_messages_sender ON log_messages(envelope_from);

  CREATE TABLE log_deliveries (
    id INTEGER PRIMARY KEY,
    log_message_ref INTEGER NOT NULL REFERENCES log_messages(id),
    line INTEGER NOT NULL,
    time TEXT,
    recipient TEXT NOT NULL,
    orig_to TEXT,
    relay TEXT,
    status TEXT NOT NULL,
    dsn TEXT,
    detail TEXT,
    UNIQUE (log_message_ref, line, recipient)
  );
  CREATE INDEX log_deliveries_message ON log_deliveries(log_message_ref);

  CREATE TABLE log_events (
    input_ref INTEGER NOT NULL REFERENCES inputs(id),
    line INTEGER NOT NULL,
    time TEXT,
    kind TEXT NOT NULL,
    client_ip TEXT,
    sender TEXT,
    recipient TEXT,
    user TEXT,
    detail TEXT NOT NULL,
    UNIQUE (input_ref, line, kind)
  );

  -- What reading each log file found: line counts by kind.
  CREATE TABLE log_reads (
    input_ref INTEGER PRIMARY KEY REFERENCES inputs(id),
    format TEXT NOT NULL,
    lines INTEGER NOT NULL,
    recognised INTEGER NOT NULL,
    unreadable INTEGER NOT NULL,
    foreign_lines INTEGER NOT NULL,
    unfinished INTEGER NOT NULL,
    non_utf8_lines INTEGER NOT NULL,
    cut_lines INTEGER NOT NULL
  );
  `,
  // 4: verdicts (rewritten whole by each analysis)
  `
  CREATE TABLE message_verdicts (
    message_ref INTEGER PRIMARY KEY REFERENCES messages(id),
    malicious INTEGER NOT NULL,
    score INTEGER NOT NULL,
    via_our_systems INTEGER NOT NULL,
    rules_json TEXT NOT NULL,
    reasons_json TEXT NOT NULL,
    signals_json TEXT NOT NULL
  );
  CREATE TABLE account_verdicts (
    account TEXT PRIMARY KEY,
    verdict TEXT NOT NULL,
    malicious_sent INTEGER NOT NULL,
    impersonation_messages INTEGER NOT NULL,
    recipient_deliveries_json TEXT NOT NULL,
    counts_from TEXT NOT NULL,
    first TEXT,
    last TEXT,
    evidence_json TEXT NOT NULL
  );
  `,
  // 5: the index on log_deliveries(log_message_ref) repeats the UNIQUE constraint's own
  // index, which starts with that column; every delivery's insert kept both up to date.
  `
  DROP INDEX IF EXISTS log_deliveries_message;
  `,
  // 6: attribution. The analysis looks up each message's log records by message_ref (without
  // this index every lookup scanned log_messages: quadratic). Every submission of mail by an
  // organisation account is a send; sends group into sessions (account × client address ×
  // time); a send in an attacker session counts as malicious whatever its content.
  `
  CREATE INDEX IF NOT EXISTS log_messages_message_ref ON log_messages(message_ref);

  CREATE TABLE submission_sessions (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    block TEXT NOT NULL,
    ips_json TEXT NOT NULL,
    first TEXT,
    last TEXT,
    sends INTEGER NOT NULL,
    replies INTEGER NOT NULL,
    old_thread_replies INTEGER NOT NULL,
    outside_recipients INTEGER NOT NULL,
    max_per_window INTEGER NOT NULL,
    content_malicious INTEGER NOT NULL,
    novelty TEXT NOT NULL,
    tier TEXT NOT NULL,
    grounds_json TEXT NOT NULL,
    hours_json TEXT NOT NULL
  );
  CREATE INDEX submission_sessions_account ON submission_sessions(account);

  CREATE TABLE sends (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    message_ref INTEGER REFERENCES messages(id),
    log_refs_json TEXT NOT NULL,
    message_id TEXT,
    subject TEXT,
    time TEXT,
    time_source TEXT NOT NULL,
    client_ip TEXT,
    seen_json TEXT NOT NULL,
    session_ref INTEGER REFERENCES submission_sessions(id),
    content_malicious INTEGER NOT NULL,
    tier TEXT NOT NULL,
    recipients_json TEXT NOT NULL
  );
  CREATE INDEX sends_message ON sends(message_ref);
  CREATE INDEX sends_account ON sends(account);

  -- A message counted because of the session that sent it names that session; send_tier is
  -- the tier of its send (attacker, review, suspected, user), NULL when it is not a send.
  ALTER TABLE message_verdicts ADD COLUMN session_ref INTEGER REFERENCES submission_sessions(id);
  ALTER TABLE message_verdicts ADD COLUMN send_tier TEXT;
  ALTER TABLE account_verdicts ADD COLUMN details_json TEXT NOT NULL DEFAULT '{}';
  `,
  // 7: how a log record came in, and the content-filter hops. instance is the server
  // instance whose queue held it (Postfix syslog name), received_via the service that took
  // it in ("smtpd", "submission/smtpd", "10025/smtpd", "pickup"), handed_to the queue id a
  // content filter on a loopback port re-injected it as, and reinjected_from the record of
  // the message before the filter (linked after each log is read). program names what
  // logged an event, for counting rejects as pflogsumm does; utc_offset_minutes the offset a log was read with.
  `
  ALTER TABLE log_messages ADD COLUMN instance TEXT;
  ALTER TABLE log_messages ADD COLUMN received_via TEXT;
  ALTER TABLE log_messages ADD COLUMN handed_to TEXT;
  ALTER TABLE log_messages ADD COLUMN orig_queue_id TEXT;
  ALTER TABLE log_messages ADD COLUMN reinjected_from INTEGER REFERENCES log_messages(id);
  ALTER TABLE log_events ADD COLUMN program TEXT;
  -- The --log-utc-offset a log was read with, for telling which offset would make it agree.
  ALTER TABLE log_reads ADD COLUMN utc_offset_minutes INTEGER;
  CREATE INDEX log_messages_handed_to ON log_messages(handed_to) WHERE handed_to IS NOT NULL;
  `,
  // 8: cloud account activity (Entra sign-ins, unified audit log) as log events: the
  // Message-ID a mailbox-send event names, and an index for reading an account's events.
  `
  ALTER TABLE log_events ADD COLUMN message_id TEXT;
  CREATE INDEX log_events_kind_user ON log_events(kind, user, time);
  `,
  // 9: the payload an analysed object is (a program, script, shortcut, installer: payload.ts),
  // as JSON {kind, by, what, disguise}; NULL when it is none.
  `
  ALTER TABLE analyses ADD COLUMN payload_json TEXT;
  `,
  // 10: an analysis's typed findings and the grounds of its verdict (office/findings.ts), as
  // JSON {findings, grounds}; the report words them. Rows written before keep their worded
  // reasons in reasons_json; rows written since have '[]' there.
  `
  ALTER TABLE analyses ADD COLUMN findings_json TEXT;
  `,
  // 11: which PCs were infected. Feed entries (URLhaus, Feodo Tracker, ThreatFox, IOC lists)
  // with their file line; proxy, DNS and firewall logs read against them (net_reads, with the
  // digest of the feed entries they were matched with: new feeds make a rescan match again);
  // the internal clients each log saw; the matches, grouped per (client, feed entry, strength)
  // with every line kept up to a cap; evidence from the PCs (EmoCheck, Autoruns, Source of
  // Infection); the host map (host, IP, user); and the host verdicts the analysis writes.
  `
  CREATE TABLE feed_entries (
    id INTEGER PRIMARY KEY,
    input_ref INTEGER NOT NULL REFERENCES inputs(id),
    line INTEGER NOT NULL,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    host TEXT,
    port INTEGER,
    feed_id TEXT,
    date_added TEXT,
    threat TEXT,
    tags_json TEXT NOT NULL,
    status TEXT,
    reference TEXT,
    UNIQUE (input_ref, line, value)
  );
  CREATE TABLE net_reads (
    input_ref INTEGER PRIMARY KEY REFERENCES inputs(id),
    format TEXT NOT NULL,
    lines INTEGER NOT NULL,
    recognised INTEGER NOT NULL,
    unreadable INTEGER NOT NULL,
    events INTEGER NOT NULL,
    feeds_digest TEXT NOT NULL,
    utc_offset_minutes INTEGER NOT NULL
  );
  CREATE TABLE net_clients (
    input_ref INTEGER NOT NULL REFERENCES inputs(id),
    client_ip TEXT NOT NULL,
    client_name TEXT,
    user TEXT,
    first TEXT,
    last TEXT,
    events INTEGER NOT NULL,
    PRIMARY KEY (input_ref, client_ip)
  );
  CREATE TABLE net_hit_groups (
    id INTEGER PRIMARY KEY,
    input_ref INTEGER NOT NULL REFERENCES inputs(id),
    client_ip TEXT NOT NULL,
    client_name TEXT,
    user TEXT,
    strength TEXT NOT NULL,
    feed_entry_ref INTEGER NOT NULL REFERENCES feed_entries(id),
    hits INTEGER NOT NULL,
    first TEXT,
    last TEXT,
    first_line INTEGER NOT NULL,
    last_line INTEGER NOT NULL,
    UNIQUE (input_ref, client_ip, feed_entry_ref, strength)
  );
  CREATE TABLE net_hits (
    group_ref INTEGER NOT NULL REFERENCES net_hit_groups(id),
    line INTEGER NOT NULL,
    time TEXT,
    kind TEXT NOT NULL,
    url TEXT,
    host TEXT,
    dst_ip TEXT,
    dst_port INTEGER,
    action TEXT,
    PRIMARY KEY (group_ref, line)
  );
  CREATE TABLE endpoint_findings (
    id INTEGER PRIMARY KEY,
    input_ref INTEGER NOT NULL REFERENCES inputs(id),
    line INTEGER NOT NULL,
    source TEXT NOT NULL,
    host TEXT,
    time TEXT,
    kind TEXT NOT NULL,
    weight TEXT NOT NULL,
    subject TEXT NOT NULL,
    rule TEXT NOT NULL,
    remote TEXT,
    user TEXT,
    UNIQUE (input_ref, line, kind, subject)
  );
  CREATE TABLE host_map (
    input_ref INTEGER NOT NULL REFERENCES inputs(id),
    line INTEGER NOT NULL,
    host TEXT,
    ip TEXT,
    user TEXT,
    PRIMARY KEY (input_ref, line)
  );
  CREATE TABLE host_verdicts (
    host_key TEXT PRIMARY KEY,
    verdict TEXT NOT NULL,
    json TEXT NOT NULL
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** A case file written by a newer blastradius: refused rather than guessed at. */
export class CaseTooNewError extends Error {
  constructor(
    readonly version: number,
    readonly known: number,
  ) {
    super(`the case file has schema version ${version}; this blastradius knows up to ${known}`);
  }
}

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new CaseTooNewError(current, SCHEMA_VERSION);
  }
  for (let v = current; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  if (missingLogIndexes(db).length > 0) ensureLogIndexes(db);
}

/**
 * The secondary indexes of log_messages: those the migrations above made (3, 6 and 7) and
 * the one on reinjected_from, which no migration makes: every open of a case builds the
 * ones it lacks (migrate, openCaseReadonly). A large log read on the scan's own thread is
 * written without them and indexed once at the end (log-store.ts, bulk loads: 2M Postfix
 * lines, 1.65 s of inserts and 0.55 s of indexing against 2.3 s with the indexes kept up to
 * date row by row); a run killed in between leaves them missing, and the next open puts
 * them back.
 */
export const LOG_MESSAGE_INDEXES: { name: string; sql: string }[] = [
  { name: 'log_messages_message_id', sql: 'CREATE INDEX IF NOT EXISTS log_messages_message_id ON log_messages(message_id)' },
  { name: 'log_messages_auth_user', sql: 'CREATE INDEX IF NOT EXISTS log_messages_auth_user ON log_messages(auth_user)' },
  { name: 'log_messages_sender', sql: 'CREATE INDEX IF NOT EXISTS log_messages_sender ON log_messages(envelope_from)' },
  { name: 'log_messages_message_ref', sql: 'CREATE INDEX IF NOT EXISTS log_messages_message_ref ON log_messages(message_ref)' },
  {
    name: 'log_messages_handed_to',
    sql: 'CREATE INDEX IF NOT EXISTS log_messages_handed_to ON log_messages(handed_to) WHERE handed_to IS NOT NULL',
  },
  // The copies a content filter re-injected, by the record they copy (case-reader.ts,
  // deliveriesThroughFilters): without it each lookup read the whole table, and `accounts`
  // took 14 s on the 400 MB bench case and 364 s on one four times its size.
  {
    name: 'log_messages_reinjected_from',
    sql: 'CREATE INDEX IF NOT EXISTS log_messages_reinjected_from ON log_messages(reinjected_from) WHERE reinjected_from IS NOT NULL',
  },
];

/** The names of the log_messages indexes the case lacks (a bulk load that did not finish). */
export function missingLogIndexes(db: Database.Database): string[] {
  const have = new Set(
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'log_messages'").all() as { name: string }[]).map((r) => r.name),
  );
  return LOG_MESSAGE_INDEXES.filter((i) => !have.has(i.name)).map((i) => i.name);
}

export function ensureLogIndexes(db: Database.Database): void {
  db.transaction(() => {
    for (const i of LOG_MESSAGE_INDEXES) db.exec(i.sql);
  })();
}
