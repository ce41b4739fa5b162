// Hostile archives, compound files and logs, generated here: each gives an error or a
// bounded result, never a crash or a hang.
import { constants as zlibConstants, deflateRawSync, gunzipSync, gzipSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import CFB from 'cfb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MBOX_LIMITS, readMbox } from '../../src/ingest/mbox-reader.js';
import { PostfixParser } from '../../src/logs/postfix.js';
import { readLogFile } from '../../src/logs/read-log.js';
import { mapCfb } from './cfb-surgery.js';
import { parseSyslogLine, SyslogClock } from '../../src/logs/syslog.js';
import { inspectBytes, INSPECT_LIMITS } from '../../src/office/inspect.js';
import { readZipDirectory, ZIP_LIMITS } from '../../src/office/zip-archive.js';
import { writeZip } from '../../src/office/zip-writer.js';
import { compressVba } from '../office/vba-compress-for-tests.js';
import { lastJson, runCli, tempDir } from '../helpers.js';

const T = Date.UTC(2026, 0, 1);

/** A ZIP whose one entry inflates to `size` zero bytes (deflate makes that tiny). */
function ratioBomb(size: number): Buffer {
  const data = deflateRawSync(Buffer.alloc(size));
  const name = Buffer.from('zeros.bin');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(0, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(name.length, 28);
  const cd = Buffer.concat([central, name]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(30 + name.length + data.length, 16);
  return Buffer.concat([local, name, data, cd, end]);
}

describe('hostile archives', () => {
  it('a ratio bomb is refused before inflating', () => {
    const r = inspectBytes(ratioBomb(50 * 1024 * 1024), 'bomb.zip');
    expect(r.children).toHaveLength(1);
    expect(r.children[0]!.errors[0]).toMatch(/^limit: compression ratio \d+ exceeds 1000$/);
  });

  it('a nesting bomb stops at the depth limit', () => {
    let z = writeZip([{ name: 'core.txt', data: Buffer.from('x') }], { mtimeMs: T });
    for (let i = 0; i < 20; i++) z = writeZip([{ name: `level${i}.zip`, data: z }], { mtimeMs: T });
    const r = inspectBytes(z, 'nest.zip');
    let depth = 0;
    let node = r;
    while (node.children[0]) {
      node = node.children[0];
      depth++;
    }
    expect(depth).toBe(INSPECT_LIMITS.maxDepth);
    expect(node.errors).toEqual([`archive nested deeper than ${INSPECT_LIMITS.maxDepth}; not opened`]);
  });

  // 100,000 entries need ZIP64 records for the count, which the writer makes.
  it('100,000 entries: the first 10,000 are read, the rest reported', () => {
    const entries = Array.from({ length: 100_000 }, (_, i) => ({ name: `f${i}`, data: Buffer.from('a') }));
    const zip = writeZip(entries, { mtimeMs: T });
    const r = inspectBytes(zip, 'many.zip');
    expect(r.errors).toContain(`more than ${ZIP_LIMITS.maxEntries} entries; the rest not read`);
    expect(r.children.length).toBeLessThanOrEqual(INSPECT_LIMITS.maxChildren);
    // The ZIP64 count is read (with the limit lifted, all 100,000 entries are listed).
    const limit = ZIP_LIMITS.maxEntries;
    ZIP_LIMITS.maxEntries = 200_000;
    try {
      expect(readZipDirectory(zip).entries).toHaveLength(100_000);
    } finally {
      ZIP_LIMITS.maxEntries = limit;
    }
  });

  it('garbage behind a ZIP or OLE signature is an error verdict', () => {
    expect(inspectBytes(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100, 0x41)]), 'x.zip').verdict).toBe('error');
    const ole = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(4096, 0xff)]);
    expect(inspectBytes(ole, 'x.doc').verdict).toBe('error');
  });
});

