import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PSTFile, type PSTMessage } from 'pst-extractor';
import { PSTNodeInputStream } from 'pst-extractor/dist/PSTNodeInputStream.class.js';
import { PSTUtil } from 'pst-extractor/dist/PSTUtil.class.js';
import { describe, expect, it } from 'vitest';
import { looksLikePst, PST_LIMITS, readPst, type PstReadOptions } from '../../src/ingest/pst-reader.js';
import { errors, messages, readAll } from './pst-helpers.js';
import { PstIndex } from '../../src/ingest/pst-index.js';
import { codePageCharset, stringProp } from '../../src/ingest/pst-props.js';
import { rtfToText } from '../../src/ingest/pst-rtf.js';
import { tempDir } from '../helpers.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/pst/', import.meta.url));
const SAMPLE1 = join(FIXTURES, 'firstlookmedia-sample1.pst');
const DIST_LIST = join(FIXTURES, 'firstlookmedia-dist-list.pst');
const PASSWORDED = join(FIXTURES, 'java-libpst-passworded.pst');
const SAMPLE1_LOCATOR = 'pst:Top of Outlook data file/Sample1#2097188';


describe('looksLikePst', () => {
  it('knows a PST by "!BDN" and its client signature', () => {
    for (const f of [SAMPLE1, DIST_LIST, PASSWORDED]) expect(looksLikePst(readFileSync(f).subarray(0, 16))).toBe(true);
    expect(looksLikePst(Buffer.from('!BDN\0\0\0\0AB\x17\0', 'latin1'))).toBe(false); // a personal address book
    expect(looksLikePst(Buffer.from('From a@x Mon Nov  2 10:00:00 2026\n'))).toBe(false);
    expect(looksLikePst(Buffer.from('!BD'))).toBe(false);
  });
});

