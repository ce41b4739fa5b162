// BinHex 4.0 files: application/mac-binhex40 parts and inline blocks (src/mail/binhex.ts).
// The fixtures were written by macutils' binhex and Convert::BinHex and checked with hexbin
// and uudeview (tests/fixtures/mail/binhex/record.sh).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BINHEX_LIMITS, binhexCrc, decodeBinHex, expandBinHex } from '../../src/mail/binhex.js';
import { parseMessage } from '../../src/mail/parse.js';
import { forwarded, itParsesFixtures } from './decoder-fixtures.js';

const dir = join(__dirname, '..', 'fixtures', 'mail', 'binhex');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const XLS = readFileSync(join(__dirname, '..', '..', 'src', 'samples', 'assets', 'macro-auto-open.xls'));
const XLS_SHA = 'bd29faabd2fbb45d3024d174476049220fbbe73bc97ab137c973b302f902fc78';
const RSRC_SHA = 'fd344b2bb096bc6978470c0961e22adfb43787882bad7b6e6735b6df981e769a'; // 300 × 'R'
const ALPHABET = '!"#$%&\'()*+,-012345689@ABCDEFGHIJKLMNPQRSTUVXYZ[`abcdefhijklmpqr';
const HEADER = '(This file must be converted with BinHex 4.0)';

const u16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);

/** The decoded stream of a BinHex file (header, forks, CRCs), with hooks to spoil it. */
function stream(name: string, data: Buffer, rsrc: Buffer = Buffer.alloc(0), o: { header?: (h: Buffer) => void; dataCrc?: number } = {}): Buffer {
  const n = Buffer.from(name, 'latin1');
  const h = Buffer.alloc(1 + n.length + 1 + 4 + 4 + 2 + 4 + 4);
  h[0] = n.length;
  n.copy(h, 1);
  let p = 1 + n.length + 1;
  h.write('XLS8', p, 'latin1');
  h.write('XCEL', p + 4, 'latin1');
  p += 10;
  h.writeUInt32BE(data.length, p);
  h.writeUInt32BE(rsrc.length, p + 4);
  o.header?.(h);
  return Buffer.concat([h, u16(binhexCrc(h)), data, u16(o.dataCrc ?? binhexCrc(data)), rsrc, u16(binhexCrc(rsrc))]);
}

/** Run-length coding as BinHex writers do it: runs of 4 or more as byte 0x90 count, 0x90 itself as 0x90 0. */
function rle(b: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    let run = 1;
    while (i + run < b.length && b[i + run] === c && run < 255) run++;
    if (c === 0x90) {
      out.push(0x90, 0);
      i++;
      continue;
    }
    out.push(c);
    if (run >= 4) {
      out.push(0x90, run);
      i += run;
    } else i++;
  }
  return Buffer.from(out);
}

/** The 6-bit text of `bytes` between colons, in 64-character lines, after the header line. */
function sixBit(bytes: Buffer, header = HEADER): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a = 0, b = 0, c = 0] = [bytes[i], bytes[i + 1], bytes[i + 2]];
    const q = [a >> 2, ((a & 3) << 4) | (b >> 4), ((b & 15) << 2) | (c >> 6), c & 63];
    const keep = bytes.length - i >= 3 ? 4 : bytes.length - i + 1;
    for (let k = 0; k < keep; k++) s += ALPHABET[q[k]!];
  }
  const body = ':' + s + ':';
  const lines: string[] = [];
  for (let i = 0; i < body.length; i += 64) lines.push(body.slice(i, i + 64));
  return `${header}\n${lines.join('\n')}\n`;
}

const binhex = (name: string, data: Buffer, rsrc?: Buffer, o?: Parameters<typeof stream>[3]) => sixBit(rle(stream(name, data, rsrc, o)));

