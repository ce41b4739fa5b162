// One letter per outside recipient the attacker's mail actually reached (the notification
// list: bounced-only addresses got nothing and get no letter). Each letter names the person
// the way our own mail addressed them (To/Cc display names), lists the mails they received
// with their subjects and Japan times (the recipient has these mails: quoting them here
// leaks nothing and lets them find and delete each one), and says 貴社 only to
// organisations: free-mail addresses belong to individuals.
import { en, ja } from './notice-dates.js';
import type { NoticeFacts, ReachedRecipient } from './notice-facts.js';
import type { NoticeContent, NoticeSender } from './notice-model.js';

export interface IndividualDraft {
  recipient: ReachedRecipient;
  /** The display name used, or null when our mail never named the address. */
  displayName: string | null;
  /** A department or company rather than a person (御中 rather than 様). */
  addresseeIsOrganisation: boolean;
}

/** Names already carrying an honorific keep it as written. */
const HONORIFIC = /(様|御中|殿|さん)\s*$/;
/** Display names of companies and departments: they take 御中, not 様. */
const ORGANISATION_NAME = /(株式会社|有限会社|合同会社|（株）|\(株\)|㈱|支店|営業所|事業所|センター|事務局|窓口|[部課係室]$|\b(inc|ltd|llc|co|corp|dept|department|team)\b\.?)/i;

/** What every letter shares: who sends it, and what the case says about the sends. */
export interface LetterContext extends NoticeSender {
  /** Counts from the server's logs (else from mailbox copies). */
  fromLogs: boolean;
  /** Accounts the attacker used; null when not known (a letter drafted from a bare list entry). */
  accounts: number | null;
}

export function letterContext(c: NoticeContent): LetterContext {
  return { orgName: c.orgName, contact: c.contact, fromLogs: c.sent?.exact !== false, accounts: c.sent?.accounts ?? null };
}

export function individualDrafts(f: NoticeFacts): IndividualDraft[] {
  return f.reached.map((r) => {
    const displayName = r.names[0] ?? null;
    return { recipient: r, displayName, addresseeIsOrganisation: !!displayName && ORGANISATION_NAME.test(displayName) };
  });
}

const TBC_JA = '【要確認】';
const tbcEn = (what: string) => `【to be confirmed: ${what}】`;

function salutationJa(d: IndividualDraft): string {
  const n = d.displayName;
  if (n) return HONORIFIC.test(n) ? n : `${n} ${d.addresseeIsOrganisation ? '御中' : '様'}`;
  return d.recipient.organisation ? `${TBC_JA}（貴社名：${d.recipient.organisation}）ご担当者様` : `${TBC_JA}（お名前）様`;
}

/** 貴社 for organisations; an individual is addressed by name (or by their address when our mail never named them). */
function addresseeJa(d: IndividualDraft): string {
  if (d.recipient.organisation) return '貴社';
  const n = d.displayName?.replace(HONORIFIC, '').trim();
  return n ? `${n}様` : 'お客様のメールアドレス';
}

function senderJa(c: LetterContext): string[] {
  const ct = c.contact;
  const name = c.orgName.ja ?? `${TBC_JA}（会社名）`;
  if (!ct) return [name, TBC_JA];
  return [name, ct.department ?? `${TBC_JA}（担当部署）`, ...(ct.email ? [`メール：${ct.email}`] : []), ...(ct.phone ? [`電話：${ct.phone}`] : [])];
}

function senderEn(c: LetterContext): string[] {
  const ct = c.contact;
  const name = c.orgName.en ?? tbcEn('company name in English');
  if (!ct) return [name, tbcEn('contact')];
  return [name, ct.departmentEn ?? tbcEn('department name in English'), ...(ct.email ? [`E-mail: ${ct.email}`] : []), ...(ct.phone ? [`Phone: ${ct.phone}`] : [])];
}