describe('firstlookmedia-sample1.pst', () => {
  it('yields its one message with the fields of the store', async () => {
    const { items } = await readAll(SAMPLE1);
    expect(items).toHaveLength(1);
    const [item] = messages(items);
    expect(item!.locator).toBe(SAMPLE1_LOCATOR);
    expect(item!.folder).toBe('Top of Outlook data file/Sample1');
    expect(item!.messageClass).toBe('IPM.Note');
    const m = item!.message;
    expect(m.subject).toBe('Here is a sample message');
    // Without angle brackets, as parse.ts and msg-reader.ts store Message-IDs (angleId).
    expect(m.messageId).toBe('B2FDDB8BE384C94794441DB4A7F3D8B804AE624B@TK5EX14MBXC114.redmond.corp.microsoft.com');
    expect(m.dateRaw).toBe('Mon, 15 Mar 2010 10:12:05 -0700');
    expect(m.date).toBe('2010-03-15T17:12:05.000Z');
    expect(m.inReplyTo).toBeNull();
    expect(m.references).toEqual([]);
    expect(m.from).toEqual({ name: 'Terry Mahaffey', address: 'terrymah@microsoft.com' });
    expect(m.to).toEqual([{ name: 'Terry Mahaffey', address: 'terrymah@microsoft.com' }]);
    expect(m.cc).toEqual([]);
    expect(m.bcc).toEqual([]);
    expect(m.received).toHaveLength(1);
    expect(m.received[0]).toMatchObject({ fromHost: 'TK5EX14MBXC114.redmond.corp.microsoft.com', fromIp: '169.254.3.48', byHost: 'TK5EX14MLTC103.redmond.corp.microsoft.com' });
    expect(m.text).toBe('With a sample attachment. It\u2019s my daughter and our puppy. Aren\u2019t they cute?\r\n\r\n');
    expect(m.html).toHaveLength(1701);
    expect(m.html).toContain('With a sample attachment. It&#8217;s my daughter and our puppy.');
    expect(m.defects).toEqual([]);
    expect(m.size).toBe(0);
  });

  it('resolves the Exchange sender address through PidTagSenderSmtpAddress, which the store holds', async () => {
    // What the store itself says, read with pst-extractor alone (the file is sound).
    const pst = new PSTFile(SAMPLE1);
    try {
      const folder = pst.getRootFolder().getSubFolders()[0]!.getSubFolders()[1]!;
      const raw = folder.getNextChild() as PSTMessage;
      expect(raw.senderEmailAddress).toBe('/O=MICROSOFT/OU=NORTHAMERICA/CN=RECIPIENTS/CN=TERRYMAH1');
      expect(raw.senderAddrtype).toBe('EX');
    } finally {
      pst.close();
    }
    const m = messages((await readAll(SAMPLE1)).items)[0]!.message;
    expect(m.from?.address).toBe('terrymah@microsoft.com');
  });

  it('reads the attachment with its exact bytes', async () => {
    const m = messages((await readAll(SAMPLE1)).items)[0]!.message;
    expect(m.attachments).toHaveLength(1);
    const a = m.attachments[0]!;
    expect(a).toMatchObject({
      ordinal: 0,
      nestPath: '',
      filename: 'leah_thumper.jpg',
      declaredType: 'application/octet-stream',
      sniffedType: 'jpeg',
      size: 93142,
      sha256: '6cbde5154184f68a2ccefbe1a2d5520efd473576dc60e13665f5706080548f8e',
      md5: 'ebf3b666f48665188894443118c0bc6b',
    });
    expect(a.content).toBeInstanceOf(Buffer);
    expect(a.content!.length).toBe(93142);
    expect(a.content!.subarray(0, 3).toString('hex')).toBe('ffd8ff');
    expect(a.content!.subarray(-2).toString('hex')).toBe('ffd9');
  });

  it('reports the folders it walked with their counts', async () => {
    const { summary } = await readAll(SAMPLE1);
    expect(summary.store).toEqual({ name: 'sample1', format: 'unicode', encoding: 'compressible', passwordProtected: false });
    expect(summary.folders.map((f) => [f.path, f.messages])).toEqual([
      ['', 0],
      ['Top of Outlook data file', 0],
      ['Top of Outlook data file/Deleted Items', 0],
      ['Top of Outlook data file/Sample1', 1],
      ['Search Root', 0],
    ]);
    expect(summary).toMatchObject({ messages: 1, skipped: {}, passedOver: 0, errors: 0, abandoned: null });
  });

  it('gives the same locator and content hash on every run, and passes over what the caller has', async () => {
    const a = messages((await readAll(SAMPLE1)).items)[0]!;
    const b = messages((await readAll(SAMPLE1)).items)[0]!;
    expect(b.locator).toBe(a.locator);
    expect(b.message.contentHash).toBe(a.message.contentHash);
    const seen: string[] = [];
    const resumed = await readAll(SAMPLE1, { skip: (l) => (seen.push(l), l === SAMPLE1_LOCATOR) });
    expect(resumed.items).toEqual([]);
    expect(seen).toEqual([SAMPLE1_LOCATOR]);
    expect(resumed.summary).toMatchObject({ messages: 0, passedOver: 1, errors: 0 });
  });

  it('reads the items of folders it does not walk, under their parent node', async () => {
    const { items, summary } = await readAll(SAMPLE1, { maxFolderDepth: 1 });
    expect(items.map((i) => ('error' in i ? [i.locator, i.error] : [i.locator, i.message.subject]))).toEqual([
      ['pst:Top of Outlook data file#32802!subfolders', '2 subfolders nested deeper than 1 levels not walked; their items are read as items outside the folder tree'],
      ['pst:(outside the folder tree: node 32898)#2097188', 'Here is a sample message'],
    ]);
    expect(summary.folders.map((f) => [f.path, f.messages])).toEqual([
      ['', 0],
      ['Top of Outlook data file', 0],
      ['Search Root', 0],
      ['(outside the folder tree: node 32898)', 1],
    ]);
  });

  it('stops a folder at the item limit with an error record', async () => {
    const { items, summary } = await readAll(SAMPLE1, { maxItemsPerFolder: 0 });
    expect(items).toEqual([{ locator: 'pst:Top of Outlook data file/Sample1#32898!item-limit', folder: 'Top of Outlook data file/Sample1', error: '1 items; the first 0 read' }]);
    expect(summary).toMatchObject({ messages: 0, errors: 1 });
  });

  it('closes the store when the caller stops early', async () => {
    if (!existsSync('/proc/self/fd')) return;
    const open = () => readdirSync('/proc/self/fd').length;
    const before = open();
    for await (const item of readPst(SAMPLE1)) {
      expect('message' in item).toBe(true);
      break;
    }
    expect(open()).toBe(before);
  });
});

