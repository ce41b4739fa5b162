import { looksLikeMail, sniffType } from '../../src/mail/sniff.js';
// yEnc files: =ybegin/=ypart/=yend blocks in text bodies and parts (src/mail/yenc.ts). The
// fixtures were written by uuenview and checked with uudeview (tests/fixtures/mail/yenc/record.sh).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/mail/parse.js';
import { assembleYencFiles, crc32, decodeYencBlocks, expandYenc, YENC_LIMITS } from '../../src/mail/yenc.js';
import { forwarded, itParsesFixtures } from './decoder-fixtures.js';

const dir = join(__dirname, '..', 'fixtures', 'mail', 'yenc');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const XLS = readFileSync(join(__dirname, '..', '..', 'src', 'samples', 'assets', 'macro-auto-open.xls'));
const XLS_SHA = 'bd29faabd2fbb45d3024d174476049220fbbe73bc97ab137c973b302f902fc78';
const README_SHA = 'b7707a2d6c31fa6ce1420cb8114eebc05e830c98ade42ae269ca4d796bd825d2';
const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/** yEnc data lines for `data` (NUL, LF, CR and '=' escaped), CRLF line ends, as latin1 text. */
function yencLines(data: Buffer, line = 128): string {
  const lines: string[] = [];
  let cur = '';
  for (const b of data) {
    const c = (b + 42) & 0xff;
    cur += c === 0x00 || c === 0x0a || c === 0x0d || c === 0x3d ? '=' + String.fromCharCode((c + 64) & 0xff) : String.fromCharCode(c);
    if (cur.length >= line) {
      lines.push(cur);
      cur = '';
    }
  }
  if (cur) lines.push(cur);
  return lines.join('\r\n');
}

function single(name: string, data: Buffer, o: { crc?: number; size?: number } = {}): string {
  return `=ybegin line=128 size=${o.size ?? data.length} name=${name}\r\n${yencLines(data)}\r\n=yend size=${data.length} crc32=${hex8(o.crc ?? crc32(data))}\r\n`;
}

/** yEnc 1.3 parts of `data`, cut every `each` bytes: =ybegin part= total=, =ypart, =yend pcrc32 (crc32 of the whole on the last). */
function parts(name: string, data: Buffer, each: number, o: { total?: boolean; pcrc?: (k: number) => number | undefined } = {}): string[] {
  const out: string[] = [];
  const n = Math.ceil(data.length / each);
  for (let k = 0; k < n; k++) {
    const p = data.subarray(k * each, (k + 1) * each);
    const whole = k === n - 1 ? ` crc32=${hex8(crc32(data))}` : '';
    out.push(
      `=ybegin part=${k + 1}${o.total === false ? '' : ` total=${n}`} line=128 size=${data.length} name=${name}\r\n` +
        `=ypart begin=${k * each + 1} end=${k * each + p.length}\r\n${yencLines(p)}\r\n` +
        `=yend size=${p.length} part=${k + 1} pcrc32=${hex8(o.pcrc?.(k + 1) ?? crc32(p))}${whole}\r\n`,
    );
  }
  return out;
}

const mail = (body: string, head = '') => Buffer.from(`From: a@example.com\r\nSubject: y\r\n${head}\r\n${body}`, 'latin1');

