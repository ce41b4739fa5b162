// The public notice drafted from the samples through buildNotice, in both languages: every
// part Japanese Emotet notices share is there, in order; every figure is the one
// expected.json's definitions give (outside deliveries only, organisations without
// free-mail, individuals); subjects are described, not quoted; no individual's address is
// published; the English says what a native writer would. Snapshots are for the reviewer.
// Also: the mailbox-only wording, the appendix, the errors, and the current command.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { isConsumerDomain, registrableDomain } from '../../src/analysis/consumer-domains.js';
import { buildNotice, EmptyCaseError, NotAnalysedError } from '../../src/report/notice-build.js';
import type { NoticeProfile } from '../../src/report/notice-model.js';
import { openCaseReadonly } from '../../src/store/case-file.js';
import { migrate } from '../../src/store/schema.js';
import { ROOT, runCli, tempDir } from '../helpers.js';
import { section } from './notice-sections.js';

interface Entry { address: string; domain: string; count: number }
const expected = JSON.parse(readFileSync(join(ROOT, 'samples/expected.json'), 'utf8')) as {
  list: { subject: string; malicious: boolean }[];
  analysis: {
    counts: {
      maliciousOutboundMessages: number;
      outsideDeliveries: { sent: number; bounced: number };
      internalDeliveries: { sent: number };
      impersonationMessagesObserved: number;
      notificationList: Entry[];
      bouncedOnly: Entry[];
      organisations: string[];
      individuals: number;
    };
  };
};
const c = expected.analysis.counts;
const profile = JSON.parse(readFileSync(join(ROOT, 'samples/blastradius.json'), 'utf8')) as NoticeProfile;

function scan(inputs: string[]): string {
  const casePath = join(tempDir('notice'), 'c.sqlite');
  const s = runCli(['scan', ...inputs, '--profile', 'samples/blastradius.json', '--case', casePath, '--quiet']);
  expect(s.code, s.stderr).toBe(0);
  return casePath;
}

function build(casePath: string, p: NoticeProfile | null, o: Parameters<typeof buildNotice>[2]) {
  const db = openCaseReadonly(casePath);
  try {
    return buildNotice(db, p, o);
  } finally {
    db.close();
  }
}


const addressesIn = (t: string) => t.match(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g) ?? [];

