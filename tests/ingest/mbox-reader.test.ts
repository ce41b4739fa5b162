import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MBOX_LIMITS, readMbox, unquoteFromLines, type MboxItem, type MboxMessage } from '../../src/ingest/mbox-reader.js';
import { tempDir } from '../helpers.js';

const dir = tempDir('mbox');
let n = 0;
function mbox(content: string | Buffer): string {
  const p = join(dir, `m${++n}.mbox`);
  writeFileSync(p, content);
  return p;
}
async function all(path: string, start = 0): Promise<MboxItem[]> {
  const out: MboxItem[] = [];
  for await (const m of readMbox(path, start)) out.push(m);
  return out;
}
const text = (m: MboxItem) => (m as MboxMessage).raw.toString('latin1');

describe('mbox splitting', () => {
  it('splits on separators after a blank line and keeps each message offset', async () => {
    const a = 'From a@x Mon Nov  2 10:00:00 2026\nSubject: one\n\nbody 1\n\n';
    const b = 'From b@x Mon Nov  2 11:00:00 2026\nSubject: two\n\nbody 2\n';
    const p = mbox(a + b);
    const items = await all(p);
    expect(items.map((i) => i.offset)).toEqual([0, a.length]);
    expect(items.map(text)).toEqual(['Subject: one\n\nbody 1\n', 'Subject: two\n\nbody 2\n']);
    const file = readFileSync(p);
    for (const i of items) expect(file.subarray(i.offset, i.offset + 5).toString()).toBe('From ');
    expect(items[0]!.length + items[1]!.length).toBe(file.length);
  });

  it('does not split on a "From " body line that has no blank line before it', async () => {
    const items = await all(mbox('From a@x Mon Nov  2 10:00:00 2026\nSubject: one\n\nline\nFrom here on it is body\n'));
    expect(items).toHaveLength(1);
    expect(text(items[0]!)).toContain('From here on it is body');
  });

  it('unquotes mboxrd ">From " lines by one level', async () => {
    const items = await all(mbox('From a@x Mon Nov  2 10:00:00 2026\nSubject: q\n\n>From the start\n>>From deeper\n> From not quoted\n'));
    expect(text(items[0]!)).toBe('Subject: q\n\nFrom the start\n>From deeper\n> From not quoted\n');
  });

  it('reads CRLF mbox files, Thunderbird "From - " and Gmail Takeout separators', async () => {
    const c = 'From - Tue Nov 03 10:22:01 2026\r\nSubject: tb\r\n\r\nx\r\n\r\nFrom 1781234567890123456@xxx Tue Nov 03 10:22:02 +0000 2026\r\nSubject: takeout\r\n\r\ny\r\n';
    const items = await all(mbox(c));
    expect(items.map(text)).toEqual(['Subject: tb\r\n\r\nx\r\n', 'Subject: takeout\r\n\r\ny\r\n']);
  });

  it('keeps a last message with no final newline, and a truncated one', async () => {
    const items = await all(mbox('From a@x Mon Nov  2 10:00:00 2026\nSubject: one\n\nb\n\nFrom b@x Mon Nov  2 10:00:00 2026\nSubject: cut off mid-hea'));
    expect(items.map(text)).toEqual(['Subject: one\n\nb\n', 'Subject: cut off mid-hea']);
  });

  it('resumes at a recorded offset', async () => {
    const a = 'From a@x Mon Nov  2 10:00:00 2026\nSubject: one\n\n1\n\n';
    const p = mbox(a + 'From b@x Mon Nov  2 10:00:00 2026\nSubject: two\n\n2\n');
    const items = await all(p, a.length);
    expect(items.map((i) => i.offset)).toEqual([a.length]);
    expect(text(items[0]!)).toBe('Subject: two\n\n2\n');
  });

  it('streams: messages larger than a read chunk and separators across chunk edges', async () => {
    const big = 'x'.repeat(3 * 1024 * 1024 + 17);
    const a = `From a@x Mon Nov  2 10:00:00 2026\nSubject: big\n\n${big}\n\n`;
    const items = await all(mbox(a + 'From b@x Mon Nov  2 10:00:00 2026\nSubject: after\n\nz\n'));
    expect(items.map((i) => i.offset)).toEqual([0, a.length]);
    expect((items[0] as MboxMessage).raw.length).toBe('Subject: big\n\n'.length + big.length + 1);
  });
});

describe('unquoteFromLines', () => {
  it('leaves a message without quoted lines untouched', () => {
    const b = Buffer.from('Subject: x\n\nnothing here\n');
    expect(unquoteFromLines(b)).toBe(b);
  });
  it('removes one > from each quoted From line, in place, and nothing else', () => {
    const b = Buffer.from('Subject: x\n\n>From a\n>>From b\nbody >From c\n>Fromage\n>From ');
    expect(unquoteFromLines(b).toString()).toBe('Subject: x\n\nFrom a\n>From b\nbody >From c\n>Fromage\nFrom ');
  });
});

describe('large messages', () => {
  it('a message past MBOX_LIMITS.rereadBytes, read again from the file, is the same as one kept from its chunks', async () => {
    const dir = tempDir('mbox-reread');
    const big = 'x'.repeat(75) + '\r\n';
    const lines = Math.ceil((MBOX_LIMITS.rereadBytes + 1_000_000) / big.length);
    const mbox =
      'From a@example.com Thu Nov  5 10:00:00 2026\r\nSubject: one\r\n\r\nfirst\r\n\r\n' +
      'From b@example.com Thu Nov  5 10:01:00 2026\r\nSubject: big\r\n\r\n>From the quote\r\n' + big.repeat(lines) + '>>From deeper\r\nend\r\n\r\n' +
      'From c@example.com Thu Nov  5 10:02:00 2026\r\nSubject: three\r\n\r\nlast\r\n';
    const plain = join(dir, 'a.mbox');
    writeFileSync(plain, mbox);
    const gz = join(dir, 'a.mbox.gz');
    writeFileSync(gz, gzipSync(Buffer.from(mbox)));
    const read = async (p: string, gzip: boolean) => {
      const out: { offset: number; length: number; sha: string; size: number }[] = [];
      for await (const m of readMbox(p, 0, { gzip })) if ('raw' in m) out.push({ offset: m.offset, length: m.length, size: m.raw.length, sha: createHash('sha256').update(m.raw).digest('hex') });
      return out;
    };
    const fromFile = await read(plain, false);
    expect(fromFile).toEqual(await read(gz, true));
    // Separator lines and the blank line before the next one removed, one ">" of each quoted From line too.
    expect(fromFile.map((m) => m.size)).toEqual([23, 16 + 16 + big.length * lines + 14 + 5, 24]);
    rmSync(dir, { recursive: true, force: true });
  });
});