describe('yEnc fixtures through parseMessage', () => {
  const cases = [
    {
      file: 'uuenview-attach.eml',
      records: [['', 'statement.xls', 'application/vnd.ms-excel', 'ole', 33792, XLS_SHA]],
      text: 'Hello,\n\nthe statement is attached.\n\nRegards,\nAccounts\n[yEnc file "statement.xls", 33792 bytes: recorded as an attachment]\n\n\n',
    },
    {
      file: 'multipart-in-one.eml',
      records: [
        ['', 'readme.txt', 'text/plain', 'text', 59, README_SHA],
        ['', 'statement.xls', 'application/vnd.ms-excel', 'ole', 33792, XLS_SHA],
      ],
      text:
        'The readme, then the statement in two parts.\n\n[yEnc file "readme.txt", 59 bytes: recorded as an attachment]\n\n\n' +
        'Part 1 of 2:\n\n[yEnc part 1 of file "statement.xls", 25600 bytes: recorded as an attachment]\n\n\n' +
        'Part 2 of 2:\n\n[yEnc part 2 of file "statement.xls", 8192 bytes: recorded as an attachment]\n\n\nAccounts\n',
    },
  ] as const;
  itParsesFixtures(dir, cases);

  it('the text of uuenview-attach.eml lost the 8-bit bytes (read as UTF-8): the raw message is what gives the file', () => {
    const raw = readFileSync(join(dir, 'uuenview-attach.eml'));
    const text = raw.toString('utf8').replace(/\r\n/g, '\n');
    const fromText: string[] = [];
    const bad = expandYenc([], text, undefined, fromText);
    expect(sha256(bad.attachments[0]!.content)).not.toBe(XLS_SHA);
    expect(fromText).toContain(
      'yEnc file "statement.xls" (in the text body): not found as sent in the raw message, and the text holds characters over 0xff (it was decoded from its charset): the bytes are not those sent',
    );
    const fromRaw: string[] = [];
    const good = expandYenc([], text, raw, fromRaw);
    expect(sha256(good.attachments[0]!.content)).toBe(XLS_SHA);
    expect(fromRaw).toEqual([]);
  });

  it('uuenview wrote the CRC32 this module computes', () => {
    expect(hex8(crc32(XLS))).toBe('7cd98729');
    expect(readFileSync(join(dir, 'uuenview-attach.eml'), 'latin1')).toContain('=yend size=33792 crc32=7cd98729');
  });

  it('in a forwarded message: the file under its nest path', async () => {
    const inner = readFileSync(join(dir, 'multipart-in-one.eml'));
    const raw = forwarded(inner);
    for (const mime of ['auto', 'mailparser'] as const) {
      const m = await parseMessage(raw, { mime });
      expect(m.attachments.map((a) => [a.nestPath, a.filename, a.sha256])).toEqual([
        ['', '', sha256(inner)],
        ['0', 'readme.txt', README_SHA],
        ['0', 'statement.xls', XLS_SHA],
      ]);
      expect(m.defects).toEqual([]);
    }
  });
});

