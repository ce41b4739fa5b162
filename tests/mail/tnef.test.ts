// TNEF (winmail.dat) parts: the files inside become attachment records under the part
// (src/mail/tnef.ts). The fixtures were written by tests/fixtures/mail/tnef/record.py after
// MS-OXTNEF and read back with the tnef and ytnef tools.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/mail/parse.js';
import { readTnef, TNEF_LIMITS } from '../../src/mail/tnef.js';
import { forwarded, itParsesFixtures } from './decoder-fixtures.js';

const dir = join(__dirname, '..', 'fixtures', 'mail', 'tnef');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const XLS = readFileSync(join(__dirname, '..', '..', 'src', 'samples', 'assets', 'macro-auto-open.xls'));
const XLS_SHA = 'bd29faabd2fbb45d3024d174476049220fbbe73bc97ab137c973b302f902fc78';
const NOTES_SHA = '6d48511e449980f81b0879fd12a2d116318901c7ced177dc6629ac80b93b77af';
const OUTLOOK_DAT_SHA = '521cd6a0ebce87343906f91c40c0700b88885c808bb6d864a3c1175735e00969';
const EXCHANGE_DAT_SHA = 'ed724b9638fc6b574cb4f56862f15121cf7361e75a3811463fddf5abb5e24c6f';
const EMBEDDED_SHA = '19be439c2683714504b8ecb85338faa834a10e3e9c6db283a57b607fe34e8f62';

// A TNEF writer for the corrupted variants, the same as record.py's.
const u16 = (n: number) => Buffer.from([n & 0xff, (n >> 8) & 0xff]);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};
const pad4 = (b: Buffer) => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
const sum = (b: Buffer) => b.reduce((s, x) => s + x, 0) & 0xffff;
const attr = (level: number, id: number, data: Buffer, o: { length?: number; checksum?: number } = {}) =>
  Buffer.concat([Buffer.from([level]), u32(id), u32(o.length ?? data.length), data, u16(o.checksum ?? sum(data))]);
const utf16 = (s: string) => Buffer.from(s + '\0', 'utf16le');
type Prop = [type: number, id: number, value: Buffer | number];
const prop = ([type, id, v]: Prop) => Buffer.concat([u16(type), u16(id), typeof v === 'number' ? u32(v) : Buffer.concat([u32(1), u32(v.length), pad4(v)])]);
const props = (items: Prop[], count = items.length) => Buffer.concat([u32(count), ...items.map(prop)]);
const SIG = Buffer.from([0x78, 0x9f, 0x3e, 0x22, 0x01, 0x00]);
const IID_IMESSAGE = Buffer.from('0703020000000000c000000000000046', 'hex');
const A = { rend: 0x00069002, title: 0x00018010, data: 0x0006800f, att: 0x00069005, msgProps: 0x00069003, body: 0x0002800c, cp: 0x00069007 };
const PT = { long: 0x0003, unicode: 0x001f, binary: 0x0102, object: 0x000d };
const REND = Buffer.from('0100ffffffffffffffff00000000', 'hex');
/** An attachment by value: attAttachRendData, attAttachTitle, attAttachData, attAttachment. */
const fileAttachment = (name: string, data: Buffer, extra: Prop[] = []) =>
  Buffer.concat([attr(2, A.rend, REND), attr(2, A.title, Buffer.from(name + '\0', 'latin1')), attr(2, A.data, data), attr(2, A.att, props([[PT.long, 0x3705, 1], [PT.unicode, 0x3707, utf16(name)], ...extra]))]);
/** An embedded message (method 5) holding `inner`, a TNEF stream. */
const embedded = (name: string, inner: Buffer) =>
  Buffer.concat([attr(2, A.rend, REND), attr(2, A.att, props([[PT.long, 0x3705, 5], [PT.unicode, 0x3001, utf16(name)], [PT.object, 0x3701, Buffer.concat([IID_IMESSAGE, inner])]]))]);
const tnef = (...parts: Buffer[]) => Buffer.concat([SIG, ...parts]);

const outlookDat = readFileSync(join(dir, 'outlook-winmail.dat'));
const exchangeDat = readFileSync(join(dir, 'exchange-winmail.dat'));

