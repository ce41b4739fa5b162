// The public notice, drafted from the case and the organisation's profile. Japanese first,
// written the way Japanese companies' Emotet notices read; English follows the same facts.
// Rules: every figure comes from the case and says how sure it is (exact from the server's
// logs; "at least" from mailbox copies; 「要確認」/"to be confirmed" where nothing supports it),
// nothing is guessed, and no individual's address or name appears unless asked for.

import { esc } from './report-html.js';

export interface NoticeProfile {
  name?: string;
  /** The organisation's name in English, for the English notice. */
  nameEn?: string;
  contact?: { department?: string; email?: string; phone?: string };
  /** When the infection or the sends were found: an ISO date (YYYY-MM-DD, written in each language's form) or free text. */
  discoveredOn?: string;
  /** Whether an internal PC was confirmed infected (JPCERT case A); unknown when absent. */
  pcInfectionConfirmed?: boolean;
  /** Measures taken, one sentence each, in the notice's language (ja and en lists). */
  measures?: { ja?: string[]; en?: string[] };
  noticeDate?: string;
}

export interface NoticeFacts {
  counts: {
    maliciousOutboundMessages: number;
    maliciousOutboundRecipients: number;
    recipientDeliveries: Record<string, number>;
    outsideDeliveries: Record<string, number>;
    internalDeliveries: Record<string, number>;
    countsFrom: string;
    impersonationMessagesObserved: number;
    period: { first: string | null; last: string | null };
    notificationList: { address: string; domain: string; count: number; first: string | null; last: string | null }[];
    /** Registrable domains of the notification list that are organisations (free-mail excluded). */
    organisations: string[];
    /** Notification-list addresses at free-mail and consumer ISP domains. */
    individuals: number;
  };
  compromisedAccounts: string[];
  impersonatedAccounts: string[];
  /** Subjects and attachment names of the malicious mails, most frequent first. */
  subjects: string[];
  attachmentNames: string[];
  passwordZip: boolean;
  downloadLinks: boolean;
}

export interface NoticeOptions {
  lang: 'ja' | 'en';
  includeAddresses?: boolean;
}

const TBC = { ja: '【要確認】', en: '[to be confirmed]' };

/** A date in Japan time: 2026年11月5日 / 5 November 2026. */
/** A profile date: YYYY-MM-DD in the language's form, anything else as written. */
function profileDate(v: string, lang: 'ja' | 'en'): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(v) ? jstDate(`${v}T00:00:00+09:00`, lang) : v;
}

