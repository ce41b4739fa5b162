// An impersonation-only case: the samples' journal without the attacker's own sends, so
// all that is left of the attack are the three mails from outside servers under our
// employees' names. Display-name spoofing alone fits both of JPCERT/CC's cases (our PC
// infected, or a correspondent's), so the notice must claim neither: no compromised
// account, no stolen-from-us statement, the infection only when the profile confirms it,
// and an 概要 that does not open with an orphan 「また、」.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildNotice } from '../../src/report/notice-build.js';
import type { NoticeProfile } from '../../src/report/notice-model.js';
import { openCaseReadonly } from '../../src/store/case-file.js';
import { ROOT, runCli, tempDir } from '../helpers.js';
import { section } from './notice-sections.js';

const expected = JSON.parse(readFileSync(join(ROOT, 'samples/expected.json'), 'utf8')) as {
  analysis: { sends: { messageId: string; attacker: boolean; logOnly: boolean }[]; counts: { impersonationMessagesObserved: number } };
};
const sample = JSON.parse(readFileSync(join(ROOT, 'samples/blastradius.json'), 'utf8')) as NoticeProfile & Record<string, unknown>;
const { pcInfectionConfirmed: _pc, measures: _m, ...unknown } = sample;
// The samples establish the infection from host evidence; here the profile alone says it.
const profiles: Record<string, NoticeProfile> = { confirmed: { ...sample, pcInfectionConfirmed: true }, unknown, 'not found': { ...unknown, pcInfectionConfirmed: false } };

/** samples/mail/journal.mbox without the messages the attacker sent through our server. */
function impersonationOnlyCase(): { casePath: string; removed: number } {
  const attacker = new Set(expected.analysis.sends.filter((s) => s.attacker).map((s) => s.messageId));
  const mbox = readFileSync(join(ROOT, 'samples/mail/journal.mbox')).toString('latin1');
  const messages = mbox.split(/^(?=From )/m).filter(Boolean);
  const kept = messages.filter((m) => !attacker.has(/^Message-ID:\s*<([^>]+)>/im.exec(m)?.[1] ?? ''));
  const dir = tempDir('notice-impersonation');
  writeFileSync(join(dir, 'journal.mbox'), Buffer.from(kept.join(''), 'latin1'));
  const casePath = join(dir, 'c.sqlite');
  const s = runCli(['scan', join(dir, 'journal.mbox'), '--profile', 'samples/blastradius.json', '--case', casePath, '--quiet']);
  expect(s.code, s.stderr).toBe(0);
  return { casePath, removed: messages.length - kept.length };
}