describe('TNEF fixtures through parseMessage', () => {
  const cases = [
    {
      file: 'outlook-winmail.eml',
      records: [
        ['', 'winmail.dat', 'application/ms-tnef', 'binary', 68908, OUTLOOK_DAT_SHA],
        ['0', 'Invoice 4471.xls', 'application/vnd.ms-excel', 'ole', 33792, XLS_SHA],
        ['0', 'RE: statement', 'application/ms-tnef', 'binary', 34169, EMBEDDED_SHA],
        ['0/2', 'statement.xls', 'application/vnd.ms-excel', 'ole', 33792, XLS_SHA],
        ['0', 'notes.txt', 'text/plain', 'text', 74, NOTES_SHA],
      ],
      text: 'Please see the attached invoice.\n',
    },
    {
      file: 'exchange-tnef-only.eml',
      records: [
        ['', 'winmail.dat', 'application/ms-tnef', 'binary', 34066, EXCHANGE_DAT_SHA],
        ['0', '請求書.xls', 'application/vnd.ms-excel', 'ole', 33792, XLS_SHA],
      ],
      // No MIME text: the body comes from attBody (code page 932), line ends as LF.
      text: 'いつもお世話になっております。\n請求書を添付いたします。\n',
    },
  ] as const;
  itParsesFixtures(dir, cases);

  it('the .dat files are the ones inside the messages', async () => {
    expect(sha256(outlookDat)).toBe(OUTLOOK_DAT_SHA);
    expect(sha256(exchangeDat)).toBe(EXCHANGE_DAT_SHA);
  });

  it('winmail.dat in a forwarded message: its files two levels down', async () => {
    const inner = readFileSync(join(dir, 'outlook-winmail.eml'));
    const raw = forwarded(inner);
    for (const mime of ['auto', 'mailparser'] as const) {
      const m = await parseMessage(raw, { mime });
      expect(m.attachments.map((a) => [a.nestPath, a.filename])).toEqual([
        ['', ''],
        ['0', 'winmail.dat'],
        ['0/1', 'Invoice 4471.xls'],
        ['0/1', 'RE: statement'],
        ['0/1/3', 'statement.xls'],
        ['0/1', 'notes.txt'],
      ]);
      expect(m.defects).toEqual([]);
      // The forwarded message's body is not the message's.
      expect(m.text).toBe('fwd');
    }
  });
});

