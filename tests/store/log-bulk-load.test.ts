// The fast path of log facts into a case: packed batches (fact-batch.ts) give the rows the
// object path gives, and a bulk load that never finished leaves no case without its indexes.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LogFactPacker } from '../../src/logs/fact-batch.js';
import { readLogFile } from '../../src/logs/read-log.js';
import type { LogEvent, LogMessage } from '../../src/logs/types.js';
import { CaseFile, openCaseReadonly } from '../../src/store/case-file.js';
import { LogStore } from '../../src/store/log-store.js';
import { LOG_MESSAGE_INDEXES, missingLogIndexes } from '../../src/store/schema.js';
import { ROOT, tempDir } from '../helpers.js';

const LOGS = [
  'tests/fixtures/logs/rig-postfix/maillog',
  'tests/fixtures/logs/rig-postfix-filter/maillog',
  'tests/fixtures/logs/fail2ban/postfix.log',
  'tests/fixtures/logs/rig-exim/mainlog',
  'tests/fixtures/logs/rig-sendmail/mail.log',
  'tests/fixtures/logs/fail2ban/exim.log',
];

function newInput(db: Database.Database, path: string): number {
  return Number(
    db.prepare("INSERT INTO inputs (path, kind, container, size, mtime_ms, first_scanned, last_scanned) VALUES (?, 'log', '', 0, 0, '', '')").run(path).lastInsertRowid,
  );
}

function rows(db: Database.Database): unknown[] {
  return ['log_messages', 'log_deliveries', 'log_events'].map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all());
}

describe('packed log facts', () => {
  it.each(LOGS)('store the rows the object path stores: %s', async (log) => {
    const messages: LogMessage[] = [];
    const events: LogEvent[] = [];
    await readLogFile(join(ROOT, log), { message: (m) => messages.push(m), event: (e) => events.push(e) }, { year: 2026 });
    expect(messages.length).toBeGreaterThan(0);

    const byObject = new CaseFile(':memory:');
    const a = new LogStore(byObject.db);
    const inputA = newInput(byObject.db, log);
    byObject.transaction(() => {
      for (const m of messages) a.message(inputA, m);
      for (const e of events) a.event(inputA, e);
    });

    // Small batches, so that values repeating across a batch's edge are written again.
    const packedCase = new CaseFile(':memory:');
    const b = new LogStore(packedCase.db);
    const inputB = newInput(packedCase.db, log);
    const packer = new LogFactPacker();
    let added = 0;
    const flush = () => packedCase.transaction(() => void (added += b.packed(inputB, packer.take())));
    for (const m of messages) {
      packer.add(m);
      if (packer.messages === 7) flush();
    }
    for (const e of events) packer.event(e);
    flush();
    expect(added).toBe(messages.length);
    expect(rows(packedCase.db)).toEqual(rows(byObject.db));

    // One batch of them all: delivery rows go in groups of many rows a statement (log-store.ts).
    const oneBatch = new CaseFile(':memory:');
    const c = new LogStore(oneBatch.db);
    const inputC = newInput(oneBatch.db, log);
    for (const m of messages) packer.add(m);
    for (const e of events) packer.event(e);
    expect(oneBatch.transaction(() => c.packed(inputC, packer.take()))).toBe(messages.length);
    expect(rows(oneBatch.db)).toEqual(rows(byObject.db));

    // Read again: nothing new, as with the object path.
    for (const m of messages) packer.add(m);
    expect(packedCase.transaction(() => b.packed(inputB, packer.take()))).toBe(0);
    expect(rows(packedCase.db)).toEqual(rows(byObject.db));
  });
});

describe('bulk load of a log', () => {
  it('drops the secondary indexes only into a case with fewer log records, and builds them at the end', () => {
    const c = new CaseFile(':memory:');
    const store = new LogStore(c.db);
    expect(store.beginBulkLoad(1000)).toBe(true);
    expect(missingLogIndexes(c.db)).toEqual(LOG_MESSAGE_INDEXES.map((i) => i.name));
    store.endBulkLoad();
    expect(missingLogIndexes(c.db)).toEqual([]);
    expect(store.beginBulkLoad(0)).toBe(false);
  });

  it('a run killed in the middle leaves a case whose next open, read-only or not, has the indexes again', () => {
    const path = join(tempDir('bulk'), 'case.sqlite');
    const c = new CaseFile(path);
    new LogStore(c.db).beginBulkLoad(1000);
    c.db.close(); // killed before endBulkLoad
    const ro = openCaseReadonly(path);
    expect(missingLogIndexes(ro)).toEqual([]);
    ro.close();
    const raw = new Database(path);
    raw.exec('DROP INDEX log_messages_sender');
    raw.close();
    const again = new CaseFile(path);
    expect(missingLogIndexes(again.db)).toEqual([]);
    again.db.close();
  });
});
