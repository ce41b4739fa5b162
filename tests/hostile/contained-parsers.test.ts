// Files that used to take the whole process down (V8 aborted, out of memory) or print
// attacker text to the terminal, built from the repo's fixtures: a MiniFAT entry of a .msg
// pointing at itself, the same .msg attached to a mail, a .doc data chain that returns to an
// earlier sector, a .msg stream claiming 0x7FFFFFF0 bytes, and malformed OOXML XML. Each must
// end as an error record with a documented exit code, nothing on stderr but our one-line
// messages, and the process under 400 MB.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { writeZip } from '../../src/office/zip-writer.js';
import { buildMessage } from '../../src/samples/mime-build.js';
import { lastJson, ROOT, runCliMeasured, tempDir } from '../helpers.js';
import { mapCfb } from './cfb-surgery.js';

const MAX_RSS_MB = 400;
const msg = readFileSync(join(ROOT, 'tests/fixtures/mail/spamscope-mail-parser/mail_outlook_1.msg'));
const doc = readFileSync(join(ROOT, 'tests/fixtures/office/msoffcrypto-tool/plain.doc'));

function miniFatSelfLoop(): Buffer {
  const b = Buffer.from(msg);
  const m = mapCfb(b);
  const e = m.entries.find((x) => x.type === 2 && x.size > 64 && x.size < 4096)!;
  b.writeUInt32LE(e.start, m.miniFatEntry(e.start));
  return b;
}

function hugeProperty(): Buffer {
  const b = Buffer.from(msg);
  const m = mapCfb(b);
  const e = m.entries.find((x) => x.type === 2 && x.name.startsWith('__substg1.0_1000'))!; // the body text property
  b.writeUInt32LE(0x7ffffff0, e.offset + 120);
  return b;
}

function fatChainBack(): Buffer {
  const b = Buffer.from(doc);
  const m = mapCfb(b);
  const e = m.entries.find((x) => x.type === 2 && x.size >= 4096)!;
  const chain = [e.start];
  while (chain.length < 4) chain.push(m.fat(chain[chain.length - 1]!));
  b.writeUInt32LE(chain[1]!, m.fatEntry(chain[3]!)); // the fourth sector leads back to the second
  return b;
}

/** stderr of a measured run without the measuring wrapper's own line. */
const ourStderr = (s: string) => s.replace(/\n?peak_rss_kb=\d+\n?/, '').trim();