const cases = [
  {
    file: 'mac-binhex40-part.eml',
    records: [['', 'statement.xls', 'application/vnd.ms-excel', 'ole', 33792, XLS_SHA]],
    text: 'The statement is attached.\n',
  },
  {
    file: 'inline-binhex.eml',
    records: [
      ['', 'Résumé 2019.xls', 'application/vnd.ms-excel', 'ole', 33792, XLS_SHA],
      ['', 'Résumé 2019.xls.rsrc', 'application/octet-stream', 'text', 300, RSRC_SHA],
    ],
    text: 'Hello,\n\nthe statement is below, in BinHex for the Mac users.\n\n[BinHex file "Résumé 2019.xls", 33792 bytes: recorded as an attachment]\n\nRegards,\nAccounts\n',
  },
] as const;

describe('BinHex fixtures through parseMessage', () => {
  itParsesFixtures(dir, cases);

  it('a forwarded message holding the BinHex part: the file under its nest path', async () => {
    const inner = readFileSync(join(dir, 'mac-binhex40-part.eml'));
    const raw = forwarded(inner);
    for (const mime of ['auto', 'mailparser'] as const) {
      const m = await parseMessage(raw, { mime });
      expect(m.attachments.map((a) => [a.nestPath, a.filename, a.sniffedType, a.sha256])).toEqual([
        ['', '', 'mail', sha256(inner)],
        ['0', 'statement.xls', 'ole', XLS_SHA],
      ]);
      expect(m.defects).toEqual([]);
    }
  });
});

