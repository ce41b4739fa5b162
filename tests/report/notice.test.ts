// The public notice drafted from the samples: the figures of samples/expected.json in both
// languages, the mailbox-based wording when the logs are left out, snapshots of the texts,
// and attacker-controlled text made inert in HTML.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { draftNotice, noticeAsHtml, type NoticeFacts } from '../../src/report/notice.js';
import { ROOT, runCli, tempDir } from '../helpers.js';

const expected = JSON.parse(readFileSync(join(ROOT, 'samples/expected.json'), 'utf8')) as {
  analysis: { counts: { maliciousOutboundMessages: number; maliciousOutboundRecipients: number; recipientDeliveries: { sent: number }; impersonationMessagesObserved: number; notificationList: { domain: string }[] } };
};
const c = expected.analysis.counts;

function noticeFor(inputs: string[], lang: 'ja' | 'en'): string {
  const casePath = join(tempDir('notice'), 'c.sqlite');
  const s = runCli(['scan', ...inputs, '--profile', 'samples/blastradius.json', '--case', casePath, '--quiet']);
  expect(s.code, s.stderr).toBe(0);
  const r = runCli(['notice', '--case', casePath, '--profile', 'samples/blastradius.json', '--lang', lang]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

describe('notice from the samples', () => {
  const ja = noticeFor(['samples/mail'], 'ja');
  const en = noticeFor(['samples/mail'], 'en');
  const domains = new Set(c.notificationList.map((n) => n.domain)).size;

  it('gives the exact figures of expected.json in Japanese', () => {
    expect(ja).toContain(`- 弊社のメールサーバーから送信された不審メール：${c.maliciousOutboundMessages}通（宛先のべ${c.maliciousOutboundRecipients}件、うち配信されたもの${c.recipientDeliveries.sent}件）`);
    expect(ja).toContain(`- 送信先：社外の${domains}組織（${c.notificationList.length}件のメールアドレス）`);
    expect(ja).toContain(`弊社で確認できたもの${c.impersonationMessagesObserved}通`);
    expect(ja).toContain('- 送信期間：2026年11月5日から2026年11月6日まで（日本時間）');
    expect(ja).not.toContain('要確認');
  });

  it('gives the same figures in English', () => {
    expect(en).toContain(`- Suspicious e-mails sent through our mail server: ${c.maliciousOutboundMessages} (${c.maliciousOutboundRecipients} recipient deliveries, of which ${c.recipientDeliveries.sent} delivered)`);
    expect(en).toContain(`- Recipients: ${c.notificationList.length} addresses at ${domains} outside organisations`);
    expect(en).toContain('- Period: 5 November 2026 to 6 November 2026 (Japan time)');
  });

  it('names no individual address in the public text', () => {
    for (const t of [ja, en]) {
      const addresses = t.match(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g) ?? [];
      expect(addresses).toEqual(['soumu@sample-shoji.example']); // the contact address the profile gives
    }
  });

  it('matches the reviewed texts', async () => {
    await expect(ja).toMatchFileSnapshot('./__snapshots__/notice.samples.ja.md');
    await expect(en).toMatchFileSnapshot('./__snapshots__/notice.samples.en.md');
  });

  it('without the logs, counts from the mailboxes and marks the figure to be confirmed', () => {
    const noLogs = noticeFor(['samples/mail/journal.mbox', 'samples/mail/sent', 'samples/mail/ja', 'samples/mail/maildir'], 'ja');
    expect(noLogs).toContain(`- 弊社のメールサーバーから送信された不審メール：少なくとも${c.maliciousOutboundMessages}通（宛先のべ13件。メールの記録による集計で、サーバーの記録による確認中【要確認】）`);
  });
});

describe('notice --appendix and --individual', () => {
  it('lists each figure with its definition and the Message-IDs behind it, and drafts one mail per partner', () => {
    const casePath = join(tempDir('appendix'), 'c.sqlite');
    runCli(['scan', 'samples/mail', '--profile', 'samples/blastradius.json', '--case', casePath, '--quiet']);
    const a = runCli(['notice', '--case', casePath, '--profile', 'samples/blastradius.json', '--appendix']).stdout;
    expect(a).toContain('## 内部用付録（公開しないでください）');
    expect(a).toContain(`- maliciousOutboundMessages = ${c.maliciousOutboundMessages}`);
    expect(a).toContain(`数えたメール（Message-ID）：${c.maliciousOutboundMessages}件`);
    expect(a).toContain('  - <3f2a9c10b0@sample-shoji.example>');
    const ind = runCli(['notice', '--case', casePath, '--profile', 'samples/blastradius.json', '--individual']).stdout.split('\n---\n');
    expect(ind).toHaveLength(c.notificationList.length);
    expect(ind[0]).toContain('宛先：h.ogawa@kokyaku.example');
    expect(ind[0]).toContain('弊社の記録では、2026年11月5日から2026年11月6日まで（日本時間）に3通が送信されております。');
  });
});

describe('notice HTML', () => {
  it('keeps attacker text inert', () => {
    const facts: NoticeFacts = {
      counts: { maliciousOutboundMessages: 1, maliciousOutboundRecipients: 1, recipientDeliveries: { sent: 1 }, countsFrom: 'logs', impersonationMessagesObserved: 0, period: { first: null, last: null }, notificationList: [] },
      compromisedAccounts: ['a@x.example'],
      impersonatedAccounts: [],
      subjects: ['Re: <script>alert(1)</script>'],
      attachmentNames: ['=HYPERLINK("http://x")"><img src=x onerror=alert(1)>.xls'],
      passwordZip: false,
      downloadLinks: false,
    };
    const html = noticeAsHtml(draftNotice(facts, {}, { lang: 'ja' }), 'ja');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('=HYPERLINK(&quot;http://x&quot;)&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.xls');
    expect(html).toContain('【要確認】');
  });
});
