// Each hijack signal on hand-built cases: one that must raise it, one that must not.
import { describe, expect, it } from 'vitest';
import { hijackScore, hijackSignals, type MessageFacts, type OrgFacts, type ThreadFacts } from '../../src/analysis/hijack-signals.js';

const org: OrgFacts = { domains: ['sample-shoji.example'], memberNames: new Map([['keiri@sample-shoji.example', ['経理部 高橋 美咲']], ['yamada@sample-shoji.example', ['山田 太郎']]]) };
const noThread: ThreadFacts = { referenced: null };
const base: MessageFacts = {
  subject: '見積書の送付',
  text: 'いつもお世話になっております。\n見積書をお送りします。',
  date: '2026-11-05T01:00:00.000Z',
  fromName: '経理部 高橋 美咲',
  fromAddress: 'keiri@sample-shoji.example',
  inReplyTo: null,
  references: [],
  attachmentVerdicts: [],
  urls: [],
  passwordCandidates: [],
};
const ids = (m: Partial<MessageFacts>, t: ThreadFacts = noThread) => hijackSignals({ ...base, ...m }, t, org).map((s) => s.id);
const quote = '\n\n-----Original Message-----\nFrom: 田中 健 <k.tanaka@torihiki.example>\nSent: Tue, 1 Sep 2026 09:30:00 +0900\nTo: keiri\nSubject: 10月分 請求書送付のご案内\n\n本文';
const oldThread: ThreadFacts = { referenced: { messageId: 'orig@torihiki.example', date: '2026-09-01T00:30:00.000Z', hadPayload: false, participants: ['k.tanaka@torihiki.example', 'keiri@sample-shoji.example'] } };

describe('hijack signals', () => {
  it('reply-subject: Re:/RE:/Fw:/AW:/返信:/全角 forms, not a plain subject', () => {
    for (const s of ['Re: 見積', 'RE: 見積', 'Fwd: x', 'AW: x', 'WG: x', '返信: 見積', '転送：見積', 'Ｒｅ：見積'.normalize('NFKC')]) expect(ids({ subject: s }), s).toContain('reply-subject');
    expect(ids({ subject: 'Report: Q3' })).not.toContain('reply-subject');
  });

  it('quoted-conversation: Original Message, 元のメッセージ, 差出人/送信日時, On … wrote:, ">" lines; not a single ">" line', () => {
    expect(ids({ text: 'x' + quote })).toContain('quoted-conversation');
    expect(ids({ text: 'x\n-----元のメッセージ-----\n差出人: 山田' })).toContain('quoted-conversation');
    expect(ids({ text: 'x\n差出人: 山田 太郎\n送信日時: 2026年9月1日\n宛先: 佐藤' })).toContain('quoted-conversation');
    expect(ids({ text: 'x\nOn Tue, 1 Sep 2026 at 09:30, Tanaka <t@x> wrote:\n> a' })).toContain('quoted-conversation');
    expect(ids({ text: 'x\n> a\n> b' })).toContain('quoted-conversation');
    expect(ids({ text: 'x\n> only one line' })).not.toContain('quoted-conversation');
  });

  it('thread-reuse and old-thread: a reply to a message in the case, weeks older', () => {
    expect(ids({}, oldThread)).toEqual(expect.arrayContaining(['thread-reuse', 'old-thread']));
    const recent: ThreadFacts = { referenced: { ...oldThread.referenced!, date: '2026-11-04T00:00:00.000Z' } };
    expect(ids({}, recent)).toContain('thread-reuse');
    expect(ids({}, recent)).not.toContain('old-thread');
    expect(ids({})).not.toContain('thread-reuse');
  });

  it('payload-added: a reply adding a macro document, an encrypted archive or a download link; not to a thread that had one, not a new mail', () => {
    const xls = [{ filename: '請求書.xls', verdict: 'suspicious', archiveOpenedWithBodyPassword: false, encryptedArchive: false }];
    expect(ids({ subject: 'Re: x', attachmentVerdicts: xls })).toContain('payload-added');
    expect(ids({ subject: 'Re: x', urls: ['https://files.example/見積書.xls'] })).toContain('payload-added');
    expect(ids({ subject: 'Re: x', urls: ['https://www.example/page.html'] })).not.toContain('payload-added');
    expect(ids({ subject: 'Re: x', attachmentVerdicts: xls }, { referenced: { ...oldThread.referenced!, hadPayload: true } })).not.toContain('payload-added');
    expect(ids({ subject: '請求書', attachmentVerdicts: xls })).not.toContain('payload-added');
  });

  it('password-in-body: an encrypted archive opened with the body password; not one that stayed closed', () => {
    const z = { filename: 'a.zip', verdict: 'suspicious', archiveOpenedWithBodyPassword: true, encryptedArchive: true };
    expect(ids({ attachmentVerdicts: [z], passwordCandidates: ['Xa7q3'] })).toContain('password-in-body');
    expect(ids({ attachmentVerdicts: [{ ...z, archiveOpenedWithBodyPassword: false }] })).not.toContain('password-in-body');
  });

  it('generic-lead: a short generic line over the quote; not a real reply with content', () => {
    expect(ids({ text: 'ご確認ください。' + quote })).toContain('generic-lead');
    expect(ids({ text: 'Please see attached.' + quote })).toContain('generic-lead');
    expect(ids({ text: '田中様\nお世話になっております。先日の件、社内で検討した結果、来月からの発注数を二割増やすことになりました。詳細は改めてご連絡いたしますので、よろしくお願いいたします。' + quote })).not.toContain('generic-lead');
  });

  it('display-name-spoof: an org member name, or an org address in the name, on an outside address; not the member\'s own address', () => {
    expect(ids({ fromName: '山田 太郎', fromAddress: 'info3@freemail-1.example' })).toContain('display-name-spoof');
    expect(ids({ fromName: '経理部 <keiri@sample-shoji.example>', fromAddress: 'x@freemail-2.example' })).toContain('display-name-spoof');
    expect(ids({ fromName: '山田 太郎', fromAddress: 'yamada@sample-shoji.example' })).not.toContain('display-name-spoof');
    expect(ids({ fromName: '田中 健', fromAddress: 'k.tanaka@torihiki.example' })).not.toContain('display-name-spoof');
  });

  it('sender-not-in-thread: the sender was no participant of the referenced message', () => {
    expect(ids({ fromAddress: 'suzuki@sample-shoji.example' }, oldThread)).toContain('sender-not-in-thread');
    expect(ids({}, oldThread)).not.toContain('sender-not-in-thread');
  });

  it('scores a typical Emotet reply high and an ordinary reply low', () => {
    const emotet = hijackSignals(
      { ...base, subject: 'Re: 10月分 請求書送付のご案内', text: 'ご確認ください。\nパスワード：Xa7q3' + quote, inReplyTo: 'orig@torihiki.example', attachmentVerdicts: [{ filename: '請求書.zip', verdict: 'suspicious', archiveOpenedWithBodyPassword: true, encryptedArchive: true }], passwordCandidates: ['Xa7q3'] },
      oldThread,
      org,
    );
    expect(hijackScore(emotet)).toBeGreaterThanOrEqual(8);
    const ordinary = hijackSignals({ ...base, subject: 'Re: 10月分 請求書送付のご案内', text: '田中様\n承知いたしました。確認のうえ改めてご連絡いたします。' + quote.replace('-----Original Message-----', '> 元の文') }, { referenced: { ...oldThread.referenced!, date: '2026-11-04T00:00:00.000Z' } }, org);
    expect(hijackScore(ordinary)).toBeLessThanOrEqual(3);
  });
});