describe('decodeBinHex', () => {
  it('reads the fixtures: name, type, creator and both forks, CRCs checked', () => {
    const part = readFileSync(join(dir, 'mac-binhex40-part.eml'), 'latin1');
    const a = decodeBinHex(part.slice(part.indexOf('(This file must be converted')), { inline: true }).files;
    expect(a.map((f) => [f.name, f.type, f.creator, f.data.length, f.resource.length, f.complete])).toEqual([['statement.xls', 'XLS8', 'XCEL', 33792, 0, true]]);
    const inline = decodeBinHex(readFileSync(join(dir, 'inline-binhex.eml'), 'latin1'), { inline: true }).files;
    expect(inline).toHaveLength(1);
    expect(inline[0]!.name).toBe('Résumé 2019.xls');
    expect(sha256(inline[0]!.data)).toBe(XLS_SHA);
    expect(inline[0]!.resource.equals(Buffer.alloc(300, 'R'))).toBe(true);
    expect(inline[0]!.defects).toEqual([]);
  });

  it('round-trips what the test encoder writes, 0x90 bytes and long runs included', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.uint8Array({ maxLength: 50 }), (d, r) => {
        const data = Buffer.concat([Buffer.from(d), Buffer.alloc(300, 0x90), Buffer.alloc(700, 7)]);
        const f = decodeBinHex(binhex('x.bin', data, Buffer.from(r))).files[0]!;
        expect(f.data.equals(data)).toBe(true);
        expect(f.resource.equals(Buffer.from(r))).toBe(true);
        expect(f.complete).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('a part may start at its colon, with no header line', () => {
    const text = binhex('x.bin', Buffer.from('hello')).split('\n').slice(1).join('\n');
    expect(decodeBinHex(text).files[0]!.data.toString()).toBe('hello');
    expect(decodeBinHex(text, { inline: true }).files).toEqual([]);
  });

  it('a data fork CRC that does not match: a defect, the bytes kept', () => {
    const f = decodeBinHex(binhex('bad.xls', XLS, undefined, { dataCrc: 0x1234 })).files[0]!;
    expect(sha256(f.data)).toBe(XLS_SHA);
    expect(f.complete).toBe(false);
    expect(f.defects).toEqual([expect.stringMatching(/^data fork CRC mismatch \(block says 1234, the bytes give [0-9a-f]{4}\); bytes kept$/)]);
  });

  it('a header CRC that does not match: a defect, the forks still read', () => {
    const s = stream('h.bin', Buffer.from('data'));
    const at = s.length - 4 - 2 - 2 - 1; // a byte of the header CRC: name 5 + 20 header bytes, then the CRC
    s[at] = s[at]! ^ 0xff;
    const text = sixBit(rle(s));
    const f = decodeBinHex(text).files[0]!;
    expect(f.data.toString()).toBe('data');
    expect(f.defects.some((d) => d.startsWith('header CRC mismatch'))).toBe(true);
  });

  it('a truncated block: defects, the decoded start of the file kept', async () => {
    const full = binhex('cut.xls', XLS);
    const text = full.slice(0, Math.floor(full.length / 2));
    const f = decodeBinHex(text).files[0]!;
    expect(f.complete).toBe(false);
    expect(f.defects).toEqual(['no closing colon: the block is cut', expect.stringMatching(/^data fork length 33792 past the decoded end \(\d+ bytes there\); those kept$/)]);
    expect(f.data.length).toBeGreaterThan(10_000);
    expect(XLS.subarray(0, f.data.length).equals(f.data)).toBe(true);
    const m = await parseMessage(Buffer.from(`From: a@example.com\nSubject: t\n\nsee below\n\n${text}`));
    expect(m.attachments.map((a) => [a.filename, a.size])).toEqual([['cut.xls', f.data.length]]);
    expect(m.defects).toEqual([
      'BinHex file "cut.xls" (in the text body): no closing colon: the block is cut',
      expect.stringContaining('BinHex file "cut.xls" (in the text body): data fork length 33792 past the decoded end'),
      `BinHex file "cut.xls" (in the text body): incomplete or unverified, ${f.data.length} bytes recorded; its digests may not be those of the file sent`,
    ]);
  });

  it('fork lengths pointing far past the end: defects, nothing allocated from them', () => {
    const text = binhex('big', Buffer.from('abc'), undefined, { header: (h) => h.writeUInt32BE(0xffffffff, h.length - 8) });
    const f = decodeBinHex(text).files[0]!;
    // What follows the header is 'abc', its CRC and the (empty) resource fork's CRC: all kept as the data fork.
    expect(f.data.subarray(0, 3).toString()).toBe('abc');
    expect(f.data.length).toBe(7);
    expect(f.defects).toEqual(['data fork length 4294967295 past the decoded end (7 bytes there); those kept']);
  });

  it('a name length past the decoded bytes: a defect', () => {
    const f = decodeBinHex(sixBit(Buffer.from([60, 0x41, 0x42]))).files[0]!;
    expect(f.defects).toEqual(['header cut: 3 bytes decoded, the header needs 82']);
    expect(f.name).toBe('AB');
  });

  it('a run-length bomb stops at maxBytesOut', () => {
    const bomb = Buffer.concat([Buffer.from([0x41]), Buffer.from(Array.from({ length: 20_000 }, (_, i) => (i % 2 ? 0xff : 0x90)))]);
    const f = decodeBinHex(sixBit(bomb), { limits: { maxBytesOut: 1_000_000 } }).files[0]!;
    expect(f.defects).toContain('BinHex output over 1000000 bytes in all; cut there');
    expect(f.complete).toBe(false);
  });

  it('the bytes-out budget is shared by the parts and text of a message', () => {
    const bomb = sixBit(Buffer.concat([Buffer.from([0x41]), Buffer.from(Array.from({ length: 4000 }, (_, i) => (i % 2 ? 0xff : 0x90)))]));
    const part = () => ({ content: Buffer.from(bomb), contentType: 'application/mac-binhex40', filename: 'b.hqx' });
    const defects: string[] = [];
    const budget = { left: 1_000_000 };
    const r = expandBinHex([part(), part(), part()], bomb, defects, budget);
    const total = r.attachments.reduce((n, a) => n + a.content.length, 0);
    expect(total).toBeLessThanOrEqual(1_000_000);
    expect(budget.left).toBe(0);
    // The second part is cut, the third and the text's block get nothing.
    expect(defects.filter((d) => d.endsWith(`BinHex output over ${BINHEX_LIMITS.maxBytesOut} bytes in all; cut there`))).toHaveLength(3);
  });

  it('a character outside the alphabet stops decoding with a defect', () => {
    const text = binhex('x.bin', Buffer.alloc(200, 1)).replace(/(\n.{10})./, '$1o');
    const f = decodeBinHex(text).files[0]!;
    expect(f.defects[0]).toMatch(/^character "o" at offset \d+ outside the BinHex alphabet; decoding stopped there$/);
    expect(f.complete).toBe(false);
  });

  it('more blocks than maxBlocks: the rest left, with a defect', () => {
    const one = binhex('a', Buffer.from('x'));
    const r = decodeBinHex(one.repeat(BINHEX_LIMITS.maxBlocks + 5), { inline: true });
    expect(r.files).toHaveLength(BINHEX_LIMITS.maxBlocks);
    expect(r.defects).toEqual([`more than ${BINHEX_LIMITS.maxBlocks} BinHex blocks; the rest left undecoded`]);
  });

  it('never throws on junk or on mutations of a real block', () => {
    for (const s of ['', ':', '::', HEADER, `${HEADER}\n:`, `${HEADER}\n:!:`, `${HEADER}\n:!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!:`, ':\u00ff\u4e00:']) {
      expect(() => decodeBinHex(s)).not.toThrow();
      expect(() => decodeBinHex(s, { inline: true })).not.toThrow();
    }
    const real = binhex('m.xls', XLS.subarray(0, 3000), Buffer.from('rsrc'));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.constantFrom(...ALPHABET.split(''), ':', '\n', ' ', 'o', '\u00e9')), { maxLength: 8 }), fc.nat(), (edits, cut) => {
        let s = real;
        for (const [at, ch] of edits) {
          const i = at % s.length;
          s = s.slice(0, i) + ch + s.slice(i + 1);
        }
        s = s.slice(0, s.length - (cut % 200));
        const r = decodeBinHex(s);
        for (const f of r.files) expect(f.data.length).toBeLessThanOrEqual(BINHEX_LIMITS.maxBytesOut);
      }),
      { numRuns: 500 },
    );
  });
});