describe('stores without mail', () => {
  it('firstlookmedia-dist-list.pst: the distribution list, contact and free/busy item are not messages', async () => {
    const { items, summary } = await readAll(DIST_LIST);
    expect(items).toEqual([]);
    expect(summary.messages).toBe(0);
    expect(summary.errors).toBe(0);
    expect(summary.skipped).toEqual({ 'IPM.DistList': 1, 'IPM.Contact': 1, 'IPM.Microsoft.ScheduleData.FreeBusy': 1 });
    const byPath = new Map(summary.folders.map((f) => [f.path, f]));
    expect(byPath.get('Top of Personal Folders/Contacts')).toMatchObject({ messages: 0, skipped: 2, errors: 0 });
    expect(byPath.get('Freebusy Data')).toMatchObject({ messages: 0, skipped: 1, errors: 0 });
    // No appointment in this copy of the file: the calendar is empty.
    expect(byPath.get('Top of Personal Folders/Calendar')).toMatchObject({ messages: 0, skipped: 0, errors: 0 });
    expect(summary.store).toEqual({ name: 'Personal Folders', format: 'unicode', encoding: 'compressible', passwordProtected: false });
  });

  it('java-libpst-passworded.pst: a store password is a check, not encryption; the store is read', async () => {
    const { items, summary } = await readAll(PASSWORDED);
    expect(items).toEqual([]);
    expect(summary.store).toEqual({ name: 'Personal Folders', format: 'unicode', encoding: 'compressible', passwordProtected: true });
    expect(summary.skipped).toEqual({ 'IPM.DistList': 1, 'IPM.Contact': 1, 'IPM.Microsoft.ScheduleData.FreeBusy': 1 });
    expect(summary.errors).toBe(0);
    const other = await readAll(DIST_LIST);
    expect(summary.folders).toEqual(other.summary.folders);
  });
});

describe('8-bit strings', () => {
  it('decodes Japanese code pages that pst-extractor cannot (it names 932 and 50220 "iso-2022-jp")', () => {
    const item = (entryValueType: number, data: Buffer) => ({ entryValueType, data, isExternalValueReference: false, entryValueReference: 0 });
    const sjis = Buffer.from([0x82, 0xb2, 0x8a, 0x6d, 0x94, 0x46]); // ご確認 in Shift_JIS
    const jis = Buffer.from("\x1b$B$43NG'\x1b(B", 'latin1'); // ご確認 in ISO-2022-JP
    const object = { pstTableItems: new Map([[0x0037, item(0x001e, sjis)], [0x1013, item(0x0102, jis)], [0x3001, item(0x001f, Buffer.from('名前\0', 'utf16le'))]]) };
    const o = object as unknown as Parameters<typeof stringProp>[0];
    expect(stringProp(o, 0x0037, codePageCharset(932))).toBe('ご確認');
    expect(stringProp(o, 0x1013, codePageCharset(50220))).toBe('ご確認');
    expect(stringProp(o, 0x3001)).toBe('名前');
    expect(stringProp(o, 0x0e1d)).toBe('');
    expect([932, 50221, 51932, 65001, 1252, 28591, 936].map(codePageCharset)).toEqual(['cp932', 'iso-2022-jp', 'euc-jp', 'utf-8', 'windows-1252', 'iso-8859-1', 'gbk']);
  });
});

