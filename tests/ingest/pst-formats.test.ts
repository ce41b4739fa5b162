// The ANSI PST and the 4 KB-page OST (format version 36) layouts, on the two stores that
// tests/fixtures/pst/record-ansi.py writes (README.md there: what they hold and how libpff
// reads them), and hostile copies of the OST.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PstIndex } from '../../src/ingest/pst-index.js';
import type { PstItem, PstReadOptions } from '../../src/ingest/pst-reader.js';
import { errors, messages, readAll } from './pst-helpers.js';
import { tempDir } from '../helpers.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/pst/', import.meta.url));
const ANSI = join(FIXTURES, 'generated-ansi.pst');
const OST = join(FIXTURES, 'generated-4k.ost');


const INVOICE_NID = 2097188;
const REPLY_NID = 2097220;
const ATTACHMENT = {
  filename: '請求書_0412.doc',
  declaredType: 'application/msword',
  size: 24000,
  sha256: 'bfc2e44f4dff8b0946f182855d211b2a453a2dea488f73e1d89dc53746e74adc',
};

/** What both stores hold: the same two messages in "<top folder>/Inbox". */
function expectMailbox(items: PstItem[], top: string): void {
  expect(errors(items)).toEqual([]);
  const [invoice, reply] = messages(items);
  expect(items).toHaveLength(2);

  expect(invoice!.locator).toBe(`pst:${top}/Inbox#${INVOICE_NID}`);
  expect(invoice!.folder).toBe(`${top}/Inbox`);
  expect(invoice!.messageClass).toBe('IPM.Note');
  const a = invoice!.message;
  expect(a.subject).toBe('【至急】4月分請求書の送付について');
  expect(a.from).toEqual({ name: '山田 太郎', address: 't.yamada@example.jp' });
  expect(a.to).toEqual([{ name: '経理部', address: 'keiri@example.co.jp' }]);
  expect(a.cc).toEqual([]);
  expect(a.messageId).toBe('20240412091502.4F2A1C@mail.example.jp');
  // No transport headers: the date is PidTagClientSubmitTime's.
  expect(a.date).toBe('2024-04-12T00:15:02.000Z');
  expect(a.received).toEqual([]);
  expect(a.text).toBe('経理部 御中\r\n\r\nいつもお世話になっております。\r\n4月分の請求書を添付にてお送りいたします。\r\nご確認のほどよろしくお願いいたします。\r\n\r\n山田\r\n');
  expect(a.defects).toEqual([]);
  expect(a.attachments).toHaveLength(1);
  expect(a.attachments[0]).toMatchObject(ATTACHMENT);
  const content = a.attachments[0]!.content!;
  expect(content.subarray(0, 28).toString('latin1')).toBe('Rechnung/Invoice line 00000:');

  expect(reply!.locator).toBe(`pst:${top}/Inbox#${REPLY_NID}`);
  const b = reply!.message;
  expect(b.subject).toBe('RE: Payment confirmation - April');
  expect(b.from).toEqual({ name: 'Accounts Payable', address: 'ap@example.net' });
  expect(b.to).toEqual([{ name: 'keiri@example.co.jp', address: 'keiri@example.co.jp' }]);
  expect(b.cc).toEqual([{ name: 'Sato Hanako', address: 'h.sato@example.co.jp' }]);
  // From the transport headers.
  expect(b.messageId).toBe('7c1f9e2a-51b0-4c8e-9d3a-2f6b0d4e1a77@example.net');
  expect(b.inReplyTo).toBe('20240412091502.4F2A1C@mail.example.jp');
  expect(b.references).toEqual(['20240412091502.4F2A1C@mail.example.jp']);
  expect(b.dateRaw).toBe('Mon, 15 Apr 2024 01:02:03 +0200');
  expect(b.date).toBe('2024-04-14T23:02:03.000Z');
  expect(b.received.map((r) => [r.fromHost, r.fromIp, r.byHost])).toEqual([
    ['mail.example.net', '192.0.2.25', 'mx.example.co.jp'],
    [null, '198.51.100.7', 'mail.example.net'],
  ]);
  expect(b.xOriginatingIp).toBe('198.51.100.7');
  expect(b.urls).toEqual(['http://payments.example.net/confirm/8841']);
  expect(b.attachments).toEqual([]);
  expect(b.defects).toEqual([]);
}