/** The text without the section that quotes the profile's measures. */
function withoutMeasures(t: string): string {
  return t.replace(/\n## (弊社の対応|What we have done)\n[^#]*/, '\n');
}

describe('a notice for impersonation from outside servers only', () => {
  const { casePath, removed } = impersonationOnlyCase();
  const db = openCaseReadonly(casePath);
  const notices = Object.fromEntries(
    Object.entries(profiles).map(([k, p]) => [k, { ja: buildNotice(db, p, { lang: 'ja', format: 'md' }).text, en: buildNotice(db, p, { lang: 'en', format: 'md' }).text }]),
  );
  const letters = buildNotice(db, sample, { lang: 'ja', format: 'md', individual: true });
  db.close();

  it('is built from a journal without the attacker mails that have a mailbox copy', () => {
    expect(removed).toBe(expected.analysis.sends.filter((s) => s.attacker && !s.logOnly).length);
    expect(removed).toBe(16);
  });

  it.each(Object.keys(profiles))('claims no compromised account and neither JPCERT case (profile: %s)', (k) => {
    const { ja, en } = notices[k]!;
    // The profile's own measures (「全従業員のメールアカウントのパスワードを変更しました」) are the responder's words, not a claim drafted here.
    for (const t of [withoutMeasures(ja), withoutMeasures(en)]) {
      expect(t).not.toMatch(/不正に利用|アカウント|窃取|misused|account|stolen/);
      // Neither "from our PC" nor "from a partner's PC".
      expect(t).not.toMatch(/取引先.{0,20}感染|partner.{0,40}infected|infected.{0,40}partner/);
      expect(t).not.toContain('差出人が弊社の正規のメールアドレス');
      expect(t).not.toContain('Some were sent from our genuine addresses');
    }
    expect(section(ja, '送信の状況（現時点で確認できた範囲）')).toContain(`- 弊社のメールサーバーを経由せず外部から送信された、弊社従業員を装う不審メール：弊社で確認できたもの${expected.analysis.counts.impersonationMessagesObserved}通（実際にはこれより多い可能性があります）`);
    // The case has no logs: that nothing went through our server is for the server's records to confirm.
    expect(section(ja, '送信の状況（現時点で確認できた範囲）')).toContain('- 弊社のメールサーバーから不審メールが送信された記録：【要確認】');
    expect(section(ja, '不審メールの見分け方')).toContain('- 差出人の表示名が弊社従業員の氏名であっても、実際のメールアドレスが「@sample-shoji.example」で終わらないものは、弊社から送信されたものではありません。');
  });

  it('states the infection only when the profile confirms it, and never opens 概要 with 「また、」', () => {
    const infectedJa = '2026年11月7日、弊社のパソコンがマルウェア「Emotet（エモテット）」に感染していたことが判明いたしました。';
    const infectedEn = 'On 7 November 2026 we found that a PC of ours had been infected with the Emotet malware.';
    const c = notices.confirmed!;
    expect(section(c.ja, '概要').startsWith(`${infectedJa}また、弊社のメールサーバーを経由せずに外部のサーバーから送信された、弊社従業員の氏名などを差出人の表示名に用いた不審なメールも確認しております。`)).toBe(true);
    expect(section(c.en, 'What happened').startsWith(`${infectedEn} We have also found suspicious e-mails, sent from outside servers`)).toBe(true);
    expect(section(c.ja, '流出した可能性のある情報')).toContain('- 感染したパソコンのメールソフトに保存されていたメール');
    for (const k of ['unknown', 'not found']) {
      const { ja, en } = notices[k]!;
      const overview = section(ja, '概要');
      expect(overview.startsWith('2026年11月7日、弊社のメールサーバーを経由せずに外部のサーバーから送信された、弊社従業員の氏名などを差出人の表示名に用いた不審なメールを確認いたしました。')).toBe(true);
      // The case holds no PC evidence: the figure's line says what the profile says, or asks for it, and nothing else speaks of infection.
      const pcs = k === 'unknown' ? ['- 感染が確認された端末：【要確認】', '- PCs confirmed infected: 【to be confirmed】'] : ['- 感染が確認された端末：確認されておりません', '- PCs confirmed infected: none found'];
      expect(ja).toContain(pcs[0]);
      expect(en).toContain(pcs[1]);
      expect(ja.replace(pcs[0]!, '')).not.toContain('感染');
      expect(en.replace(pcs[1]!, '')).not.toMatch(/infect/i);
      expect(section(en, 'What happened').startsWith('On 7 November 2026 we found suspicious e-mails, sent from outside servers and not through our mail server, that show the names of our employees as the sender.')).toBe(true);
      expect(section(ja, '流出した可能性のある情報')).toContain('- 不審メールに用いられた弊社従業員の氏名やメールアドレスがどこから取得されたものかは、現在調査中です。');
      expect(ja).toContain('弊社従業員を装ったメールにより、関係者の皆様にご心配をおかけしておりますことをお詫び申し上げます。');
      expect(en).toContain('We apologise for the concern these e-mails are causing our business partners and everyone concerned.');
      expect(ja.split('\n').find((l) => l.startsWith('# '))).toBe('# 弊社従業員を装った不審メールに関するご注意のお願い');
    }
    for (const { ja } of Object.values(notices)) expect(section(ja, '概要').startsWith('また')).toBe(false);
  });

  it('drafts no individual letter: nothing reached anyone through our server', () => {
    expect(letters.text).toBe('（個別にご連絡する宛先はありません：弊社のメールサーバーから社外に届いた不審メールは確認されていません）\n');
    expect(letters.mergeCsv).toBe('\uFEFFaddress,display_name,organisation_domain,count,first_jst,last_jst,subjects\r\n');
  });
});
