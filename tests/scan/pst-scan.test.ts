// Outlook PST stores given to scan: mail items become messages with their attachments
// analysed, other items (distribution lists, contacts, free/busy) are not messages, a
// password-protected store is read, a rerun adds nothing, a damaged store is an error record.
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastJson, ROOT, runCli, tempDir } from '../helpers.js';

const dir = join(ROOT, 'tests/fixtures/pst');

interface Summary {
  messages: number;
  attachments: number;
  inputs: { path: string; kind: string; messagesRead: number; newMessages: number; skipped: string | null }[];
  errorSamples: { source_path: string; locator: string; reason: string }[];
}

describe('PST input', () => {
  const work = tempDir('pst-scan');
  const casePath = join(work, 'c.sqlite');
  const files = ['firstlookmedia-dist-list.pst', 'firstlookmedia-sample1.pst', 'java-libpst-passworded.pst'].map((f) => join(dir, f));

  it('reads the one mail of sample1.pst, and no message from the other two', () => {
    const r = runCli(['scan', ...files, '--case', casePath, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = lastJson<Summary>(r.stdout);
    expect(s.inputs.map((i) => [i.path.split('/').pop(), i.kind, i.messagesRead])).toEqual([
      ['firstlookmedia-dist-list.pst', 'pst', 0],
      ['firstlookmedia-sample1.pst', 'pst', 1],
      ['java-libpst-passworded.pst', 'pst', 0],
    ]);
    const db = new Database(casePath, { readonly: true });
    expect(db.prepare('SELECT m.message_id AS id, m.subject, m.from_name AS name, m.from_address AS address, s.locator FROM messages m JOIN sightings s ON s.message_ref = m.id').all()).toEqual([
      {
        id: 'B2FDDB8BE384C94794441DB4A7F3D8B804AE624B@TK5EX14MBXC114.redmond.corp.microsoft.com',
        subject: 'Here is a sample message',
        name: 'Terry Mahaffey',
        address: 'terrymah@microsoft.com',
        locator: 'pst:Top of Outlook data file/Sample1#2097188',
      },
    ]);
    expect(db.prepare('SELECT a.filename, a.size, a.sha256, an.verdict FROM attachments a JOIN analyses an ON an.id = a.analysis_ref').all()).toEqual([
      { filename: 'leah_thumper.jpg', size: 93142, sha256: '6cbde5154184f68a2ccefbe1a2d5520efd473576dc60e13665f5706080548f8e', verdict: 'clean' },
    ]);
    db.close();
  });

  it('a rerun adds nothing; the message is explained by its store', () => {
    const again = lastJson<Summary>(runCli(['scan', ...files, '--case', casePath, '--json']).stdout);
    expect(again.inputs.map((i) => i.skipped)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(again.messages).toBe(1);
    const e = runCli(['explain', 'pst/firstlookmedia-sample1.pst', '--case', casePath]);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toContain(`seen in ${join(dir, 'firstlookmedia-sample1.pst')}`);
  });

  it('a store cut in half is read as far as it goes, its faults error records; the scan goes on', () => {
    const whole = readFileSync(join(dir, 'firstlookmedia-sample1.pst'));
    const cut = join(work, 'cut.pst');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    const eml = join(ROOT, 'tests/fixtures/mail/malspam/jpg-exe-in-zip.eml');
    const r = runCli(['scan', cut, eml, '--case', join(work, 'cut.sqlite'), '--json', '--no-analyze']);
    expect([0, 3], `signal ${r.signal}: ${r.stderr}`).toContain(r.code);
    expect(r.stderr).toBe('');
    const s = lastJson<Summary>(r.stdout);
    // The one mail's body lies past the cut: it is an error record under its own locator; the .eml after it is read.
    expect(s.inputs.map((i) => [i.kind, i.messagesRead])).toEqual([
      ['pst', 0],
      ['eml', 1],
    ]);
    expect(s.errorSamples.map((x) => [x.source_path, x.locator])).toEqual([[cut, 'pst:Top of Outlook data file/Sample1#2097188']]);
    expect(s.errorSamples[0]!.reason).toMatch(/^unreadable PST item in "Top of Outlook data file\/Sample1": block at offset \d+ \(\d+ bytes\) lies outside the file$/);
  });
});
