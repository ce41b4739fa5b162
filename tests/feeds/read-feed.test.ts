// Each feed fixture read end to end (tests/fixtures/feeds/, written by make-feeds.py to the
// published layouts): the format recognised, the counts, and the exact entries of chosen rows.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readFeed, type ReadFeedOptions } from '../../src/feeds/read-feed.js';
import type { FeedEntry } from '../../src/feeds/types.js';
import { tempDir } from '../helpers.js';

const FIXTURES = new URL('../fixtures/feeds/', import.meta.url);
const fixture = (rel: string) => new URL(rel, FIXTURES).pathname;

async function read(path: string, opts: ReadFeedOptions = {}) {
  const entries: FeedEntry[] = [];
  const r = await readFeed(path, (e) => entries.push(...e), opts);
  return { ...r, list: entries, at: (line: number) => entries.filter((e) => e.line === line) };
}

const counts = (r: { source: string; format: string; entries: number; unreadable: number }) => ({ source: r.source, format: r.format, entries: r.entries, unreadable: r.unreadable });

describe('URLhaus', () => {
  it('reads the full CSV dump: banner, commented header, quoted rows', async () => {
    const r = await read(fixture('urlhaus/csv.txt'));
    expect(counts(r)).toEqual({ source: 'urlhaus', format: 'urlhaus-csv', entries: 120, unreadable: 0 });
    expect(r.at(10)).toEqual([
      { source: 'urlhaus', line: 10, kind: 'url', value: 'http://198.51.100.23:8080/wp-content/Invoice_0412.doc', host: '198.51.100.23', port: 8080, id: '3920001', dateAdded: '2026-10-31T23:41:07.000Z', threat: 'malware_download', tags: ['doc', 'emotet', 'epoch4', 'heodo'], status: 'online', reference: 'https://urlhaus.abuse.ch/url/3920001/' },
    ]);
    // Host case folded, path and query kept; "None" tags are none.
    expect(r.at(11)).toEqual([
      { source: 'urlhaus', line: 11, kind: 'url', value: 'https://docs.invoice-portal.example/share/Scan_2026-10.zip?id=AbC', host: 'docs.invoice-portal.example', port: null, id: '3920000', dateAdded: '2026-10-31T23:38:55.000Z', threat: 'malware_download', tags: [], status: 'offline', reference: 'https://urlhaus.abuse.ch/url/3920000/' },
    ]);
    // Scheme case and the default port dropped; an IPv6 literal keeps its brackets in the URL only.
    expect(r.at(13)[0]).toMatchObject({ value: 'http://dl.update-check.test/a.exe', host: 'dl.update-check.test', port: null, tags: ['exe', 'emotet'] });
    expect(r.at(14)[0]).toMatchObject({ value: 'http://[2001:db8:ff::77]:8443/loader.bin', host: '2001:db8:ff::77', port: 8443 });
    expect(r.list.filter((e) => e.status === 'online')).toHaveLength(79);
  });

  it('reads the recent and online dumps and the 2019 layout without last_online', async () => {
    const recent = await read(fixture('urlhaus/csv_recent.txt'));
    expect(counts(recent)).toEqual({ source: 'urlhaus', format: 'urlhaus-csv', entries: 30, unreadable: 0 });
    const online = await read(fixture('urlhaus/csv_online.txt'));
    expect(counts(online)).toEqual({ source: 'urlhaus', format: 'urlhaus-csv', entries: 20, unreadable: 0 });
    expect(online.list.every((e) => e.status === 'online')).toBe(true);
    const old = await read(fixture('urlhaus/csv-2019.txt'));
    expect(counts(old)).toEqual({ source: 'urlhaus', format: 'urlhaus-csv', entries: 12, unreadable: 0 });
    expect(old.at(11)).toEqual([
      { source: 'urlhaus', line: 11, kind: 'url', value: 'https://scan-1.test/wp-includes/order_1.doc', host: 'scan-1.test', port: null, id: '260691', dateAdded: '2026-10-29T23:54:42.000Z', threat: 'malware_download', tags: [], status: 'online', reference: 'https://urlhaus.abuse.ch/url/260691/' },
    ]);
  });

  it('reads the plain-text URL list with CRLF line ends', async () => {
    const r = await read(fixture('urlhaus/text_online.txt'));
    expect(counts(r)).toEqual({ source: 'urlhaus', format: 'urlhaus-text', entries: 25, unreadable: 0 });
    expect(r.at(10)).toEqual([
      { source: 'urlhaus', line: 10, kind: 'url', value: 'https://docs.invoice-portal.example/share/Scan_2026-10.zip?id=AbC', host: 'docs.invoice-portal.example', port: null, id: null, dateAdded: null, threat: null, tags: [], status: null, reference: null },
    ]);
  });

  it('a damaged dump: BOM, CRLF, garbage rows and a cut last line are counted by line', async () => {
    const r = await read(fixture('urlhaus/csv-damaged.txt'));
    expect(counts(r)).toEqual({ source: 'urlhaus', format: 'urlhaus-csv', entries: 2, unreadable: 3 });
    expect(r.list.map((e) => [e.line, e.id])).toEqual([
      [10, '3920001'],
      [15, '3919999'],
    ]);
    expect(r.samples.map((s) => s.line)).toEqual([11, 12, 16]);
    expect(r.samples[2]!.text).toMatch(/\(unclosed quote\)$/);
  });
});

