// The case file: an embedded SQLite database holding every message, where it was seen,
// its attachments and every read error. WAL mode with synchronous=NORMAL: a killed
// process loses at most the open batch, never a committed one, and a rerun redoes that
// batch without double counting because sightings are unique per (input, locator).
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { domainOf } from '../mail/addresses.js';
import { messageJsonColumns, type StorableMessage } from './message-json.js';
import { CaseTooNewError, migrate, missingLogIndexes, SCHEMA_VERSION } from './schema.js';

export interface InputRow {
  id: number;
  path: string;
  kind: string;
  container: string;
  size: number;
  mtime_ms: number;
  resume_offset: number;
  completed: number;
  messages_read: number;
}

export interface StoreResult {
  newMessage: boolean;
  newSighting: boolean;
  messageRef: number;
}

export interface CaseCounts {
  messages: number;
  sightings: number;
  attachments: number;
  errors: number;
  inputs: number;
}

export class NotACaseFileError extends Error {}

const SQLITE_MAGIC = 'SQLite format 3\0';

/**
 * Refuse, untouched, a file that exists but is not a blastradius case file: another
 * program's SQLite database (it would get our tables) or no SQLite database at all.
 */
export function assertOurCaseFile(path: string): void {
  if (!existsSync(path) || statSync(path).size === 0) return;
  const fd = openSync(path, 'r');
  const head = Buffer.alloc(16);
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') !== SQLITE_MAGIC) throw new NotACaseFileError(`${path} exists and is not a blastradius case file (not an SQLite database); it was left untouched`);
  const probe = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const tables = new Set((probe.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
    if (tables.size > 0 && !(tables.has('meta') && tables.has('messages') && tables.has('inputs'))) {
      throw new NotACaseFileError(`${path} is an SQLite database of another program, not a blastradius case file; it was left untouched`);
    }
  } finally {
    probe.close();
  }
}

/** A case file opened for reading only (accounts, report, notice, explain), after the same check. */
export function openCaseReadonly(path: string): Database.Database {
  if (!existsSync(path)) throw new NotACaseFileError(`case file not found: ${path}`);
  assertOurCaseFile(path);
  const db = new Database(path, { readonly: true, fileMustExist: true });
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new CaseTooNewError(version, SCHEMA_VERSION);
  }
  if (version === SCHEMA_VERSION && missingLogIndexes(db).length === 0) return db;
  // A case written by an earlier blastradius gets the newer tables first (migrations only add);
  // one whose bulk load of a log was killed gets its indexes back.
  db.close();
  const rw = new Database(path, { fileMustExist: true });
  try {
    migrate(rw);
  } finally {
    rw.close();
  }
  return new Database(path, { readonly: true, fileMustExist: true });
}

export class CaseFile {
  readonly db: Database.Database;
  private readonly st: ReturnType<CaseFile['prepare']>;

  constructor(path: string) {
    if (path !== ':memory:') {
      mkdirSync(dirname(path), { recursive: true });
      assertOurCaseFile(path);
    }
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('wal_autocheckpoint = 16384');
    this.db.pragma('foreign_keys = ON');
    migrate(this.db);
    this.st = this.prepare();
  }