export function individualJa(d: IndividualDraft, c: LetterContext): string {
  const r = d.recipient;
  const who = addresseeJa(d);
  const source = c.fromLogs ? '弊社のメールサーバーの記録' : '弊社に残るメールの写し';
  // Without the mails (a bare list entry) the letter gives the count and the days instead.
  const mails = r.mails.length
    ? [`${source}で現時点までに確認できた、${who}宛ての不審メールは次の${r.mails.length}通です（日時は日本時間）。`, ...r.mails.map((m) => `- ${m.time ? ja.dateTime(m.time) : '日時不明'}　「${m.subject ?? '（件名不明）'}」`)]
    : [`${source}で現時点までに確認できた、${who}宛ての不審メールは${r.count}通です${r.first && r.last ? `（${ja.range(r.first, r.last)}、日本時間）` : ''}。`];
  return [
    '【下書き — 送信前に宛名と内容を確認してください】',
    `宛先：${r.address}`,
    '件名：【お詫び】弊社のメールアカウントから送信された不審メールについて',
    '',
    salutationJa(d),
    '',
    `いつもお世話になっております。${c.orgName.ja ?? `${TBC_JA}（会社名）`}でございます。`,
    '',
    `弊社のメールアカウントが第三者に不正に利用され、${who}宛てに弊社を装った不審なメールが送信されていたことが判明いたしました。`,
    ...mails,
    '',
    'これらのメールの添付ファイルは開かず、本文中のリンクもクリックせずに、メールごと削除していただきますようお願い申し上げます。',
    '万一、添付ファイルを開いたりリンクをクリックしたりしてしまった場合は、直ちにそのパソコンをネットワークから切り離し、ウイルス対策ソフトで検査をしたうえで、お手数ですが下記までご連絡ください。',
    '',
    '多大なるご迷惑とご心配をおかけしておりますことを、深くお詫び申し上げます。',
    '',
    ...senderJa(c),
  ].join('\n') + '\n';
}

export function individualEn(d: IndividualDraft, c: LetterContext): string {
  const r = d.recipient;
  const name = d.displayName?.replace(HONORIFIC, '').trim();
  const dear = name ? `Dear ${name},` : r.organisation ? 'Dear Sir or Madam,' : `Dear ${tbcEn('name')},`;
  const accounts = c.accounts === null ? 'our e-mail system was' : c.accounts === 1 ? 'one of our e-mail accounts was' : 'some of our e-mail accounts were';
  const source = c.fromLogs ? "our mail server's records show" : 'the copies of the e-mails we hold show';
  const n = r.mails.length || r.count;
  const mails = r.mails.length
    ? [`So far ${source} the following ${n === 1 ? 'e-mail' : `${n} e-mails`} to you (Japan time):`, ...r.mails.map((m) => `- ${m.time ? en.dateTime(m.time) : 'date unknown'}: "${m.subject ?? '(subject unknown)'}"`)]
    : [`So far ${source} ${n === 1 ? 'one such e-mail' : `${n} such e-mails`} to you${r.first && r.last ? ` (${en.range(r.first, r.last)}, Japan time)` : ''}.`];
  const org = c.orgName.en ?? tbcEn('company name in English');
  return [
    '【DRAFT — check the name and the text before sending】',
    `To: ${r.address}`,
    'Subject: Apology: suspicious e-mails sent in our name',
    '',
    dear,
    '',
    `We at ${org} have found that ${accounts} misused by a third party to send suspicious e-mails to your address.`,
    ...mails,
    '',
    `Please do not open ${n === 1 ? 'its attachments or click its links; delete it' : 'their attachments or click their links; delete them'}. If you have already opened an attachment or clicked a link, please disconnect the PC from the network at once, run a full anti-virus scan, and let us know.`,
    '',
    'We sincerely apologise for the trouble and worry this has caused.',
    '',
    ...senderEn(c),
  ].join('\n') + '\n';
}
