// What is not a network log must never be read as one, and a large log must stream.
import { writeFileSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFeed } from '../../src/feeds/detect-feed.js';
import { detectNetLogFile, readNetLog } from '../../src/netlogs/read-netlog.js';
import { tempDir } from '../helpers.js';

const FIX = new URL('../fixtures/', import.meta.url);
const path = (rel: string) => new URL(rel, FIX).pathname;

describe('negative detection', () => {
  it('a Postfix log, a mail file, an mbox and a URLhaus CSV are no network logs', async () => {
    expect(await detectNetLogFile(path('logs/fail2ban/postfix.log'))).toBeNull();
    expect(await detectNetLogFile(path('mail/postal-mime/mixed.eml'))).toBeNull();
    expect(await detectNetLogFile(path('feeds/urlhaus/csv.txt'))).toBeNull();
    expect(await detectNetLogFile(path('feeds/threatfox/full.json'))).toBeNull();
    const dir = tempDir('netlog');
    const mbox = join(dir, 'inbox.mbox');
    writeFileSync(mbox, 'From alice@example.com Tue Nov  3 10:22:02 2026\nFrom: alice@example.com\nSubject: invoice\n\nhttp://malware.example/dl/invoice.doc\n');
    expect(await detectNetLogFile(mbox)).toBeNull();
    await expect(readNetLog(mbox, () => {})).rejects.toThrow('not a network log format');
  });

  it('a squid log is no feed', () => {
    const lines = ['1793668922.123    187 10.20.1.15 TCP_MISS/200 5321 GET http://www.example.com/index.html - HIER_DIRECT/203.0.113.10 text/html'];
    expect(detectFeed(lines, 'access.log')).toBeNull();
  });
});

describe('streaming', () => {
  it('reads a log of 200,000 lines in many batches, with CRLF, a cut last line and garbage counted', async () => {
    const dir = tempDir('netlog');
    const file = join(dir, 'access.log');
    const out = createWriteStream(file);
    for (let i = 0; i < 200_000; i++) {
      const line = i % 50_000 === 49_999 ? 'garbage' : `${1793668922 + i}.000 12 10.20.1.${i % 250} TCP_MISS/200 100 CONNECT 203.0.113.${i % 200}:443 - HIER_DIRECT/203.0.113.${i % 200} -`;
      out.write(line + '\r\n');
    }
    out.write('1793900000.000 12 10.20.1.1 TCP_MISS/200 100 GET http://cut.example/');
    await new Promise<void>((resolve) => out.end(resolve));
    let batches = 0;
    let events = 0;
    let last = null as null | { line: number; url: string | null; dstIp: string | null };
    const r = await readNetLog(file, (b) => {
      batches++;
      events += b.length;
      const e = b[b.length - 1]!;
      last = { line: e.line, url: e.url, dstIp: e.dstIp };
    });
    expect(r.format).toBe('squid');
    expect(r.stats.lines).toBe(200_001);
    expect(r.stats.unreadable).toBe(5);
    expect(r.stats.samples.map((s) => s.line)).toEqual([50_000, 100_000, 150_000, 200_000, 200_001]);
    expect(events).toBe(199_996);
    expect(batches).toBeGreaterThan(5);
    expect(last).toEqual({ line: 199_999, url: '203.0.113.198:443', dstIp: '203.0.113.198' });
  });
});
