// Structure-aware OOXML mutations: the package is unpacked, one part is changed (a
// malformed [Content_Types].xml or document part, a lying relationship, a damaged
// vbaProject.bin compound file, a part removed) and the package is zipped again, so the
// container is valid and the damage reaches the part readers. Container-level damage comes
// from the ZIP mutators, which the ooxml target mixes in.
import { cfbMutations } from './mutate-cfb.js';
import { breakXml } from './mutate-xml.js';
import type { Mutation, MutationContext } from './mutation.js';
import type { Rng } from './rng.js';
import { packParts, unpackParts } from './zip-parts.js';

const MAIN_PART = /^(word\/document|xl\/workbook|ppt\/presentation|visio\/document)\.xml$|^content\.xml$/;

function ooxml(name: string, f: (parts: Record<string, Uint8Array>, rng: Rng, ctx: MutationContext) => boolean): Mutation {
  return {
    name,
    apply(input, rng, ctx) {
      // A package an earlier mutation already broke is left to the ZIP mutators.
      const parts = unpackParts(input);
      if (!parts || !f(parts, rng, ctx)) return null;
      return packParts(parts, rng.pick([0, 6, 9] as const));
    },
  };
}

function breakPart(parts: Record<string, Uint8Array>, name: string, rng: Rng, ctx: MutationContext): boolean {
  const data = parts[name];
  if (!data) return false;
  const broken = breakXml(Buffer.from(data), rng);
  if (!broken) return false;
  parts[name] = broken.bytes;
  ctx.note(`${name}: ${broken.how}`);
  return true;
}

export const ooxmlMutations: Mutation[] = [
  ooxml('ooxml.content-types-malformed', (parts, rng, ctx) => breakPart(parts, '[Content_Types].xml', rng, ctx)),
  ooxml('ooxml.part-malformed', (parts, rng, ctx) => {
    const names = Object.keys(parts).filter((n) => /\.(xml|rels)$/i.test(n) && n !== '[Content_Types].xml');
    if (names.length === 0) return false;
    // The main document part half the time: it is the one every reader opens.
    const main = names.filter((n) => MAIN_PART.test(n));
    return breakPart(parts, main.length > 0 && rng.chance(0.5) ? rng.pick(main) : rng.pick(names), rng, ctx);
  }),
  ooxml('ooxml.rels-target', (parts, rng, ctx) => {
    const rels = Object.keys(parts).filter((n) => n.endsWith('.rels'));
    if (rels.length === 0) return false;
    const name = rng.pick(rels);
    const text = Buffer.from(parts[name]!).toString('utf8');
    const targets = [...text.matchAll(/Target="[^"]*"/g)];
    if (targets.length === 0) return false;
    const t = rng.pick(targets);
    const value = rng.pick([
      '../../../../etc/passwd',
      'http://example.invalid/template.dotm" TargetMode="External',
      '\\\\example.invalid\\share\\x.dotm" TargetMode="External',
      name,
      '/',
      '',
      'x'.repeat(70000),
      'word/%2e%2e/%2e%2e/x.xml',
      'mhtml:file://C:\\x.mht!x.xml" TargetMode="External',
    ]);
    parts[name] = Buffer.from(text.slice(0, t.index) + `Target="${value}"` + text.slice(t.index! + t[0].length), 'utf8');
    ctx.note(`${name}: Target = ${value.slice(0, 60)}`);
    return true;
  }),
  ooxml('ooxml.vba-project', (parts, rng, ctx) => {
    const bins = Object.keys(parts).filter((n) => /vbaProject\.bin$|\.bin$/i.test(n));
    if (bins.length === 0) return false;
    const name = rng.pick(bins);
    for (let tries = 0; tries < 4; tries++) {
      const m = rng.pick(cfbMutations);
      const out = m.apply(Buffer.from(parts[name]!), rng, ctx);
      if (out) {
        parts[name] = out;
        ctx.note(`${m.name} inside ${name}`);
        return true;
      }
    }
    return false;
  }),
  ooxml('ooxml.part-remove', (parts, rng, ctx) => {
    const names = Object.keys(parts);
    const key = names.filter((n) => n === '[Content_Types].xml' || MAIN_PART.test(n) || n.endsWith('.rels'));
    const name = rng.pick(key.length > 0 && rng.chance(0.7) ? key : names);
    delete parts[name];
    ctx.note(`${name} removed`);
    return true;
  }),
  ooxml('ooxml.part-rename', (parts, rng, ctx) => {
    const names = Object.keys(parts);
    const name = rng.pick(names);
    const to = rng.pick([name.toUpperCase(), name.replace(/\//g, '\\'), '../' + name, '/' + name, name + '\x00.txt', 'a/'.repeat(2000) + name]);
    parts[to] = parts[name]!;
    if (to !== name) delete parts[name];
    ctx.note(`${name} renamed to ${to.slice(0, 60)}`);
    return true;
  }),
];