describe('decodeYencBlocks and assembleYencFiles', () => {
  const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 151 + (i >> 3)) & 0xff));

  it('round-trips any bytes, single and in parts', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 1, max: 1000 }), (u, each) => {
        const d = Buffer.from(u);
        if (d.length === 0) return;
        const one = decodeYencBlocks(Buffer.from(single('a.bin', d), 'latin1'));
        expect(one.blocks[0]!.data.equals(d)).toBe(true);
        expect(one.blocks[0]!.exact).toBe(true);
        const many = decodeYencBlocks(Buffer.from(parts('b.bin', d, each).join('\r\n'), 'latin1'));
        const files = assembleYencFiles(many.blocks);
        expect(files).toHaveLength(1);
        expect(files[0]!.data.equals(d)).toBe(true);
        expect(files[0]!.complete).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('parts out of order are joined in part order; a repeated part is kept once', () => {
    const p = parts('x.bin', data, 1500);
    const r = decodeYencBlocks(Buffer.from([p[3], p[1], p[0], p[2], p[1]].join(''), 'latin1'));
    const [f] = assembleYencFiles(r.blocks);
    expect(f!.data.equals(data)).toBe(true);
    expect(f!.defects).toEqual(['part 2 twice; the first kept']);
    expect(f!.complete).toBe(false);
  });

  it('a missing part: defects, the parts there joined (never padded), incomplete', () => {
    const p = parts('x.bin', data, 1500);
    const [f] = assembleYencFiles(decodeYencBlocks(Buffer.from(p[0]! + p[2]! + p[3]!, 'latin1')).blocks);
    expect(f!.data.length).toBe(5000 - 1500);
    expect(f!.defects).toEqual(['part 3 begins at byte 3001, the parts before it end at 1500', '3 of 4 parts here', '=ybegin size=5000, the parts here make 3500 bytes']);
    expect(f!.complete).toBe(false);
    // yEnc 1.2 parts (no total=): a gap in the part numbers says so.
    const q = parts('y.bin', data, 1500, { total: false });
    const [g] = assembleYencFiles(decodeYencBlocks(Buffer.from(q[0]! + q[2]!, 'latin1')).blocks);
    expect(g!.defects).toContain('parts 1, 3 here: some are missing');
  });

  it('a part CRC and a whole-file CRC that do not match: defects, bytes kept', () => {
    const p = parts('x.bin', data, 2500, { pcrc: (k) => (k === 2 ? 0xdeadbeef : undefined) });
    const r = decodeYencBlocks(Buffer.from(p.join(''), 'latin1'));
    expect(r.blocks[1]!.defects).toEqual([`CRC32 mismatch (block says deadbeef, the bytes give ${hex8(crc32(data.subarray(2500)))}); bytes kept`]);
    const [f] = assembleYencFiles(r.blocks);
    expect(f!.data.equals(data)).toBe(true);
    expect(f!.complete).toBe(false);
    const whole = single('w.bin', data, { crc: 0x12345678 });
    const b = decodeYencBlocks(Buffer.from(whole, 'latin1')).blocks[0]!;
    expect(b.data.equals(data)).toBe(true);
    expect(b.defects).toEqual([`CRC32 mismatch (block says 12345678, the bytes give ${hex8(crc32(data))}); bytes kept`]);
  });

  it('a truncated block: defects, the decoded start kept', () => {
    const s = single('cut.bin', data);
    const r = decodeYencBlocks(Buffer.from(s.slice(0, 3000), 'latin1'));
    const b = r.blocks[0]!;
    expect(b.ended).toBe(false);
    expect(data.subarray(0, b.data.length).equals(b.data)).toBe(true);
    expect(b.defects).toEqual([`no =yend line: ${b.data.length} bytes decoded, the file is incomplete`, `=ybegin size=5000, ${b.data.length} bytes decoded`]);
  });

  it('huge size, part and total fields: defects, nothing allocated or looped from them', () => {
    const text = '=ybegin part=4294967295 total=4294967295 line=128 size=999999999999999 name=h.bin\r\n=ypart begin=1 end=999999999999999\r\nabc\r\n=yend size=3 part=4294967295 pcrc32=0\r\n';
    const r = decodeYencBlocks(Buffer.from(text, 'latin1'));
    expect(r.blocks[0]!.data.length).toBe(3);
    const [f] = assembleYencFiles(r.blocks);
    expect(f!.data.length).toBe(3);
    expect(r.blocks[0]!.defects).toContain('=ypart begin=1 end=999999999999999 is 999999999999999 bytes, 3 decoded');
    expect(f!.defects).toEqual([
      '1 of 4294967295 parts here',
      '=ybegin size=999999999999999, the parts here make 3 bytes',
    ]);
    const nonsense = decodeYencBlocks(Buffer.from('=ybegin size=1e99 part=x name=n\r\nabc\r\n=yend crc32=zz\r\n', 'latin1')).blocks[0]!;
    expect(nonsense.defects).toEqual([
      '=ybegin size="1e99" is not a number; ignored',
      '=ybegin part="x" is not a number; ignored',
      '=ybegin line without a size',
      '=yend crc32="zz" is not a CRC; ignored',
    ]);
  });

  it('an escape character at a line end is a defect', () => {
    const b = decodeYencBlocks(Buffer.from('=ybegin line=128 size=2 name=e\r\nk=\r\nk\r\n=yend size=2\r\n', 'latin1')).blocks[0]!;
    expect(b.data).toEqual(Buffer.from([0x41, 0x41]));
    expect(b.defects).toEqual(['escape character at a line end; skipped']);
  });

  it('more blocks than maxParts: the rest left, with a defect', () => {
    const one = single('a', Buffer.from('x'));
    const r = decodeYencBlocks(Buffer.from(one.repeat(YENC_LIMITS.maxParts + 10), 'latin1'));
    expect(r.blocks).toHaveLength(YENC_LIMITS.maxParts);
    expect(r.defects).toEqual([`more than ${YENC_LIMITS.maxParts} yEnc blocks; the rest left undecoded`]);
  });

  it('a file over maxFileBytes is cut, with a defect', () => {
    const b = decodeYencBlocks(Buffer.from(single('big', data), 'latin1'), { limits: { maxFileBytes: 1000 } }).blocks[0]!;
    expect(b.data.length).toBe(1000);
    expect(b.defects).toContain('decoded part over 1000 bytes; cut there');
  });

  it('never throws on junk or on mutations of real blocks', () => {
    for (const s of ['=ybegin', '=ybegin ', '=ybegin name=', '=ybegin part=1\r\n', '=ybegin part=1\r\n=ypart\r\n', '=ybegin size=1 name=x\r\n=', '=yend\r\n=ybegin\r\n=yend']) {
      expect(() => assembleYencFiles(decodeYencBlocks(Buffer.from(s, 'latin1')).blocks)).not.toThrow();
      expect(() => expandYenc([], s, Buffer.from(s), [])).not.toThrow();
    }
    const real = parts('m.bin', data.subarray(0, 1200), 400).join('');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.constantFrom('=', '\n', '\r', 'y', ' ', '=ybegin ', '=yend ', '=ypart ', 'part=9 ', 'size=0 ', '\u00ff')), { maxLength: 8 }), fc.nat(), (edits, cut) => {
        let s = real;
        for (const [at, ch] of edits) {
          const i = at % s.length;
          s = s.slice(0, i) + ch + s.slice(i + 1);
        }
        s = s.slice(0, s.length - (cut % 300));
        const files = assembleYencFiles(decodeYencBlocks(Buffer.from(s, 'latin1')).blocks);
        for (const f of files) expect(f.data.length).toBeLessThanOrEqual(1200 * 2);
        expandYenc([], s, Buffer.from(s, 'latin1'), []);
      }),
      { numRuns: 500 },
    );
  });
});

