// Structure-aware MTA log mutations (Postfix, Exim, Sendmail syslog lines): fields cut at
// their separators, queue ids reused across messages, garbage and invalid UTF-8 inside
// fields, extreme lines and values, time stamps that go backwards or do not exist.
import type { Mutation } from './mutation.js';
import type { Rng } from './rng.js';
import { asBytes, asText } from './text.js';

/** Queue ids: Postfix (short hex and long form) and Sendmail after "]: "; Exim's message ids. */
const QUEUE_ID = /\]: ([0-9A-Za-z]{6,20}): |\b([0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4})\b/g;
const INVALID_UTF8 = ['\xc3', '\xe3\x81', '\xc0\xaf', '\xed\xa0\x80', '\xf8\x88\x80\x80\x80', '\xff\xfe', '\x80', '\xf4\x90\x80\x80'];
const GARBAGE = ['\x00', '\x00'.repeat(64), '\x1b[31m', '\r', '\x7f', '\t\t', '\x08\x08', '\xef\xbb\xbf', '\x1b]0;x\x07'];

function lines(s: string): string[] {
  return s.split('\n');
}

function pickLine(ls: string[], rng: Rng): number {
  // Prefer lines with content: cutting an empty line teaches nothing.
  for (let tries = 0; tries < 8; tries++) {
    const i = rng.int(ls.length);
    if (ls[i]!.trim().length > 10) return i;
  }
  return rng.int(ls.length);
}

function lineMutation(name: string, f: (ls: string[], rng: Rng) => boolean): Mutation {
  return {
    name,
    apply(input, rng) {
      const ls = lines(asText(input));
      return ls.length === 0 || !f(ls, rng) ? null : asBytes(ls.join('\n'));
    },
  };
}

function queueIds(s: string): string[] {
  return [...new Set([...s.matchAll(QUEUE_ID)].map((m) => m[1] ?? m[2]!))];
}

