// Mail exports handed over gzip-compressed are read as they are: an mbox.gz gives the same
// messages and byte offsets (in its decompressed bytes) as the mbox, an .eml.gz the message,
// and a cut .gz the messages before the cut.
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { lastJson, ROOT, runCli, tempDir } from '../helpers.js';

const journal = join(ROOT, 'samples/mail/journal.mbox');

function sightings(casePath: string): [string, number | null][] {
  const db = new Database(casePath, { readonly: true });
  try {
    return (db.prepare('SELECT m.message_id AS id, s.byte_offset AS offset FROM sightings s JOIN messages m ON m.id = s.message_ref ORDER BY s.byte_offset').all() as { id: string; offset: number | null }[]).map((r) => [r.id, r.offset]);
  } finally {
    db.close();
  }
}

describe('gzip-compressed mail', () => {
  const dir = tempDir('gzip-input');

  it('an mbox.gz gives the messages and offsets of the mbox', () => {
    const gz = join(dir, 'journal.mbox.gz');
    writeFileSync(gz, gzipSync(readFileSync(journal)));
    const plain = join(dir, 'plain.sqlite');
    const packed = join(dir, 'packed.sqlite');
    const rp = runCli(['scan', journal, '--case', plain, '--no-analyze', '--json']);
    expect(rp.code).toBe(0);
    const r = runCli(['scan', gz, '--case', packed, '--no-analyze', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = lastJson<{ messages: number; inputs: { kind: string }[] }>(r.stdout);
    expect(s.inputs.map((i) => i.kind)).toEqual(['mbox']);
    expect(sightings(packed)).toEqual(sightings(plain));
    expect(s.messages).toBe(lastJson<{ messages: number }>(rp.stdout).messages);
    expect(s.messages).toBe(47);
  });

  it('an .eml.gz is its message; a cut mbox.gz keeps the messages before the cut', () => {
    const eml = join(ROOT, 'tests/fixtures/mail/malspam/jpg-exe-in-zip.eml');
    const emlGz = join(dir, 'photos.eml.gz');
    writeFileSync(emlGz, gzipSync(readFileSync(eml)));
    const c1 = join(dir, 'eml.sqlite');
    const r = runCli(['scan', emlGz, '--case', c1, '--no-analyze', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(sightings(c1)).toEqual([['photos-20261105@sato-trading.example.net', null]]);

    const whole = gzipSync(readFileSync(journal));
    const cut = join(dir, 'cut.mbox.gz');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    const c2 = join(dir, 'cut.sqlite');
    const rc = runCli(['scan', cut, '--case', c2, '--no-analyze', '--json']);
    const plainOffsets = sightings(join(dir, 'plain.sqlite'));
    const got = sightings(c2);
    // Every message read from the cut file is the plain file's message at the same offset, and they come first.
    expect(got.length).toBeGreaterThan(10);
    expect(got).toEqual(plainOffsets.slice(0, got.length));
    expect([0, 3]).toContain(rc.code);
  });

  it('a .gz that is not mail is not taken for mail', () => {
    const p = join(dir, 'notes.txt.gz');
    writeFileSync(p, gzipSync(Buffer.from('just some notes\n')));
    const r = runCli(['scan', p, '--case', join(dir, 'notes.sqlite'), '--no-analyze', '--json']);
    expect(lastJson<{ inputs: { kind: string }[] }>(r.stdout).inputs.map((i) => i.kind)).toEqual(['not-mail']);
  });
});