describe('yEnc in parts and text', () => {
  it('a part whose body is yEnc becomes the file; one sent as x-yenc without a block is kept, with a defect', async () => {
    const d = Buffer.from('PK\x03\x04 not really a zip', 'latin1');
    const raw = mail(
      `--b\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n--b\r\nContent-Type: application/octet-stream; name="x.zip.yenc"\r\nContent-Transfer-Encoding: 8bit\r\nContent-Disposition: attachment; filename="x.zip.yenc"\r\n\r\n${single('x.zip', d)}--b\r\nContent-Type: application/octet-stream; name="y.bin"\r\nContent-Transfer-Encoding: x-yenc\r\n\r\nnothing here\r\n--b--\r\n`,
      'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n',
    );
    const m = await parseMessage(raw, { mime: 'mailparser' });
    expect(m.attachments.map((a) => [a.filename, a.declaredType, a.sha256])).toEqual([
      ['x.zip', 'application/zip', sha256(d)],
      ['y.bin', 'application/octet-stream', sha256(Buffer.from('nothing here'))],
    ]);
    expect(m.defects).toEqual(['part "y.bin": no =ybegin line; kept as sent']);
  });

  it('the parts of one file in two MIME parts are joined at the first one', () => {
    const d = Buffer.from(Array.from({ length: 900 }, (_, i) => i & 0xff));
    const p = parts('j.bin', d, 500);
    const defects: string[] = [];
    const r = expandYenc(
      [
        { content: Buffer.from('other'), contentType: 'text/plain', filename: 'a.txt' },
        { content: Buffer.from(p[1]!, 'latin1'), contentType: 'application/octet-stream', filename: 'j.002' },
        { content: Buffer.from(p[0]!, 'latin1'), contentType: 'application/octet-stream', filename: 'j.001' },
      ],
      undefined,
      undefined,
      defects,
    );
    expect(r.attachments.map((a) => a.filename)).toEqual(['a.txt', 'j.bin']);
    expect(r.attachments[1]!.content.equals(d)).toBe(true);
    expect(defects).toEqual([]);
  });

  it('a block without its =yend line in a text part ends with the part, not with the message', async () => {
    const d = Buffer.from(Array.from({ length: 700 }, (_, i) => (i * 7) & 0xff));
    const block = single('n.bin', d).replace(/=yend[^\r]*\r\n$/, '');
    const raw = mail(
      `--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${block}--b\r\nContent-Type: application/octet-stream; name="z.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\nAAAA\r\n--b--\r\n`,
      'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n',
    );
    for (const mime of ['auto', 'mailparser'] as const) {
      const m = await parseMessage(raw, { mime, keepContent: true });
      expect(m.attachments.map((a) => [a.filename, a.size])).toEqual([
        ['z.bin', 3],
        ['n.bin', 700],
      ]);
      expect(m.attachments[1]!.content!.equals(d)).toBe(true);
      expect(m.defects).toEqual([
        'yEnc file "n.bin" (in the text body): no =yend line: 700 bytes decoded, the file is incomplete',
        'yEnc file "n.bin": incomplete or unverified, 700 bytes recorded; its digests may not be those of the file sent',
      ]);
    }
  });

  it('mail that only mentions =ybegin is untouched', async () => {
    const body = 'Lines starting =ybegin mark yEnc:\n=ybeginning of nothing\nthat is all\n';
    for (const mime of ['auto', 'mailparser'] as const) {
      const m = await parseMessage(Buffer.from(`From: a@example.com\nSubject: y\nMIME-Version: 1.0\nContent-Type: text/plain\n\n${body}`), { mime });
      expect(m.attachments).toEqual([]);
      expect(m.defects).toEqual([]);
      expect(m.text).toBe(body);
    }
  });
});

describe('a yEnc mail given to scan on its own', () => {
  it('is taken for mail: only its header block must be text, not its 8-bit body', () => {
    for (const f of ['uuenview-attach.eml', 'multipart-in-one.eml']) {
      const raw = readFileSync(join(dir, f));
      expect([f, looksLikeMail(raw), sniffType(raw)]).toEqual([f, true, 'binary']);
    }
  });
});
