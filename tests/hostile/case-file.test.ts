// Data safety: a file that is not a blastradius case file is refused and left untouched;
// a killed scan leaves a case file that passes SQLite's integrity check.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers.js';

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('case files that are not ours', () => {
  it('refuses a text file and another program\'s SQLite database, leaving both untouched', () => {
    const dir = tempDir('notours');
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'important notes\n');
    const other = join(dir, 'other.sqlite');
    const db = new Database(other);
    db.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('x')");
    db.close();
    const before = [sha(text), sha(other)];
    for (const [path, what] of [[text, 'not an SQLite database'], [other, 'an SQLite database of another program']] as const) {
      for (const args of [['scan', 'samples/mail/ja', '--case', path], ['analyze', '--case', path], ['accounts', '--case', path], ['report', '--case', path, '--out', join(dir, 'out')]]) {
        const r = runCli(args);
        expect(r.code, args.join(' ')).toBe(65);
        expect(r.stderr).toContain(what);
      }
    }
    expect([sha(text), sha(other)]).toEqual(before);
  });
});

describe('older case files', () => {
  it('are migrated to the current schema, keeping what they hold', async () => {
    const { MIGRATIONS, SCHEMA_VERSION } = await import('../../src/store/schema.js');
    const dir = tempDir('oldcase');
    const path = join(dir, 'old.sqlite');
    const db = new Database(path);
    db.exec(MIGRATIONS[0]!);
    db.pragma('user_version = 1');
    db.prepare("INSERT INTO meta (key, value) VALUES ('org_domains', '[\"sample-shoji.example\"]')").run();
    db.close();
    const r = runCli(['scan', 'samples/mail/ja', '--case', path, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const after = new Database(path, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(after.prepare("SELECT value FROM meta WHERE key = 'org_domains'").get()).toEqual({ value: '["sample-shoji.example"]' });
    expect((after.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n).toBe(3);
    after.close();
  });
});