export const logMutations: Mutation[] = [
  lineMutation('logs.cut-fields', (ls, rng) => {
    for (let n = rng.logSize(200); n > 0; n--) {
      const i = pickLine(ls, rng);
      const l = ls[i]!;
      const cuts = [...l.matchAll(/[ =:<>,[\]"]/g)].map((m) => m.index);
      if (cuts.length === 0) continue;
      const at = rng.pick(cuts) + (rng.chance(0.5) ? 1 : 0);
      ls[i] = l.slice(0, at);
    }
    return true;
  }),
  {
    name: 'logs.dup-queue-id',
    apply(input, rng) {
      const s = asText(input);
      const ids = queueIds(s);
      if (ids.length === 0) return null;
      const id = rng.pick(ids);
      const ls = lines(s);
      const how = rng.int(3);
      if (how === 0 && ids.length > 1) {
        // Another message's lines now carry this id: two messages under one queue id.
        const other = rng.pick(ids.filter((x) => x !== id));
        return asBytes(s.split(other).join(id));
      }
      const own = ls.map((l, i) => (l.includes(id) ? i : -1)).filter((i) => i >= 0);
      if (own.length === 0) return null;
      const src = ls[rng.pick(own)]!;
      const copies = rng.logSize(how === 1 ? 50000 : 20);
      // Repeated lines for one id, or the id coming back after the message was removed.
      const at = how === 1 ? rng.pick(own) + 1 : ls.length;
      ls.splice(at, 0, ...Array.from({ length: copies }, () => src));
      return asBytes(ls.join('\n'));
    },
  },
  lineMutation('logs.garbage', (ls, rng) => {
    for (let n = rng.range(1, 20); n > 0; n--) {
      const i = pickLine(ls, rng);
      const l = ls[i]!;
      const at = rng.int(l.length + 1);
      const junk = rng.chance(0.5) ? rng.pick(GARBAGE) : rng.bytes(rng.range(1, 32)).toString('latin1');
      ls[i] = l.slice(0, at) + junk + l.slice(at);
    }
    if (rng.chance(0.3)) ls.splice(rng.int(ls.length), 0, rng.bytes(rng.logSize(100000)).toString('latin1').replace(/\n/g, ''));
    return true;
  }),
  lineMutation('logs.invalid-utf8', (ls, rng) => {
    for (let n = rng.range(1, 20); n > 0; n--) {
      const i = pickLine(ls, rng);
      const l = ls[i]!;
      // Inside a field value where one exists (from=<…>, subject, T="…"), else anywhere.
      const field = /(?:from|to|T|subject|helo)=["<]?/i.exec(l);
      const at = field ? field.index + field[0].length + rng.int(4) : rng.int(l.length + 1);
      ls[i] = l.slice(0, at) + rng.pick(INVALID_UTF8) + l.slice(at);
    }
    return true;
  }),
  {
    name: 'logs.long-line',
    apply(input, rng) {
      const s = asText(input);
      const ls = lines(s);
      const i = pickLine(ls, rng);
      const size = rng.pick([70_000, 1 << 20, 8 << 20]);
      const how = rng.int(3);
      const base = ls[i]!;
      if (how === 0) ls[i] = base + ', to=<a@example.com>'.repeat(Math.ceil(size / 20));
      else if (how === 1) ls[i] = base + ' ' + 'x'.repeat(size);
      else return asBytes(s.replace(/\n*$/, '') + '\n' + base + 'y'.repeat(size)); // no final newline
      return asBytes(ls.join('\n'));
    },
  },
  lineMutation('logs.timestamps', (ls, rng) => {
    const stamps = ls.map((l, i) => (/^(\w{3} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d)/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (stamps.length === 0) return false;
    for (let n = rng.range(1, 10); n > 0; n--) {
      const i = rng.pick(stamps);
      const l = ls[i]!;
      const replacement = rng.pick([
        'Dec 31 23:59:59',
        'Jan  1 00:00:00',
        'Feb 30 25:61:61',
        'Xyz 99 99:99:99',
        '2026-13-45T99:99:99',
        '0000-00-00 00:00:00',
        '9999-12-31T23:59:59.999999999+14:00',
        '1970-01-01T00:00:00-12:00',
        'Nov 24 04:40:39',
      ]);
      ls[i] = replacement + l.replace(/^(\w{3} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\d[T ][\d:.]+(?:[+-]\d\d:?\d\d|Z)?)/, '');
    }
    return true;
  }),
  lineMutation('logs.field-extremes', (ls, rng) => {
    let changed = false;
    for (let n = rng.range(1, 20); n > 0; n--) {
      const i = pickLine(ls, rng);
      const out = ls[i]!.replace(/\b(size|nrcpt|delay|S|pid|port|len|msgid)=[^ ,]*/, (_, k: string) => `${k}=${rng.pick(['99999999999999999999999', '-1', 'NaN', '1e308', '', '0x7fffffff', '٣'])}`)
        .replace(/\[(\d+)\]:/, () => `[${rng.pick(['99999999999999999999', '-1', ''])}]:`);
      changed ||= out !== ls[i];
      ls[i] = out;
    }
    return changed;
  }),
  lineMutation('logs.shuffle', (ls, rng) => {
    for (let n = rng.range(1, 50); n > 0; n--) {
      const a = rng.int(ls.length);
      const b = rng.int(ls.length);
      const how = rng.int(3);
      if (how === 0) [ls[a], ls[b]] = [ls[b]!, ls[a]!];
      else if (how === 1) ls.splice(a, 1);
      else ls.splice(b, 0, ls[a]!);
    }
    return true;
  }),
  {
    name: 'logs.eol',
    apply(input, rng) {
      const s = asText(input);
      const eol = rng.pick(['\r\n', '\r', '\n\n', '\x00\n', '\xe2\x80\xa8\n']); // the last: U+2028, a line separator to some readers
      if (rng.chance(0.5)) return asBytes(s.replace(/\n/g, eol));
      const a = rng.int(s.length);
      const b = Math.min(s.length, a + rng.logSize(s.length));
      return asBytes(s.slice(0, a) + s.slice(a, b).replace(/\n/g, eol) + s.slice(b));
    },
  },
  {
    name: 'logs.format-mix',
    apply(input, rng, ctx) {
      // Lines of another log (another MTA, another syslog style) in the middle of this one.
      const other = rng.pick(ctx.seeds);
      const src = lines(asText(other)).filter((l) => l.trim().length > 0);
      if (src.length === 0) return null;
      const s = asText(input);
      const ls = lines(s);
      const at = rng.int(ls.length + 1);
      const start = rng.int(src.length);
      ls.splice(at, 0, ...src.slice(start, start + rng.logSize(500)));
      return asBytes(ls.join('\n'));
    },
  },
];