describe('ANSI PST (format version 14)', () => {
  it('opens with the ANSI layout, and both its B-trees have a branch level', () => {
    const index = PstIndex.open(ANSI);
    try {
      expect(index.header).toMatchObject({ format: 'ansi', version: 14, cryptMethod: 1 });
      expect(index.idBytes).toBe(4);
    } finally {
      index.close();
    }
    const b = readFileSync(ANSI);
    expect([b[b.readUInt32LE(188) + 499], b[b.readUInt32LE(196) + 499]]).toEqual([1, 1]);
  });

  it('generated-ansi.pst: both messages, 8-bit strings in code page 932, an attachment in three blocks', async () => {
    const { items, summary } = await readAll(ANSI);
    expectMailbox(items, 'Top of Personal Folders');
    expect(summary.store).toEqual({ name: 'Personal Folders', format: 'ansi', encoding: 'compressible', passwordProtected: false });
    expect(summary.folders.map((f) => [f.path, f.messages])).toEqual([
      ['', 0],
      ['Top of Personal Folders', 0],
      ['Top of Personal Folders/Inbox', 2],
    ]);
    expect(summary).toMatchObject({ messages: 2, skipped: {}, errors: 0, abandoned: null });
  });
});

/** Every block of a 4 KB-page store's BBT, with the inflated size its trailer states. */
function blocks4k(b: Buffer): { bid: bigint; ib: number; cb: number; inflated: number }[] {
  const out: { bid: bigint; ib: number; cb: number; inflated: number }[] = [];
  const walk = (page: number) => {
    const cEnt = b.readUInt16LE(page + 4056);
    const level = b[page + 4061]!;
    for (let i = 0; i < cEnt; i++) {
      const e = page + i * 24;
      if (level > 0) {
        walk(Number(b.readBigUInt64LE(e + 16)));
        continue;
      }
      const ib = Number(b.readBigUInt64LE(e + 8));
      const cb = b.readUInt16LE(e + 16);
      const trailer = ib + Math.ceil((cb + 24) / 512) * 512 - 24;
      out.push({ bid: b.readBigUInt64LE(e), ib, cb, inflated: b.readUInt16LE(trailer + 18) });
    }
  };
  walk(Number(b.readBigUInt64LE(240)));
  return out;
}

describe('OST with 4 KB pages (format version 36)', () => {
  it('opens with the 4 KB-page layout; most of its blocks are compressed', () => {
    const index = PstIndex.open(OST);
    try {
      expect(index.header).toMatchObject({ format: 'unicode-4k', version: 36, cryptMethod: 1 });
    } finally {
      index.close();
    }
    const b = readFileSync(OST);
    expect(b.toString('latin1', 8, 10)).toBe('SO');
    expect([b[Number(b.readBigUInt64LE(224)) + 4061], b[Number(b.readBigUInt64LE(240)) + 4061]]).toEqual([1, 1]);
    const all = blocks4k(b);
    expect(all).toHaveLength(28);
    expect(all.filter((x) => x.inflated !== x.cb)).toHaveLength(23);
  });

  it('generated-4k.ost: the same two messages, read from compressed blocks', async () => {
    const { items, summary } = await readAll(OST);
    expectMailbox(items, 'Top of Information Store');
    expect(summary.store).toEqual({ name: 'keiri@example.co.jp', format: 'unicode-4k', encoding: 'compressible', passwordProtected: false });
    expect(summary.folders.map((f) => [f.path, f.messages])).toEqual([
      ['', 0],
      ['Top of Information Store', 0],
      ['Top of Information Store/Inbox', 2],
    ]);
    expect(summary).toMatchObject({ messages: 2, skipped: {}, errors: 0, abandoned: null });
  });

  it('gives the same records as the ANSI store holding the same mail', async () => {
    const ost = messages((await readAll(OST)).items).map((m) => m.message.contentHash);
    const ansi = messages((await readAll(ANSI)).items).map((m) => m.message.contentHash);
    expect(ost).toEqual(ansi);
  });
});

// ---- Hostile copies of the OST: each ends as records (or the one header error), never
// hangs, and never gives another block's bytes for a block it could not inflate.

const dir = tempDir('ost');
let n = 0;
function write(b: Buffer): string {
  const p = join(dir, `c${++n}.ost`);
  writeFileSync(p, b);
  return p;
}
const SMALL: PstReadOptions = { maxStepsPerItem: 100_000 };
const ost = () => Buffer.from(readFileSync(OST));
/** The attachment's first data block (compressed: 8,168 bytes of text in 434). */
const firstAttachmentBlock = (b: Buffer) => blocks4k(b).find((x) => x.inflated === 8168 && x.cb < 1000)!;