function jstDate(iso: string, lang: 'ja' | 'en'): string {
  const d = new Date(Date.parse(iso) + 9 * 3_600_000);
  if (lang === 'ja') return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  return `${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** Mail addresses are masked in public text: partners' and employees' addresses are personal data. */
function maskAddresses(s: string): string {
  return s.replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '＊＊＊');
}

export function draftNotice(f: NoticeFacts, p: NoticeProfile, o: NoticeOptions): string {
  const ja = o.lang === 'ja';
  const org = (ja ? p.name : (p.nameEn ?? p.name)) ?? (ja ? '弊社' : 'our company');
  const c = f.counts;
  const caseA = f.compromisedAccounts.length > 0;
  const exact = c.countsFrom === 'logs';
  const haveCounts = c.maliciousOutboundMessages > 0;
  const pub = (s: string) => (o.includeAddresses ? s : maskAddresses(s));
  const lines: string[] = [];
  lines.push(ja ? '【下書き — 公開前に社内で確認してください】' : '[DRAFT — review internally before publication]');
  lines.push('');
  lines.push(ja ? `# ${caseA ? '弊社従業員を装った不審メールに関するお詫びとお知らせ' : '弊社従業員を装った不審メールに関するご注意'}` : `# ${caseA ? 'Apology and notice concerning suspicious e-mails impersonating our employees' : 'Warning concerning suspicious e-mails impersonating our employees'}`);
  lines.push('');
  if (p.noticeDate) lines.push(profileDate(p.noticeDate, o.lang));
  lines.push(org);
  lines.push('');

  // What happened.
  lines.push(ja ? '## 概要' : '## What happened');
  const found = p.discoveredOn ? (ja ? `${profileDate(p.discoveredOn, 'ja')}、` : `On ${profileDate(p.discoveredOn, 'en')}, `) : '';
  if (caseA) {
    const pc = p.pcInfectionConfirmed === true ? (ja ? '弊社のパソコンがマルウェア「Emotet（エモテット）」に感染し、' : 'a PC of ours was infected with the Emotet malware, and ') : p.pcInfectionConfirmed === false ? '' : ja ? `弊社のパソコンのマルウェア感染の有無について調査中ですが${TBC.ja}、` : `whether a PC of ours was infected is still being investigated ${TBC.en}; `;
    lines.push(
      ja
        ? `${found}${pc}弊社従業員のメールアカウントが不正に利用され、弊社従業員を装った不審なメールが、弊社のメールサーバーを経由して社外の複数の方へ送信されていたことを確認いたしました。`
        : `${found}${pc}we found that e-mail accounts of our employees had been misused to send suspicious e-mails, impersonating our employees, through our own mail server to a number of people outside the company.`,
    );
  }
  if (f.impersonatedAccounts.length > 0 || c.impersonationMessagesObserved > 0) {
    lines.push(
      ja
        ? `また、弊社とは関係のない外部のサーバーから、弊社従業員の氏名やメールアドレスを表示名に用いた不審なメールが送信されていることも確認しております${caseA ? '' : '（弊社のシステムから送信されたものではありません）'}。`
        : `We have also seen suspicious e-mails sent from servers unrelated to us that show our employees' names or addresses as the sender's display name${caseA ? '' : ' (they were not sent from our systems)'}.`,
    );
  }
  lines.push('');

  // Figures.
  lines.push(ja ? '## 送信の状況' : '## Figures');
  if (caseA) {
    if (haveCounts) {
      const n = c.maliciousOutboundMessages;
      const sum = (x: Record<string, number>) => Object.values(x).reduce((a, b) => a + b, 0);
      const out = sum(c.outsideDeliveries);
      const inside = sum(c.internalDeliveries);
      const sent = c.outsideDeliveries.sent ?? 0;
      const bounced = c.outsideDeliveries.bounced ?? 0;
      if (exact) {
        lines.push(
          ja
            ? `- 弊社のメールサーバーから送信された不審メール：${n}通（社外の宛先のべ${out}件、うち配信されたもの${sent}件${bounced ? `、届かなかったもの${bounced}件` : ''}${inside ? `。ほかに社内宛て${inside}件` : ''}）`
            : `- Suspicious e-mails sent through our mail server: ${n} (${out} deliveries to outside recipients, of which ${sent} delivered${bounced ? ` and ${bounced} bounced` : ''}${inside ? `; ${inside} more to internal recipients` : ''})`,
        );
      } else {
        lines.push(ja ? `- 弊社のメールサーバーから送信された不審メール：少なくとも${n}通（社外の宛先のべ${out}件。メールの記録による集計で、サーバーの記録による確認中${TBC.ja}）` : `- Suspicious e-mails sent through our mail server: at least ${n} (${out} outside recipients addressed, counted from mailbox copies; the server's records are still being checked ${TBC.en})`);
      }
      if (c.period.first && c.period.last) {
        const a = jstDate(c.period.first, o.lang);
        const b = jstDate(c.period.last, o.lang);
        lines.push(ja ? `- 送信期間：${a === b ? a : `${a}から${b}まで`}（日本時間）` : `- Period: ${a === b ? a : `${a} to ${b}`} (Japan time)`);
      } else lines.push(ja ? `- 送信期間：${TBC.ja}` : `- Period: ${TBC.en}`);
      const people = c.individuals ? (ja ? `、うち個人のメールアドレス${c.individuals}件` : `, ${c.individuals} of them personal addresses at free-mail or ISP domains`) : '';
      lines.push(ja ? `- 送信先：社外の${c.organisations.length}組織および個人（${c.notificationList.length}件のメールアドレス${people}）` : `- Recipients: ${c.notificationList.length} addresses at ${c.organisations.length} outside organisations${people}`);
    } else {
      lines.push(ja ? `- 送信件数・送信先：${TBC.ja}` : `- Number of e-mails and recipients: ${TBC.en}`);
    }
  } else {
    lines.push(ja ? '- 現時点で、弊社のメールサーバーから不審メールが送信された記録は確認されておりません。' : '- So far we have found no record of suspicious e-mails sent through our mail server.');
  }
  if (c.impersonationMessagesObserved > 0) {
    lines.push(ja ? `- 外部から送信された、弊社従業員を装うメール：弊社で確認できたもの${c.impersonationMessagesObserved}通（実際にはこれより多い可能性があります）` : `- E-mails impersonating our employees sent from elsewhere: ${c.impersonationMessagesObserved} seen by us (there may be more)`);
  }
  lines.push('');

  // Apology.
  if (caseA) {
    lines.push(ja ? 'お取引先様をはじめ関係者の皆様には、多大なるご迷惑とご心配をおかけしておりますことを、深くお詫び申し上げます。' : 'We sincerely apologise to our business partners and everyone concerned for the trouble and concern this has caused.');
    lines.push('');
  }

  // How to recognise them.
  lines.push(ja ? '## 不審メールの特徴' : '## How to recognise these e-mails');
  lines.push(ja ? '- 差出人の表示名は弊社従業員の氏名ですが、メールアドレスが弊社のドメインと異なるものがあります。' : "- The sender's display name is that of one of our employees, while the address may not be in our domain.");
  lines.push(ja ? '- 件名が「Re:」「Fw:」などで始まり、過去にやり取りしたメールの本文が引用されています。' : '- Subjects begin with "Re:" or "Fw:" and quote earlier correspondence.');
  if (f.passwordZip) lines.push(ja ? '- パスワード付きZIPファイルが添付され、本文にそのパスワードが記載されています。' : '- A password-protected ZIP file is attached and the password is written in the body.');
  if (f.attachmentNames.length) lines.push(ja ? `- Excel・Word形式（.xls、.xlsm、.doc など）のファイルが添付されています。確認されたファイル名の例：${f.attachmentNames.slice(0, 5).map((n) => `「${pub(n)}」`).join('、')}` : `- Excel or Word files (.xls, .xlsm, .doc …) are attached. File names seen include: ${f.attachmentNames.slice(0, 5).map((n) => `"${pub(n)}"`).join(', ')}`);
  if (f.downloadLinks) lines.push(ja ? '- ファイルのダウンロードを促すリンクが本文に記載されているものがあります。' : '- Some contain a link to download a file.');
  if (f.subjects.length) lines.push(ja ? `- 確認された件名の例：${f.subjects.slice(0, 5).map((s) => `「${pub(s)}」`).join('、')}` : `- Subjects seen include: ${f.subjects.slice(0, 5).map((s) => `"${pub(s)}"`).join(', ')}`);
  lines.push('');

  // What to do.
  lines.push(ja ? '## お願い' : '## What to do');
  lines.push(
    ja
      ? '弊社従業員を装ったメールを受信された場合は、添付ファイルを開いたり、本文中のリンクをクリックしたりせず、メールごと削除していただきますようお願い申し上げます。添付ファイルを開いてしまった場合も、「コンテンツの有効化」「編集を有効にする」は押さないでください。お心当たりのないメールを受信された場合やご不明な点がございましたら、下記までご連絡ください。'
      : 'If you receive an e-mail that appears to come from one of our employees and matches the above, please do not open its attachments or click its links, and delete the whole e-mail. If you have opened an attachment, do not click "Enable Content" or "Enable Editing". If in doubt, please contact us at the address below.',
  );
  lines.push('');

  // What we did.
  lines.push(ja ? '## 弊社の対応' : '## What we have done');
  const measures = (ja ? p.measures?.ja : p.measures?.en) ?? [];
  if (measures.length) for (const m of measures) lines.push(`- ${m}`);
  else lines.push(ja ? `- ${TBC.ja}（実施した対策を記載してください）` : `- ${TBC.en} (list the measures taken)`);
  lines.push(ja ? '今後、さらなるセキュリティ対策の強化に努めてまいります。' : 'We will continue to strengthen our security measures.');
  lines.push('');

  // Contact.
  lines.push(ja ? '## お問い合わせ先' : '## Contact');
  const ct = p.contact ?? {};
  if (ct.department || ct.email || ct.phone) {
    if (ct.department) lines.push(ct.department);
    if (ct.email) lines.push(ja ? `メール：${ct.email}` : `E-mail: ${ct.email}`);
    if (ct.phone) lines.push(ja ? `電話：${ct.phone}` : `Phone: ${ct.phone}`);
  } else lines.push(ja ? TBC.ja : TBC.en);
  if (o.includeAddresses && f.compromisedAccounts.length) {
    lines.push('');
    lines.push(ja ? `（不正に利用されたアカウント：${f.compromisedAccounts.join('、')}）` : `(Accounts misused: ${f.compromisedAccounts.join(', ')})`);
  }
  return lines.join('\n') + '\n';
}

