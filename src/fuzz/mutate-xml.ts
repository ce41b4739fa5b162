// Ways to break an XML part of an OOXML package: the malformations XML parsers report
// (and some print to the console), and the shapes that cost time or memory (entity
// expansion, deep nesting, huge attributes). Each returns the broken XML text as bytes.
import type { Rng } from './rng.js';
import { asBytes, asText, matchesOf, replaceAt } from './text.js';

type XmlBreak = { name: string; apply(xml: string, rng: Rng): string | null };

const BREAKS: XmlBreak[] = [
  { name: 'truncated', apply: (x, rng) => (x.length < 2 ? null : x.slice(0, rng.int(x.length))) },
  {
    name: 'cut-mid-tag',
    apply(x, rng) {
      const tags = matchesOf(x, /<[A-Za-z][^>]{2,}>/);
      if (tags.length === 0) return null;
      const t = rng.pick(tags);
      return replaceAt(x, t.index + 1 + rng.int(t[0].length - 2), t.index + t[0].length, '');
    },
  },
  {
    name: 'mismatched-close',
    apply(x, rng) {
      const closes = matchesOf(x, /<\/[A-Za-z:]+>/);
      if (closes.length === 0) return null;
      const c = rng.pick(closes);
      return replaceAt(x, c.index, c.index + c[0].length, rng.pick(['</wrong>', '</', '</>', '<//x>', '']));
    },
  },
  {
    name: 'undefined-entity',
    apply(x, rng) {
      const at = x.indexOf('>', x.indexOf('<', 1));
      return at < 0 ? null : replaceAt(x, at + 1, at + 1, rng.pick(['&nosuch;', '&#xFFFFFFFF;', '&#0;', '&', '&#x;', '&amp']));
    },
  },
  {
    name: 'entity-expansion',
    apply(x, rng) {
      // Nested internal entities ("billion laughs", scaled by depth): a parser that expands
      // them spends time and memory; one that refuses DTDs says so.
      const depth = rng.range(3, 9);
      const decls = [`<!ENTITY e0 "${'lol'.repeat(10)}">`];
      for (let i = 1; i <= depth; i++) decls.push(`<!ENTITY e${i} "${`&e${i - 1};`.repeat(10)}">`);
      const root = /<([A-Za-z][\w:.-]*)/.exec(x.replace(/^<\?[^>]*\?>/, ''))?.[1] ?? 'r';
      const body = x.replace(/^\s*<\?xml[^>]*\?>/, '');
      const at = body.indexOf('>', body.indexOf('<' + root));
      const withRef = at < 0 ? body : replaceAt(body, at + 1, at + 1, `&e${depth};`);
      return `<?xml version="1.0"?><!DOCTYPE ${root} [${decls.join('')}]>${withRef}`;
    },
  },
  {
    name: 'deep-nesting',
    apply(x, rng) {
      const n = rng.pick([1000, 20000, 100000]);
      const at = x.lastIndexOf('</');
      const nest = '<a>'.repeat(n) + (rng.chance(0.5) ? '</a>'.repeat(n) : '');
      return at < 0 ? x + nest : replaceAt(x, at, at, nest);
    },
  },
  {
    name: 'huge-attribute',
    apply(x, rng) {
      const at = x.indexOf(' ', x.indexOf('<', x.indexOf('?>') + 1));
      if (at < 0) return null;
      return replaceAt(x, at, at, ` huge="${'A'.repeat(rng.pick([70000, 1 << 20, 4 << 20]))}"`);
    },
  },
  {
    name: 'duplicate-attribute',
    apply(x) {
      const m = /<[A-Za-z][\w:]*\s+([\w:]+="[^"]*")/.exec(x.replace(/^<\?[^>]*\?>/, '  '));
      return m ? x.replace(m[1]!, `${m[1]} ${m[1]}`) : null;
    },
  },
  {
    name: 'bad-bytes',
    apply(x, rng) {
      const at = rng.int(x.length + 1);
      return replaceAt(x, at, at, rng.pick(['\x00', '\xff\xfe', '\xc3', '\xed\xa0\x80', '\x1b[2J', '\x0c', ']]>']));
    },
  },
  {
    name: 'wrong-declaration',
    apply(x, rng) {
      const decl = rng.pick(['<?xml version="1.0" encoding="UTF-16"?>', '<?xml version="2.0"?>', '<?xml encoding="bogus"?>', '\xef\xbb\xbf\xef\xbb\xbf<?xml version="1.0"?>', ' <?xml version="1.0"?>', '<?xml']);
      return decl + x.replace(/^\s*<\?xml[^>]*\?>/, '');
    },
  },
  {
    name: 'unterminated-section',
    apply(x, rng) {
      const at = x.lastIndexOf('</');
      const open = rng.pick(['<![CDATA[never closed', '<!-- never closed', '<?pi never closed', '<!DOCTYPE x [']);
      return at < 0 ? x + open : replaceAt(x, at, at, open);
    },
  },
  {
    name: 'undeclared-prefix',
    apply(x) {
      const at = x.lastIndexOf('</');
      return at < 0 ? null : replaceAt(x, at, at, '<nope:el nope:attr="1"/>');
    },
  },
];

/** One XML malformation applied to `bytes`; null when nothing applied. */
export function breakXml(bytes: Buffer, rng: Rng): { bytes: Buffer; how: string } | null {
  const x = asText(bytes);
  for (let tries = 0; tries < 4; tries++) {
    const b = rng.pick(BREAKS);
    const out = b.apply(x, rng);
    if (out !== null) return { bytes: asBytes(out), how: b.name };
  }
  return null;
}
