// extractUrls gives linkify-it only the words that can hold a link, and for the HTML of a
// multipart/alternative only the words the plain text did not already have (urls.ts). Both
// are held here to the plain reading: linkify-it over the whole text and the whole HTML text.
import LinkifyIt from 'linkify-it';
import { describe, expect, it } from 'vitest';
import { extractUrls } from '../../src/mail/urls.js';

const linkify = new LinkifyIt();
const HREF = /\b(?:href|src|action)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;
const decodeEntities = (s: string) =>
  s.replace(/&amp;/gi, '&').replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16))).replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)));

/** The reading urls.ts must agree with, link for link and in the same order. */
function reference(text: string, html: string): string[] {
  const found = new Set<string>();
  const add = (u: string) => {
    if (found.size < 1000) found.add(u);
  };
  for (const m of linkify.match(text) ?? []) if (m.schema !== 'mailto:') add(m.url);
  for (const m of html.matchAll(HREF)) {
    const v = decodeEntities((m[1] ?? m[2] ?? m[3] ?? '').trim());
    if (/^(?:https?|ftp):\/\//i.test(v)) add(v);
  }
  if (html !== '') for (const m of linkify.match(html.replace(/<[^>]*>/g, ' ')) ?? []) if (m.schema !== 'mailto:') add(m.url);
  return [...found];
}

const WORDS = [
  'http://a.com/x', 'https://b.co.jp/path?q=1&r=2', 'example.com', 'www.example.org/a', 'foo@bar.jp', 'mailto:x@y.jp',
  'localhost:8080/x', 'ftp://files.net', '日本語の文', 'ご確認ください。', '(http://c.net)', '<d.org>', '"e.info"',
  'f.com.', 'g.jp,', '1.2.3.4', 'user@10.0.0.1', '//h.com', 'i.com:443', 'ｊ．ｅｘａｍｐｌｅ', 'http://例え.jp/パス',
  'word', 'a.b', '...', '@', ':', '/', 'http://', 'k.net/&amp;l', 'LOCALHOST', 'xn--n3h.com', 'https://m.org/#frag', '「n.co.jp」',
];
const SEPS = [' ', '\n', '\r\n', '\t', '  ', '\u3000', '、', '', ' \n'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function sentence(r: () => number, n: number, from: readonly string[]): string {
  let s = '';
  for (let i = 0; i < n; i++) s += from[Math.floor(r() * from.length)]! + SEPS[Math.floor(r() * SEPS.length)]!;
  return s;
}

function htmlOf(r: () => number, text: string): string {
  // The same words again (as an alternative's HTML has them), some new ones, links and tags.
  const extra = sentence(r, Math.floor(r() * 8), WORDS);
  const href = WORDS[Math.floor(r() * 8)]!;
  return `<html><body><p>${text.replace(/\n/g, '<br>\n')}</p><a href="${href}">${extra}</a><div>${sentence(r, 5, WORDS)}</div></body></html>`;
}

describe('extractUrls', () => {
  it('finds the links of the plain reading, in its order, for text and alternative HTML', () => {
    const r = rng(19);
    for (let i = 0; i < 4000; i++) {
      // Short texts (searched whole) and long ones (searched word by word) both.
      const text = sentence(r, r() < 0.5 ? 1 + Math.floor(r() * 20) : 60 + Math.floor(r() * 100), WORDS);
      const html = r() < 0.8 ? htmlOf(r, r() < 0.7 ? text : sentence(r, 30, WORDS)) : '';
      const plain = r() < 0.1 ? '' : text;
      expect(extractUrls(plain, html), JSON.stringify({ plain, html })).toEqual(reference(plain, html));
    }
  });

  it('keeps an HTML link that the text had in its text position', () => {
    const text = 'see b.com and a.jp';
    const html = '<a href="http://z.example/">a.jp</a> new.net b.com';
    expect(extractUrls(text, html)).toEqual(['http://b.com', 'http://a.jp', 'http://z.example/', 'http://new.net']);
  });
});
