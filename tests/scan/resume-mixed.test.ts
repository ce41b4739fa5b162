// kill -9 at ten random moments of a scan that reads a journal (with attachments to analyse),
// a Postfix log, a Microsoft 365 trace and a folder of .eml files together, with a rerun after
// each kill: every kill leaves a sound database, and the final case (messages, sightings,
// attachment analyses, log facts, errors, and the analysis's figures) equals an uninterrupted run's.
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCase } from '../../src/samples/case-generator.js';
import { ASSETS, ROOT, runCli, startCli, tempDir } from '../helpers.js';

const dir = tempDir('resume-mixed');
const inputs = join(dir, 'inputs');

function snapshot(casePath: string) {
  const db = new Database(casePath, { readonly: true });
  const all = (sql: string) => db.prepare(sql).all();
  try {
    const counts = db.prepare("SELECT value FROM meta WHERE key = 'counts'").get() as { value: string } | undefined;
    return {
      messages: all('SELECT message_id_key, content_hash, direction FROM messages ORDER BY 1, 2'),
      sightings: all('SELECT m.content_hash, i.path, s.locator FROM sightings s JOIN messages m ON m.id = s.message_ref JOIN inputs i ON i.id = s.input_ref ORDER BY 2, 3'),
      attachments: all('SELECT m.content_hash, a.ordinal, a.sha256, an.verdict FROM attachments a JOIN messages m ON m.id = a.message_ref LEFT JOIN analyses an ON an.id = a.analysis_ref ORDER BY 1, 2'),
      logMessages: all('SELECT i.path, lm.queue_id, lm.first_line, lm.message_id, lm.auth_user, lm.client_ip FROM log_messages lm JOIN inputs i ON i.id = lm.input_ref ORDER BY 1, 3, 2'),
      logDeliveries: all('SELECT i.path, lm.queue_id, d.line, d.recipient, d.status FROM log_deliveries d JOIN log_messages lm ON lm.id = d.log_message_ref JOIN inputs i ON i.id = lm.input_ref ORDER BY 1, 3, 4'),
      errors: all('SELECT source_path, locator, reason FROM errors ORDER BY 1, 2, 3'),
      figures: counts ? (JSON.parse(counts.value) as Record<string, unknown>) : null,
    };
  } finally {
    db.close();
  }
}

const args = (casePath: string, year: number) => ['scan', inputs, '--case', casePath, '--org-domain', 'sample-shoji.example', '--year', String(year), '--batch-size', '40', '--quiet'];

describe('kill -9 during a mixed scan', () => {
  let reference: ReturnType<typeof snapshot>;
  let year = 2026;
  let millis = 0;
  beforeAll(async () => {
    mkdirSync(inputs, { recursive: true });
    const g = await generateCase({ dir: inputs, journalBytes: 6_000_000, assetDir: ASSETS });
    year = g.year;
    cpSync(join(ROOT, 'samples/mail/sent'), join(inputs, 'sent'), { recursive: true });
    const ref = join(dir, 'reference.sqlite');
    const t0 = Date.now();
    const r = runCli(args(ref, year));
    millis = Date.now() - t0;
    expect(r.code, r.stderr).toBe(0);
    reference = snapshot(ref);
    expect(reference.messages.length).toBeGreaterThan(200);
    expect(reference.logMessages.length).toBeGreaterThan(200);
    expect(reference.attachments.filter((a) => (a as { verdict: string | null }).verdict !== null).length).toBeGreaterThan(20);
  });

  it('ends, after ten kills at random moments and a rerun after each, with the uninterrupted case', async () => {
    const casePath = join(dir, 'killed.sqlite');
    const delays: number[] = [];
    for (let k = 0; k < 10; k++) {
      // Anywhere from start-up to the end of the analysis of an uninterrupted run.
      const delay = 30 + Math.floor(Math.random() * millis);
      delays.push(delay);
      const child = startCli(args(casePath, year));
      const exited = new Promise<void>((res) => child.on('exit', () => res()));
      const timer = setTimeout(() => child.kill('SIGKILL'), delay);
      await exited;
      clearTimeout(timer);
      if (!existsSync(casePath)) continue; // killed before the case file was made
      const check = new Database(casePath, { readonly: true });
      try {
        expect(check.pragma('integrity_check', { simple: true }), `after kills at ${delays.join(', ')} ms`).toBe('ok');
      } finally {
        check.close();
      }
    }
    const last = runCli(args(casePath, year));
    expect(last.code, `${last.stderr} (kills at ${delays.join(', ')} ms)`).toBe(0);
    const got = snapshot(casePath);
    // Paths differ by nothing but the run: both scans read the same inputs folder.
    expect(got, `kills at ${delays.join(', ')} ms`).toEqual(reference);
  }, 300_000);
});
