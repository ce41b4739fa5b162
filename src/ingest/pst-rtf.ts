// Text of an RTF message body, for the items that have neither a plain nor an HTML body
// (PR_RTF_COMPRESSED only). It is searched (URLs, password lines), never rendered, so a
// one-pass reading of the RTF syntax is enough: text, \par and \tab, \'hh bytes in the
// document's code page (\ansicpg), \uN characters; font tables, pictures, objects and
// other destinations skipped. HYPERLINK field instructions are kept, for their URLs.
// Written by hand: officeparser reads RTF documents asynchronously and from files.
import { decodeBytes } from '../mail/charset.js';
import { codePageCharset } from './pst-props.js';

/** Destinations whose content is not text. */
const SKIPPED = new Set([
  'fonttbl', 'colortbl', 'stylesheet', 'info', 'pict', 'object', 'objdata', 'themedata', 'colorschememapping',
  'datastore', 'latentstyles', 'listtable', 'listoverridetable', 'revtbl', 'rsidtbl', 'xmlnstbl', 'generator',
  'header', 'headerl', 'headerr', 'headerf', 'footer', 'footerl', 'footerr', 'footerf', 'pgdsctbl',
]);

const SYMBOLS: Record<string, string> = {
  par: '\n', line: '\n', sect: '\n', row: '\n', page: '\n', tab: '\t', cell: '\t',
  emdash: '\u2014', endash: '\u2013', bullet: '\u2022', lquote: '\u2018', rquote: '\u2019', ldblquote: '\u201c', rdblquote: '\u201d',
  emspace: ' ', enspace: ' ', qmspace: ' ',
};

/** Groups deeper than this are read as if they were one level (no state is kept for them). */
const MAX_GROUP_DEPTH = 1000;

export function rtfToText(rtf: string, maxChars: number): string {
  const out: string[] = [];
  let length = 0;
  let skip = false;
  let uc = 1; // characters that stand in for each \uN
  let pendingSkip = 0;
  let charset = 'windows-1252';
  let groupStart = false;
  let starred = false; // after \* at the start of a group: the next word names a destination to skip unless known
  let overflow = 0;
  const stack: { skip: boolean; uc: number }[] = [];
  let bytes: number[] = [];

  const emit = (s: string) => {
    if (skip || s === '') return;
    out.push(s);
    length += s.length;
  };
  const flush = () => {
    if (bytes.length === 0) return;
    emit(decodeBytes(Uint8Array.from(bytes), charset).text);
    bytes = [];
  };

  let i = 0;
  while (i < rtf.length && length < maxChars) {
    const c = rtf[i]!;
    if (c === '{') {
      flush();
      if (stack.length >= MAX_GROUP_DEPTH) overflow++;
      else stack.push({ skip, uc });
      groupStart = true;
      starred = false;
      i++;
      continue;
    }
    if (c === '}') {
      flush();
      if (overflow > 0) overflow--;
      else {
        const s = stack.pop();
        if (s) ({ skip, uc } = s);
      }
      groupStart = false;
      starred = false;
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      i++;
      continue;
    }
    if (c !== '\\') {
      flush();
      if (starred) skip = true;
      starred = false;
      if (pendingSkip > 0) pendingSkip--;
      else emit(c);
      groupStart = false;
      i++;
      continue;
    }
    const n = rtf[i + 1] ?? '';
    if (n === "'") {
      const v = parseInt(rtf.slice(i + 2, i + 4), 16);
      if (starred) skip = true;
      starred = false;
      if (pendingSkip > 0) pendingSkip--;
      else if (!skip && !Number.isNaN(v)) bytes.push(v);
      i += 4;
      groupStart = false;
      continue;
    }
    flush();
    const word = /^[a-zA-Z]{1,32}/.exec(rtf.slice(i + 1, i + 33))?.[0];
    if (!word) {
      // Control symbols: \* marks a destination a reader may ignore; \\ \{ \} are literal.
      if (n === '*' && groupStart) starred = true;
      else if (n === '\\' || n === '{' || n === '}') emit(n);
      else if (n === '~') emit('\u00a0');
      else if (n === '\n' || n === '\r') emit('\n');
      i += 2;
      continue;
    }
    let j = i + 1 + word.length;
    const num = /^-?\d{1,10}/.exec(rtf.slice(j, j + 11))?.[0];
    if (num) j += num.length;
    if (rtf[j] === ' ') j++;
    const param = num ? parseInt(num, 10) : undefined;
    // Field instructions are kept: HYPERLINK "…" carries the link's URL.
    if (starred) skip ||= word !== 'fldinst';
    starred = false;
    if (groupStart && SKIPPED.has(word)) skip = true;
    else if (word === 'u' && param !== undefined) {
      emit(String.fromCharCode(param < 0 ? param + 65536 : param));
      pendingSkip = uc;
    } else if (word === 'uc' && param !== undefined) uc = Math.max(0, Math.min(param, 8));
    else if (word === 'ansicpg' && param !== undefined) charset = codePageCharset(param) || charset;
    else if (SYMBOLS[word] !== undefined) emit(SYMBOLS[word]!);
    groupStart = false;
    i = j;
  }
  flush();
  return out.join('').slice(0, maxChars);
}
