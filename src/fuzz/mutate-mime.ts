// Structure-aware MIME mutations: the places where mail parsers are known to go wrong
// (boundaries, transfer encodings, charsets, folding, sizes, nesting, encoded-words).
// They work on the latin1 view of the message so that every other byte is kept as is.
import type { Mutation } from './mutation.js';
import type { Rng } from './rng.js';
import { asBytes, asText, eolOf, escapeRegExp, lineAt, lineStarts, matchesOf, replaceAt, utf8AsText } from './text.js';

const ENCODINGS = ['base64', 'quoted-printable', '7bit', '8bit', 'binary', 'x-uuencode', 'uuencode', 'BASE64 ', 'base-64', 'gzip', ''];
const CHARSETS = ['utf-8', 'iso-2022-jp', 'shift_jis', 'euc-jp', 'utf-16', 'utf-16le', 'utf-7', 'utf-32', 'ks_c_5601-1987', 'gb18030', 'windows-1252', 'x-unknown', '', '"', 'utf-8"; charset="iso-8859-1'];
const CONTENT_TYPES = ['multipart/mixed', 'multipart/alternative; boundary=""', 'multipart/related; boundary="' + 'b'.repeat(5000) + '"', 'message/rfc822', 'message/partial; id="x"; number=2; total=1', 'text/plain', 'application/ms-tnef', 'multipart/digest', 'text/html; charset=utf-16'];
/** Text whose characters are two to four bytes in UTF-8, so that every cut can land inside one. */
const WIDE_TEXT = '請求書の送付について🔒ご確認ください　株式会社';

/** End of the header block: offset of the blank line, and the offset where the body starts. */
function headerEnd(s: string, from = 0): { blank: number; body: number } | null {
  const m = /\r?\n\r?\n/.exec(s.slice(from));
  return m ? { blank: from + m.index, body: from + m.index + m[0].length } : null;
}