describe('Feodo Tracker', () => {
  it('reads the current CSV (quoted header row, c2_status), IPv6 included', async () => {
    const r = await read(fixture('feodo/ipblocklist.csv'));
    expect(counts(r)).toEqual({ source: 'feodo', format: 'feodo-ipblocklist-csv', entries: 40, unreadable: 0 });
    expect(r.at(10)).toEqual([{ source: 'feodo', line: 10, kind: 'ip-port', value: '203.0.113.45:8080', host: '203.0.113.45', port: 8080, id: null, dateAdded: '2026-09-14T07:44:46.000Z', threat: 'Emotet', tags: [], status: 'online', reference: null }]);
    expect(r.at(12)).toEqual([{ source: 'feodo', line: 12, kind: 'ip-port', value: '[2001:db8:c2::10]:7080', host: '2001:db8:c2::10', port: 7080, id: null, dateAdded: '2026-09-16T18:30:00.000Z', threat: 'Emotet', tags: [], status: 'online', reference: null }]);
  });

  it('reads the aggressive CSV, the pre-2021 layout and the recommended text list', async () => {
    const aggr = await read(fixture('feodo/ipblocklist_aggressive.csv'));
    expect(counts(aggr)).toEqual({ source: 'feodo', format: 'feodo-ipblocklist-csv', entries: 60, unreadable: 0 });
    expect(aggr.list.filter((e) => e.status === 'offline')).toHaveLength(30);
    const old = await read(fixture('feodo/ipblocklist-2020.csv'));
    expect(counts(old)).toEqual({ source: 'feodo', format: 'feodo-ipblocklist-csv', entries: 15, unreadable: 0 });
    expect(old.at(10)).toEqual([{ source: 'feodo', line: 10, kind: 'ip-port', value: '192.0.2.77:8080', host: '192.0.2.77', port: 8080, id: null, dateAdded: '2020-05-28T14:36:57.000Z', threat: 'Heodo', tags: [], status: null, reference: null }]);
    const txt = await read(fixture('feodo/ipblocklist_recommended.txt'));
    expect(counts(txt)).toEqual({ source: 'feodo', format: 'feodo-ipblocklist-txt', entries: 30, unreadable: 0 });
    expect(txt.at(11)).toEqual([{ source: 'feodo', line: 11, kind: 'ip', value: '198.51.100.7', host: '198.51.100.7', port: null, id: null, dateAdded: null, threat: null, tags: [], status: null, reference: null }]);
  });

  it('reads a gzip-compressed download', async () => {
    const dir = tempDir('feed');
    const gz = join(dir, 'ipblocklist.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(fixture('feodo/ipblocklist.csv'))));
    const r = await read(gz);
    expect(counts(r)).toEqual({ source: 'feodo', format: 'feodo-ipblocklist-csv', entries: 40, unreadable: 0 });
  });
});

describe('ThreatFox', () => {
  const ipPort: FeedEntry = { source: 'threatfox', line: 10, kind: 'ip-port', value: '203.0.113.45:8080', host: '203.0.113.45', port: 8080, id: '1900001', dateAdded: '2026-10-31T23:40:01.000Z', threat: 'Emotet', tags: ['emotet', 'epoch5'], status: null, reference: null };

  it('reads the CSV export; hashes are counted apart', async () => {
    const r = await read(fixture('threatfox/full.csv'));
    expect(counts(r)).toEqual({ source: 'threatfox', format: 'threatfox-csv', entries: 48, unreadable: 0 });
    expect(r.unmatchable).toEqual({ hashes: 12, emails: 0 });
    expect(r.at(10)).toEqual([ipPort]);
    expect(r.at(11)).toEqual([{ source: 'threatfox', line: 11, kind: 'domain', value: 'c2.invoice-portal.example', host: 'c2.invoice-portal.example', port: null, id: '1900000', dateAdded: '2026-10-31T23:20:00.000Z', threat: 'QakBot', tags: [], status: null, reference: 'https://example.test/report/qakbot' }]);
    // "Unknown malware" names nothing: the threat type stands instead.
    expect(r.at(12)).toEqual([{ source: 'threatfox', line: 12, kind: 'url', value: 'https://dl.update-check.test/gate.php?v=2', host: 'dl.update-check.test', port: null, id: '1899999', dateAdded: '2026-10-31T22:00:00.000Z', threat: 'payload_delivery', tags: ['clickfix'], status: null, reference: null }]);
    expect(r.at(13)).toEqual([]);
    expect(r.at(14)[0]).toMatchObject({ value: '[2001:db8:c2::10]:443', host: '2001:db8:c2::10', port: 443 });
  });

  it('reads the 14-column CSV from before is_compromised', async () => {
    const r = await read(fixture('threatfox/recent-2024.csv'));
    expect(counts(r)).toEqual({ source: 'threatfox', format: 'threatfox-csv', entries: 10, unreadable: 0 });
    expect(r.at(10)).toEqual([ipPort]);
  });

  it('streams the JSON export, each entry at its ioc_id key line', async () => {
    const r = await read(fixture('threatfox/full.json'));
    expect(counts(r)).toEqual({ source: 'threatfox', format: 'threatfox-json', entries: 32, unreadable: 0 });
    expect(r.unmatchable).toEqual({ hashes: 8, emails: 0 });
    expect(r.at(2)).toEqual([{ ...ipPort, line: 2 }]);
    expect(r.at(20)[0]).toMatchObject({ kind: 'domain', value: 'c2.invoice-portal.example', id: '1900000', reference: 'https://example.test/report/qakbot' });
  });

  it('a JSON export cut short keeps the members before the cut', async () => {
    const r = await read(fixture('threatfox/cut.json'));
    expect(counts(r)).toEqual({ source: 'threatfox', format: 'threatfox-json', entries: 3, unreadable: 1 });
    expect(r.list.map((e) => e.line)).toEqual([2, 20, 38]);
    expect(r.samples).toEqual([{ line: 56, text: 'the export ends before its closing brace (file cut short?)' }]);
  });
});

describe('plain IOC list', () => {
  it('is read only when asked, defanged indicators undone, notes and comments dropped', async () => {
    await expect(read(fixture('ioc/advisory-iocs.txt'))).rejects.toThrow(/not a feed this tool reads/);
    const r = await read(fixture('ioc/advisory-iocs.txt'), { asList: true });
    expect(counts(r)).toEqual({ source: 'list', format: 'list', entries: 31, unreadable: 3 });
    expect(r.unmatchable).toEqual({ hashes: 1, emails: 1 });
    const brief = r.list.slice(0, 11).map((e) => [e.line, e.kind, e.value, e.host, e.port]);
    expect(brief).toEqual([
      [3, 'url', 'http://evil.example/wp-admin/Invoice.doc', 'evil.example', null],
      [4, 'url', 'https://login-update.test:8443/auth?u=1', 'login-update.test', 8443],
      [5, 'url', 'http://198.51.100.23:8080/wp-content/Invoice_0412.doc', '198.51.100.23', 8080],
      [6, 'url', 'http://dl.update-check.test/gate.php', 'dl.update-check.test', null],
      [8, 'domain', 'c2.invoice-portal.example', 'c2.invoice-portal.example', null],
      [9, 'domain', 'mail.attacker.test', 'mail.attacker.test', null],
      [11, 'ip-port', '203.0.113.45:8080', '203.0.113.45', 8080],
      [12, 'ip', '198.51.100.7', '198.51.100.7', null],
      [13, 'ip', '2001:db8:c2::10', '2001:db8:c2::10', null],
      [14, 'ip-port', '[2001:db8:c2::10]:7080', '2001:db8:c2::10', 7080],
      [15, 'ip-port', '192.0.2.66:443', '192.0.2.66', 443],
    ]);
    expect(r.at(3)[0]).toEqual({ source: 'list', line: 3, kind: 'url', value: 'http://evil.example/wp-admin/Invoice.doc', host: 'evil.example', port: null, id: null, dateAdded: null, threat: null, tags: [], status: null, reference: null });
    expect(r.samples.map((s) => s.line)).toEqual([20, 21, 22]);
  });

  it('reads a list saved as UTF-16 with a BOM (Notepad\'s "Unicode")', async () => {
    const dir = tempDir('feed');
    const file = join(dir, 'iocs-utf16.txt');
    const text = readFileSync(fixture('ioc/advisory-iocs.txt'), 'utf8').replace(/\n/g, '\r\n');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const r = await read(file, { asList: true });
    expect(counts(r)).toEqual({ source: 'list', format: 'list', entries: 31, unreadable: 3 });
    expect(r.at(15)[0]).toMatchObject({ kind: 'ip-port', value: '192.0.2.66:443' });
  });
});
