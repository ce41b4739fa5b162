// Sends from submission events: one send per message whatever number of records show it,
// the client of the strongest proof, and no send for mail that only claims an org sender.
import { describe, expect, it } from 'vitest';
import type { ContentResult } from '../../src/analysis/content-verdicts.js';
import { AccountResolver } from '../../src/analysis/identity.js';
import { SendBuilder } from '../../src/analysis/submissions.js';
import type { LogRecord } from '../../src/store/case-reader.js';

const ORG = ['sample-shoji.example'];

function rec(p: Partial<LogRecord> & Pick<LogRecord, 'id' | 'format'>): LogRecord {
  return { path: `/logs/${p.format}`, firstLine: p.id * 10, receivedAt: '2026-11-05T01:00:00.000Z', clientIp: null, authUser: null, envelopeFrom: 'keiri@sample-shoji.example', messageId: null, messageRef: null, subject: null, reinjectedFrom: null, deliveries: [], ...p };
}

function mailbox(ref: number, p: Partial<ContentResult>): ContentResult {
  return {
    ref, messageId: `m${ref}@sample-shoji.example`, subject: 's', from: 'keiri@sample-shoji.example', direction: 'outbound', date: '2026-11-05T00:59:00.000Z', signals: [], fromOrg: true,
    bounce: false, reply: false, oldThread: false, freshPayloads: [], authHop: null, spoofedAccount: null, malicious: false, score: 0, rules: [], reasons: [], ...p,
  };
}

describe('SendBuilder', () => {
  it('makes one send of a trace row and the authenticated Postfix record of the same message, with the Postfix client', () => {
    const content = new Map([[1, mailbox(1, {})]]);
    const b = new SendBuilder(ORG, new AccountResolver(ORG), (r) => content.get(r), () => ['p@partner.example']);
    const d = (line: number, status: string, time: string) => [{ recipient: 'p@partner.example', status, time, line, filterHop: false }];
    b.addLogRecord(rec({ id: 1, format: 'm365', clientIp: '192.0.2.10', messageId: 'm1@sample-shoji.example', messageRef: 1, receivedAt: '2026-11-05T01:00:02.000Z', deliveries: d(7, 'sent', '2026-11-05T01:00:02.000Z') }));
    b.addLogRecord(rec({ id: 2, format: 'postfix', clientIp: '198.51.100.77', authUser: 'keiri', messageId: 'm1@sample-shoji.example', messageRef: 1, receivedAt: '2026-11-05T01:00:01.000Z', deliveries: d(96, 'sent', '2026-11-05T01:00:01.300Z') }));
    b.addMailboxMessage(content.get(1)!);
    const sends = b.finish();
    expect(sends).toHaveLength(1);
    expect(sends[0]).toMatchObject({ account: 'keiri@sample-shoji.example', resolvedBy: 'single-org-domain', clientIp: '198.51.100.77', strength: 1, time: '2026-11-05T01:00:01.000Z', timeSource: 'log', logRefs: [1, 2], messageRef: 1 });
    expect(sends[0]!.content).toBe(content.get(1));
  });

  it('counts a log-only submission, attaches a later relay record by Message-ID, and ignores an unauthenticated record that only claims an org sender', () => {
    const b = new SendBuilder(ORG, new AccountResolver(ORG), () => undefined, () => []);
    b.addLogRecord(rec({ id: 1, format: 'postfix', clientIp: '203.0.113.9', envelopeFrom: 'sato@sample-shoji.example', messageId: 'forged@x.example', deliveries: [{ recipient: 'sato@sample-shoji.example', status: 'sent', time: null, line: 3, filterHop: false }] }));
    b.addLogRecord(rec({ id: 2, format: 'postfix', clientIp: '198.51.100.77', authUser: 'keiri', messageId: 'only-in-log@sample-shoji.example', subject: null }));
    b.addLogRecord(rec({ id: 3, format: 'postfix', clientIp: '127.0.0.1', messageId: 'only-in-log@sample-shoji.example' }));
    const sends = b.finish();
    expect(sends.map((s) => [s.messageId, s.clientIp, s.logRefs, s.content])).toEqual([['only-in-log@sample-shoji.example', '198.51.100.77', [2, 3], null]]);
  });

  it("a content filter's re-injected copy joins its message: the client stays the submission's, the copy's deliveries are the last hop", () => {
    const b = new SendBuilder(ORG, new AccountResolver(ORG), () => undefined, () => []);
    b.addLogRecord(rec({ id: 1, format: 'postfix', clientIp: '127.0.0.66', authUser: 'tanaka', deliveries: [{ recipient: 'p@partner.example', status: 'sent', time: '2026-11-24T04:32:33.300Z', line: 10, filterHop: false }] }));
    // No Message-ID to join on: only the filter's "queued as" reply links the copy.
    b.addLogRecord(rec({ id: 2, format: 'postfix', clientIp: '127.0.0.1', reinjectedFrom: 1, deliveries: [{ recipient: 'p@partner.example', status: 'bounced', time: '2026-11-24T04:32:34.000Z', line: 14, filterHop: false }] }));
    const sends = b.finish();
    expect(sends.map((s) => [s.account, s.clientIp, s.logRefs])).toEqual([['tanaka@sample-shoji.example', '127.0.0.66', [1, 2]]]);
  });

  it('a mailbox copy with an authenticated Received hop and no log is a send from the hop', () => {
    const b = new SendBuilder(ORG, new AccountResolver(ORG), () => undefined, () => ['a@partner.example', 'yamada@sample-shoji.example']);
    b.addMailboxMessage(mailbox(5, { authHop: { ip: '10.0.1.14', date: '2026-11-05T01:00:01.000Z' } }));
    b.addMailboxMessage(mailbox(6, {}));
    const sends = b.finish();
    expect(sends).toHaveLength(1);
    expect(sends[0]).toMatchObject({ messageRef: 5, clientIp: '10.0.1.14', strength: 3, timeSource: 'received-hop', outsideRecipients: ['a@partner.example'] });
  });
});
