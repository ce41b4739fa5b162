// A rerun adds nothing, and a run killed with SIGKILL at any point, then run again, ends
// with exactly the rows of an uninterrupted run.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateJournal } from '../../src/samples/journal-generator.js';
import { ASSETS, lastJson, runCli, startCli, tempDir } from '../helpers.js';

const dir = tempDir('resume');
const mbox = join(dir, 'journal.mbox');

function snapshot(casePath: string) {
  const db = new Database(casePath, { readonly: true });
  try {
    return {
      messages: db.prepare('SELECT message_id_key, content_hash FROM messages ORDER BY 1, 2').all(),
      sightings: db.prepare('SELECT m.content_hash, s.locator, s.byte_offset, s.byte_length FROM sightings s JOIN messages m ON m.id = s.message_ref ORDER BY s.byte_offset').all(),
      attachments: (db.prepare('SELECT count(*) AS n FROM attachments').get() as { n: number }).n,
      errors: (db.prepare('SELECT count(*) AS n FROM errors').get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

function committedOffset(casePath: string): number {
  try {
    const db = new Database(casePath, { readonly: true, fileMustExist: true });
    try {
      const r = db.prepare('SELECT resume_offset FROM inputs').get() as { resume_offset: number } | undefined;
      return r?.resume_offset ?? 0;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

/** Start a scan and SIGKILL it once its committed offset has passed `minOffset`. */
async function scanAndKill(casePath: string, minOffset: number): Promise<number> {
  const child = startCli(['scan', mbox, '--case', casePath, '--batch-size', '25', '--quiet']);
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  for (;;) {
    const off = committedOffset(casePath);
    if (off > minOffset) {
      child.kill('SIGKILL');
      await exited;
      return off;
    }
    const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 20))]);
    if (done) throw new Error('the scan finished before it could be killed; make the test mbox larger');
  }
}

describe('idempotent rerun and kill -9 resume', () => {
  let reference: ReturnType<typeof snapshot>;
  let size: number;
  beforeAll(async () => {
    const g = await generateJournal({ path: mbox, maxMessages: 3000, seed: 11, assetDir: ASSETS });
    size = g.bytes;
    const ref = join(dir, 'reference.sqlite');
    const r = runCli(['scan', mbox, '--case', ref, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({ messages: 3000, sightings: 3000 });
    reference = snapshot(ref);
  });

  it('adds nothing when run again over the same input', () => {
    const casePath = join(dir, 'rerun.sqlite');
    expect(runCli(['scan', mbox, '--case', casePath, '--quiet']).code).toBe(0);
    const second = runCli(['scan', mbox, '--case', casePath, '--json']);
    expect(lastJson(second.stdout)).toMatchObject({ messages: 3000, sightings: 3000, added: { messages: 0, sightings: 0, errors: 0 } });
    expect(snapshot(casePath)).toEqual(reference);
  });

  it('ends with the uninterrupted counts after being killed twice', async () => {
    const casePath = join(dir, 'killed.sqlite');
    const first = await scanAndKill(casePath, 0);
    const second = await scanAndKill(casePath, first + Math.floor(size / 4));
    expect(second).toBeGreaterThan(first);
    expect(second).toBeLessThan(size);
    // What the kills left is a sound SQLite database.
    const check = new Database(casePath, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
    const last = runCli(['scan', mbox, '--case', casePath, '--json']);
    expect(last.code, last.stderr).toBe(0);
    const s = lastJson<{ inputs: { resumedAt: number | null }[] }>(last.stdout);
    expect(s.inputs[0]!.resumedAt).toBeGreaterThanOrEqual(second);
    expect(snapshot(casePath)).toEqual(reference);
  });

  it('ends with the uninterrupted counts after kills at random moments, during start-up, writes and the analysis', async () => {
    const casePath = join(dir, 'random-kills.sqlite');
    const delays: number[] = [];
    for (let k = 0; k < 5; k++) {
      const delay = 50 + Math.floor(Math.random() * 900);
      delays.push(delay);
      const child = startCli(['scan', mbox, '--case', casePath, '--batch-size', '40', '--quiet']);
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
    const last = runCli(['scan', mbox, '--case', casePath, '--json']);
    expect(last.code, `${last.stderr} (kills at ${delays.join(', ')} ms)`).toBe(0);
    expect(snapshot(casePath), `kills at ${delays.join(', ')} ms`).toEqual(reference);
  });
});
