// The individual drafts on the samples: one per outside address the attacker's mail reached
// (expected.json's notification list; the bounced-only address gets none), each addressed
// by the display name our mail used, listing that recipient's mails with subjects and
// Japan times; 貴社 only for organisations; and the mail-merge CSV, one row per draft.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildNotice } from '../../src/report/notice-build.js';
import type { NoticeProfile } from '../../src/report/notice-model.js';
import { openCaseReadonly } from '../../src/store/case-file.js';
import { ROOT, runCli, tempDir } from '../helpers.js';

interface Entry { address: string; domain: string; count: number; first: string; last: string }
const expected = JSON.parse(readFileSync(join(ROOT, 'samples/expected.json'), 'utf8')) as { analysis: { counts: { notificationList: Entry[]; bouncedOnly: Entry[] } } };
const list = expected.analysis.counts.notificationList;
const profile = JSON.parse(readFileSync(join(ROOT, 'samples/blastradius.json'), 'utf8')) as NoticeProfile;

describe('individual drafts on the samples', () => {
  const casePath = join(tempDir('notice-individual'), 'c.sqlite');
  const s = runCli(['scan', 'samples/mail', '--profile', 'samples/blastradius.json', '--case', casePath, '--quiet']);
  expect(s.code, s.stderr).toBe(0);
  const db = openCaseReadonly(casePath);
  const ja = buildNotice(db, profile, { lang: 'ja', format: 'md', individual: true });
  const en = buildNotice(db, profile, { lang: 'en', format: 'md', individual: true });
  const publicNotice = buildNotice(db, profile, { lang: 'ja', format: 'md' });
  db.close();
  const drafts = ja.text.split('\n---\n\n');
  const draftsEn = en.text.split('\n---\n\n');
  const draftTo = (address: string) => drafts.find((d) => d.includes(`\n宛先：${address}\n`))!;
  const draftToEn = (address: string) => draftsEn.find((d) => d.includes(`\nTo: ${address}\n`))!;

  it('drafts one letter per reached outside address, in the order of the notification list, and none for bounced-only ones', () => {
    expect(drafts).toHaveLength(list.length);
    expect(drafts.map((d) => /\n宛先：(.+)\n/.exec(d)?.[1])).toEqual(list.map((e) => e.address));
    expect(expected.analysis.counts.bouncedOnly.map((e) => e.address)).toEqual(['h.ogawa@kokyaku.example']);
    expect(ja.text).not.toContain('h.ogawa@kokyaku.example');
    for (const d of drafts) expect(d.startsWith('【下書き — 送信前に宛名と内容を確認してください】\n')).toBe(true);
    for (const d of draftsEn) expect(d.startsWith('【DRAFT — check the name and the text before sending】\n')).toBe(true);
  });

  it('lists as many mails in each letter as the notification list counts for that address', () => {
    for (const e of list) {
      const d = draftTo(e.address);
      expect(d.split('\n').filter((l) => l.startsWith('- ')), e.address).toHaveLength(e.count);
      expect(d).toContain(`宛ての不審メールは次の${e.count}通です（日時は日本時間）。`);
    }
  });

  it('addresses each by the display name our mail used, with 様 or 御中, and falls back to a marked placeholder', () => {
    expect(draftTo('k.tanaka@torihiki.example')).toContain('\n\n田中 健 様\n\n');
    expect(draftTo('kenji.ito@partner-global.example')).toContain('\n\nIto Kenji 様\n\n');
    expect(draftTo('order@osaka.hanbai.example')).toContain('\n\n販売株式会社 大阪支店 購買課 御中\n\n');
    expect(draftTo('naoki.hayashi.sample@gmail.com')).toContain('\n\n【要確認】（お名前）様\n\n');
    expect(draftToEn('k.tanaka@torihiki.example')).toContain('\n\nDear 田中 健,\n\n');
    expect(draftToEn('naoki.hayashi.sample@gmail.com')).toContain('\n\nDear 【to be confirmed: name】,\n\n');
  });

  it('says 貴社 to organisations only, not to free-mail individuals', () => {
    expect(draftTo('k.tanaka@torihiki.example')).toContain('貴社宛てに弊社を装った不審なメールが送信されていたことが判明いたしました。');
    for (const a of ['naoki.hayashi.sample@gmail.com', 'megumi_kondo_sample@yahoo.co.jp']) {
      expect(draftTo(a)).not.toContain('貴社');
      expect(draftTo(a)).toContain('お客様のメールアドレス宛てに弊社を装った不審なメールが送信されていたことが判明いたしました。');
    }
  });

  it("gives each mail's Japan date-time and subject", () => {
    // k.tanaka's four sends, at 01:12:08, 05:03:08 (5 Nov) and 01:24:08, 07:31:08 (6 Nov) UTC.
    expect(draftTo('k.tanaka@torihiki.example')).toContain(
      [
        '弊社のメールサーバーの記録で現時点までに確認できた、貴社宛ての不審メールは次の4通です（日時は日本時間）。',
        '- 2026年11月5日 10:12　「Re: 10月分 請求書送付のご案内」',
        '- 2026年11月5日 14:03　「請求書送付のお知らせ（11月分）」',
        '- 2026年11月6日 10:24　「Re: 10月分 請求書送付のご案内」',
        '- 2026年11月6日 16:31　「請求書送付のお知らせ」',
      ].join('\n'),
    );
    expect(draftToEn('k.tanaka@torihiki.example')).toContain(
      [
        "So far our mail server's records show the following 4 e-mails to you (Japan time):",
        '- 5 November 2026, 10:12: "Re: 10月分 請求書送付のご案内"',
        '- 5 November 2026, 14:03: "請求書送付のお知らせ（11月分）"',
      ].join('\n'),
    );
    expect(draftToEn('order@osaka.hanbai.example')).toContain('the following e-mail to you (Japan time):\n- 6 November 2026, 11:05: "発注書のご確認"\n\nPlease do not open its attachments or click its links; delete it.');
  });

  it('writes the mail-merge CSV: one row per draft with address, name, organisation domain, count, first, last and subjects', () => {
    expect(publicNotice.mergeCsv).toBeNull();
    const csv = ja.mergeCsv!;
    expect(csv.startsWith('\uFEFFaddress,display_name,organisation_domain,count,first_jst,last_jst,subjects\r\n')).toBe(true);
    const rows = csv.slice(1).trimEnd().split('\r\n').slice(1);
    expect(rows).toHaveLength(list.length);
    expect(rows.map((r) => r.split(',')[0])).toEqual(list.map((e) => e.address));
    expect(rows.map((r) => Number(r.split(',')[3]))).toEqual(list.map((e) => e.count));
    expect(rows).toContain('k.tanaka@torihiki.example,田中 健,torihiki.example,4,2026-11-05 10:12,2026-11-06 16:31,Re: 10月分 請求書送付のご案内 / 請求書送付のお知らせ（11月分） / 請求書送付のお知らせ');
    expect(rows).toContain('order@osaka.hanbai.example,販売株式会社 大阪支店 購買課,hanbai.example,1,2026-11-06 11:05,2026-11-06 11:05,発注書のご確認');
    expect(rows).toContain('naoki.hayashi.sample@gmail.com,,,2,2026-11-05 16:40,2026-11-06 12:12,請求書送付の件 / ご入金確認のお願い');
    expect(en.mergeCsv).toBe(csv);
  });
});
