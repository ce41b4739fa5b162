import { describe, expect, it } from 'vitest';
import { parseAddressList } from '../../src/mail/addresses.js';
import { decodeBytes } from '../../src/mail/charset.js';
import { decodeHeaderValue, splitHeaders } from '../../src/mail/header-decode.js';
import iconv from 'iconv-lite';

const binary = (b: Buffer) => b.toString('latin1');

describe('RFC 2047 decoding', () => {
  it('joins adjacent ISO-2022-JP words split in the middle of an escape sequence', () => {
    // "請求書" in ISO-2022-JP is ESC $ B @ A 5 a = q ESC ( B; split after "ESC $".
    const jis = Buffer.from('\x1b$B@A5a=q\x1b(B', 'latin1');
    const w1 = `=?ISO-2022-JP?B?${jis.subarray(0, 2).toString('base64')}?=`;
    const w2 = `=?ISO-2022-JP?B?${jis.subarray(2).toString('base64')}?=`;
    expect(decodeHeaderValue(`${w1}\r\n ${w2}`)).toBe('請求書');
  });

  it('drops white space between encoded words only', () => {
    expect(decodeHeaderValue('=?UTF-8?B?5bGx55Sw?= =?UTF-8?B?IOWkqumDjg==?=')).toBe('山田 太郎');
    expect(decodeHeaderValue('Re: =?UTF-8?B?6KaL56mN5pu4?= (2)')).toBe('Re: 見積書 (2)');
  });

  it('reads ISO-2022-JP inside words labelled us-ascii (s-nail, PHPMailer)', () => {
    expect(decodeHeaderValue('=?us-ascii?Q?=1B$B@A5a=3DqAwIU$N$40FFb=1B(B?=')).toBe('請求書送付のご案内');
  });

  it('reads raw 8-bit Shift_JIS, EUC-JP and UTF-8 headers', () => {
    expect(decodeHeaderValue(binary(iconv.encode('見積書の件', 'cp932')))).toBe('見積書の件');
    expect(decodeHeaderValue(binary(iconv.encode('見積書の件について', 'eucjp')))).toBe('見積書の件について');
    expect(decodeHeaderValue(binary(Buffer.from('見積書の件', 'utf8')))).toBe('見積書の件');
  });

  it('decodes CP932 extensions (NEC row 13, IBM) under a Shift_JIS label', () => {
    const b = iconv.encode('①㈱髙', 'cp932');
    expect(decodeBytes(b, 'Shift_JIS').text).toBe('①㈱髙');
  });

  it('decodes half-width katakana in ISO-2022-JP (CP50221 ESC ( I)', () => {
    expect(decodeBytes(Buffer.from('\x1b(I6@6E\x1b(B', 'latin1'), 'iso-2022-jp').text).toBe('ｶﾀｶﾅ');
  });

  it('keeps an unknown charset readable and says so', () => {
    const d = decodeBytes(Buffer.from('TEST'), 'x-unknown-cs');
    expect(d.text).toBe('TEST');
    expect(d.defect).toMatch(/unknown charset/);
  });
});

describe('address lists', () => {
  it("restores PHPMailer's \\033 escapes in quoted display names", () => {
    expect(parseAddressList('"\\033$B;3ED\\033(B \\033$BB@O:\\033(B" <Yamada@Yamada-Shoji.example>')).toEqual([
      { name: '山田 太郎', address: 'yamada@yamada-shoji.example' },
    ]);
  });

  it('flattens groups and keeps every mailbox', () => {
    expect(parseAddressList('Team: a@x.example, "B, Bee" <b@x.example>;, c@y.example').map((a) => a.address)).toEqual([
      'a@x.example',
      'b@x.example',
      'c@y.example',
    ]);
  });
});

describe('header block', () => {
  it('unfolds continuation lines and reports lines without a field name', () => {
    const b = splitHeaders(Buffer.from('Subject: a\r\n b\r\nbroken line\r\nFrom: x@y\r\n\r\nbody'));
    expect(b.fields).toEqual([
      { name: 'subject', value: 'a b' },
      { name: 'from', value: 'x@y' },
    ]);
    expect(b.defects).toEqual(['1 header line(s) without a field name']);
    expect(b.bodyOffset).toBe(Buffer.from('Subject: a\r\n b\r\nbroken line\r\nFrom: x@y\r\n\r\n').length);
  });
});
