// Attachment analysis inside scan: the same bytes analysed once; an encrypted archive first
// seen without its password is analysed again when a mail brings the password, and every
// attachment with those bytes then points at the opened result.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { buildMessage } from '../../src/samples/mime-build.js';
import { writeZip } from '../../src/office/zip-writer.js';
import { ROOT, runCli, tempDir } from '../helpers.js';

const xls = readFileSync(join(ROOT, 'src/samples/assets/macro-auto-open.xls'));
const zip = writeZip([{ name: 'invoice.xls', data: xls }], { password: 'Qz81k', mtimeMs: Date.UTC(2026, 10, 5), headerBytes: (n) => Buffer.alloc(n, 7) });

function mail(id: string, text: string): Buffer {
  return buildMessage({
    headers: [
      ['From', 'a@org.example'],
      ['To', 'b@partner.example'],
      ['Subject', 'Re: invoice'],
      ['Message-ID', `<${id}>`],
      ['Date', 'Thu, 05 Nov 2026 10:00:00 +0900'],
    ],
    text,
    charset: 'utf-8',
    attachments: [{ filename: 'invoice.zip', contentType: 'application/zip', content: zip }],
    boundarySeed: id,
  });
}

describe('attachment analysis in scan', () => {
  it('re-analyses an unopened encrypted archive when a later mail gives its password, and relinks every copy', () => {
    const dir = tempDir('relink');
    writeFileSync(join(dir, 'a-first.eml'), mail('first@org.example', 'Please see attached.'));
    writeFileSync(join(dir, 'b-second.eml'), mail('second@org.example', 'パスワード：Qz81k'));
    const casePath = join(tempDir('relink-case'), 'c.sqlite');
    expect(runCli(['scan', dir, '--case', casePath, '--quiet']).code).toBe(0);
    const db = new Database(casePath, { readonly: true });
    const rows = db
      .prepare('SELECT m.message_id AS id, an.verdict, an.archive_json AS archive FROM attachments a JOIN messages m ON m.id = a.message_ref JOIN analyses an ON an.id = a.analysis_ref ORDER BY m.message_id')
      .all();
    expect(rows).toEqual([
      { id: 'first@org.example', verdict: 'suspicious', archive: JSON.stringify({ encrypted: true, passwordFound: true, opened: true, password: 'Qz81k' }) },
      { id: 'second@org.example', verdict: 'suspicious', archive: JSON.stringify({ encrypted: true, passwordFound: true, opened: true, password: 'Qz81k' }) },
    ]);
    expect(db.prepare('SELECT count(*) AS n FROM analyses WHERE parent_ref IS NULL').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT name, verdict FROM analyses WHERE parent_ref IS NOT NULL').all()).toEqual([{ name: 'invoice.xls', verdict: 'suspicious' }]);
    db.close();
  });

  it('leaves an archive encrypted when no mail gives its password', () => {
    const dir = tempDir('locked');
    writeFileSync(join(dir, 'only.eml'), mail('only@org.example', 'ご確認ください。'));
    const casePath = join(dir, 'c.sqlite');
    runCli(['scan', dir, '--case', casePath, '--quiet']);
    const db = new Database(casePath, { readonly: true });
    expect(db.prepare('SELECT verdict, archive_json AS archive FROM analyses WHERE parent_ref IS NULL').get()).toEqual({
      verdict: 'encrypted',
      archive: JSON.stringify({ encrypted: true, passwordFound: false, opened: false }),
    });
    db.close();
  });
});