describe('hostile compound files', () => {
  it('a FAT that loops, sectors out of range: random bytes after a valid header never crash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 512, maxLength: 4096 }), (tail) => {
        const head = Buffer.alloc(512);
        Buffer.from('d0cf11e0a1b11ae1', 'hex').copy(head, 0);
        head.writeUInt16LE(0x003e, 24);
        head.writeUInt16LE(0x0003, 26);
        head.writeUInt16LE(0xfffe, 28);
        head.writeUInt16LE(9, 30);
        head.writeUInt16LE(6, 32);
        Buffer.from(tail.subarray(0, 436)).copy(head, 76); // FAT/DIFAT pointers: whatever fast-check chose
        const r = inspectBytes(Buffer.concat([head, Buffer.from(tail)]), 'fuzz.doc');
        expect(['error', 'clean', 'macro', 'suspicious', 'encrypted']).toContain(r.verdict);
      }),
      { numRuns: 150 },
    );
  });

  // A small valid compound file, then its chains and tree broken in the ways hostile files break them.
  const broken = (patch: (b: Buffer, sector: (n: number) => number) => void) => {
    const cfb = CFB.utils.cfb_new();
    CFB.utils.cfb_add(cfb, '/WordDocument', Buffer.alloc(5000, 0x41));
    CFB.utils.cfb_add(cfb, '/Small', Buffer.from('tiny stream'));
    const b = Buffer.from(CFB.write(cfb, { type: 'buffer' }) as Uint8Array);
    patch(b, (n) => 512 + n * 512);
    return b;
  };
  it.each([
    ['the directory chain loops on itself', (b: Buffer, sector: (n: number) => number) => b.writeUInt32LE(b.readUInt32LE(48), sector(b.readUInt32LE(76)) + b.readUInt32LE(48) * 4)],
    ['every FAT entry points at itself', (b: Buffer, sector: (n: number) => number) => {
      for (let i = 0; i < 128; i++) b.writeUInt32LE(i, sector(b.readUInt32LE(76)) + i * 4);
    }],
    ['the DIFAT chain loops and claims 1,000 sectors', (b: Buffer, sector: (n: number) => number) => {
      b.writeUInt32LE(0, 68);
      b.writeUInt32LE(1000, 72);
      b.writeUInt32LE(0, sector(0) + 508);
    }],
    ['the directory tree cycles (child and sibling point back)', (b: Buffer, sector: (n: number) => number) => {
      const dir = sector(b.readUInt32LE(48));
      b.writeUInt32LE(1, dir + 76);
      b.writeUInt32LE(0, dir + 128 + 76);
      b.writeUInt32LE(1, dir + 128 + 68);
    }],
    ['a data chain returns to an earlier sector', (b: Buffer) => {
      // WordDocument (5000 bytes, ten sectors): its last sector leads back to its second.
      const m = mapCfb(b);
      const e = m.entries.find((x) => x.name === 'WordDocument')!;
      const chain = [e.start];
      while (chain.length < 10) chain.push(m.fat(chain[chain.length - 1]!));
      b.writeUInt32LE(chain[1]!, m.fatEntry(chain[9]!));
    }],
  ])('%s: an error verdict with the reason, without hanging', (_name, patch) => {
    const r = inspectBytes(broken(patch), 'broken.doc');
    expect(r.verdict).toBe('error');
    expect(r.errors).toEqual([expect.stringMatching(/^broken compound file: /)]);
    expect(r.children).toEqual([]);
  });
  it('a directory sector number out of range is an error', () => {
    const r = inspectBytes(broken((b) => b.writeUInt32LE(0x7fffff00, 48)), 'broken.doc');
    expect(r.verdict).toBe('error');
    expect(r.errors[0]).toBe('broken compound file: directory: sector 2147483392 is outside the file');
  });

  it('a VBA dir stream that lies about sizes and a module with invalid chunks give errors, not a crash', () => {
    const cfb = CFB.utils.cfb_new();
    // dir: PROJECTCODEPAGE, then a MODULENAME claiming 60,000 bytes that are not there.
    const dir = Buffer.concat([Buffer.from([0x03, 0x00, 0x02, 0x00, 0x00, 0x00, 0xe4, 0x04]), Buffer.from([0x19, 0x00, 0x60, 0xea, 0x00, 0x00]), Buffer.from('Module1')]);
    CFB.utils.cfb_add(cfb, '/VBA/dir', compressVba(dir));
    CFB.utils.cfb_add(cfb, '/VBA/_VBA_PROJECT', Buffer.from([0xcc, 0x61, 0xff, 0xff, 0x00]));
    CFB.utils.cfb_add(cfb, '/VBA/Module1', Buffer.from([0x01, 0xff, 0x0f, 0x00]));
    const bytes = Buffer.from(CFB.write(cfb, { type: 'buffer' }) as Uint8Array);
    const r = inspectBytes(bytes, 'lies.bin');
    expect(r.macros.vba).toBe(true);
    expect(r.errors.some((e) => /runs past the end of dir/.test(e))).toBe(true);
  });
});

