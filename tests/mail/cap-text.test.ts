// Over-long inline text parts are cut before decoding (cap-text.ts); attachments never are.
import { describe, expect, it } from 'vitest';
import { capTextParts, MAX_TEXT_PART_BYTES } from '../../src/mail/cap-text.js';
import { parseMessage } from '../../src/mail/parse.js';

const line = 'The quick brown fox jumps over the lazy dog 0123456789.';
const big = (n: number, eol = '\n') => (line + eol).repeat(Math.ceil(n / (line.length + eol.length)));

function message(eol: string, bodyBytes = MAX_TEXT_PART_BYTES + 1_000_000): Buffer {
  const body = big(bodyBytes, eol);
  const attachment = big(MAX_TEXT_PART_BYTES + 2_000_000, eol);
  return Buffer.from(
    [
      'From: a@example.com',
      'Subject: long',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: multipart/alternative;',
      ' boundary="b2"',
      '',
      '--b2',
      'Content-Type: text/plain; charset=us-ascii',
      '',
      body,
      '--b2--',
      '--b1',
      'Content-Type: text/plain; name="log.txt"',
      'Content-Disposition: attachment; filename="log.txt"',
      '',
      attachment,
      '--b1--',
      '',
    ].join(eol),
  );
}

describe('capTextParts', () => {
  it('leaves a message under the limit as it is (the same buffer)', () => {
    const raw = Buffer.from('From: a@example.com\n\nhello\n');
    expect(capTextParts(raw).raw).toBe(raw);
  });

  for (const eol of ['\n', '\r\n']) {
    it(`cuts the inline text part and keeps the text attachment whole (${JSON.stringify(eol)} line ends)`, async () => {
      const raw = message(eol);
      const capped = capTextParts(raw);
      expect(capped.cut).toBe(1);
      expect(raw.length - capped.raw.length).toBeGreaterThan(1_000_000);
      const m = await parseMessage(raw, { keepContent: true });
      expect(m.defects).toContain(`1 inline text part(s) longer than ${MAX_TEXT_PART_BYTES} bytes cut there before decoding`);
      expect(m.text.startsWith('The quick brown fox')).toBe(true);
      expect(m.attachments.map((a) => a.filename)).toEqual(['log.txt']);
      // The attachment reads exactly as it does beside a short text part, which nothing cuts.
      const short = await parseMessage(message(eol, 1000), { keepContent: true });
      expect(short.defects).toEqual([]);
      expect(m.attachments[0]!.sha256).toBe(short.attachments[0]!.sha256);
      expect(m.attachments[0]!.size).toBe(short.attachments[0]!.size);
      expect(m.attachments[0]!.size).toBeGreaterThan(MAX_TEXT_PART_BYTES + 2_000_000 - 100);
    });
  }

  it('cuts the body of a single-part text message', () => {
    const raw = Buffer.from(`From: a@example.com\nContent-Type: text/plain\n\n${big(MAX_TEXT_PART_BYTES + 10_000)}`);
    const capped = capTextParts(raw);
    expect(capped.cut).toBe(1);
    expect(capped.raw.length).toBe(raw.indexOf('\n\n') + 2 + MAX_TEXT_PART_BYTES + 2);
  });
});
