// The worker pool changes where the work runs, never what the case file holds: the samples
// and a generated journal scanned on the main thread and on two workers give the same rows;
// and every attachment is analysed once per SHA-256 however the messages are spread.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateJournal } from '../../src/samples/journal-generator.js';
import { ASSETS, lastJson, runCli, tempDir } from '../helpers.js';

const dir = tempDir('threads');
const journal = join(dir, 'journal.mbox');

function dump(casePath: string) {
  const db = new Database(casePath, { readonly: true });
  try {
    const all = (sql: string) => db.prepare(sql).all();
    return {
      messages: all('SELECT message_id, content_hash, subject, from_address, direction, text_body, urls_json, defects_json FROM messages ORDER BY message_id_key, content_hash'),
      sightings: all('SELECT m.content_hash, s.locator, s.byte_offset FROM sightings s JOIN messages m ON m.id = s.message_ref ORDER BY 1, 2, 3'),
      attachments: all(
        'SELECT m.content_hash, a.ordinal, a.filename, a.sha256, an.verdict, an.container FROM attachments a JOIN messages m ON m.id = a.message_ref LEFT JOIN analyses an ON an.id = a.analysis_ref ORDER BY 1, 2',
      ),
      analyses: all('SELECT sha256, verdict, vba, xlm, autoexec_json FROM analyses WHERE parent_ref IS NULL ORDER BY sha256'),
      modules: all('SELECT an.sha256, v.name, v.source FROM vba_modules v JOIN analyses an ON an.id = v.analysis_ref ORDER BY 1, 2'),
      errors: all('SELECT locator, reason FROM errors ORDER BY 1, 2'),
    };
  } finally {
    db.close();
  }
}

function scan(inputs: string[], casePath: string, threads: number) {
  const r = runCli(['scan', ...inputs, '--case', casePath, '--org-domain', 'sample-shoji.example', '--threads', String(threads), '--json', '--no-analyze']);
  expect(r.code).toBe(0);
  return lastJson<{ messages: number; attachments: number; analysesRun: number }>(r.stdout);
}

beforeAll(async () => {
  await generateJournal({ path: journal, maxMessages: 600, seed: 3, assetDir: ASSETS });
});

describe('scan on worker threads', () => {
  it('the samples give the same case on the main thread and on two workers', () => {
    const inputs = [join(ROOT_SAMPLES, 'mail')];
    scan(inputs, join(dir, 's0.sqlite'), 0);
    scan(inputs, join(dir, 's2.sqlite'), 2);
    const a = dump(join(dir, 's0.sqlite'));
    const b = dump(join(dir, 's2.sqlite'));
    expect(a.messages.length).toBe((JSON.parse(readFileSync(join(ROOT_SAMPLES, 'expected.json'), 'utf8')) as { messages: number }).messages);
    expect(b).toEqual(a);
  });

  it('a journal gives the same case on one, two and three workers, each attachment analysed once', () => {
    const runs = [0, 2, 3].map((t) => ({ t, s: scan([journal], join(dir, `j${t}.sqlite`), t) }));
    const db = new Database(join(dir, 'j0.sqlite'), { readonly: true });
    const distinct = (db.prepare('SELECT count(DISTINCT sha256) AS n FROM attachments').get() as { n: number }).n;
    db.close();
    expect(runs[0]!.s.messages).toBe(600);
    for (const r of runs) expect(r.s.analysesRun).toBe(distinct);
    const first = dump(join(dir, 'j0.sqlite'));
    for (const r of runs.slice(1)) expect(dump(join(dir, `j${r.t}.sqlite`))).toEqual(first);
  });
});

const ROOT_SAMPLES = new URL('../../samples/', import.meta.url).pathname;