describe('hostile logs', () => {
  it('binary garbage is not taken for a log; a 10 MB line is cut; mixed encodings are read', async () => {
    const dir = tempDir('hostile-logs');
    const garbage = join(dir, 'maillog.bin');
    writeFileSync(garbage, Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 256)));
    await expect(readLogFile(garbage, { message: () => {}, event: () => {} })).rejects.toThrow('not a log format blastradius reads');
    const mixed = join(dir, 'maillog');
    writeFileSync(
      mixed,
      Buffer.concat([
        Buffer.from('2026-11-05T01:00:00+00:00 mx1 postfix/qmgr[1]: 4D67B168E81: from=<a@b.example>, size=1, nrcpt=1 (queue active)\n'),
        Buffer.from('2026-11-05T01:00:01+00:00 mx1 postfix/smtpd[2]: warning: ' + 'x'.repeat(10 * 1024 * 1024) + '\n'),
        Buffer.from('2026-11-05T01:00:02+00:00 mx1 postfix/smtpd[2]: warning: \x82\xa0 Shift_JIS bytes\n', 'latin1'),
        Buffer.from('2026-11-05T01:00:03+00:00 mx1 postfix/qmgr[1]: 4D67B168E81: removed\n'),
      ]),
    );
    let n = 0;
    const r = await readLogFile(mixed, { message: () => (n += 1), event: () => {} });
    expect(n).toBe(1);
    expect(r.stats).toMatchObject({ lines: 4, unreadable: 0 });
    expect(r.lineStats).toEqual({ nonUtf8Lines: 1, cutLines: 1 });
  });

  it('a UTF-16 trace export with UTF-8 appended, doubled quotes, a newline in a subject and an unterminated quote', async () => {
    const dir = tempDir('hostile-csv');
    const path = join(dir, 'MessageTrace.csv');
    const head = '"Received","SenderAddress","RecipientAddress","Subject","Status","ToIP","FromIP","Size","MessageId","MessageTraceId","Organization","StartDate","EndDate","Index"';
    const row = (subject: string, id: string, i: number) =>
      `"11/5/2026 1:12:07 AM","keiri@sample-shoji.example","k.tanaka@torihiki.example","${subject}","Delivered","203.0.113.5","198.51.100.77","100","<${id}@sample-shoji.example>","${id}","o","11/1/2026","11/8/2026","${i}"`;
    const utf16 = [head, row('He said ""open it"" =cmd|\'/c calc\'!A1', 't-1', 0), row('二行の\r\n件名', 't-2', 1)].join('\r\n') + '\r\n';
    // A second export saved as UTF-8 and pasted after the first, then a row cut inside a quote.
    const utf8 = row('UTF-8 の続き', 't-3', 2) + '\r\n' + '"11/5/2026 1:13:00 AM","keiri@sample-shoji.example","x@y.example","never closed';
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(utf16, 'utf16le'), Buffer.from(utf8, 'utf8')]));
    const messages: { queueId: string; subject: string | null }[] = [];
    const r = await readLogFile(path, { message: (m) => messages.push(m), event: () => {} });
    expect(r.format).toBe('m365');
    // The UTF-16 rows are read exactly; what follows in another encoding is counted, not guessed at.
    expect(messages.map((m) => [m.queueId, m.subject])).toEqual([
      ['t-1', 'He said "open it" =cmd|\'/c calc\'!A1'],
      ['t-2', '二行の\r\n件名'],
    ]);
    expect(r.stats).toMatchObject({ lines: 4, recognised: 3, unreadable: 1 });
    expect(r.stats.unreadableSamples.map((u) => u.line)).toEqual([6]);
  });

  it('a rotated log whose gzip stream is cut: the facts before the cut are kept and the break recorded', () => {
    const dir = tempDir('hostile-gz');
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const q = (0x10000000 + i).toString(16).toUpperCase();
      lines.push(
        `2026-11-05T01:00:00+00:00 mx1 postfix/qmgr[1]: ${q}: from=<a${i}@b.example>, size=1, nrcpt=1 (queue active)`,
        `2026-11-05T01:00:01+00:00 mx1 postfix/smtp[2]: ${q}: to=<c@d.example>, relay=mx.d.example[192.0.2.1]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 ok)`,
        `2026-11-05T01:00:02+00:00 mx1 postfix/qmgr[1]: ${q}: removed`,
      );
    }
    const gz = gzipSync(Buffer.from(lines.join('\n') + '\n'));
    const cut = gz.subarray(0, Math.floor(gz.length / 2));
    writeFileSync(join(dir, 'maillog.1.gz'), cut);
    // What the cut stream still holds: the whole lines zlib can decode before the break.
    const prefix = gunzipSync(cut, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).toString('latin1');
    const whole = prefix.slice(0, prefix.lastIndexOf('\n') + 1).split('\n').filter(Boolean);
    const queueIds = new Set(whole.map((l) => /: ([0-9A-F]+): /.exec(l)![1]));
    const deliveries = whole.filter((l) => l.includes('status=sent')).length;
    const r = runCli(['scan', join(dir, 'maillog.1.gz'), '--case', join(dir, 'c.sqlite'), '--json', '--no-analyze']);
    expect(r.code).toBe(3);
    const s = lastJson<{ logs: { messages: number; deliveries: number }; errorSamples: { reason: string }[] }>(r.stdout);
    expect(queueIds.size).toBeGreaterThan(1000);
    expect(s.logs.messages).toBe(queueIds.size);
    expect(s.logs.deliveries).toBe(deliveries);
    expect(s.errorSamples.map((e) => e.reason)).toEqual(['unreadable log: unexpected end of file']);
  });

  it('the Postfix line parser never throws on any line (property)', () => {
    const clock = new SyslogClock(2026);
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.constantFrom('postfix/smtpd', 'postfix/qmgr', 'postfix/smtp', 'postfix/cleanup'), (msg, program) => {
        const p = new PostfixParser({ message: () => {}, event: () => {} });
        p.line(1, { time: null, host: 'h', program, message: msg });
        p.line(2, { time: null, host: 'h', program, message: `4D67B168E81: ${msg}` });
        p.end();
        parseSyslogLine(`Nov  5 01:00:00 mx1 ${program}[1]: ${msg}`, clock);
        expect(p.stats.lines).toBe(2);
      }),
      { numRuns: 500 },
    );
  });
});