describe('BinHex parts and text', () => {
  it('mail that only mentions the BinHex line is untouched', async () => {
    const body = 'Our old Mac said: (This file must be converted with BinHex 4.0)\n(This file must be converted with BinHex 4.0)\nbut we had no converter.\n';
    const raw = Buffer.from(`From: a@example.com\nSubject: hqx\nMIME-Version: 1.0\nContent-Type: text/plain\n\n${body}`);
    for (const mime of ['auto', 'mailparser'] as const) {
      const m = await parseMessage(raw, { mime });
      expect(m.attachments).toEqual([]);
      expect(m.defects).toEqual([]);
      expect(m.text).toBe(body);
    }
  });

  it('a part declared BinHex that holds none is kept as sent, with a defect', async () => {
    const raw = Buffer.from(
      'From: a@example.com\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nhi\n--b\nContent-Type: application/mac-binhex40; name="x.hqx"\n\nnot binhex\n--b--\n',
    );
    for (const mime of ['auto', 'mailparser'] as const) {
      const m = await parseMessage(raw, { mime });
      expect(m.attachments.map((a) => [a.filename, a.size])).toEqual([['x.hqx', 10]]);
      expect(m.defects).toEqual(['part "x.hqx" (application/mac-binhex40): no BinHex data found; kept as sent']);
    }
  });

  it('a .hqx part sent as octet-stream, base64: the file, named by its header', () => {
    const content = Buffer.from(binhex('inner name.doc', Buffer.from('DOC')));
    const defects: string[] = [];
    const r = expandBinHex([{ content, contentType: 'application/octet-stream', filename: 'outer.hqx' }], undefined, defects);
    expect(r.attachments).toEqual([{ content: Buffer.from('DOC'), contentType: 'application/msword', filename: 'inner name.doc' }]);
    expect(defects).toEqual([]);
  });
});