function boundariesOf(s: string): string[] {
  return [...new Set(matchesOf(s, /boundary\s*=\s*"?([^";\r\n]+)"?/i).map((m) => m[1]!.trim()))].filter(Boolean);
}

/** Offsets of the delimiter lines `--boundary` (and `--boundary--`). */
function delimiterLines(s: string, boundary: string): { start: number; end: number }[] {
  return matchesOf(s, new RegExp(`^--${escapeRegExp(boundary)}(?:--)?[ \\t]*\\r?\\n?`, 'm')).map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

/** Header lines (the first line of each field) matching a name, over the whole message. */
function headerLines(s: string, name: RegExp): { start: number; end: number; text: string }[] {
  const re = new RegExp(`^(?:${name.source})[ \\t]*:`, 'im');
  return lineStarts(s)
    .filter((st) => re.test(s.slice(st, st + 80)))
    .map((st) => {
      const l = lineAt(s, st);
      return { start: st, end: l.end, text: l.text };
    });
}

function wrapMultipart(s: string, depth: number, sameBoundary: boolean, closeAll: boolean, eol: string): string {
  const h = headerEnd(s);
  const head = h ? s.slice(0, h.blank) : 'From: a@example.com';
  const body = h ? s.slice(h.body) : s;
  const headNoType = head.replace(/^content-type:.*(?:\r?\n[ \t].*)*/gim, '').replace(/^\r?\n/, '');
  const b = (i: number) => (sameBoundary ? 'deep' : `deep${i}`);
  const open: string[] = [];
  for (let i = 1; i < depth; i++) open.push(`--${b(i - 1)}${eol}Content-Type: multipart/mixed; boundary="${b(i)}"${eol}${eol}`);
  const close: string[] = [];
  if (closeAll) for (let i = depth - 1; i >= 0; i--) close.push(`${eol}--${b(i)}--${eol}`);
  return `${headNoType}${eol}Content-Type: multipart/mixed; boundary="${b(0)}"${eol}${eol}${open.join('')}--${b(depth - 1)}${eol}Content-Type: text/plain${eol}${eol}${body}${close.join('')}`;
}

function wrapRfc822(s: string, depth: number, base64: boolean, eol: string): string {
  let msg = s;
  for (let i = 0; i < depth; i++) {
    const inner = base64 && i === 0 ? Buffer.from(msg, 'latin1').toString('base64').replace(/.{76}/g, `$&${eol}`) : msg;
    msg =
      `From: wrap${i}@example.com${eol}Subject: Fwd ${i}${eol}MIME-Version: 1.0${eol}Content-Type: multipart/mixed; boundary="w${i}"${eol}${eol}` +
      `--w${i}${eol}Content-Type: message/rfc822${eol}${base64 && i === 0 ? `Content-Transfer-Encoding: base64${eol}` : ''}${eol}${inner}${eol}--w${i}--${eol}`;
  }
  return msg;
}

/** An encoded-word whose payload is cut inside a multi-byte character (or an escape sequence). */
function brokenEncodedWord(rng: Rng): string {
  const charset = rng.pick(['utf-8', 'UTF-8', 'iso-2022-jp', 'shift_jis', 'euc-jp', 'utf-16', 'gb2312', 'bogus']);
  const text = WIDE_TEXT.slice(rng.int(WIDE_TEXT.length));
  let bytes: Buffer;
  if (charset.toLowerCase() === 'iso-2022-jp') bytes = Buffer.concat([Buffer.from([0x1b, 0x24, 0x42]), Buffer.from(text, 'utf8')]);
  else if (charset === 'utf-16') bytes = Buffer.from(text, 'utf16le');
  else bytes = Buffer.from(text, 'utf8');
  const cut = bytes.subarray(0, Math.max(1, rng.int(bytes.length)));
  const kind = rng.int(6);
  if (kind === 0) return `=?${charset}?B?${cut.toString('base64')}?=`;
  if (kind === 1) return `=?${charset}?B?${cut.toString('base64').replace(/=+$/, '').slice(0, -1)}?=`;
  if (kind === 2) return `=?${charset}?Q?${[...cut].map((c) => '=' + c.toString(16).toUpperCase().padStart(2, '0')).join('').slice(0, -1)}?=`;
  if (kind === 3) return `=?${charset}?B?${cut.toString('base64')}`; // never closed
  if (kind === 4) return Array.from({ length: rng.range(2, 400) }, () => `=?${charset}?B?${cut.toString('base64')}?=`).join(' ');
  return `=?${charset}*ja?X?${cut.toString('base64')}?=`;
}

export const mimeMutations: Mutation[] = [
  {
    name: 'mime.boundary-remove',
    apply(input, rng) {
      const s = asText(input);
      const bs = boundariesOf(s);
      if (bs.length === 0) return null;
      const b = rng.pick(bs);
      const lines = delimiterLines(s, b);
      const how = rng.int(3);
      if (how === 0 && lines.length > 0) {
        // Drop every delimiter line, or just the closing one.
        const drop = rng.chance(0.5) ? lines : lines.slice(-1);
        let out = s;
        for (const l of [...drop].reverse()) out = replaceAt(out, l.start, l.end, '');
        return asBytes(out);
      }
      if (how === 1 && lines.length > 0) {
        const l = rng.pick(lines);
        return asBytes(replaceAt(s, l.start, l.end, ''));
      }
      // Remove the boundary parameter itself: a multipart with no way to split it.
      return asBytes(s.replace(new RegExp(`;?\\s*boundary\\s*=\\s*"?${escapeRegExp(b)}"?`, 'i'), ''));
    },
  },
  {
    name: 'mime.boundary-duplicate',
    apply(input, rng) {
      const s = asText(input);
      const bs = boundariesOf(s);
      if (bs.length === 0) return null;
      const lines = delimiterLines(s, rng.pick(bs));
      if (lines.length === 0) return null;
      const l = rng.pick(lines);
      return asBytes(replaceAt(s, l.start, l.start, s.slice(l.start, l.end).repeat(rng.logSize(5000))));
    },
  },
  {
    name: 'mime.nest-deep',
    apply(input, rng, ctx) {
      const s = asText(input);
      const [depth, same, closed] = [rng.pick([50, 200, 1000, 3000, 10000]), rng.chance(0.3), rng.chance(0.5)];
      ctx.note(`${depth} levels${same ? ', one boundary' : ''}${closed ? '' : ', never closed'}`);
      return asBytes(wrapMultipart(s, depth, same, closed, eolOf(s)));
    },
  },
  {
    name: 'mime.cte-swap',
    apply(input, rng, ctx) {
      const s = asText(input);
      const lines = headerLines(s, /content-transfer-encoding/);
      const value = rng.pick(ENCODINGS);
      ctx.note(`-> "${value}"`);
      if (lines.length > 0) {
        const l = rng.pick(lines);
        return asBytes(replaceAt(s, l.start, l.end, `Content-Transfer-Encoding: ${value}`));
      }
      const types = headerLines(s, /content-type/);
      if (types.length === 0) return null;
      const t = rng.pick(types);
      return asBytes(replaceAt(s, t.start, t.start, `Content-Transfer-Encoding: ${value}${eolOf(s)}`));
    },
  },
  {
    name: 'mime.charset-swap',
    apply(input, rng, ctx) {
      const s = asText(input);
      const ms = matchesOf(s, /charset\s*=\s*("?)[^";\s]*\1/i);
      const charset = rng.pick(CHARSETS);
      ctx.note(`-> "${charset}"`);
      if (ms.length > 0) {
        const m = rng.pick(ms);
        return asBytes(replaceAt(s, m.index, m.index + m[0].length, `charset="${charset}"`));
      }
      const types = headerLines(s, /content-type/);
      if (types.length === 0) return null;
      const t = rng.pick(types);
      return asBytes(replaceAt(s, t.end, t.end, `; charset=${charset}`));
    },
  },
  {
    name: 'mime.header-fold',
    apply(input, rng) {
      const s = asText(input);
      const h = headerEnd(s);
      if (!h) return null;
      const starts = lineStarts(s.slice(0, h.blank));
      const st = rng.pick(starts);
      const l = lineAt(s, st);
      const eol = eolOf(s);
      const how = rng.int(4);
      if (how === 0) {
        // Fold a field at many random places, as some mailers do every few characters.
        let text = l.text;
        for (let n = rng.logSize(2000); n > 0 && text.length > 1; n--) {
          const at = 1 + rng.int(text.length - 1);
          text = text.slice(0, at) + eol + rng.pick([' ', '\t', '   ']) + text.slice(at);
        }
        return asBytes(replaceAt(s, st, l.end, text));
      }
      if (how === 1) return asBytes(replaceAt(s, l.end, l.end, `${eol} `.repeat(rng.logSize(20000)))); // whitespace-only continuation lines
      if (how === 2) return asBytes(replaceAt(s, 0, 0, ` continued before any field${eol}`)); // continuation with nothing to continue
      return asBytes(replaceAt(s, l.end, l.end, `${eol}${rng.pick(['\t', ' '])}${brokenEncodedWord(rng)}`));
    },
  },
  {
    name: 'mime.huge-header',
    apply(input, rng, ctx) {
      const s = asText(input);
      const eol = eolOf(s);
      const size = rng.pick([70_000, 1 << 20, 4 << 20]);
      const kind = rng.int(4);
      ctx.note(`${['one long value', 'many addresses', 'many encoded-words', 'many fields'][kind]}, ${size} bytes`);
      let field: string;
      if (kind === 0) field = `X-Long: ${'A'.repeat(size)}`;
      else if (kind === 1) field = `To: ${'"x" <a@example.com>, '.repeat(Math.ceil(size / 22))}`;
      else if (kind === 2) field = `Subject: ${'=?utf-8?B?44GC?= '.repeat(Math.ceil(size / 17))}`;
      else field = Array.from({ length: Math.ceil(size / 64) }, (_, i) => `X-H${i}: v`).join(eol);
      const at = rng.chance(0.5) ? 0 : Math.max(0, headerEnd(s)?.blank ?? 0);
      return asBytes(at === 0 ? field + eol + s : replaceAt(s, at, at, eol + field));
    },
  },
  {
    name: 'mime.base64-truncate',
    apply(input, rng) {
      const s = asText(input);
      const ctes = headerLines(s, /content-transfer-encoding/).filter((l) => /base64/i.test(l.text));
      if (ctes.length === 0) return null;
      const c = rng.pick(ctes);
      const h = headerEnd(s, c.start);
      if (!h) return null;
      const end = s.indexOf('\n--', h.body);
      const bodyEnd = end === -1 ? s.length : end;
      if (bodyEnd - h.body < 8) return null;
      const cut = h.body + 1 + rng.int(bodyEnd - h.body - 1);
      const how = rng.int(4);
      if (how === 0) return asBytes(s.slice(0, cut)); // the message ends inside the base64
      if (how === 1) return asBytes(replaceAt(s, cut, bodyEnd, '')); // the part ends early, mid-quartet
      if (how === 2) return asBytes(replaceAt(s, cut, cut, rng.pick(['=', '==', '===A', '!@#$', '\x00\xff', '-'.repeat(80)])));
      return asBytes(replaceAt(s, cut, bodyEnd, s.slice(cut, bodyEnd).replace(/=/g, ''))); // padding removed
    },
  },
  {
    name: 'mime.rfc822-nest',
    apply(input, rng, ctx) {
      const s = asText(input);
      const [depth, base64] = [rng.pick([1, 2, 10, 50, 200, 600]), rng.chance(0.3)];
      ctx.note(`${depth} levels${base64 ? ', innermost base64' : ''}`);
      return asBytes(wrapRfc822(s, depth, base64, eolOf(s)));
    },
  },
  {
    name: 'mime.encoded-word-break',
    apply(input, rng) {
      const s = asText(input);
      const words = matchesOf(s, /=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=/);
      if (words.length > 0 && rng.chance(0.5)) {
        // Cut an existing encoded-word inside its payload.
        const w = rng.pick(words);
        const q = w[0].lastIndexOf('?', w[0].length - 3);
        const cut = q + 1 + rng.int(Math.max(1, w[0].length - 3 - q));
        return asBytes(replaceAt(s, w.index + cut, w.index + w[0].length - 2, ''));
      }
      const fields = headerLines(s, /subject|from|to|content-disposition|content-type/);
      const eol = eolOf(s);
      if (fields.length === 0 || rng.chance(0.2)) return asBytes(`Subject: ${brokenEncodedWord(rng)}${eol}${s}`);
      const f = rng.pick(fields);
      const word = brokenEncodedWord(rng);
      if (/^content-/i.test(f.text) && rng.chance(0.5)) {
        // RFC 2231 parameter with a percent-encoded character cut in half.
        const pct = [...Buffer.from(WIDE_TEXT, 'utf8').subarray(0, 1 + rng.int(8))].map((b) => '%' + b.toString(16).toUpperCase()).join('');
        return asBytes(replaceAt(s, f.end, f.end, `; filename*=utf-8''${pct.slice(0, -1)}; name*0*=utf-8''${pct}; name*1=${utf8AsText(WIDE_TEXT.slice(0, 3))}`));
      }
      return asBytes(replaceAt(s, f.end, f.end, ` ${word}`));
    },
  },
  {
    name: 'mime.content-type-swap',
    apply(input, rng, ctx) {
      const s = asText(input);
      const types = headerLines(s, /content-type/);
      if (types.length === 0) return null;
      const t = rng.pick(types);
      const value = rng.pick(CONTENT_TYPES);
      ctx.note(`-> ${value.slice(0, 60)}`);
      return asBytes(replaceAt(s, t.start, t.end, `Content-Type: ${value}`));
    },
  },
  {
    name: 'mime.line-endings',
    apply(input, rng) {
      const s = asText(input);
      if (s.length < 2) return null;
      const a = rng.int(s.length);
      const b = Math.min(s.length, a + rng.logSize(s.length));
      const region = s.slice(a, b);
      const to = rng.pick(['\r\n', '\n', '\r', '\r\r\n', '\n\r']);
      return asBytes(replaceAt(s, a, b, region.replace(/\r?\n|\r/g, to)));
    },
  },
  {
    name: 'mime.truncate',
    apply(input, rng) {
      const s = asText(input);
      const h = headerEnd(s);
      // Cut inside the header half the time: a header block that never ends.
      const limit = h && rng.chance(0.5) ? h.blank : s.length;
      return limit < 2 ? null : asBytes(s.slice(0, 1 + rng.int(limit - 1)));
    },
  },
];
