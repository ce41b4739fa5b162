// Lookups the commands run once per record must find their rows through an index: a full
// scan there makes the command quadratic in the case's size (accounts took 364 s on the
// 1,600 MB bench case with one, 1.3 s without).
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DELIVERIES_WITH_COPIES } from '../../src/store/case-reader.js';
import { CaseFile, openCaseReadonly } from '../../src/store/case-file.js';
import { tempDir } from '../helpers.js';

const plan = (db: Database.Database, sql: string, params: unknown[]) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);

describe('per-record lookups', () => {
  it("a log record's deliveries with its re-injected copies: by index, no scan", () => {
    const cf = new CaseFile(':memory:');
    const steps = plan(cf.db, DELIVERIES_WITH_COPIES, [1, 1]);
    expect(steps.filter((s) => s.startsWith('SCAN'))).toEqual([]);
    expect(steps).toContain('SEARCH log_messages USING COVERING INDEX log_messages_reinjected_from (reinjected_from=?)');
    cf.close();
  });

  it('a case written before the index gets it when opened, even for reading', () => {
    const path = join(tempDir('query-plans'), 'old.sqlite');
    new CaseFile(path).close();
    const rw = new Database(path);
    rw.exec('DROP INDEX log_messages_reinjected_from');
    rw.close();
    const db = openCaseReadonly(path);
    expect(plan(db, DELIVERIES_WITH_COPIES, [1, 1]).filter((s) => s.startsWith('SCAN'))).toEqual([]);
    db.close();
  });
});
