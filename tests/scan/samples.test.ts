// The bundled samples: the generator reproduces the checked-in files byte for byte, and a
// scan finds exactly what the model (samples/expected.json) says is there.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeSamples } from '../../src/samples/write-samples.js';
import { lastJson, ROOT, runCli, tempDir } from '../helpers.js';

const SAMPLES = join(ROOT, 'samples');
const expected = JSON.parse(readFileSync(join(SAMPLES, 'expected.json'), 'utf8')) as {
  messages: number;
  sightings: number;
  attachments: number;
  errors: number;
  directions: Record<string, number>;
  list: { messageId: string; subject: string; from: { name: string; address: string }; direction: string; places: string[]; date: string; attachments: { filename: string; sha256: string }[] }[];
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe('sample generator', () => {
  it('reproduces the checked-in samples byte for byte', () => {
    const out = tempDir('samples');
    writeSamples(out);
    const fresh = files(out).map((p) => relative(out, p)).sort();
    const checkedIn = files(SAMPLES).map((p) => relative(SAMPLES, p)).sort();
    expect(fresh).toEqual(checkedIn);
    for (const f of fresh) expect(readFileSync(join(out, f)).equals(readFileSync(join(SAMPLES, f))), f).toBe(true);
  });
});

describe('scan of samples/mail', () => {
  let summary: Record<string, unknown>;
  let db: Database.Database;
  beforeAll(() => {
    const casePath = join(tempDir('case'), 'case.sqlite');
    const r = runCli(['scan', 'samples/mail', '--profile', 'samples/blastradius.json', '--case', casePath, '--json']);
    expect(r.code, r.stderr).toBe(0);
    summary = lastJson(r.stdout);
    db = new Database(casePath, { readonly: true });
  });

  it('counts what the model holds', () => {
    expect(summary).toMatchObject({
      messages: expected.messages,
      sightings: expected.sightings,
      attachments: expected.attachments,
      errors: expected.errors,
      directions: expected.directions,
    });
  });

  it('stores each message with its decoded subject, sender, date, direction and attachments', () => {
    const q = db.prepare<[string], { id: number; subject: string; from_name: string; from_address: string; direction: string; date_utc: string }>(
      'SELECT id, subject, from_name, from_address, direction, date_utc FROM messages WHERE message_id = ?',
    );
    const atts = db.prepare<[number], { filename: string; sha256: string }>('SELECT filename, sha256 FROM attachments WHERE message_ref = ? ORDER BY ordinal');
    const sightings = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM sightings WHERE message_ref = ?');
    for (const e of expected.list) {
      const row = q.get(e.messageId);
      expect(row, e.messageId).toBeDefined();
      expect(row).toMatchObject({ subject: e.subject, from_name: e.from.name, from_address: e.from.address, direction: e.direction, date_utc: e.date });
      expect(atts.all(row!.id)).toEqual(e.attachments.map((a) => ({ filename: a.filename, sha256: a.sha256 })));
      expect(sightings.get(row!.id)!.n).toBe(e.places.length);
    }
  });

  it('records the attacker address as the first external hop of the hijacked sends', () => {
    const rows = db.prepare("SELECT DISTINCT first_external_ip AS ip FROM messages WHERE message_id LIKE '%@sample-shoji.example' AND first_external_ip IS NOT NULL").all();
    expect(rows).toEqual([{ ip: '198.51.100.77' }]);
  });
});
