// URLs in message bodies. linkify-it finds them in text (it knows the TLD list and the
// punctuation rules that naive regexes get wrong); href/src attributes are read from
// HTML directly, since the visible text of a phishing link rarely equals its target.
import LinkifyIt, { type Match } from 'linkify-it';

const linkify = new LinkifyIt();
/** Bodies are scanned up to this many characters; the rest is not searched for URLs. */
const MAX_SCAN_CHARS = 2 * 1024 * 1024;
const MAX_URLS = 1000;

const HREF = /\b(?:href|src|action)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;

function decodeEntities(s: string): string {
  return s.replace(/&amp;/gi, '&').replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16))).replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)));
}

/** linkify's matches in a text; test() first, since most mail has no link and match() costs four times as much. */
function links(t: string): Match[] {
  return t !== '' && linkify.test(t) ? (linkify.match(t) ?? []) : [];
}

export function extractUrls(text: string, html: string): string[] {
  const found = new Set<string>();
  const add = (u: string) => {
    if (found.size < MAX_URLS) found.add(u);
  };
  const t = text.slice(0, MAX_SCAN_CHARS);
  for (const m of links(t)) {
    if (m.schema === 'mailto:') continue;
    add(m.url);
  }
  const h = html.slice(0, MAX_SCAN_CHARS);
  for (const m of h.matchAll(HREF)) {
    const v = decodeEntities((m[1] ?? m[2] ?? m[3] ?? '').trim());
    if (/^(?:https?|ftp):\/\//i.test(v)) add(v);
  }
  for (const m of h === '' ? [] : links(h.replace(/<[^>]*>/g, ' '))) {
    if (m.schema === 'mailto:') continue;
    add(m.url);
  }
  return [...found];
}
