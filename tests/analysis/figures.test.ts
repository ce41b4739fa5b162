// The published figures from attacker sends: last status per recipient across a message's
// log records, outside and internal apart, bounced-only addresses apart, free-mail as people.
import { describe, expect, it } from 'vitest';
import { figures, finalOutcomes } from '../../src/analysis/figures.js';
import type { Send } from '../../src/analysis/submissions.js';

const ORG = ['sample-shoji.example'];

function send(index: number, time: string, logRefs: number[]): Send {
  return { index, account: 'keiri@sample-shoji.example', resolvedBy: 'address', messageRef: null, messageId: `m${index}`, subject: null, logRefs, time, timeSource: 'log', clientIp: '198.51.100.77', strength: 1, seen: [], outsideRecipients: [], content: null };
}

describe('figures', () => {
  it('takes the last status of each recipient over all log records of the message', () => {
    const s = send(0, '2026-11-05T01:00:01.000Z', [1, 2]);
    const out = finalOutcomes(
      s,
      [
        [{ recipient: 'a@kokyaku.example', status: 'sent', time: '2026-11-05T01:00:01.300Z', line: 10, filterHop: false }, { recipient: 'b@kokyaku.example', status: 'deferred', time: '2026-11-05T01:00:01.300Z', line: 11, filterHop: false }],
        [{ recipient: 'B@kokyaku.example', status: 'bounced', time: '2026-11-06T01:00:00.000Z', line: 90, filterHop: false }, { recipient: 'keiri@sample-shoji.example', status: 'sent', time: '2026-11-05T01:00:01.200Z', line: 9, filterHop: false }],
      ],
      [],
      ORG,
    );
    expect(out.map((o) => [o.address, o.status, o.outside])).toEqual([
      ['a@kokyaku.example', 'sent', true],
      ['b@kokyaku.example', 'bounced', true],
      ['keiri@sample-shoji.example', 'sent', false],
    ]);
    // A content filter's copy is logged before the hand-over to the filter: the copy's outcome stands.
    const viaFilter = finalOutcomes(
      s,
      [
        [{ recipient: 't.nakano@marukin.example', status: 'bounced', time: '2026-12-04T20:30:04.000Z', line: 1218, filterHop: false }],
        [{ recipient: 't.nakano@marukin.example', status: 'sent', time: '2026-12-04T20:30:05.000Z', line: 1225, filterHop: true }],
        [{ recipient: 'only-hop@marukin.example', status: 'sent', time: '2026-12-04T20:30:05.000Z', line: 1226, filterHop: true }],
      ],
      [],
      ORG,
    );
    expect(viaFilter.map((o) => [o.address, o.status])).toEqual([['only-hop@marukin.example', 'sent'], ['t.nakano@marukin.example', 'bounced']]);
    expect(finalOutcomes(send(1, '2026-11-05T02:00:00.000Z', []), [], ['x@partner.example'], ORG)).toEqual([{ address: 'x@partner.example', status: 'addressed', time: '2026-11-05T02:00:00.000Z', outside: true }]);
  });

  it('lists reached addresses for notification, bounced-only ones apart, and counts free-mail addresses as individuals', () => {
    const o = (address: string, status: string) => ({ address, status, time: null, outside: !address.endsWith('@sample-shoji.example') });
    const f = figures(
      [
        { send: send(0, '2026-11-05T01:00:00.000Z', [1]), contentMalicious: true, outcomes: [o('a@kokyaku.example', 'sent'), o('gone@kokyaku.example', 'bounced'), o('taro@gmail.com', 'sent'), o('sato@sample-shoji.example', 'sent')] },
        { send: send(1, '2026-11-06T01:00:00.000Z', [2]), contentMalicious: false, outcomes: [o('a@kokyaku.example', 'bounced'), o('gone@kokyaku.example', 'bounced'), o('late@mx.shiire.example', 'deferred')] },
      ],
      [{ path: '/logs/maillog', format: 'postfix', first: '2026-11-01T00:00:00.000Z', last: '2026-11-07T01:00:00.000Z' }],
    );
    expect(f).toMatchObject({
      maliciousOutboundMessages: 2,
      logOnly: 2,
      attributedBySession: 1,
      maliciousOutboundRecipients: 7,
      recipientDeliveries: { sent: 3, bounced: 3, deferred: 1 },
      outsideDeliveries: { sent: 2, bounced: 3, deferred: 1 },
      internalDeliveries: { sent: 1 },
      period: { first: '2026-11-05T01:00:00.000Z', last: '2026-11-06T01:00:00.000Z', source: 'server' },
      organisations: ['kokyaku.example'],
      individuals: 1,
    });
    expect(f.notificationList.map((n) => [n.address, n.count])).toEqual([['taro@gmail.com', 1], ['a@kokyaku.example', 1]]);
    expect(f.bouncedOnly.map((n) => [n.address, n.count])).toEqual([['gone@kokyaku.example', 2]]);
    expect(f.unconfirmed.map((n) => n.address)).toEqual(['late@mx.shiire.example']);
    expect(f.sending.logs).toEqual([{ path: '/logs/maillog', format: 'postfix', first: '2026-11-01T00:00:00.000Z', last: '2026-11-07T01:00:00.000Z', quietAfterLastSubmissionHours: 24 }]);
  });
});
