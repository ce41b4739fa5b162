// Inbound malspam whose payload runs when opened is malicious whatever thread it claims
// (rule R7), and a mail without a Message-ID can be explained by its case reference or by
// its file. Fixtures: tests/fixtures/mail/malspam (recorded with Info-ZIP zip).
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastJson, ROOT, runCli, tempDir } from '../helpers.js';

const dir = join(ROOT, 'tests/fixtures/mail/malspam');

describe('inbound malspam', () => {
  const casePath = join(tempDir('malspam'), 'c.sqlite');
  const mails = ['html-smuggling.eml', 'jpg-exe-in-zip.eml', 'js-in-nested-zip.eml'].map((f) => join(dir, f));
  const r = runCli(['scan', ...mails, '--case', casePath, '--org-domain', 'sample-shoji.example', '--json']);
  const db = new Database(casePath, { readonly: true });
  const rows = db
    .prepare(
      `SELECT m.id, m.message_id AS messageId, m.subject, v.malicious, v.rules_json AS rules, v.reasons_json AS reasons FROM messages m
       JOIN message_verdicts v ON v.message_ref = m.id ORDER BY m.subject`,
    )
    .all() as { id: number; messageId: string | null; subject: string; malicious: number; rules: string; reasons: string }[];

  it('scans the three mails without errors', () => {
    expect(r.code, r.stderr).toBe(0);
    expect(lastJson<{ messages: number; attachmentVerdicts: Record<string, number> }>(r.stdout)).toMatchObject({ messages: 3, attachmentVerdicts: { suspicious: 3 } });
  });

  it('calls each malicious by R7, naming the payload and where it sits', () => {
    expect(rows.map((x) => [x.subject, x.malicious, JSON.parse(x.rules)])).toEqual([
      ['Photos from the site visit', 1, ['R7']],
      ['Shared document', 1, ['R7']],
      ['請求書のご送付', 1, ['R7']],
    ]);
    expect(rows.map((x) => JSON.parse(x.reasons) as string[])).toEqual([
      ['R7: photos.zip holds IMG_20261105.jpg.exe, a Windows executable (PE)'],
      ['R7: document.html is a HTML page whose script builds a file and hands it to the browser to save (HTML smuggling)'],
      ['R7: 請求書_1105.zip holds 請求書_1105.js, a JScript, run by Windows Script Host (.js)'],
    ]);
  });

  it('explains the mail without a Message-ID by its case reference and by its file', () => {
    const noId = rows.find((x) => x.messageId === null)!;
    const byRef = runCli(['explain', `#${noId.id}`, '--case', casePath]);
    expect(byRef.code, byRef.stderr).toBe(0);
    expect(byRef.stdout.split('\n')[0]).toBe(`message (no Message-ID), case reference #${noId.id}: MALICIOUS (hijack score 0)`);
    const byFile = runCli(['explain', 'malspam/js-in-nested-zip.eml', '--case', casePath, '--json']);
    expect(byFile.code, byFile.stderr).toBe(0);
    expect((JSON.parse(byFile.stdout) as { data: { messages: { id: number }[] } }).data.messages.map((m) => m.id)).toEqual([noId.id]);
  });
});

describe('inbound malspam with its payload wrapped by the mail program', () => {
  // Outlook's TNEF (winmail.dat) and a message attached to a message: the workbook inside is
  // an attachment row nested under winmail.dat or the attached message (nest_path '0',
  // '0/2'), not a top-level one, and is judged as one.
  const casePath = join(tempDir('malspam-wrapped'), 'c.sqlite');
  const tnef = join(ROOT, 'tests/fixtures/mail/tnef');
  const r = runCli(['scan', join(tnef, 'exchange-tnef-only.eml'), join(tnef, 'outlook-winmail.eml'), '--case', casePath, '--org-domain', 'sample-shoji.example', '--quiet']);

  it('calls a self-running macro workbook inside winmail.dat malicious by R7', () => {
    expect(r.code, r.stderr).toBe(0);
    const db = new Database(casePath, { readonly: true });
    const rows = db
      .prepare('SELECT m.subject, v.malicious, v.reasons_json AS reasons FROM messages m JOIN message_verdicts v ON v.message_ref = m.id ORDER BY m.subject')
      .all() as { subject: string; malicious: number; reasons: string }[];
    db.close();
    expect(rows.map((x) => [x.subject, x.malicious, JSON.parse(x.reasons)])).toEqual([
      ['Invoice 4471', 1, ['R7: Invoice 4471.xls, statement.xls runs macros by itself on opening, from outside the organisation']],
      ['請求書の送付', 1, ['R7: 請求書.xls runs macros by itself on opening, from outside the organisation']],
    ]);
  });
});

describe('a link listed on a feed given as a scan input', () => {
  // A URLhaus export scanned with the mail is an IOC list for the mail too (rule R5): the
  // "invoice" link of a fresh malspam mail is on it.
  const d = tempDir('malspam-feed');
  const eml = join(d, 'invoice-link.eml');
  writeFileSync(
    eml,
    [
      'From: "Accounts" <billing@invoice-portal.example>',
      'To: soumu@sample-shoji.example',
      'Subject: Invoice 0412',
      'Date: Sun, 01 Nov 2026 09:12:00 +0900',
      'Message-ID: <invoice-0412@invoice-portal.example>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=us-ascii',
      '',
      'Please find the invoice here:',
      'http://198.51.100.23:8080/wp-content/Invoice_0412.doc',
      '',
    ].join('\r\n'),
  );
  const casePath = join(d, 'c.sqlite');
  const feed = join(ROOT, 'tests/fixtures/feeds/urlhaus/csv.txt');
  const r = runCli(['scan', eml, feed, '--case', casePath, '--org-domain', 'sample-shoji.example', '--quiet']);

  it('calls the mail malicious by R5, naming the URL', () => {
    expect(r.code, r.stderr).toBe(0);
    const db = new Database(casePath, { readonly: true });
    const row = db.prepare('SELECT v.malicious, v.reasons_json AS reasons FROM message_verdicts v').get() as { malicious: number; reasons: string };
    db.close();
    expect([row.malicious, JSON.parse(row.reasons)]).toEqual([1, ['R5: on the IOC list: URL http://198.51.100.23:8080/wp-content/Invoice_0412.doc']]);
  });
});