describe('parsers that used to take the process down', () => {
  it.each([
    ['a .msg whose MiniFAT entry points at itself', 'loop.msg', miniFatSelfLoop, /^unparseable Outlook \.msg: not a readable \.msg: stream entry \d+ \(mini\): chain loops back to sector \d+ after 1 sectors$/],
    ['a .msg stream that claims 0x7FFFFFF0 bytes', 'huge.msg', hugeProperty, /^unparseable Outlook \.msg: not a readable \.msg: stream entry \d+ states 2147483632 bytes in a file of 165376$/],
  ])('%s is an error record, exit 3, in bounded memory, with both thread settings', (_name, file, make, reason) => {
    for (const threads of ['0', '2']) {
      const dir = tempDir('contained');
      writeFileSync(join(dir, file), make());
      const casePath = join(tempDir('contained-case'), 'c.sqlite');
      const r = runCliMeasured(['scan', dir, '--case', casePath, '--json', '--no-analyze', '--threads', threads]);
      expect(r.code, r.stderr).toBe(3);
      expect(ourStderr(r.stderr)).toBe('');
      expect(r.peakRssMB).toBeLessThan(MAX_RSS_MB);
      const s = lastJson<{ errorSamples: { reason: string }[] }>(r.stdout);
      expect(s.errorSamples.map((e) => e.reason)).toEqual([expect.stringMatching(reason)]);
      const db = new Database(casePath, { readonly: true });
      expect((db.prepare('SELECT count(*) AS n FROM errors').get() as { n: number }).n).toBe(1);
      db.close();
    }
  });

  it('the same .msg attached to an ordinary mail: the mail is kept, the attachment is an error verdict', () => {
    const dir = tempDir('contained-attached');
    const mail = buildMessage({
      headers: [
        ['From', 'a@partner.example'],
        ['To', 'b@org.example'],
        ['Subject', '転送: 議事録'],
        ['Message-ID', '<attached-msg@partner.example>'],
        ['Date', 'Thu, 05 Nov 2026 10:00:00 +0900'],
      ],
      text: '議事録を転送します。',
      charset: 'utf-8',
      attachments: [{ filename: '議事録.msg', contentType: 'application/vnd.ms-outlook', content: miniFatSelfLoop() }],
      boundarySeed: 'attachedmsg',
    });
    writeFileSync(join(dir, 'fwd.eml'), mail);
    const casePath = join(tempDir('contained-attached-case'), 'c.sqlite');
    for (const threads of ['0', '2']) {
      const r = runCliMeasured(['scan', dir, '--case', casePath, '--json', '--no-analyze', '--threads', threads]);
      expect(r.code, r.stderr).toBe(0);
      expect(ourStderr(r.stderr)).toBe('');
      expect(r.peakRssMB).toBeLessThan(MAX_RSS_MB);
    }
    const db = new Database(casePath, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 1 });
    const a = db.prepare('SELECT an.verdict, an.errors_json AS errors FROM attachments a JOIN analyses an ON an.id = a.analysis_ref').get() as { verdict: string; errors: string };
    expect(a.verdict).toBe('error');
    expect(JSON.parse(a.errors)).toEqual([expect.stringMatching(/^broken compound file: stream entry \d+ \(mini\): chain loops back to sector \d+ after 1 sectors$/)]);
    db.close();
  });

  it('a .doc whose data chain returns to an earlier sector: inspect exits 10 with the reason', () => {
    const dir = tempDir('contained-doc');
    const path = join(dir, 'loop.doc');
    writeFileSync(path, fatChainBack());
    const r = runCliMeasured(['inspect', path, '--json']);
    expect(r.code).toBe(10);
    expect(ourStderr(r.stderr)).toBe('');
    expect(r.peakRssMB).toBeLessThan(MAX_RSS_MB);
    const res = lastJson<{ verdict: string; errors: string[] }[]>(r.stdout)[0]!;
    expect(res.verdict).toBe('error');
    expect(res.errors).toEqual([expect.stringMatching(/^broken compound file: stream entry \d+: chain loops back to sector \d+ after 4 sectors$/)]);
  });

  it('a mail forwarded within itself 600 times around a 4 MB header: read to the embedding limit, in bounded memory', () => {
    // What the fuzzer found: mailparser's splitter opened all 600 levels (2 GB with --threads 0).
    let inner = Buffer.from(`From: a@x.example\r\nSubject: inner\r\nX-Long: ${'A'.repeat(4 * 1024 * 1024)}\r\n\r\nbody\r\n`);
    for (let i = 0; i < 600; i++) {
      inner = Buffer.concat([
        Buffer.from(`From: wrap${i}@x.example\r\nSubject: Fwd ${i}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="w${i}"\r\n\r\n--w${i}\r\nContent-Type: message/rfc822\r\n\r\n`),
        inner,
        Buffer.from(`\r\n--w${i}--\r\n`),
      ]);
    }
    const dir = tempDir('contained-nest');
    writeFileSync(join(dir, 'nest.eml'), inner);
    for (const threads of ['0', '2']) {
      const casePath = join(tempDir('contained-nest-case'), 'c.sqlite');
      const r = runCliMeasured(['scan', dir, '--case', casePath, '--json', '--no-analyze', '--threads', threads]);
      expect(r.code, r.stderr).toBe(0);
      expect(ourStderr(r.stderr)).toBe('');
      expect(r.peakRssMB).toBeLessThan(MAX_RSS_MB);
      const db = new Database(casePath, { readonly: true });
      const m = db.prepare('SELECT subject, defects_json AS defects FROM messages').get() as { subject: string; defects: string };
      db.close();
      expect(m.subject).toBe('Fwd 599');
      expect(JSON.parse(m.defects)).toContain('more than 32 embedded messages: read up to the 33th, the rest left unread');
    }
  });

  it('malformed OOXML XML: nothing the XML parser says reaches stderr', () => {
    const docx = unzipSync(readFileSync(join(ROOT, 'src/samples/assets/clean.docx')));
    const entries = Object.entries(docx).map(([name, data]) => ({ name, data: Buffer.from(data) }));
    // An external template makes the document worth reading for its text (clean ones are not).
    const rels = entries.find((e) => e.name === 'word/_rels/document.xml.rels')!;
    rels.data = Buffer.from(
      rels.data.toString('utf8').replace('</Relationships>', '<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="http://203.0.113.7/t.dotm" TargetMode="External"/></Relationships>'),
    );
    const part = entries.find((e) => e.name === 'word/document.xml')!;
    // Unclosed elements, a stray ampersand, an undeclared prefix and attacker text in it.
    part.data = Buffer.from(part.data.toString('utf8').replace('<w:body>', '<w:body><w:p><x:evil attr="\u001b[31mRED" & <w:t>ENABLE CONTENT \u202e</w:p>'));
    const dir = tempDir('contained-ooxml');
    const path = join(dir, 'broken.docx');
    writeFileSync(path, writeZip(entries, { mtimeMs: Date.UTC(2026, 10, 5) }));
    const r = runCliMeasured(['inspect', path, '--json']);
    expect([0, 2, 9, 10, 20]).toContain(r.code);
    expect(ourStderr(r.stderr)).toBe('');
    const res = lastJson<{ verdict: string; externalRelationships: unknown[] }[]>(r.stdout)[0]!;
    expect(res.externalRelationships).toHaveLength(1);
  });
});