describe('RTF bodies', () => {
  it('reads text, code-page bytes and \\u characters, and skips tables and pictures', () => {
    const rtf =
      '{\\rtf1\\ansi\\ansicpg932\\deff0{\\fonttbl{\\f0\\fnil MS Gothic;}}{\\colortbl;\\red0\\green0\\blue0;}' +
      '{\\*\\generator Riched20;}\\pard \\f0 \\\'82\\\'b2\\\'8a\\\'6d\\\'94\\\'46\\par ' +
      'PW: Xa7q3\\tab ok\\par {\\pict\\wmetafile8 0102ff}\\u12497?\\u12473?\\par ' +
      '{\\field{\\*\\fldinst HYPERLINK "http://example.com/a"}{\\fldrslt link}}}';
    expect(rtfToText(rtf, 1000)).toBe('ご確認\nPW: Xa7q3\tok\nパス\nHYPERLINK "http://example.com/a"link');
    expect(rtfToText('{\\rtf1 ' + 'a'.repeat(100) + '}', 10)).toBe('a'.repeat(10));
  });
});

// ---- Hostile stores: corrupted copies of sample1.pst. Each must end (as error records,
// or the one header error) without hanging; the step limit is set low to keep them fast.

const dir = tempDir('pst');
let n = 0;
function write(b: Buffer): string {
  const p = join(dir, `c${++n}.pst`);
  writeFileSync(p, b);
  return p;
}
const SMALL: PstReadOptions = { maxStepsPerItem: 100_000 };
const sample = () => Buffer.from(readFileSync(SAMPLE1));
/** The store's "compressible" encoding (MS-PST 5.1): a byte permutation, decoded by the library's table. */
const DECODE = PSTUtil.compEnc;
const ENCODE: number[] = [];
DECODE.forEach((plain, cipher) => (ENCODE[plain] = cipher));

/** File offset and size of the data block of node `nid` in sample1.pst (a Unicode PST). */
function nodeBlock(nid: number): { ib: number; cb: number } {
  const index = PstIndex.open(SAMPLE1);
  try {
    const block = index.blockEntry(index.nodeEntry(nid).readBigUInt64LE(8));
    return { ib: Number(block.readBigUInt64LE(8)), cb: block.readUInt16LE(16) };
  } finally {
    index.close();
  }
}
/** Rewrite the decoded content of an (encoded) data block. */
function editBlock(b: Buffer, at: { ib: number; cb: number }, edit: (plain: Buffer) => void): void {
  const plain = Buffer.from(b.subarray(at.ib, at.ib + at.cb).map((x) => DECODE[x]!));
  edit(plain);
  Buffer.from(plain.map((x) => ENCODE[x]!)).copy(b, at.ib);
}
/** Every block of the BBT: id, file offset and size (Unicode page layout). */
function allBlocks(b: Buffer): { bid: bigint; ib: number; cb: number }[] {
  const out: { bid: bigint; ib: number; cb: number }[] = [];
  const walk = (page: number) => {
    const cEnt = b[page + 488]!;
    const level = b[page + 491]!;
    for (let i = 0; i < cEnt; i++) {
      const e = page + i * 24;
      if (level === 0) out.push({ bid: b.readBigUInt64LE(e), ib: Number(b.readBigUInt64LE(e + 8)), cb: b.readUInt16LE(e + 16) });
      else walk(Number(b.readBigUInt64LE(e + 16)));
    }
  };
  walk(Number(b.readBigUInt64LE(240)));
  return out;
}
const MESSAGE_NID = 2097188;
const patched = () => (PSTNodeInputStream.prototype as unknown as Record<symbol, unknown>)[Symbol.for('blastradius.pst-guard')] === true;

