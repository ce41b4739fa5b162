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
  attachmentVerdicts: Record<string, number>;
  errors: number;
  directions: Record<string, number>;
  analysis: {
    maliciousMessages: number;
    accounts: { account: string; verdict: string; maliciousSent: number }[];
    sends: { messageId: string; account: string; attacker: boolean; logOnly: boolean }[];
    counts: Record<string, unknown>;
  };
  list: { messageId: string; malicious: boolean; subject: string; from: { name: string; address: string }; direction: string; places: string[]; date: string; attachments: { filename: string; sha256: string; verdict: string }[] }[];
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
      attachmentVerdicts: expected.attachmentVerdicts,
    });
  });

  it('stores each message with its decoded subject, sender, date, direction and attachments', () => {
    const q = db.prepare<[string], { id: number; subject: string; from_name: string; from_address: string; direction: string; date_utc: string }>(
      'SELECT id, subject, from_name, from_address, direction, date_utc FROM messages WHERE message_id = ?',
    );
    const atts = db.prepare<[number], { filename: string; sha256: string; verdict: string }>(
      'SELECT a.filename, a.sha256, an.verdict FROM attachments a JOIN analyses an ON an.id = a.analysis_ref WHERE a.message_ref = ? ORDER BY a.ordinal',
    );
    const sightings = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM sightings WHERE message_ref = ?');
    for (const e of expected.list) {
      const row = q.get(e.messageId);
      expect(row, e.messageId).toBeDefined();
      expect(row).toMatchObject({ subject: e.subject, from_name: e.from.name, from_address: e.from.address, direction: e.direction, date_utc: e.date });
      expect(atts.all(row!.id)).toEqual(e.attachments.map((a) => ({ filename: a.filename, sha256: a.sha256, verdict: a.verdict })));
      expect(sightings.get(row!.id)!.n).toBe(e.places.length);
    }
  });

  it('opens every password-protected ZIP with the password from its own mail body', () => {
    const rows = db
      .prepare(
        `SELECT m.password_candidates_json AS pw, an.archive_json AS archive, (SELECT verdict FROM analyses c WHERE c.parent_ref = an.id) AS inner
         FROM attachments a JOIN analyses an ON an.id = a.analysis_ref JOIN messages m ON m.id = a.message_ref WHERE an.container = 'zip' AND a.nest_path = ''`,
      )
      .all() as { pw: string; archive: string; inner: string }[];
    expect(rows).toHaveLength(5);
    for (const r of rows) {
      const [pw] = JSON.parse(r.pw) as string[];
      expect(JSON.parse(r.archive)).toEqual({ encrypted: true, passwordFound: true, opened: true, password: pw });
      expect(r.inner).toBe('suspicious');
    }
  });

  it('analyses identical attachments once', () => {
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    expect(n('SELECT count(DISTINCT sha256) AS n FROM attachments')).toBe(n('SELECT count(*) AS n FROM analyses WHERE parent_ref IS NULL'));
  });

  it('gives every message the verdict of the ground truth', () => {
    const q = db.prepare<[string], { malicious: number }>('SELECT v.malicious FROM messages m JOIN message_verdicts v ON v.message_ref = m.id WHERE m.message_id = ?');
    const wrong = expected.list.filter((e) => (q.get(e.messageId)?.malicious === 1) !== e.malicious).map((e) => e.messageId);
    expect(wrong).toEqual([]);
    expect((db.prepare('SELECT count(*) AS n FROM message_verdicts WHERE malicious = 1').get() as { n: number }).n).toBe(expected.analysis.maliciousMessages);
  });

  it('gives every account the verdict of the ground truth', () => {
    const rows = db.prepare('SELECT account, verdict, malicious_sent AS maliciousSent FROM account_verdicts ORDER BY account').all();
    expect(rows).toEqual(expected.analysis.accounts);
  });

  it('counts what the ground truth counts, from the logs', () => {
    const counts = JSON.parse((db.prepare("SELECT value FROM meta WHERE key = 'counts'").get() as { value: string }).value) as Record<string, unknown> & { definitions: Record<string, string> };
    // Every published figure has its definition.
    for (const k of Object.keys(expected.analysis.counts)) if (k !== 'recipientDeliveries') expect(counts.definitions[k], k).toBeTypeOf('string');
    const picked = Object.fromEntries(Object.keys(expected.analysis.counts).map((k) => [k, counts[k]]));
    const { source, ...period } = counts.period as { source: string; first: string; last: string };
    expect({ ...picked, period }).toEqual(expected.analysis.counts);
    expect(source).toBe('server');
    expect(counts).toMatchObject({ unconfirmed: [], toReview: { sends: 0, sessions: 0 }, suspected: { sends: 0, sessions: 0 } });
    expect(summary.analysis).toMatchObject({ counts: { maliciousOutboundMessages: expected.analysis.counts.maliciousOutboundMessages } });
  });

  it('finds every send of an org account, and exactly the attacker\'s, log-only mail included', () => {
    const rows = db
      .prepare("SELECT message_id AS messageId, account, tier = 'attacker' AS attacker, message_ref IS NULL AS logOnly FROM sends ORDER BY message_id")
      .all() as { messageId: string; account: string; attacker: number; logOnly: number }[];
    expect(rows.map((r) => ({ ...r, attacker: r.attacker === 1, logOnly: r.logOnly === 1 }))).toEqual(expected.analysis.sends);
  });

  it('records the attacker address as the first external hop of the attacker sends with a copy, and of no other send', () => {
    const q = db.prepare<[string], { ip: string | null }>('SELECT first_external_ip AS ip FROM messages WHERE message_id = ?');
    const hops = (attacker: boolean) => [...new Set(expected.analysis.sends.filter((s) => s.attacker === attacker && !s.logOnly).map((s) => q.get(s.messageId)!.ip))].sort();
    expect(hops(true)).toEqual(['198.51.100.77']);
    // Legit sends: office LAN (none), the shared office NAT, a home address; Outlook on Microsoft 365 (none).
    expect(hops(false)).toEqual(['192.0.2.50', '203.0.113.200', null]);
  });
});
