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

/** The same rules without addresses, for text without an '@' (an address needs one): match() searches for them in any text. */
const linkifyNoEmail = new LinkifyIt().set({ fuzzyEmail: false });

/**
 * A word in which linkify-it can find something: every link it finds is one run of
 * non-blank characters and holds a schema's ':' or '//', a host's '.' or an address's '@';
 * test()'s quick gates look for those or for "localhost" (case-insensitive over ASCII only).
 */
const MAY_HOLD_LINK = /[:@./]|localhost/i;
/** Blanks linkify-it treats alike (all are among its separators: Unicode Z and Cc). */
const BLANKS = /[ \t\r\n]+/;

/** The words of `t` that may hold a link. */
function wordsMayHoldLink(t: string): string[] {
  const words = t.split(BLANKS);
  let kept = 0;
  for (const w of words) if (MAY_HOLD_LINK.test(w)) words[kept++] = w;
  words.length = kept;
  return words;
}

/**
 * The words of `t` that may hold a link (`words`, when they were found already), one per line: linkify's rules look at the
 * character before a link and after it, and a blank there reads the same as a line break,
 * so it finds the same links in the same order. Japanese text, most of it without any of
 * those characters, was the largest cost of reading short mail (issue 19).
 */
function candidateWords(t: string, words?: string[]): string {
  if (t.length < 256) return t;
  return (words ?? wordsMayHoldLink(t)).join('\n');
}

/** linkify's matches in a text; test() first, since most mail has no link and match() costs four times as much. */
function links(text: string, prepared = false): Match[] {
  const t = prepared ? text : candidateWords(text);
  if (t === '') return [];
  const l = t.includes('@') ? linkify : linkifyNoEmail;
  return l.test(t) ? (l.match(t) ?? []) : [];
}

/**
 * The HTML's text, without the words the plain text already had (multipart/alternative
 * sends the same words twice), nor any word twice. A word's links depend on the word alone (see
 * candidateWords), so the links of a word searched in the text are in `found` already, and
 * adding them again would change nothing: neither the order (a Set keeps the first) nor
 * the MAX_URLS count.
 */
function newWords(words: string[], seen: Set<string>): string {
  let kept = 0;
  for (const w of words) {
    if (seen.has(w)) continue;
    // A word twice in the HTML gives its links twice: once is enough, for the same reason.
    seen.add(w);
    words[kept++] = w;
  }
  words.length = kept;
  return words.join('\n');
}

export function extractUrls(text: string, html: string): string[] {
  const found = new Set<string>();
  const add = (u: string) => {
    if (found.size < MAX_URLS) found.add(u);
  };
  const t = text.slice(0, MAX_SCAN_CHARS);
  const h = html.slice(0, MAX_SCAN_CHARS);
  // The text's words are kept only when there is HTML to compare with.
  const textWords = h !== '' && t !== '' ? wordsMayHoldLink(t) : null;
  const textLinks = textWords === null ? links(t) : links(candidateWords(t, textWords), true);
  for (const m of textLinks) {
    if (m.schema === 'mailto:') continue;
    add(m.url);
  }
  for (const m of h.matchAll(HREF)) {
    const v = decodeEntities((m[1] ?? m[2] ?? m[3] ?? '').trim());
    if (/^(?:https?|ftp):\/\//i.test(v)) add(v);
  }
  if (h === '') return [...found];
  const htmlText = h.replace(/<[^>]*>/g, ' ');
  const htmlLinks = textWords === null ? links(htmlText) : links(newWords(wordsMayHoldLink(htmlText), new Set(textWords)), true);
  for (const m of htmlLinks) {
    if (m.schema === 'mailto:') continue;
    add(m.url);
  }
  return [...found];
}