/** Plain text: the Markdown marks removed. */
export function noticeAsText(md: string): string {
  return md.replace(/^#+\s*/gm, '').replace(/^- /gm, '・');
}

/** HTML: every value escaped (subjects and file names come from attackers). */
export function noticeAsHtml(md: string, lang: 'ja' | 'en'): string {
  const body = md
    .split('\n')
    .map((l) => (l.startsWith('# ') ? `<h1>${esc(l.slice(2))}</h1>` : l.startsWith('## ') ? `<h2>${esc(l.slice(3))}</h2>` : l.startsWith('- ') ? `<li>${esc(l.slice(2))}</li>` : l.trim() ? `<p>${esc(l)}</p>` : ''))
    .join('\n');
  return `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"><title>notice</title></head><body>\n${body}\n</body></html>\n`;
}

/**
 * The internal appendix: for each figure of the notice, its value, definition and the
 * query behind it, with the Message-IDs it counts. Never published.
 */
export function noticeAppendix(f: NoticeFacts, definitions: Record<string, string>, messageIds: string[], lang: 'ja' | 'en'): string {
  const ja = lang === 'ja';
  const c = f.counts;
  const rows: [string, string | number, string, string][] = [
    ['maliciousOutboundMessages', c.maliciousOutboundMessages, definitions.maliciousOutboundMessages ?? '', "SELECT count(*) FROM sends WHERE tier = 'attacker' (sessions: submission_sessions)"],
    ['maliciousOutboundRecipients', c.maliciousOutboundRecipients, definitions.maliciousOutboundRecipients ?? '', "sends.recipients_json of those sends: last log_deliveries.status per recipient over the send's log records, else message_addresses to/cc/bcc"],
    ['outsideDeliveries', JSON.stringify(c.outsideDeliveries), definitions.outsideDeliveries ?? '', 'same rows, recipients outside the org domains'],
    ['recipientDeliveries', JSON.stringify(c.recipientDeliveries), ja ? '上記の内訳（最終ステータス別）' : 'the above by final status', 'same rows, grouped by status'],
    ['countsFrom', c.countsFrom, ja ? '件数の根拠（logs＝サーバーの記録、mailboxes＝メールの写し）' : 'where the counts come from (logs = the server\'s records, mailboxes = copies of the mail)', '-'],
    ['period', `${c.period.first ?? '-'} – ${c.period.last ?? '-'}`, definitions.period ?? '', 'min/max sends.time of the same rows (time_source says log, received-hop or date-header)'],
    ['impersonationMessagesObserved', c.impersonationMessagesObserved, definitions.impersonationMessagesObserved ?? '', 'malicious messages not via our systems naming a member (display-name-spoof signal or an org From)'],
    ['notificationList', c.notificationList.length, definitions.notificationList ?? '', 'outside recipients of the counted messages (reports/recipients.csv)'],
    ['organisations', c.organisations.length, definitions.organisations ?? '', 'registrable domains of notificationList, free-mail excluded'],
  ];
  const lines = [ja ? '## 内部用付録（公開しないでください）' : '## Internal appendix (not for publication)', ''];
  for (const [k, v, d, q] of rows) lines.push(`- ${k} = ${v}\n  - ${ja ? '定義' : 'definition'}: ${d}\n  - ${ja ? '根拠' : 'query'}: ${q}`);
  lines.push('', ja ? `数えたメール（Message-ID）：${messageIds.length}件` : `Messages counted (Message-ID): ${messageIds.length}`);
  for (const id of messageIds) lines.push(`  - <${id}>`);
  return lines.join('\n') + '\n';
}

/** The mail to one affected partner, with that partner's own count and dates (Japan time). */
export function individualNotice(r: { address: string; count: number; first: string | null; last: string | null }, p: NoticeProfile, lang: 'ja' | 'en'): string {
  const ja = lang === 'ja';
  const org = (ja ? p.name : (p.nameEn ?? p.name)) ?? (ja ? '弊社' : 'our company');
  const when = r.first && r.last ? (jstDate(r.first, lang) === jstDate(r.last, lang) ? jstDate(r.first, lang) : ja ? `${jstDate(r.first, lang)}から${jstDate(r.last, lang)}まで` : `${jstDate(r.first, lang)} to ${jstDate(r.last, lang)}`) : ja ? TBC.ja : TBC.en;
  const ct = p.contact ?? {};
  return ja
    ? `宛先：${r.address}\n件名：【お詫び】弊社従業員を装った不審メールについて\n\n${r.address} 様\n\nいつもお世話になっております。${org}でございます。\n弊社従業員のメールアカウントが不正に利用され、貴社宛てに弊社従業員を装った不審なメールが送信されていたことが判明いたしました。\n弊社の記録では、${when}（日本時間）に${r.count}通が送信されております。\n\nこれらのメールの添付ファイルは開かず、本文中のリンクもクリックせずに、メールごと削除していただきますようお願い申し上げます。万一開いてしまった場合は、お手数ですが下記までご連絡ください。\n\n多大なるご迷惑とご心配をおかけしましたことを、深くお詫び申し上げます。\n\n${org}\n${[ct.department, ct.email, ct.phone].filter(Boolean).join('\n') || TBC.ja}\n`
    : `To: ${r.address}\nSubject: Apology: suspicious e-mails impersonating our employees\n\nDear ${r.address},\n\nAn e-mail account of one of our employees was misused, and suspicious e-mails impersonating our employees were sent to you. Our records show ${r.count} such e-mail(s) sent ${when} (Japan time).\n\nPlease do not open their attachments or click their links, and delete them. If you have opened one, please contact us.\n\nWe sincerely apologise for the trouble and concern this has caused.\n\n${org}\n${[ct.department, ct.email, ct.phone].filter(Boolean).join('\n') || TBC.en}\n`;
}