describe.sequential('hostile stores', () => {
  it('runs with pst-extractor patched (the cases below would hang without it)', async () => {
    await readAll(SAMPLE1);
    expect(patched()).toBe(true);
  });

  it('throws one clear error for a file that is not a readable store', async () => {
    const notPst = write(Buffer.from('From a@x Mon Nov  2 10:00:00 2026\nSubject: x\n\nbody\n'));
    await expect(readAll(notPst)).rejects.toThrow('not a readable PST/OST file: no "!BDN" signature at the start');
    await expect(readAll(write(sample().subarray(0, 300)))).rejects.toThrow('not a readable PST/OST file: file of 300 bytes is shorter than its header');
    const v37 = sample();
    v37.writeUInt16LE(37, 10);
    await expect(readAll(write(v37))).rejects.toThrow('not a readable PST/OST file: unknown format version 37');
    const cyclic = sample();
    cyclic[513] = 2;
    await expect(readAll(write(cyclic))).rejects.toThrow(/"high" \(cyclic\) encoding/);
    await expect(readAll(join(dir, 'missing.pst'))).rejects.toThrow(/not a readable PST\/OST file: ENOENT/);
  });

  it('an NBT page pointing at itself: the loop is reported, the walk ends', async () => {
    const b = sample();
    const root = Number(b.readBigUInt64LE(224));
    b.writeBigUInt64LE(BigInt(root), root + 3 * 24 + 16); // the last of the root's 4 children
    const { items, summary } = await readAll(write(b), SMALL);
    expect(errors(items).map((e) => e.error)).toEqual(['node index page unreadable: NBT page reached a second time (a loop in the index)']);
    // The looped subtree held the Sample1 folder and its message: neither is read.
    expect(messages(items)).toEqual([]);
    expect(summary.folders.map((f) => f.path)).toEqual(['', 'Top of Outlook data file', 'Top of Outlook data file/Deleted Items', 'Search Root']);
  });

  it('a BBT page pointing at itself: lookups through it fail as error records', async () => {
    const b = sample();
    const root = Number(b.readBigUInt64LE(240));
    for (let i = 0; i < 4; i++) b.writeBigUInt64LE(BigInt(root), root + i * 24 + 16);
    const { items, summary } = await readAll(write(b), SMALL);
    expect(messages(items)).toEqual([]);
    expect(errors(items).length).toBeGreaterThan(0);
    for (const e of errors(items)) expect(e.error).toMatch(/BBT page at \d+ has level 1, expected 0/);
    expect(summary.errors).toBe(errors(items).length);
  });

  it('a table whose keys and values have size 0 (rows without end) stops at the work limit', async () => {
    const b = sample();
    editBlock(b, nodeBlock(MESSAGE_NID), (p) => {
      const bth = p.readUInt16LE(p.readUInt16LE(0) + 4); // first allocation of the heap: the BTH header
      expect(p[bth]).toBe(0xb5);
      p[bth + 1] = 0; // cbKey
      p[bth + 2] = 0; // cbEnt
    });
    const { items, summary } = await readAll(write(b), SMALL);
    expect(items).toEqual([{ locator: SAMPLE1_LOCATOR, folder: 'Top of Outlook data file/Sample1', error: 'more than 100000 reads and lookups in the store\'s indexes' }]);
    expect(summary).toMatchObject({ messages: 0, errors: 1, abandoned: null });
  });

  it('a heap page map at the end of its block (a read past the end of a stream) is an error, not a loop', async () => {
    const b = sample();
    const at = nodeBlock(MESSAGE_NID);
    editBlock(b, at, (p) => p.writeUInt16LE(at.cb, 0));
    const { items } = await readAll(write(b), SMALL);
    expect(items).toEqual([{ locator: SAMPLE1_LOCATOR, folder: 'Top of Outlook data file/Sample1', error: expect.stringContaining('unexpected EOF') }]);
  });

  it('a block tree announcing 4 GB of attachment data: a defect, nothing allocated', async () => {
    const b = sample();
    const xblock = allBlocks(b).find(({ ib }) => b[ib] === 0x01 && b[ib + 1] === 1)!; // the attachment's data (not encoded: an internal block)
    expect(b.readUInt32LE(xblock.ib + 4)).toBe(93142);
    b.writeUInt32LE(0xfffffff0, xblock.ib + 4);
    const { items } = await readAll(write(b), SMALL);
    const m = messages(items)[0]!.message;
    expect(m.attachments).toEqual([]);
    expect(m.defects).toEqual([`attachment 0 unreadable: data of ${0xfffffff0} bytes (block tree at offset ${xblock.ib}) is over the ${PST_LIMITS.maxStreamBytes}-byte limit`]);
  });

  it('a block tree that lists itself stops at two levels', async () => {
    const b = sample();
    const { bid, ib } = allBlocks(b).find(({ ib }) => b[ib] === 0x01 && b[ib + 1] === 1)!; // the attachment's data
    b[ib + 1] = 2; // an XXBLOCK whose every entry is itself
    for (let i = 0; i < b.readUInt16LE(ib + 2); i++) b.writeBigUInt64LE(bid, ib + 8 + i * 8);
    const m = messages((await readAll(write(b), SMALL)).items)[0]!.message;
    expect(m.attachments).toEqual([]);
    expect(m.defects).toEqual(['attachment 0 unreadable: block tree deeper than 2 levels']);
  });

  it('an attachment over the size limit is a defect', async () => {
    const { items } = await readAll(SAMPLE1, { maxAttachmentBytes: 90_000 });
    const m = messages(items)[0]!.message;
    expect(m.attachments).toEqual([]);
    expect(m.defects).toEqual(['attachment 0 "leah_thumper.jpg" of 93142 bytes is over the 90000-byte limit; not read']);
  });

  it('a subnode tree that lists itself stops at the depth limit', async () => {
    const b = sample();
    const index = PstIndex.open(SAMPLE1);
    const sub = index.blockEntry(index.nodeEntry(MESSAGE_NID).readBigUInt64LE(16));
    index.close();
    const ib = Number(sub.readBigUInt64LE(8));
    const bid = sub.readBigUInt64LE(0);
    expect(b[ib]).toBe(0x02); // SLBLOCK, made an SIBLOCK whose every entry is itself
    b[ib + 1] = 1;
    for (let i = 0; i < b.readUInt16LE(ib + 2); i++) b.writeBigUInt64LE(bid, ib + 8 + i * 16 + 8);
    const { items } = await readAll(write(b), SMALL);
    expect(items).toEqual([{ locator: SAMPLE1_LOCATOR, folder: 'Top of Outlook data file/Sample1', error: `subnode tree deeper than ${PST_LIMITS.maxSubnodeDepth} levels` }]);
  });

  it('truncated copies end with records or the header error', async () => {
    const whole = sample();
    for (let len = 1024; len < whole.length; len += 8 * 1024) {
      try {
        const { items, summary } = await readAll(write(whole.subarray(0, len)), SMALL);
        expect(summary.errors).toBe(errors(items).length);
      } catch (e) {
        expect((e as Error).message).toMatch(/^not a readable PST\/OST file: /);
      }
    }
  });

  it('random bytes in blocks and index pages end with records or the header error', async () => {
    const base = sample();
    const blocks = allBlocks(base);
    let seed = 1;
    const rand = (k: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % k;
    };
    let yielded = 0;
    for (let round = 0; round < 60; round++) {
      const b = Buffer.from(base);
      for (let k = 0; k < 1 + rand(4); k++) {
        const block = blocks[rand(blocks.length)]!;
        if (round % 3 === 0) b[block.ib + rand(Math.min(block.cb, 32))] = rand(256);
        else if (round % 3 === 1) editBlock(b, block, (p) => p.writeUInt16LE([0, 1, block.cb, block.cb - 1, 0xffff][rand(5)]! & 0xffff, rand(Math.max(1, block.cb - 2))));
        else b[Number(b.readBigUInt64LE(224 + 16 * rand(2))) + rand(512)] = rand(256);
      }
      try {
        const { items, summary } = await readAll(write(b), SMALL);
        yielded += items.length;
        expect(summary.errors).toBe(errors(items).length);
      } catch (e) {
        expect((e as Error).message).toMatch(/^not a readable PST\/OST file: /);
      }
    }
    expect(yielded).toBeGreaterThan(0);
  });
});
