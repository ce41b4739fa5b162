// Classic syslog prefixes are read by position for speed; the regular expression is the
// reference. Both must read every line alike, well-formed or not.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSyslogLine, SyslogClock } from '../../src/logs/syslog.js';

describe('classic syslog prefix read by position', () => {
  it('equals the regular expression on generated lines', () => {
    const month = fc.constantFrom('Jan', 'Feb', 'Nov', 'Dec', 'Xyz', 'nov', 'No');
    const day = fc.constantFrom(' 1', ' 9', '10', '31', '1', '  3', 'x1');
    const time = fc.constantFrom('10:22:01', '00:00:00', '23:59:59.123', '1:2:3', '10:22', 'aa:bb:cc');
    const host = fc.constantFrom('mx1', 'mail.example', '', 'a b', 'h\tx');
    const program = fc.constantFrom('postfix/smtpd', 'postfix/qmgr', 'sendmail', 'sm-mta', 'a:b', 'x[y', '', 'cron');
    const pid = fc.constantFrom('[123]', '', '[]', '[12a]', '[1]x');
    const sep = fc.constantFrom(': ', ':', ' : ', ': : ');
    const msg = fc.string({ maxLength: 40 });
    const line = fc.tuple(month, day, time, host, program, pid, sep, msg).map(([mo, d, t, h, p, pi, se, m]) => `${mo} ${d} ${t} ${h} ${p}${pi}${se}${m}`);
    fc.assert(
      fc.property(fc.oneof(line, fc.string({ maxLength: 60 })), (l) => {
        expect(parseSyslogLine(l, new SyslogClock(2026))).toEqual(parseSyslogLine(l, new SyslogClock(2026), false));
      }),
      { numRuns: 3000 },
    );
  });

  it('equals the regular expression over a run of lines read with one clock (stamps, minutes, hosts and programs kept)', () => {
    const stamp = fc.constantFrom('Dec 31 23:59:59', 'Dec 31 23:59:58', 'Jan  1 00:00:01', 'Jan  1 00:00:60', 'Jan  1 00:01:05', 'Jul  4 12:30:00', 'Feb 30 10:00:07', 'Xyz  1 00:00:02', 'Jan  1 25:70:09');
    const host = fc.constantFrom('mx1', 'mx2', 'mail.example');
    const program = fc.constantFrom('postfix/smtpd', 'postfix/qmgr', 'postfix/local', 'postfix-in/smtpd', 'sendmail');
    const msg = fc.constantFrom('3F2A1B4C: removed', 'connect from x[1.2.3.4]', 'a\rb', 'x\u2028y', '');
    const line = fc.tuple(stamp, host, program, msg).map(([st, h, p, m]) => `${st} ${h} ${p}[42]: ${m}`);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.constantFrom(0, 540, -300), (lines, offset) => {
        const fast = new SyslogClock(2026, offset);
        const slow = new SyslogClock(2026, offset);
        for (const l of lines) {
          const plain = !/[\r\n\u2028\u2029]/.test(l);
          expect(parseSyslogLine(l, fast, true, plain)).toEqual(parseSyslogLine(l, slow, false));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('reads a Postfix line', () => {
    expect(parseSyslogLine('Nov  3 10:22:01 mx1 postfix/smtpd[10000]: 100000A0: client=unknown[203.0.113.205]', new SyslogClock(2026))).toEqual({
      time: '2026-11-03T10:22:01.000Z',
      host: 'mx1',
      program: 'postfix/smtpd',
      message: '100000A0: client=unknown[203.0.113.205]',
    });
  });
});