describe('mbox splitter (property)', () => {
  it('any bytes split into messages whose offsets and lengths tile the file from the first separator', async () => {
    const dir = tempDir('mbox-prop');
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.constant('From a@b Mon Nov  2 10:00:00 2026\n'), fc.constant('\n'), fc.constant('>From x\n'), fc.string({ maxLength: 40 }).map((s) => s + '\n'), fc.uint8Array({ maxLength: 30 }).map((b) => Buffer.from(b).toString('latin1'))), { maxLength: 40 }), async (parts) => {
        const text = 'From a@b Mon Nov  2 10:00:00 2026\n' + parts.join('');
        const path = join(dir, `m${run++}.mbox`);
        writeFileSync(path, Buffer.from(text, 'latin1'));
        let expectedOffset = 0;
        for await (const item of readMbox(path)) {
          expect(item.offset).toBe(expectedOffset);
          expectedOffset += item.length;
        }
        expect(expectedOffset).toBe(Buffer.byteLength(text, 'latin1'));
      }),
      { numRuns: 200 },
    );
  });

  it('with small limits and read chunks: no message held past the limit, and the same split as with the real ones (property)', async () => {
    const dir = tempDir('mbox-limits');
    let run = 0;
    const saved = { ...MBOX_LIMITS };
    const line = fc.oneof(
      fc.constant('From a@b Mon Nov  2 10:00:00 2026\n'),
      fc.constant('\n'),
      fc.constant('\r\n'),
      fc.constant('>From x\n'),
      fc.string({ maxLength: 300 }).map((s) => s + '\n'),
      fc.integer({ min: 1000, max: 6000 }).map((n) => 'x'.repeat(n) + '\n'),
    );
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(line, { maxLength: 60 }), fc.integer({ min: MBOX_LIMITS.maxSeparatorLine + 1, max: 8000 }), fc.integer({ min: 1, max: 700 }), async (parts, limit, chunk) => {
          const text = 'From a@b Mon Nov  2 10:00:00 2026\n' + parts.join('');
          const path = join(dir, `m${run++}.mbox`);
          writeFileSync(path, Buffer.from(text, 'latin1'));
          Object.assign(MBOX_LIMITS, saved);
          const reference: { offset: number; length: number }[] = [];
          for await (const item of readMbox(path)) reference.push({ offset: item.offset, length: item.length });
          Object.assign(MBOX_LIMITS, { maxMessageBytes: limit, readChunkBytes: chunk });
          const small: { offset: number; length: number }[] = [];
          for await (const item of readMbox(path)) {
            small.push({ offset: item.offset, length: item.length });
            if ('raw' in item) expect(item.raw.length).toBeLessThanOrEqual(limit);
            else expect(item.length).toBeGreaterThan(limit);
          }
          // The limit changes which messages are held, never where they start and end.
          expect(small).toEqual(reference);
        }),
        { numRuns: 150 },
      );
    } finally {
      Object.assign(MBOX_LIMITS, saved);
    }
  });
});
