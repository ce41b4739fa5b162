// A ZIP of mail exports given to scan is read in place: its mbox, .eml and .msg members give
// the same messages as the files unpacked, each sighting naming its member; members that are
// not mail are error records; a rerun adds nothing.
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { lastJson, ROOT, runCli, tempDir } from '../helpers.js';

const journal = join(ROOT, 'samples/mail/journal.mbox');
const eml = join(ROOT, 'tests/fixtures/mail/malspam/jpg-exe-in-zip.eml');
const msg = join(ROOT, 'tests/fixtures/mail/spamscope-mail-parser/mail_outlook_1.msg');

interface Summary {
  messages: number;
  inputs: { kind: string; messagesRead: number; skipped: string | null }[];
  errorSamples: { locator: string; reason: string }[];
}

function ids(casePath: string): string[] {
  const db = new Database(casePath, { readonly: true });
  try {
    return (db.prepare('SELECT coalesce(message_id, subject) AS id FROM messages ORDER BY 1').all() as { id: string }[]).map((r) => r.id);
  } finally {
    db.close();
  }
}

describe('a ZIP of mail exports', () => {
  const dir = tempDir('zip-export');
  const zip = join(dir, 'export.zip');
  writeFileSync(
    zip,
    zipSync({
      'export/journal.mbox': [readFileSync(journal), { level: 6 }],
      'export/mail/photos.eml': [readFileSync(eml), { level: 0 }],
      'export/mail/hello.msg': [readFileSync(msg), { level: 9 }],
      'export/README.txt': [Buffer.from('how this export was made\n'), { level: 6 }],
    }),
  );
  const inZip = join(dir, 'zip.sqlite');
  const r = runCli(['scan', zip, '--case', inZip, '--json', '--no-analyze']);

  it('gives the messages of the files unpacked, and names the member that is not mail', () => {
    expect([0, 3], `signal ${r.signal}: ${r.stderr}`).toContain(r.code);
    const s = lastJson<Summary>(r.stdout);
    const plain = join(dir, 'plain.sqlite');
    runCli(['scan', journal, eml, msg, '--case', plain, '--json', '--no-analyze']);
    expect(s.inputs.map((i) => [i.kind, i.messagesRead])).toEqual([['zip', 49]]);
    expect(ids(inZip)).toEqual(ids(plain));
    expect(s.errorSamples.map((e) => [e.locator, e.reason])).toEqual([['zip:export/README.txt', 'not a mail file (no mbox separator, mail header or .msg container)']]);
  });

  it('each sighting names its member, with the offset in an mbox member', () => {
    const db = new Database(inZip, { readonly: true });
    const locators = (db.prepare('SELECT locator, byte_offset AS offset FROM sightings ORDER BY id').all() as { locator: string; offset: number | null }[]);
    db.close();
    expect(locators[0]).toEqual({ locator: 'zip:export/journal.mbox@0', offset: 0 });
    expect(locators.slice(-2)).toEqual([
      { locator: 'zip:export/mail/photos.eml', offset: null },
      { locator: 'zip:export/mail/hello.msg', offset: null },
    ]);
  });

  it('a rerun adds nothing', () => {
    const again = lastJson<Summary>(runCli(['scan', zip, '--case', inZip, '--json', '--no-analyze']).stdout);
    expect([again.inputs[0]!.skipped, again.messages]).toEqual(['unchanged', lastJson<Summary>(r.stdout).messages]);
  });
});