describe.sequential('hostile 4 KB-page stores', () => {
  it('a compressed block that is not zlib data: the attachment is a defect, the rest is read', async () => {
    const b = ost();
    const block = firstAttachmentBlock(b);
    b.fill(0x41, block.ib + 2, block.ib + block.cb);
    const { items } = await readAll(write(b), SMALL);
    expect(messages(items)).toHaveLength(2);
    const m = messages(items)[0]!.message;
    expect(m.attachments).toEqual([]);
    expect(m.defects).toHaveLength(1);
    expect(m.defects[0]).toMatch(new RegExp(`^attachment 0 unreadable: compressed block at offset ${block.ib} does not inflate to its stated 8168 bytes: `));
  });

  it('a compressed block that would inflate past its stated size stops there', async () => {
    const b = ost();
    const block = firstAttachmentBlock(b);
    const bomb = deflateSync(Buffer.alloc(200_000), { level: 9 }); // 200 KB of zeros in a few hundred bytes
    expect(bomb.length).toBeLessThanOrEqual(block.cb);
    bomb.copy(b, block.ib);
    const m = messages((await readAll(write(b), SMALL)).items)[0]!.message;
    expect(m.attachments).toEqual([]);
    expect(m.defects).toEqual([expect.stringMatching(new RegExp(`^attachment 0 unreadable: compressed block at offset ${block.ib} does not inflate to its stated 8168 bytes: `))]);
  });

  it('a block whose trailer disagrees with the index about its size is an error', async () => {
    const b = ost();
    const block = firstAttachmentBlock(b);
    const trailer = block.ib + Math.ceil((block.cb + 24) / 512) * 512 - 24;
    b.writeUInt16LE(block.cb + 1, trailer);
    const m = messages((await readAll(write(b), SMALL)).items)[0]!.message;
    expect(m.attachments).toEqual([]);
    expect(m.defects).toEqual([`attachment 0 unreadable: block at offset ${block.ib}: its trailer gives ${block.cb + 1} bytes, the block index ${block.cb}`]);
  });

  it('a compressed block forgotten while a stream still reads it is an error, not another block\'s bytes', async () => {
    const { items } = await readAll(OST, { maxCompressedBlockSlots: 1 });
    const [invoice, reply] = messages(items);
    expect(invoice!.message.attachments).toEqual([]);
    expect(invoice!.message.defects).toEqual(['attachment 0 unreadable: a compressed block read earlier is no longer held; the item is not read']);
    expect(reply!.message.subject).toBe('RE: Payment confirmation - April');
    // With the cache down to one block the bytes are still right: they are inflated again.
    const again = messages((await readAll(OST, { compressedBlockCache: 1 })).items)[0]!.message;
    expect(again.attachments[0]).toMatchObject(ATTACHMENT);
  });

  it('a format version 36 header on a 512-byte-page store: one header error', async () => {
    const b = Buffer.from(readFileSync(join(FIXTURES, 'firstlookmedia-sample1.pst')));
    b.writeUInt16LE(36, 10);
    await expect(readAll(write(b))).rejects.toThrow(/^not a readable PST\/OST file: NBT page expected at \d+, found page type 0x[0-9a-f]+$/);
  });

  it('truncated copies end with records or the header error', async () => {
    const whole = ost();
    for (let len = 1024; len < whole.length; len += 4 * 1024) {
      try {
        const { items, summary } = await readAll(write(whole.subarray(0, len)), SMALL);
        expect(summary.errors).toBe(errors(items).length);
      } catch (e) {
        expect((e as Error).message).toMatch(/^not a readable PST\/OST file: /);
      }
    }
  });

  it('random bytes in blocks, trailers and index pages end with records or the header error', async () => {
    const base = ost();
    const blocks = blocks4k(base);
    let seed = 7;
    const rand = (k: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % k;
    };
    let yielded = 0;
    for (let round = 0; round < 60; round++) {
      const b = Buffer.from(base);
      for (let k = 0; k < 1 + rand(4); k++) {
        const block = blocks[rand(blocks.length)]!;
        const trailer = block.ib + Math.ceil((block.cb + 24) / 512) * 512 - 24;
        if (round % 3 === 0) b[block.ib + rand(block.cb)] = rand(256);
        else if (round % 3 === 1) b.writeUInt16LE([0, 1, block.cb, 0xffff, rand(0x10000)][rand(5)]!, trailer + 18);
        else b[Number(b.readBigUInt64LE(224 + 16 * rand(2))) + rand(4096)] = rand(256);
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
