// Hostile archives, compound files and logs, generated here: each gives an error or a
// bounded result, never a crash or a hang.
import { deflateRawSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import CFB from 'cfb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readMbox } from '../../src/ingest/mbox-reader.js';
import { PostfixParser } from '../../src/logs/postfix.js';
import { readLogFile } from '../../src/logs/read-log.js';
import { parseSyslogLine, SyslogClock } from '../../src/logs/syslog.js';
import { inspectBytes, INSPECT_LIMITS } from '../../src/office/inspect.js';
import { ZIP_LIMITS } from '../../src/office/zip-archive.js';
import { writeZip } from '../../src/office/zip-writer.js';
import { compressVba } from '../office/vba-compress-for-tests.js';
import { tempDir } from '../helpers.js';

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

  // 65,000: the most a ZIP holds without ZIP64 records, which our writer does not make.
  it('65,000 entries: the first 10,000 are read, the rest reported', () => {
    const entries = Array.from({ length: 65_000 }, (_, i) => ({ name: `f${i}`, data: Buffer.from('a') }));
    const r = inspectBytes(writeZip(entries, { mtimeMs: T }), 'many.zip');
    expect(r.errors).toContain(`more than ${ZIP_LIMITS.maxEntries} entries; the rest not read`);
    expect(r.children.length).toBeLessThanOrEqual(INSPECT_LIMITS.maxChildren);
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
});