describe('readTnef', () => {
  it('reads the Outlook stream: names, methods, MIME tags, the embedded message and where each file starts', () => {
    const m = readTnef(outlookDat);
    expect(m.defects).toEqual([]);
    expect([m.messageClass, m.subject, m.body]).toEqual(['IPM.Microsoft Mail.Note', 'Invoice 4471', '']);
    expect(m.attachments.map((a) => [a.name, a.method, a.mimeType, a.data.length])).toEqual([
      ['Invoice 4471.xls', 1, 'application/vnd.ms-excel', 33792],
      ['RE: statement', 5, undefined, 34169],
      ['notes.txt', 1, undefined, 74],
    ]);
    expect(m.attachments[0]!.offset).toBe(outlookDat.indexOf(XLS));
    const e = m.attachments[1]!.embedded!;
    expect([e.messageClass, e.subject, e.body]).toEqual(['IPM.Note', 'RE: statement', 'The statement is attached.\r\n']);
    expect(e.attachments.map((a) => [a.name, sha256(a.data)])).toEqual([['statement.xls', XLS_SHA]]);
  });

  it('reads the Exchange stream: code page 932 names and body', () => {
    const m = readTnef(exchangeDat);
    expect(m.defects).toEqual([]);
    expect(m.subject).toBe('請求書の送付');
    expect(m.body).toBe('いつもお世話になっております。\r\n請求書を添付いたします。\r\n');
    expect(m.attachments.map((a) => [a.name, sha256(a.data)])).toEqual([['請求書.xls', XLS_SHA]]);
  });

  it('a checksum that does not match: a defect, the data kept', () => {
    const s = tnef(attr(2, A.rend, REND), attr(2, A.data, XLS, { checksum: 0x1234 }));
    const m = readTnef(s);
    expect(m.attachments.map((a) => sha256(a.data))).toEqual([XLS_SHA]);
    expect(m.defects).toEqual([`attribute 0x0006800f at offset ${6 + 9 + 14 + 2}: checksum 0x1234, the bytes give 0x${sum(XLS).toString(16).padStart(4, '0')}`]);
  });

  it('a stream cut inside a file: defects, the earlier files whole and the cut one up to the end', () => {
    const full = tnef(fileAttachment('first.txt', Buffer.from('first file')), fileAttachment('second.xls', XLS));
    const cutAt = full.indexOf(XLS) + 10_000;
    const m = readTnef(full.subarray(0, cutAt));
    expect(m.attachments.map((a) => [a.name, a.data.length])).toEqual([
      ['first.txt', 10],
      ['second.xls', 10_000],
    ]);
    expect(XLS.subarray(0, 10_000).equals(m.attachments[1]!.data)).toBe(true);
    expect(m.defects).toEqual([`attribute 0x0006800f at offset ${full.indexOf(XLS) - 9} claims 33792 bytes, 10000 there; those read`]);
  });

  it('an attribute length pointing past the end: a defect, nothing allocated from it', () => {
    const m = readTnef(tnef(attr(2, A.rend, REND), attr(2, A.title, Buffer.from('x.bin\0')), attr(2, A.data, Buffer.from('abc'), { length: 0xffffffff })));
    // What follows the length is 'abc' and its checksum: both read as the file, nothing more.
    expect(m.attachments.map((a) => [a.name, a.data])).toEqual([['x.bin', Buffer.concat([Buffer.from('abc'), u16(0x61 + 0x62 + 0x63)])]]);
    expect(m.defects).toEqual([`attribute 0x0006800f at offset ${6 + 25 + 17} claims 4294967295 bytes, 5 there; those read`]);
  });

  it('huge property and value counts, value lengths past the end: defects, what came before kept', () => {
    const huge = readTnef(tnef(attr(2, A.rend, REND), attr(2, A.data, Buffer.from('d')), attr(2, A.att, props([[PT.unicode, 0x3707, utf16('n.txt')]], 0xffffffff))));
    expect(huge.attachments.map((a) => a.name)).toEqual(['n.txt']);
    expect(huge.defects).toEqual([`attAttachment of attachment 1: claims 4294967295 properties; the first ${TNEF_LIMITS.maxProperties} read`, `attAttachment of attachment 1: property 2 of ${TNEF_LIMITS.maxProperties}: the list ends at byte 28`]);

    const values = Buffer.concat([u32(1), u16(PT.binary), u16(0x3701), u32(0x7fffffff), u32(4), Buffer.from('abcd')]);
    const v = readTnef(tnef(attr(2, A.rend, REND), attr(2, A.att, values)));
    expect(v.defects).toEqual(['attAttachment of attachment 1: property 0x3701 claims 2147483647 values, room for 2; the rest of the list left unread', 'attachment 1 "": no data (attach method 1)']);

    const long = Buffer.concat([u32(1), u16(PT.binary), u16(0x3701), u32(1), u32(1_000_000), Buffer.from('only this')]);
    const l = readTnef(tnef(attr(2, A.rend, REND), attr(2, A.title, Buffer.from('l.bin\0')), attr(2, A.att, long)));
    expect(l.attachments.map((a) => [a.name, a.data.toString()])).toEqual([['l.bin', 'only this']]);
    expect(l.defects[0]).toMatch(/^attAttachment of attachment 1: property 0x3701: value of 1000000 bytes at offset \d+, 9 there; those kept$/);
  });

  it('a named property of an unknown kind and a property of an unknown type stop the list, with a defect', () => {
    const named = Buffer.concat([u32(2), u16(PT.unicode), u16(0x3707), u32(1), u32(12), pad4(utf16('x.txt')), u16(PT.long), u16(0x8001), Buffer.alloc(16), u32(7)]);
    const n = readTnef(tnef(attr(2, A.rend, REND), attr(2, A.data, Buffer.from('x')), attr(2, A.att, named)));
    expect(n.attachments.map((a) => a.name)).toEqual(['x.txt']);
    expect(n.defects).toEqual(['attAttachment of attachment 1: named property 0x8001: name kind 7 is neither 0 nor 1; the rest of the list left unread']);
    const unknown = Buffer.concat([u32(1), u16(0x00ff), u16(0x3707), u32(0)]);
    const u = readTnef(tnef(attr(2, A.rend, REND), attr(2, A.data, Buffer.from('x')), attr(2, A.att, unknown)));
    expect(u.defects).toEqual(['attAttachment of attachment 1: property 0x3707 of type 0x00ff, whose size is unknown; the rest of the list left unread']);
  });

  it('not TNEF: a defect, nothing read', () => {
    for (const b of [Buffer.alloc(0), Buffer.from('winmail'), Buffer.from('789f3e', 'hex')]) expect(readTnef(b)).toEqual({ body: '', bodyHtml: '', attachments: [], defects: ['no TNEF signature'] });
  });

  it('embedded messages nested deeper than maxNesting are kept unopened', () => {
    let s = tnef(fileAttachment('deep.txt', Buffer.from('bottom')));
    for (let i = 0; i < 10; i++) s = tnef(embedded(`level ${i}`, s));
    const m = readTnef(s);
    let depth = 0;
    for (let e = m; e.attachments[0]?.embedded; e = e.attachments[0].embedded) depth++;
    expect(depth).toBe(TNEF_LIMITS.maxNesting);
    expect(m.defects).toEqual([expect.stringMatching(/embedded message nested deeper than 4; kept unopened$/)]);
  });

  it('attributes, attachments and bytes out are bounded', () => {
    const empty = attr(1, 0x00018004, Buffer.alloc(0));
    expect(readTnef(tnef(...Array.from({ length: 20_000 }, () => empty))).defects).toEqual([`more than ${TNEF_LIMITS.maxAttributes} attributes; the rest left unread`]);
    const one = fileAttachment('f', Buffer.from('x'));
    const many = readTnef(tnef(...Array.from({ length: 600 }, () => one)));
    expect(many.attachments).toHaveLength(TNEF_LIMITS.maxAttachments);
    expect(many.defects).toEqual([`more than ${TNEF_LIMITS.maxAttachments} attachments; the rest left unread`]);
    const budget = readTnef(tnef(fileAttachment('a', XLS), fileAttachment('b', XLS)), { limits: { maxBytesOut: 40_000 } });
    expect(budget.attachments.map((a) => a.name)).toEqual(['a']);
    expect(budget.defects).toEqual(['attachment 2 "b": files over 40000 bytes in all; not recorded']);
  });

  it('attAttachData and PidTagAttachDataBinary that differ: both recorded, with a defect', () => {
    const m = readTnef(tnef(fileAttachment('two.bin', Buffer.from('one'), [[PT.binary, 0x3701, Buffer.from('other')]])));
    expect(m.attachments.map((a) => [a.name, a.data.toString()])).toEqual([
      ['two.bin', 'one'],
      ['two.bin', 'other'],
    ]);
    expect(m.defects).toEqual(['attachment 1 "two.bin": attAttachData and PidTagAttachDataBinary differ; both recorded']);
  });

  it('never throws on mutations of a real stream', () => {
    const small = tnef(
      attr(1, A.cp, Buffer.concat([u32(1252), u32(0)])),
      attr(1, A.msgProps, props([[PT.unicode, 0x1000, utf16('body')]])),
      fileAttachment('a.xls', XLS.subarray(0, 200)),
      embedded('e', tnef(fileAttachment('b.txt', Buffer.from('inner')))),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 10 }), fc.nat(), (edits, cut) => {
        const b = Buffer.from(small);
        for (const [at, v] of edits) b[at % b.length] = v;
        const m = readTnef(b.subarray(0, b.length - (cut % 64)));
        for (const a of m.attachments) expect(a.data.length).toBeLessThanOrEqual(b.length);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('TNEF parts in mail', () => {
  const single = (dat: Buffer, text = '') =>
    Buffer.from(
      `From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n` +
        (text ? `--b\r\nContent-Type: text/plain\r\n\r\n${text}\r\n` : '') +
        `--b\r\nContent-Type: application/ms-tnef; name="winmail.dat"\r\nContent-Transfer-Encoding: base64\r\n\r\n${dat.toString('base64')}\r\n--b--\r\n`,
    );

  it('a part declared TNEF without the signature is kept as sent, with a defect', async () => {
    for (const mime of ['auto', 'mailparser'] as const) {
      const m = await parseMessage(single(Buffer.from('not tnef at all')), { mime });
      expect(m.attachments.map((a) => [a.filename, a.size])).toEqual([['winmail.dat', 15]]);
      expect(m.defects).toEqual(['TNEF part "winmail.dat": no TNEF signature; kept as sent, not opened']);
    }
  });

  it('a damaged winmail.dat: the defects say where, the files read before the fault are recorded', async () => {
    const cut = outlookDat.subarray(0, outlookDat.indexOf(XLS) + 5000);
    const m = await parseMessage(single(cut, 'see attached'));
    expect(m.attachments.map((a) => [a.nestPath, a.filename, a.size])).toEqual([
      ['', 'winmail.dat', cut.length],
      ['0', 'INVOIC~1.XLS', 5000],
    ]);
    expect(m.defects).toEqual([expect.stringMatching(/^TNEF part "winmail.dat": attribute 0x0006800f at offset \d+ claims 33792 bytes, 5000 there; those read$/)]);
    expect(m.text).toBe('see attached');
  });

  it('the HTML body of a TNEF-only message is the text when nothing else is', async () => {
    const html = Buffer.from('<p>Pay <b>today</b>: http://pay.example.net/x</p>', 'utf8');
    const dat = tnef(attr(1, A.msgProps, props([[PT.binary, 0x1013, html], [PT.long, 0x3fde, 65001]])));
    const m = await parseMessage(single(dat));
    expect(m.text).toBe('Pay today: http://pay.example.net/x\n');
    expect(m.urls).toContain('http://pay.example.net/x');
  });
});
