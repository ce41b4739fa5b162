// Structure-aware mbox mutations: the "From " separator is the only structure an mbox has,
// and every reader disagrees on it (where it may appear, >From quoting, line endings), so
// most of these move, add, remove or disguise separators. One applies a MIME mutation to a
// single message inside the mailbox.
import { mimeMutations } from './mutate-mime.js';
import type { Mutation } from './mutation.js';
import { asBytes, asText, eolOf, lineAt, lineStarts, matchesOf, replaceAt } from './text.js';

const SEPARATORS = [
  'From MAILER-DAEMON Tue Nov 24 04:40:43 2026',
  'From a@example.com Thu Jan  1 00:00:00 1970',
  'From ',
  'From x',
  'From a@example.com Sat Feb 30 25:61:61 99999',
  'From "quoted local"@example.com Mon Jan  5 10:00:00 2026 remote from host',
  'From a@example.com ' + 'Mon '.repeat(5000),
];

/** Offsets of separator lines: "From " at the start of the file or of a line. */
function separators(s: string): number[] {
  return matchesOf(s, /(?:^|\n)From /).map((m) => (m[0].startsWith('\n') ? m.index + 1 : m.index));
}

export const mboxMutations: Mutation[] = [
  {
    name: 'mbox.from-insert',
    apply(input, rng) {
      const s = asText(input);
      const eol = eolOf(s);
      const starts = lineStarts(s);
      const at = rng.pick(starts);
      const sep = rng.pick(SEPARATORS);
      // One separator in the middle of a header or body, or a run of empty messages.
      const count = rng.chance(0.7) ? 1 : rng.logSize(20000);
      return asBytes(replaceAt(s, at, at, (sep + eol).repeat(count)));
    },
  },
  {
    name: 'mbox.from-remove',
    apply(input, rng) {
      const s = asText(input);
      const seps = separators(s);
      if (seps.length === 0) return null;
      const at = rng.pick(seps);
      const l = lineAt(s, at);
      const how = rng.int(3);
      if (how === 0) return asBytes(replaceAt(s, at, Math.min(s.length, l.end + (s[l.end] === '\r' ? 2 : 1)), '')); // messages merge
      if (how === 1) return asBytes(replaceAt(s, at, at + 5, 'From')); // "From" without the space
      return asBytes(replaceAt(s, at, at, ' ')); // an indented separator
    },
  },
  {
    name: 'mbox.from-quote',
    apply(input, rng) {
      const s = asText(input);
      const quoted = matchesOf(s, /(?:^|\n)>+From /);
      const seps = separators(s);
      if (quoted.length > 0 && rng.chance(0.5)) {
        // Unquote a body line: it becomes a separator in the middle of a message.
        const m = rng.pick(quoted);
        const start = m[0].startsWith('\n') ? m.index + 1 : m.index;
        return asBytes(replaceAt(s, start, start + m[0].trimStart().indexOf('From'), ''));
      }
      if (seps.length === 0) return null;
      const at = rng.pick(seps);
      return asBytes(replaceAt(s, at, at, '>'.repeat(rng.logSize(10000))));
    },
  },
  {
    name: 'mbox.eol-mix',
    apply(input, rng) {
      const s = asText(input);
      if (s.length < 2) return null;
      let out = s;
      for (let n = rng.range(1, 8); n > 0; n--) {
        const a = rng.int(out.length);
        const b = Math.min(out.length, a + rng.logSize(out.length));
        out = replaceAt(out, a, b, out.slice(a, b).replace(/\r?\n|\r/g, rng.pick(['\r\n', '\n', '\r'])));
      }
      return asBytes(out);
    },
  },
  {
    name: 'mbox.truncate',
    apply(input, rng) {
      const s = asText(input);
      const seps = separators(s);
      if (seps.length > 0 && rng.chance(0.5)) {
        const at = rng.pick(seps);
        return asBytes(s.slice(0, at + rng.int(Math.min(40, s.length - at)))); // cut inside a separator line
      }
      return s.length < 2 ? null : asBytes(s.slice(0, rng.int(s.length)));
    },
  },
  {
    name: 'mbox.message-mime',
    apply(input, rng, ctx) {
      const s = asText(input);
      const seps = separators(s);
      if (seps.length === 0) return null;
      const i = rng.int(seps.length);
      const start = lineAt(s, seps[i]!).end;
      const end = seps[i + 1] ?? s.length;
      const body = s.slice(start, end).replace(/^\r?\n/, '');
      const m = rng.pick(mimeMutations);
      const out = m.apply(asBytes(body), rng, ctx);
      if (!out) return null;
      ctx.note(`${m.name} on message ${i + 1}`);
      const eol = eolOf(s);
      // Keep the mutated message from ending the separator line it precedes.
      const text = asText(out);
      return asBytes(s.slice(0, start) + eol + text + (text.endsWith('\n') || end === s.length ? '' : eol) + s.slice(end));
    },
  },
];
