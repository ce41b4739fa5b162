// uuencoded files: x-uuencode parts and inline begin … end blocks (src/mail/uuencode.ts).
// The fixtures were written by GNU sharutils' uuencode (tests/fixtures/mail/uuencode/record.sh).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/mail/parse.js';
import { decodeUuBlocks, UU_LIMITS } from '../../src/mail/uuencode.js';
import { forwarded, itParsesFixtures } from './decoder-fixtures.js';

const dir = join(__dirname, '..', 'fixtures', 'mail', 'uuencode');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const ZIP_SHA = '3fb159c0b51adf2fe4d4eddaa5631228f7eceee475ac9eaf85e856114e979514';
const XLS_SHA = 'bd29faabd2fbb45d3024d174476049220fbbe73bc97ab137c973b302f902fc78';

/** Classic uuencoding of `data` (backtick for zero), as sharutils writes it. */
function uuencode(data: Buffer, name = 'f.bin'): string {
  const ch = (v: number) => (v === 0 ? '`' : String.fromCharCode(v + 0x20));
  const lines = [`begin 644 ${name}`];
  for (let i = 0; i < data.length; i += 45) {
    const chunk = data.subarray(i, i + 45);
    let line = ch(chunk.length);
    for (let j = 0; j < chunk.length; j += 3) {
      const [a = 0, b = 0, c = 0] = [chunk[j], chunk[j + 1], chunk[j + 2]];
      line += ch(a >> 2) + ch(((a & 3) << 4) | (b >> 4)) + ch(((b & 15) << 2) | (c >> 6)) + ch(c & 63);
    }
    lines.push(line);
  }
  lines.push('`', 'end');
  return lines.join('\n') + '\n';
}

const cases = [
  { file: 'x-uuencode-part.eml', name: 'invoice.zip', sha: ZIP_SHA, sniffed: 'zip', declared: 'application/zip' },
  { file: 'inline-begin-644.eml', name: 'statement.xls', sha: XLS_SHA, sniffed: 'ole', declared: 'application/vnd.ms-excel' },
  { file: 'inline-begin-base64.eml', name: 'invoice.zip', sha: ZIP_SHA, sniffed: 'zip', declared: 'application/zip' },
] as const;

