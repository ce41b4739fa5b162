// The feed index: each match strength on its own case, the strongest winning, and what does not match.
import { describe, expect, it } from 'vitest';
import { FeedIndex, splitUrl, type IndexedEntry, type Matchable } from '../../src/analysis/feed-index.js';

const entries: IndexedEntry[] = [
  { ref: 1, kind: 'url', value: 'http://shop.example.net/wp-content/uploads/Pp3qW/invoice.dll?id=7', host: 'shop.example.net', port: null, emotet: true },
  { ref: 2, kind: 'url', value: 'https://files.example.org:443/a/b/c.xls', host: 'files.example.org', port: null, emotet: false },
  { ref: 3, kind: 'ip-port', value: '203.0.113.45:8080', host: '203.0.113.45', port: 8080, emotet: true },
  { ref: 4, kind: 'domain', value: 'evil.example', host: 'evil.example', port: null, emotet: false },
  { ref: 5, kind: 'ip', value: '198.51.100.9', host: '198.51.100.9', port: null, emotet: false },
  { ref: 6, kind: 'url', value: 'http://198.51.100.60/x/y.exe', host: '198.51.100.60', port: null, emotet: false },
];

function index(): FeedIndex {
  const ix = new FeedIndex();
  for (const e of entries) ix.add(e);
  return ix;
}

const ev = (x: Partial<Matchable>): Matchable => ({ url: null, host: null, dstIp: null, dstPort: null, ...x });

describe('FeedIndex', () => {
  const ix = index();
  it('full URL, with the query as listed', () => {
    expect(ix.match(ev({ url: 'http://SHOP.example.net./wp-content/uploads/Pp3qW/invoice.dll?id=7' }))).toEqual({ strength: 'url', ref: 1 });
  });
  it('URL with another query, or none', () => {
    expect(ix.match(ev({ url: 'http://shop.example.net/wp-content/uploads/Pp3qW/invoice.dll?id=8' }))).toEqual({ strength: 'url-no-query', ref: 1 });
    expect(ix.match(ev({ url: 'http://shop.example.net/wp-content/uploads/Pp3qW/invoice.dll' }))).toEqual({ strength: 'url-no-query', ref: 1 });
  });
  it('default ports and fragments do not matter; a listed URL without query matches exactly', () => {
    expect(ix.match(ev({ url: 'https://files.example.org/a/b/c.xls#x' }))).toEqual({ strength: 'url', ref: 2 });
  });
  it('another file in a listed folder, and in a folder below it', () => {
    expect(ix.match(ev({ url: 'http://shop.example.net/wp-content/uploads/Pp3qW/other.dll' }))).toEqual({ strength: 'path-prefix', ref: 1 });
    expect(ix.match(ev({ url: 'https://files.example.org/a/b/deeper/d.doc' }))).toEqual({ strength: 'path-prefix', ref: 2 });
  });
  it('only the host: domain; a subdomain of a listed domain too', () => {
    expect(ix.match(ev({ url: 'http://shop.example.net/' }))).toEqual({ strength: 'domain', ref: 1 });
    expect(ix.match(ev({ host: 'cdn.evil.example' }))).toEqual({ strength: 'domain', ref: 4 });
    expect(ix.match(ev({ host: 'evil.example.' }))).toEqual({ strength: 'domain', ref: 4 });
  });
  it('C2 address and port; the address alone is weaker', () => {
    expect(ix.match(ev({ dstIp: '203.0.113.45', dstPort: 8080 }))).toEqual({ strength: 'c2', ref: 3 });
    expect(ix.match(ev({ dstIp: '203.0.113.45', dstPort: 443 }))).toEqual({ strength: 'ip', ref: 3 });
    expect(ix.match(ev({ dstIp: '198.51.100.9', dstPort: 80 }))).toEqual({ strength: 'ip', ref: 5 });
  });
  it('a URL host that is an address is listed as an address', () => {
    expect(ix.match(ev({ url: 'http://198.51.100.60/other' }))).toEqual({ strength: 'ip', ref: 6 });
  });
  it('nothing listed: no match', () => {
    expect(ix.match(ev({ url: 'http://example.com/wp-content/uploads/Pp3qW/invoice.dll?id=7', host: 'example.com', dstIp: '192.0.2.1', dstPort: 80 }))).toBeNull();
    expect(ix.match(ev({ host: 'notevil.example' }))).toBeNull();
  });
  it('splitUrl: a CONNECT target is no URL; userinfo and default port go', () => {
    expect(splitUrl('files.example.org:443')).toBeNull();
    expect(splitUrl('HTTP://user:pw@Files.Example.org:80/A?b=1#c')).toEqual({ base: 'http://files.example.org/A', query: 'b=1', host: 'files.example.org', path: '/A' });
  });
  it('prefers an entry naming Emotet when several share a key', () => {
    const ix2 = new FeedIndex();
    ix2.add({ ref: 10, kind: 'ip', value: '192.0.2.7', host: '192.0.2.7', port: null, emotet: false });
    ix2.add({ ref: 11, kind: 'ip-port', value: '192.0.2.7:443', host: '192.0.2.7', port: 443, emotet: true });
    expect(ix2.match(ev({ dstIp: '192.0.2.7', dstPort: 80 }))).toEqual({ strength: 'ip', ref: 11 });
  });
});
