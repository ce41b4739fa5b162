// The public notice drafted from the samples: the figures of samples/expected.json in both
// languages, the mailbox-based wording when the logs are left out, snapshots of the texts,
// and attacker-controlled text made inert in HTML.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { draftNotice, noticeAsHtml, type NoticeFacts } from '../../src/report/notice.js';
import { ROOT, runCli, tempDir } from '../helpers.js';

const expected = JSON.parse(readFileSync(join(ROOT, 'samples/expected.json'), 'utf8')) as {
  analysis: {
    counts: {
      maliciousOutboundMessages: number;
      maliciousOutboundRecipients: number;
      outsideDeliveries: { sent: number; bounced: number };
      internalDeliveries: { sent: number };
      impersonationMessagesObserved: number;
      notificationList: { address: string; domain: string; count: number }[];
      organisations: string[];
      individuals: number;
    };
  };
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
  const outside = c.outsideDeliveries.sent + c.outsideDeliveries.bounced;

  it('gives the exact figures of expected.json in Japanese', () => {
    expect(ja).toContain(
      `- 弊社のメールサーバーから送信された不審メール：${c.maliciousOutboundMessages}通（社外の宛先のべ${outside}件、うち配信されたもの${c.outsideDeliveries.sent}件、届かなかったもの${c.outsideDeliveries.bounced}件。ほかに社内宛て${c.internalDeliveries.sent}件）`,
    );
    expect(ja).toContain(`- 送信先：社外の${c.organisations.length}組織および個人（${c.notificationList.length}件のメールアドレス、うち個人のメールアドレス${c.individuals}件）`);
    expect(ja).toContain(`弊社で確認できたもの${c.impersonationMessagesObserved}通`);
    expect(ja).toContain('- 送信期間：2026年11月5日から2026年11月6日まで（日本時間）');
    expect(ja).not.toContain('要確認');
  });

  it('gives the same figures in English', () => {
    expect(en).toContain(
      `- Suspicious e-mails sent through our mail server: ${c.maliciousOutboundMessages} (${outside} deliveries to outside recipients, of which ${c.outsideDeliveries.sent} delivered and ${c.outsideDeliveries.bounced} bounced; ${c.internalDeliveries.sent} more to internal recipients)`,
    );
    expect(en).toContain(`- Recipients: ${c.notificationList.length} addresses at ${c.organisations.length} outside organisations, ${c.individuals} of them personal addresses at free-mail or ISP domains`);
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
    // Without the logs only keiri's copies prove a submission (their authenticated Received
    // hop): its 17 attacker sends but the 3 log-only ones. eigyo's copies carry no such hop.
    expect(noLogs).toContain('- 弊社のメールサーバーから送信された不審メール：少なくとも14通（社外の宛先のべ19件。メールの記録による集計で、サーバーの記録による確認中【要確認】）');
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
    // The first partner of the list; a bounced-only address (h.ogawa) gets no letter.
    expect(ind[0]).toContain(`宛先：${c.notificationList[0]!.address}`);
    expect(ind[0]).toContain(`弊社の記録では、2026年11月5日から2026年11月6日まで（日本時間）に${c.notificationList[0]!.count}通が送信されております。`);
    expect(ind.join('\n')).not.toContain('h.ogawa@kokyaku.example');
  });
});

describe('notice HTML', () => {
  it('keeps attacker text inert', () => {
    const facts: NoticeFacts = {
      counts: {
        maliciousOutboundMessages: 1, maliciousOutboundRecipients: 1, recipientDeliveries: { sent: 1 }, outsideDeliveries: { sent: 1 }, internalDeliveries: {}, countsFrom: 'logs',
        impersonationMessagesObserved: 0, period: { first: null, last: null }, notificationList: [], organisations: [], individuals: 0,
      },
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
