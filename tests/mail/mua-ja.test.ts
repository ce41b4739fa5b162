// Japanese mail from 11 real mail programs (tests/fixtures/mua-ja). The expected values are
// the MANIFEST's: the text each program was asked to encode, so these tests check that the
// intended text is recovered, including where the program broke the RFCs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/mail/parse.js';
import { readTsvRows } from '../helpers.js';

const DIR = new URL('../fixtures/mua-ja/', import.meta.url);

interface Row {
  path: string;
  subject: string;
  fromName: string;
  attachmentNames: string[];
  sha256: string[];
  notes: string;
}

const list = (s: string | undefined) => (s ? s.split('|') : []);
const rows: Row[] = readTsvRows(new URL('MANIFEST.tsv', DIR)).map((c) => ({
  path: c[0]!,
  subject: c[3]!,
  fromName: c[4]!,
  attachmentNames: list(c[5]),
  sha256: list(c[6]),
  notes: c[7] ?? '',
}));

describe('Japanese mail composed by real mail programs', () => {
  it('has all 52 messages', () => expect(rows).toHaveLength(52));

  for (const r of rows) {
    it(`${r.path}: ${r.subject}`, async () => {
      const m = await parseMessage(readFileSync(new URL(r.path, DIR)));
      expect(m.subject).toBe(r.subject);
      expect(m.from?.name ?? '').toBe(r.fromName);
      expect(m.attachments.map((a) => a.filename)).toEqual(r.attachmentNames);
      // A forwarded message that the program re-serialised is not byte-identical to the
      // original .eml whose hash the MANIFEST lists (its notes say so); the attachment
      // inside it is, and is checked.
      // Every body was written to 佐藤 花子; mpack/004 carries no text part at all. Ruby mail
      // 2.7 labels its UTF-8 bodies Shift_JIS or ISO-2022-JP: the bytes win over the label.
      if (r.path === 'mpack/004.eml') expect(m.text).toBe('');
      else expect(m.text).toContain('佐藤');
      const reserialised = r.notes.includes('forwarded message was re-serialized');
      m.attachments.forEach((a, i) => {
        if (reserialised && a.declaredType === 'message/rfc822') return;
        expect(a.sha256, a.filename).toBe(r.sha256[i]);
      });
    });
  }
});