  private prepare() {
    const db = this.db;
    return {
      inputByPath: db.prepare<[string], InputRow>('SELECT * FROM inputs WHERE path = ?'),
      insertInput: db.prepare(
        `INSERT INTO inputs (path, kind, container, size, mtime_ms, first_scanned, last_scanned)
         VALUES (@path, @kind, @container, @size, @mtime_ms, @now, @now)`,
      ),
      resetInput: db.prepare(
        `UPDATE inputs SET kind=@kind, container=@container, size=@size, mtime_ms=@mtime_ms,
         resume_offset=0, completed=0, last_scanned=@now WHERE id=@id`,
      ),
      touchInput: db.prepare('UPDATE inputs SET last_scanned=? WHERE id=?'),
      progress: db.prepare('UPDATE inputs SET resume_offset=?, messages_read=? WHERE id=?'),
      complete: db.prepare('UPDATE inputs SET completed=1, resume_offset=?, messages_read=? WHERE id=?'),
      findMessage: db.prepare<[string, string], { id: number }>('SELECT id FROM messages WHERE message_id_key=? AND content_hash=?'),
      // Positional parameters: binding an object by name costs more than the insert itself here.
      insertMessage: db.prepare(
        `INSERT INTO messages (message_id, message_id_key, content_hash, in_reply_to, references_json, date_utc, date_raw, subject, from_name, from_address, sender_name, sender_address, reply_to_json, to_json, cc_json, bcc_json, received_json, first_external_ip, x_originating_ip, auth_results_json, text_body, html_body, urls_json, size, direction, defects_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (message_id_key, content_hash) DO NOTHING`,
      ),
      insertSighting: db.prepare(
        'INSERT OR IGNORE INTO sightings (message_ref, input_ref, locator, byte_offset, byte_length) VALUES (?, ?, ?, ?, ?)',
      ),
      insertAttachment: db.prepare(
        `INSERT OR IGNORE INTO attachments (message_ref, ordinal, nest_path, filename, declared_type, sniffed_type, size, md5, sha1, sha256)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertAddress: db.prepare('INSERT OR IGNORE INTO message_addresses (message_ref, role, name, address, domain) VALUES (?, ?, ?, ?, ?)'),
      insertError: db.prepare('INSERT OR IGNORE INTO errors (source_path, locator, byte_offset, reason) VALUES (?, ?, ?, ?)'),
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    };
  }

  /** Run fn in one transaction. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  getMeta(key: string): string | undefined {
    return this.st.getMeta.get(key)?.value;
  }

  setMeta(key: string, value: string): void {
    this.st.setMeta.run(key, value);
  }

  /**
   * Register an input file. An input seen before with the same size and mtime keeps its
   * progress (completed, or the offset to resume an mbox at); a changed one starts over,
   * which stays exact because sightings are unique.
   */
  openInput(f: { path: string; kind: string; container: string; size: number; mtimeMs: number }): InputRow {
    const now = new Date().toISOString();
    const existing = this.st.inputByPath.get(f.path);
    const params = { path: f.path, kind: f.kind, container: f.container, size: f.size, mtime_ms: f.mtimeMs, now };
    if (!existing) {
      this.st.insertInput.run(params);
    } else if (existing.size !== f.size || existing.mtime_ms !== f.mtimeMs || existing.kind !== f.kind) {
      this.st.resetInput.run({ ...params, id: existing.id });
    } else {
      this.st.touchInput.run(now, existing.id);
    }
    return this.st.inputByPath.get(f.path)!;
  }

  recordProgress(inputId: number, resumeOffset: number, messagesRead: number): void {
    this.st.progress.run(resumeOffset, messagesRead, inputId);
  }

  completeInput(inputId: number, resumeOffset: number, messagesRead: number): void {
    this.st.complete.run(resumeOffset, messagesRead, inputId);
  }

  /** Locators an input's messages and error records were stored under (a PST store resumed by item). */
  locatorsOf(inputId: number, sourcePath: string): string[] {
    const seen = this.db.prepare<[number], { locator: string }>('SELECT locator FROM sightings WHERE input_ref = ?').all(inputId);
    const failed = this.db.prepare<[string], { locator: string }>("SELECT locator FROM errors WHERE source_path = ? AND locator <> ''").all(sourcePath);
    return [...seen, ...failed].map((r) => r.locator);
  }

  recordError(sourcePath: string, locator: string, byteOffset: number | null, reason: string): void {
    this.st.insertError.run(sourcePath, locator, byteOffset, reason.slice(0, 2000));
  }

  storeMessage(
    inputId: number,
    locator: string,
    byteOffset: number | null,
    byteLength: number | null,
    m: StorableMessage,
    derived: { direction: string; firstExternalIp: string | null },
  ): StoreResult {
    const idKey = m.messageId ?? '';
    // Insert first, look up only when the message is in the case already: most messages of a
    // scan are new, and the insert's own uniqueness check is the lookup.
    const json = m.json ?? messageJsonColumns(m);
    const info = this.st.insertMessage.run(
      m.messageId, // message_id
      idKey, // message_id_key
      m.contentHash, // content_hash
      m.inReplyTo, // in_reply_to
      json.references, // references_json
      m.date, // date_utc
      m.dateRaw, // date_raw
      m.subject, // subject
      m.from?.name ?? null, // from_name
      m.from?.address ?? null, // from_address
      m.sender?.name ?? null, // sender_name
      m.sender?.address ?? null, // sender_address
      json.replyTo, // reply_to_json
      json.to, // to_json
      json.cc, // cc_json
      json.bcc, // bcc_json
      json.received, // received_json
      derived.firstExternalIp, // first_external_ip
      m.xOriginatingIp, // x_originating_ip
      json.authenticationResults, // auth_results_json
      m.text, // text_body
      m.html, // html_body
      json.urls, // urls_json
      m.size, // size
      derived.direction, // direction
      json.defects, // defects_json
    );
    if (info.changes === 0) {
      const ref = this.st.findMessage.get(idKey, m.contentHash)!.id;
      const s = this.st.insertSighting.run(ref, inputId, locator, byteOffset, byteLength);
      return { newMessage: false, newSighting: s.changes > 0, messageRef: ref };
    }
    const ref = Number(info.lastInsertRowid);
    for (const a of m.attachments) {
      this.st.insertAttachment.run(ref, a.ordinal, a.nestPath, a.filename, a.declaredType, a.sniffedType, a.size, a.md5, a.sha1, a.sha256);
    }
    const roles: [string, { name: string; address: string }[]][] = [
      ['from', m.from ? [m.from] : []],
      ['sender', m.sender ? [m.sender] : []],
      ['reply-to', m.replyTo],
      ['to', m.to],
      ['cc', m.cc],
      ['bcc', m.bcc],
    ];
    for (const [role, list] of roles) {
      for (const a of list) if (a.address) this.st.insertAddress.run(ref, role, a.name, a.address, domainOf(a.address));
    }
    const s = this.st.insertSighting.run(ref, inputId, locator, byteOffset, byteLength);
    return { newMessage: true, newSighting: s.changes > 0, messageRef: ref };
  }

  /** Recompute direction and first external IP of every message, for a changed org definition. */
  reclassify(classify: (fromAddress: string | null, recipients: string[], receivedJson: string) => { direction: string; firstExternalIp: string | null }): number {
    const rows = this.db
      .prepare<[], { id: number; from_address: string | null; received_json: string }>('SELECT id, from_address, received_json FROM messages')
      .all();
    const rcpt = this.db.prepare<[number], { address: string }>(
      "SELECT address FROM message_addresses WHERE message_ref = ? AND role IN ('to','cc','bcc')",
    );
    const upd = this.db.prepare('UPDATE messages SET direction = ?, first_external_ip = ? WHERE id = ?');
    this.transaction(() => {
      for (const r of rows) {
        const d = classify(r.from_address, rcpt.all(r.id).map((x) => x.address), r.received_json);
        upd.run(d.direction, d.firstExternalIp, r.id);
      }
    });
    return rows.length;
  }

  setPasswordCandidates(messageRef: number, candidates: string[]): void {
    this.db.prepare('UPDATE messages SET password_candidates_json = ? WHERE id = ?').run(JSON.stringify(candidates), messageRef);
  }

  counts(): CaseCounts {
    const one = (sql: string) => (this.db.prepare(sql).get() as { n: number }).n;
    return {
      messages: one('SELECT count(*) AS n FROM messages'),
      sightings: one('SELECT count(*) AS n FROM sightings'),
      attachments: one('SELECT count(*) AS n FROM attachments'),
      errors: one('SELECT count(*) AS n FROM errors'),
      inputs: one('SELECT count(*) AS n FROM inputs'),
    };
  }

  /** Read errors per source file. */
  errorsByPath(): Map<string, number> {
    return new Map((this.db.prepare('SELECT source_path AS p, count(*) AS n FROM errors GROUP BY source_path').all() as { p: string; n: number }[]).map((r) => [r.p, r.n]));
  }

  /** The first `limit` read errors of the given files, in the order they were recorded. */
  errorSamples(paths: Set<string>, limit: number): { source_path: string; locator: string; byte_offset: number | null; reason: string }[] {
    const out: { source_path: string; locator: string; byte_offset: number | null; reason: string }[] = [];
    for (const r of this.db.prepare('SELECT source_path, locator, byte_offset, reason FROM errors ORDER BY id').iterate() as Iterable<(typeof out)[number]>) {
      if (paths.has(r.source_path)) out.push(r);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Log records and status lines stored. */
  logCounts(): { messages: number; deliveries: number } {
    const one = (sql: string) => (this.db.prepare(sql).get() as { n: number }).n;
    return { messages: one('SELECT count(*) AS n FROM log_messages'), deliveries: one('SELECT count(*) AS n FROM log_deliveries') };
  }

  /** Attachments by the verdict of their analysis. */
  attachmentVerdicts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.db.prepare('SELECT an.verdict AS v, count(*) AS n FROM attachments a JOIN analyses an ON an.id = a.analysis_ref GROUP BY an.verdict ORDER BY an.verdict').all() as { v: string; n: number }[]) out[r.v] = r.n;
    return out;
  }

  /** Messages by direction. */
  directions(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.db.prepare('SELECT direction AS d, count(*) AS n FROM messages GROUP BY direction ORDER BY direction').all() as { d: string; n: number }[]) out[r.d] = r.n;
    return out;
  }

  close(): void {
    this.db.close();
  }
}