describe('uuencoded fixtures through parseMessage', () => {
  for (const c of cases) {
    for (const mime of ['auto', 'mailparser'] as const) {
      it(`${c.file} (${mime}): ${c.name} decoded exactly`, async () => {
        const raw = readFileSync(join(dir, c.file));
        const m = await parseMessage(raw, { keepContent: true, mime });
        expect(m.defects).toEqual([]);
        expect(m.attachments).toHaveLength(1);
        const a = m.attachments[0]!;
        expect(a.filename).toBe(c.name);
        expect(a.sha256).toBe(c.sha);
        expect(sha256(a.content!)).toBe(c.sha);
        expect(a.sniffedType).toBe(c.sniffed);
        expect(a.declaredType).toBe(c.declared);
        expect(a.nestPath).toBe('');
        expect(a.ordinal).toBe(0);
        // No encoded lines are left in the stored text.
        expect(m.text).not.toMatch(/^M[!-`]{60}$/m);
        expect(m.text).not.toContain('====');
      });
    }
  }

  it('the fixture zip is the one record.sh made', () => {
    expect(sha256(readFileSync(join(dir, 'invoice.zip')))).toBe(ZIP_SHA);
  });

  it('replaces an inline block by one marker line and keeps the text around it', async () => {
    const m = await parseMessage(readFileSync(join(dir, 'inline-begin-644.eml')));
    expect(m.text).toContain('begin with the first sheet.');
    expect(m.text).toContain('[uuencoded file "statement.xls", 33792 bytes: recorded as an attachment]');
    expect(m.text).toContain('Regards,\nAccounts');
  });
});

describe('decodeUuBlocks', () => {
  const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 37) & 0xff));

  it('decodes CRLF lines, trailing spaces and the space zero character', () => {
    const text = uuencode(data).replace(/`/g, ' ').split('\n').map((l) => l + '  ').join('\r\n');
    const r = decodeUuBlocks(text);
    expect(r.blocks).toHaveLength(1);
    expect(r.blocks[0]!.data.equals(data)).toBe(true);
    expect(r.blocks[0]!.complete).toBe(true);
    expect(r.blocks[0]!.defects).toEqual([]);
    expect(r.blocks[0]!.mode).toBe('644');
  });

  it('a truncated block: defect, partial data, not complete', async () => {
    const full = uuencode(data, 'cut.bin');
    const text = full.slice(0, full.indexOf('\n', 400) + 1);
    const r = decodeUuBlocks(text);
    const b = r.blocks[0]!;
    expect(b.complete).toBe(false);
    expect(b.defects.some((d) => d.includes('no end line'))).toBe(true);
    expect(b.data.length).toBeLessThan(data.length);
    expect(data.subarray(0, b.data.length).equals(b.data)).toBe(true);
    const m = await parseMessage(Buffer.from(`From: a@example.com\nSubject: t\n\nsee below\n\n${text}`));
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0]!.size).toBe(b.data.length);
    expect(m.defects.some((d) => d.includes('"cut.bin"') && d.includes('incomplete'))).toBe(true);
  });

  it('a length character promising more than the line holds: defect, bounded output', () => {
    const r = decodeUuBlocks('begin 644 x\nM\nM!!!!\n`\nend\n');
    const b = r.blocks[0]!;
    expect(b.complete).toBe(false);
    expect(b.defects.filter((d) => d.includes('promises 45 bytes'))).toHaveLength(2);
    expect(b.data.length).toBeLessThanOrEqual(90);
  });

  it('characters outside the alphabet and out-of-range length characters are skipped lines', () => {
    const r = decodeUuBlocks('begin 644 x\n#abc\n~xxxx\n#!!!!\n`\nend\n');
    const b = r.blocks[0]!;
    expect(b.complete).toBe(false);
    expect(b.defects).toHaveLength(2);
    expect(b.data).toEqual(Buffer.from([0x04, 0x10, 0x41]));
  });

  it('10,000 blocks: only UU_LIMITS.maxBlocks decoded, with a defect', () => {
    const one = uuencode(Buffer.from('abc'));
    const r = decodeUuBlocks(one.repeat(10_000));
    expect(r.blocks).toHaveLength(UU_LIMITS.maxBlocks);
    expect(r.defects).toEqual([`more than ${UU_LIMITS.maxBlocks} uuencoded blocks; the rest left undecoded`]);
  });

  it('a huge line and a huge name stay within limits', () => {
    const text = `begin 644 ${'n'.repeat(5_000_000)}\nM${'!'.repeat(5_000_000)}\n\`\nend\n`;
    const r = decodeUuBlocks(text);
    const b = r.blocks[0]!;
    expect(b.name.length).toBe(UU_LIMITS.maxNameChars);
    expect(b.data.length).toBe(0);
    expect(b.complete).toBe(false);
    expect(b.defects.some((d) => d.includes('line of 5000001 characters skipped'))).toBe(true);
  });

  it('decoded bytes per block are capped', () => {
    const r = decodeUuBlocks(uuencode(data), { limits: { maxBlockBytes: 100 } });
    expect(r.blocks[0]!.data.length).toBeLessThanOrEqual(100);
    expect(r.blocks[0]!.complete).toBe(false);
  });

  it('never throws on junk', () => {
    for (const s of ['begin', 'begin 644', 'begin 644 \n', 'begin-base64 644 x\n@@@@\n', 'begin 999 x\nend', 'begin 644 x\n', '\nbegin 644 y\n`\nend']) {
      expect(() => decodeUuBlocks(s)).not.toThrow();
    }
  });
});

describe('mail that only mentions begin', () => {
  it('is untouched', async () => {
    const body = 'Let us begin 644 reviews tomorrow.\nbegin 644 the plan\nThe meeting will begin at 10.\nend\n';
    const raw = Buffer.from(`From: a@example.com\nSubject: begin\nMIME-Version: 1.0\nContent-Type: text/plain\n\n${body}`);
    for (const mime of ['auto', 'mailparser'] as const) {
      const m = await parseMessage(raw, { mime });
      expect(m.attachments).toEqual([]);
      expect(m.defects).toEqual([]);
      expect(m.text).toBe(body);
    }
  });
});

describe('x-uuencode parts', () => {
  it('a part with no begin line is kept as sent, with a defect', async () => {
    const raw = Buffer.from(
      'From: a@example.com\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nhi\n--b\nContent-Type: application/octet-stream; name="x.bin"\nContent-Transfer-Encoding: x-uue\n\nnot encoded\n--b--\n',
    );
    for (const mime of ['auto', 'mailparser'] as const) {
      const m = await parseMessage(raw, { mime });
      expect(m.attachments.map((a) => a.filename)).toEqual(['x.bin']);
      expect(m.defects).toEqual(['part "x.bin" sent as x-uue: no begin line; kept as sent']);
    }
  });

  it('inside a forwarded message/rfc822 the file is decoded under its nest path', async () => {
    const inner = readFileSync(join(dir, 'x-uuencode-part.eml'));
    const raw = forwarded(inner);
    for (const mime of ['auto', 'mailparser'] as const) {
      const m = await parseMessage(raw, { mime });
      expect(m.attachments.map((a) => [a.nestPath, a.filename, a.sniffedType, a.sha256])).toEqual([
        ['', '', 'mail', sha256(inner)],
        ['0', 'invoice.zip', 'zip', ZIP_SHA],
      ]);
      expect(m.defects).toEqual([]);
    }
  });
});