describe('the notice on the samples', () => {
  const casePath = scan(['samples/mail', 'samples/hosts', '--host-map', 'samples/host-map.csv']);
  const ja = build(casePath, profile, { lang: 'ja', format: 'md' }).text;
  const en = build(casePath, profile, { lang: 'en', format: 'md' }).text;

  // The figures by expected.json's definitions, worked out here rather than read from the notice.
  const organisations = [...new Set(c.notificationList.filter((e) => !isConsumerDomain(e.domain)).map((e) => registrableDomain(e.domain)))].sort();
  const individuals = c.notificationList.filter((e) => isConsumerDomain(e.domain)).length;
  const organisationAddresses = c.notificationList.length - individuals;

  it('has the definitions right before checking the notice against them', () => {
    expect(organisations).toEqual(c.organisations);
    expect(organisations).toHaveLength(6);
    expect(individuals).toBe(c.individuals);
    expect(organisationAddresses).toBe(7);
    // The bounced-only address is in no figure: its organisation counts only through kobayashi@, who was reached.
    expect(c.bouncedOnly.map((e) => e.address)).toEqual(['h.ogawa@kokyaku.example']);
    expect(c.notificationList.map((e) => e.address)).not.toContain('h.ogawa@kokyaku.example');
  });

  it('has every part of a Japanese notice, in order', () => {
    const headings = ja.split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual([
      '# 弊社従業員を装った不審メールに関するお詫びとお知らせ',
      '## 概要',
      '## 送信の状況（現時点で確認できた範囲）',
      '## 不審メールの見分け方',
      '## 不審なメールを受信された場合のお願い',
      '## 添付ファイルを開いた、またはリンクをクリックしてしまった場合',
      '## 流出した可能性のある情報',
      '## 弊社の対応',
      '## 今後の対応',
      '## お問い合わせ先',
    ]);
    expect(ja.startsWith('【下書き — 公開前に社内で確認し、「要確認」の箇所を書き換えてください】\n')).toBe(true);
    expect(ja).toContain('\n2026年11月9日\n株式会社サンプル商事\n');
    // The apology comes after the figures, before how to recognise the mails.
    expect(section(ja, '送信の状況（現時点で確認できた範囲）')).toContain('\nお取引先様をはじめ関係者の皆様には、多大なるご迷惑とご心配をおかけしておりますことを、深くお詫び申し上げます。\n');
  });

  it('says what happened as case A: our PC infected, our accounts used through our server, dated by the finding', () => {
    const s = section(ja, '概要');
    expect(s.startsWith('2026年11月7日、弊社のパソコンがマルウェア「Emotet（エモテット）」に感染し、弊社のメールアカウント2件が第三者に不正に利用されていたことが判明いたしました。')).toBe(true);
    expect(s).toContain('調査の結果、2026年11月5日から11月6日にかけて、これらのアカウントから弊社のメールサーバーを経由して、社外の方々へ不審なメールが送信されていたことを確認いたしました。');
    expect(s).toContain('また、弊社のメールサーバーを経由せずに外部のサーバーから送信された、弊社従業員の氏名などを差出人の表示名に用いた不審なメールも確認しております。');
  });

  it("gives expected.json's figures: outside deliveries only, organisations and individuals, as confirmed so far within the logs' window", () => {
    const s = section(ja, '送信の状況（現時点で確認できた範囲）');
    // The logs in samples/mail/logs run from 2026-09-01T00:30:01Z to 2026-11-07T03:41:13Z.
    expect(s).toContain('弊社のメールサーバーの記録（2026年9月1日から11月7日まで、日本時間）を調査し、現時点で確認できた範囲は次のとおりです。');
    expect(s).toContain(`\n- 弊社のメールサーバーを経由して送信された不審メール：${c.maliciousOutboundMessages}通\n`);
    expect(s).toContain('\n- 送信期間：2026年11月5日から11月6日まで（日本時間）\n');
    expect(s).toContain(`\n- 不審メールが届いた宛先：社外の${organisations.length}組織（${organisationAddresses}件のメールアドレス）と個人のメールアドレス${individuals}件\n`);
    expect(s).toContain(`\n- 社外の宛先への配信：のべ${c.outsideDeliveries.sent}件（このほか、相手先に届かずに返送されたものがのべ${c.outsideDeliveries.bounced}件ありました）\n`);
    expect(s).toContain(`弊社で確認できたもの${c.impersonationMessagesObserved}通（実際にはこれより多い可能性があります）`);
    // The internal delivery (1) is not published, nor any total that includes it.
    expect(c.internalDeliveries.sent).toBe(1);
    expect(ja.slice(ja.indexOf('\n')), 'below the draft mark').not.toContain('社内');
    expect(ja).not.toContain(`のべ${c.outsideDeliveries.sent + c.outsideDeliveries.bounced + c.internalDeliveries.sent}件`);
  });

  it('tells readers both kinds of mail: from our genuine addresses, and under our names from other addresses', () => {
    const s = section(ja, '不審メールの見分け方');
    expect(s).toContain('弊社のメールアドレスは「@sample-shoji.example」で終わります。ただし、今回確認された不審メールには、弊社の正規のメールアドレスから送信されたものと、別のメールアドレスから弊社従業員を装って送信されたものの両方があります。');
    expect(s).toContain('- 差出人が弊社の正規のメールアドレス（「@sample-shoji.example」で終わるもの）であっても、不審なメールがあります。');
    expect(s).toContain('- 差出人の表示名が弊社従業員の氏名であっても、実際のメールアドレスが「@sample-shoji.example」で終わらないものは、弊社から送信されたものではありません。表示名の中に弊社のメールアドレスが書き込まれているものもあります');
  });

  it('describes subjects by pattern and lists the file types seen, quoting no subject', () => {
    const s = section(ja, '不審メールの見分け方');
    expect(s).toContain('- 件名が「Re:」で始まり、過去に弊社とやり取りしたメールの件名が引用されているものがあります。');
    expect(s).toContain('- 件名に「請求書」「入金」「共有ファイル」「支払」「発注」といった語を含むものがあります。');
    expect(s).toContain('- 添付ファイルの形式：Excelファイル（.xls、.xlsm）、圧縮ファイル（.zip）\n');
    expect(s).toContain('- パスワード付きの圧縮ファイルが添付され、そのパスワードが本文に記載されているものがあります。');
    expect(s).toContain('- 本文中のリンクからファイルをダウンロードさせるものがあります。');
    const subjects = [...new Set(expected.list.filter((m) => m.malicious).map((m) => m.subject.replace(/^Re:\s*/, '')))];
    expect(subjects.length).toBeGreaterThan(10);
    for (const t of [ja, en]) for (const subject of subjects) expect(t).not.toContain(subject);
    expect(ja).not.toMatch(/\.xls」|\.zip」/); // no file names either
  });

  it('quotes subjects and file names when asked to', () => {
    const v = build(casePath, profile, { lang: 'ja', format: 'md', verbatimSubjects: true }).text;
    expect(v).toContain('「Re: 見積依頼（第3四半期 部材）」');
    expect(v).toMatch(/- 確認された添付ファイル名（一部）：.*「請求書_20261105\.xls」/);
  });

  it('says what to do, what to do after opening a file, what may have been taken, what we did and that we keep investigating', () => {
    const todo = section(ja, '不審なメールを受信された場合のお願い');
    expect(todo).toContain('添付ファイルを開いたり本文中のリンクをクリックしたりせず、メールごと削除してください。');
    expect(todo).toContain('「コンテンツの有効化」「編集を有効にする」は押さないでください。');
    const opened = section(ja, '添付ファイルを開いた、またはリンクをクリックしてしまった場合');
    expect(opened).toContain('- 直ちにそのパソコンをネットワークから切り離してください');
    expect(opened).toContain('- ウイルス対策ソフトを最新の状態にしたうえで、パソコン全体の検査を行ってください。');
    expect(opened).toContain('下記の弊社お問い合わせ先までご連絡ください。');
    const data = section(ja, '流出した可能性のある情報');
    expect(data).toContain('- 感染したパソコンのメールソフトに保存されていたメール（本文・添付ファイル）と、メールアドレスや氏名などの連絡先が、外部に流出した可能性があります。');
    expect(data).toContain('弊社が保有するメールのデータが窃取され、悪用されたものと考えております。');
    expect(data).toContain('\n【要確認】個人情報保護委員会への報告：');
    expect(section(ja, '弊社の対応')).toBe('- 感染したパソコンをネットワークから隔離し、ウイルススキャンを実施しました。\n- 全従業員のメールアカウントのパスワードを変更しました。\n- メールサーバーの送信状況の監視を強化しました。\n');
    expect(section(ja, '今後の対応')).toContain('現在も調査を継続しております。送信の範囲や流出した可能性のある情報について新たな事実が判明した場合は、続報にてお知らせいたします。');
    expect(section(ja, 'お問い合わせ先')).toBe('総務部 情報システム課\nメール：soumu@sample-shoji.example\n電話：03-0000-0000\n');
  });

  it('names no individual address in the public text (the contact address the profile gives excepted)', () => {
    for (const t of [ja, en]) expect(addressesIn(t)).toEqual(['soumu@sample-shoji.example']);
  });

  it('gives the same facts in English, as a native writer would put them', () => {
    expect(en.split('\n').filter((l) => l.startsWith('#'))).toEqual([
      '# Apology and notice concerning suspicious e-mails sent in our name',
      '## What happened',
      '## What we have confirmed so far',
      '## How to recognise these e-mails',
      '## What to do if you receive one',
      '## If you have opened an attachment or clicked a link',
      '## Information that may have been taken',
      '## What we have done',
      '## Further investigation',
      '## Contact',
    ]);
    const what = section(en, 'What happened');
    // The date is when it was found; the sends it reports came before it.
    expect(what.startsWith('On 7 November 2026 we found that a PC of ours had been infected with the Emotet malware and that two of our e-mail accounts had been misused by a third party. Our investigation shows that between 5 and 6 November 2026 they were used to send suspicious e-mails through our mail server to people outside the company.')).toBe(true);
    const fig = section(en, 'What we have confirmed so far');
    expect(fig).toContain("We have examined our mail server's records for 1 September to 7 November 2026 (Japan time). This is what we have confirmed so far:");
    expect(fig).toContain(`\n- Suspicious e-mails sent through our mail server: ${c.maliciousOutboundMessages}\n`);
    expect(fig).toContain('\n- Period: 5 to 6 November 2026 (Japan time)\n');
    expect(fig).toContain(`\n- Recipients reached: ${organisationAddresses} addresses at ${organisations.length} outside organisations and ${individuals} personal addresses\n`);
    expect(fig).toContain(`\n- Deliveries to outside recipients: ${c.outsideDeliveries.sent}; a further ${c.outsideDeliveries.bounced} could not be delivered and were returned\n`);
    expect(section(en, 'How to recognise these e-mails')).toContain('Our e-mail addresses end in "@sample-shoji.example".');
    expect(section(en, 'Information that may have been taken')).toContain('【to be confirmed】 Report to the Personal Information Protection Commission');
    // No Japanese outside quotations of the mails' words: the department has no English name in the profile.
    expect(en.replace(/"[^"]*"/g, '')).not.toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    expect(section(en, 'Contact')).toBe('【to be confirmed: department name in English】\nE-mail: soumu@sample-shoji.example\nPhone: 03-0000-0000\n');
  });

  it("uses the profile's English department name when there is one", () => {
    const p = { ...profile, contact: { ...profile.contact, departmentEn: 'IT Section, General Affairs Department' } };
    expect(section(build(casePath, p, { lang: 'en', format: 'md' }).text, 'Contact')).toBe('IT Section, General Affairs Department\nE-mail: soumu@sample-shoji.example\nPhone: 03-0000-0000\n');
  });

  it('matches the reviewed texts', async () => {
    await expect(ja).toMatchFileSnapshot('./__snapshots__/notice.samples.ja.md');
    await expect(en).toMatchFileSnapshot('./__snapshots__/notice.samples.en.md');
  });

  it('adds the internal appendix when asked', () => {
    const a = build(casePath, profile, { lang: 'ja', format: 'md', appendix: true }).text;
    expect(a).toContain('## 内部用付録（公開しないでください）');
    expect(a).toContain(`- maliciousOutboundMessages = ${c.maliciousOutboundMessages}`);
    expect(a).toContain(`- bouncedOnly = ${c.bouncedOnly.length}`);
    expect(a).toContain('- logWindow = 2026-09-01T00:30:01.000Z – 2026-11-07T03:41:13.200Z');
    expect(a).toContain(`数えたメール（Message-ID）：${c.maliciousOutboundMessages}件`);
    expect(a).toContain('  - <3f2a9c10b0@sample-shoji.example>');
  });

  it('is what the current notice command prints', () => {
    const r = runCli(['notice', '--case', casePath, '--profile', 'samples/blastradius.json', '--lang', 'en']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(en);
  });
});

describe('the notice without the logs', () => {
  const casePath = scan(['samples/mail/journal.mbox', 'samples/mail/sent', 'samples/mail/ja', 'samples/mail/maildir']);

  it('counts from the mailboxes as "at least", marks the server check to be confirmed, and speaks of one account', () => {
    const ja = build(casePath, profile, { lang: 'ja', format: 'md' }).text;
    // Without the logs only keiri's copies prove a submission (their authenticated Received
    // hop): its 17 attacker sends but the 3 log-only ones. eigyo's copies carry no such hop.
    const s = section(ja, '送信の状況（現時点で確認できた範囲）');
    expect(s).toContain('弊社に残るメールの写しを調査し、現時点で確認できた範囲は次のとおりです（メールサーバーの記録による確認は【要確認】）。');
    expect(s).toContain('\n- 弊社のメールサーバーを経由して送信された不審メール：少なくとも14通\n');
    expect(s).toContain('- 社外の宛先（メールごとに数えたもの）：のべ19件（弊社に残るメールの写しによる集計で、実際に届いたかどうかはサーバーの記録により確認中です【要確認】）');
    expect(section(ja, '概要')).toContain('弊社のメールアカウント1件が第三者に不正に利用されていた');
    const en = build(casePath, profile, { lang: 'en', format: 'md' }).text;
    expect(section(en, 'What happened')).toContain('that one of our e-mail accounts had been misused by a third party. Our investigation shows that between 5 and 6 November 2026 it was used to send');
    expect(section(en, 'What we have confirmed so far')).toContain('\n- Suspicious e-mails sent through our mail server: at least 14\n');
  });
});

describe('buildNotice on a case with nothing to report', () => {
  it('throws EmptyCaseError for a case with no messages and no log records', () => {
    const db = new Database(':memory:');
    migrate(db);
    expect(() => buildNotice(db, profile, { lang: 'ja', format: 'md' })).toThrow(EmptyCaseError);
    expect(() => buildNotice(db, profile, { lang: 'ja', format: 'md' })).toThrow('the case holds no analysed messages or log records: scan and analyze first');
    db.close();
  });

  it('throws NotAnalysedError for a case that holds mail but was not analysed', () => {
    const dir = tempDir('notice-unanalysed');
    const casePath = join(dir, 'c.sqlite');
    copyFileSync(scan(['samples/mail/sent']), casePath);
    const rw = new Database(casePath);
    rw.prepare("DELETE FROM meta WHERE key = 'counts'").run();
    rw.close();
    expect(() => build(casePath, profile, { lang: 'ja', format: 'md' })).toThrow(NotAnalysedError);
  });
});
