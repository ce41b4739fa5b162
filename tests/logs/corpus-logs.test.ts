// Every log of the shared corpus that we can redistribute (tests/fixtures/logs): the format
// detected, and exact counts of lines read, unreadable and foreign, messages and events.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PostfixParser } from '../../src/logs/postfix.js';
import { detectLogFormat, readLogFile } from '../../src/logs/read-log.js';

const DIR = new URL('../fixtures/logs/', import.meta.url);

/**
 * [file, format, lines, recognised, unreadable, foreign, messages, deliveries, events by kind].
 * Foreign lines are fail2ban's own "# failJSON" comments, blank lines and other programs'
 * lines; formats we do not read (Courier, Dovecot, qmail, Kerio, ASSP, Domino) are null.
 */
const EXPECTED: [string, string | null, number, number, number, number, number, number, Record<string, number>][] = [
  ['assp.log', null, 0, 0, 0, 0, 0, 0, {}],
  ['courier-auth.log', null, 0, 0, 0, 0, 0, 0, {}],
  ['courier-smtp.log', null, 0, 0, 0, 0, 0, 0, {}],
  ['domino-smtp.log', null, 0, 0, 0, 0, 0, 0, {}],
  ['dovecot.log', null, 0, 0, 0, 0, 0, 0, {}],
  ['exim-spam.log', 'exim', 26, 8, 0, 18, 6, 0, { reject: 5 }],
  ['exim.log', 'exim', 128, 50, 0, 78, 3, 0, { 'auth-failure': 11, reject: 5 }],
  ['kerio.log', null, 0, 0, 0, 0, 0, 0, {}],
  ['postfix.log', 'postfix', 203, 63, 0, 140, 3, 0, { reject: 26, 'auth-failure': 14 }],
  ['qmail.log', null, 0, 0, 0, 0, 0, 0, {}],
  ['sendmail-auth.log', 'sendmail', 36, 11, 0, 25, 0, 0, { 'auth-failure': 7 }],
  ['sendmail-reject.log', 'sendmail', 131, 37, 0, 94, 3, 0, { reject: 11 }], // two relaying attempts refused at RCPT (nrcpts=0) queued nothing
];

describe('fail2ban log samples', () => {
  it('covers every file', () => {
    expect(EXPECTED.map((e) => e[0])).toEqual(readdirSync(new URL('fail2ban/', DIR)).sort());
  });
  for (const [file, format, lines, recognised, unreadable, foreign, messages, deliveries, events] of EXPECTED) {
    it(file, async () => {
      const path = new URL(`fail2ban/${file}`, DIR).pathname;
      expect(await detectLogFormat(path)).toBe(format);
      if (!format) return;
      let m = 0;
      let d = 0;
      const ev: Record<string, number> = {};
      const r = await readLogFile(path, { message: (x) => ((m += 1), (d += x.deliveries.length)), event: (e) => (ev[e.kind] = (ev[e.kind] ?? 0) + 1) }, { year: 2005 });
      expect([r.stats.lines, r.stats.recognised, r.stats.unreadable, r.stats.foreign, m, d, ev]).toEqual([lines, recognised, unreadable, foreign, messages, deliveries, events]);
    });
  }
});

describe('postfix-grok-patterns cases (one Postfix message each)', () => {
  const files = readdirSync(new URL('postfix-grok-patterns/', DIR)).filter((f) => f.endsWith('.yaml')).sort();
  it('has the 157 cases', () => expect(files).toHaveLength(157));
  it('reads all but the one that is a relay fragment, not a log message', () => {
    const unreadable: string[] = [];
    for (const f of files) {
      const y = readFileSync(new URL(`postfix-grok-patterns/${f}`, DIR), 'utf8');
      const data = /^data: (.*)$/m.exec(y)![1]!;
      const msg = data.startsWith('"') ? (JSON.parse(data) as string) : data.startsWith("'") ? data.slice(1, -1).replace(/''/g, "'") : data;
      const p = new PostfixParser({ message: () => {}, event: () => {} });
      p.line(1, { time: null, host: 'h', program: `postfix/${f.replace(/_\d+\.yaml$/, '')}`, message: msg });
      if (p.stats.unreadable) unreadable.push(f);
    }
    expect(unreadable).toEqual(['relay_0001.yaml']);
  });
});
