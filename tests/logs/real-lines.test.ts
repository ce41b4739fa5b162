// Lines real servers write that the readers got wrong: Exim's cutthrough (>>) and suppressed
// (*>) deliveries, "** addr: reason" bounces and DKIM notes; Sendmail's several recipients on
// one to= line; Postfix's removal-only queue ids at the start of a rotated log and its
// address-verification probes.
import { describe, expect, it } from 'vitest';
import { EximParser } from '../../src/logs/exim.js';
import { PostfixParser } from '../../src/logs/postfix.js';
import { recipientsOf, SendmailParser } from '../../src/logs/sendmail.js';
import { parseSyslogLine, SyslogClock } from '../../src/logs/syslog.js';
import type { LogMessage } from '../../src/logs/types.js';

const collect = () => {
  const messages: LogMessage[] = [];
  return { messages, sink: { message: (m: LogMessage) => messages.push(m), event: () => {} } };
};

describe('Exim mainlog', () => {
  it('reads cutthrough, suppressed and bounced deliveries, and takes DKIM notes as informational', () => {
    const { messages, sink } = collect();
    const p = new EximParser(sink);
    [
      '2026-11-24 04:41:03 1xViKd-00015R-3C <= keiri@kaisha.example H=(pc) [127.0.0.67] P=esmtpa A=plain:keiri S=1234 id=abc@kaisha.example T="Re: x"',
      '2026-11-24 04:41:03 1xViKd-00015R-3C DKIM: d=kaisha.example s=sel c=relaxed/relaxed a=rsa-sha256 b=1024 [verification succeeded]',
      '2026-11-24 04:41:03 1xViKd-00015R-3C >> bob@y.example R=dnslookup T=remote_smtp H=mx.y.example [192.0.2.1] C="250 OK"',
      '2026-11-24 04:41:03 1xViKd-00015R-3C ** carol@z.example: Unrouteable address',
      '2026-11-24 04:41:03 1xViKd-00015R-3C ** dave@z.example <dave@z.example>: host mx.z.example [192.0.2.9]: 550 no such user',
      '2026-11-24 04:41:03 1xViKd-00015R-3C *> erin@w.example R=dnslookup T=remote_smtp',
      '2026-11-24 04:41:04 1xViKd-00015R-3C Completed',
    ].forEach((l, i) => p.line(i + 1, l));
    expect(messages[0]!.deliveries.map((d) => [d.recipient, d.status, d.dsn])).toEqual([
      ['bob@y.example', 'sent', '250'],
      ['carol@z.example', 'bounced', null],
      ['dave@z.example', 'bounced', '550'],
      ['erin@w.example', 'other', null],
    ]);
    expect(p.stats).toMatchObject({ lines: 7, recognised: 7, unreadable: 0 });
  });
});

describe('Sendmail', () => {
  it('keeps every recipient of a to= line, with or without angle brackets', () => {
    expect(recipientsOf('to=<a@x.example>,<b@y.example>,c@z.example, ctladdr=<u@x.example> (1000/1000), delay=00:00:01, mailer=esmtp, pri=120, relay=mx.x.example. [192.0.2.1], dsn=2.0.0, stat=Sent (ok)')).toEqual(['a@x.example', 'b@y.example', 'c@z.example']);
    expect(recipientsOf('to=a@x.example, delay=00:00:01, stat=Sent')).toEqual(['a@x.example']);
    const { messages, sink } = collect();
    const p = new SendmailParser(sink);
    const clock = new SyslogClock(2026);
    [
      'Nov 24 04:41:03 mx1 sm-mta[2001]: 5AO4f3x1002001: from=<keiri@kaisha.example>, size=1234, class=0, nrcpts=3, msgid=<abc@kaisha.example>, proto=ESMTP, daemon=MTA, relay=pc [127.0.0.67]',
      'Nov 24 04:41:04 mx1 sm-mta[2002]: 5AO4f3x1002001: to=<a@x.example>,<b@y.example>,<c@z.example>, delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=121234, relay=mx.x.example. [192.0.2.1], dsn=2.0.0, stat=Sent (ok)',
      'Nov 24 04:41:05 mx1 sm-mta[2002]: 5AO4f3x1002001: done',
    ].forEach((l, i) => p.line(i + 1, parseSyslogLine(l, clock)!, '2001'));
    expect(messages[0]!.deliveries.map((d) => [d.recipient, d.status])).toEqual([
      ['a@x.example', 'sent'],
      ['b@y.example', 'sent'],
      ['c@z.example', 'sent'],
    ]);
  });
});

describe('Postfix', () => {
  it('makes no message of a queue id seen only in its removal, and no delivery of an address probe', () => {
    const { messages, sink } = collect();
    const p = new PostfixParser(sink);
    const clock = new SyslogClock(2026);
    [
      'Nov 24 00:00:01 mx1 postfix/qmgr[900]: 4D67B168E81: removed',
      'Nov 24 00:00:02 mx1 postfix/cleanup[901]: 4D67B168E99: message-id=<4D67B168E99@mx1.kaisha.example>',
      'Nov 24 00:00:02 mx1 postfix/qmgr[900]: 4D67B168E99: from=<double-bounce@mx1.kaisha.example>, size=250, nrcpt=1 (queue active)',
      'Nov 24 00:00:03 mx1 postfix/smtp[902]: 4D67B168E99: to=<x@partner.example>, relay=mx.partner.example[192.0.2.5]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.1.5, status=deliverable (250 2.1.5 Ok)',
      'Nov 24 00:00:03 mx1 postfix/qmgr[900]: 4D67B168E99: removed',
    ].forEach((l, i) => p.line(i + 1, parseSyslogLine(l, clock)!));
    expect(messages.map((m) => [m.queueId, m.deliveries.length])).toEqual([['4D67B168E99', 0]]);
    expect(p.stats).toMatchObject({ lines: 5, recognised: 5, unreadable: 0 });
  });
});
