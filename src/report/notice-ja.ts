// The Japanese public notice, worded from NoticeContent. It follows the structure Japanese
// organisations' Emotet notices share (「…を装った不審メールに関するお詫びとお知らせ」):
// 概要, the figures confirmed so far, the apology, how to recognise the mails, what to do,
// what to do after opening one, what may have been taken, what we did, further
// investigation, contact. Every sentence is written for one situation; nothing here
// decides a fact (notice-model.ts does).
import { ja } from './notice-dates.js';
import { pcFigure, type NoticeContent, type SentFigures } from './notice-model.js';
import { byKind, type FileKind } from './notice-patterns.js';

const TBC = '【要確認】';

const KIND: Record<FileKind, string> = {
  excel: 'Excelファイル',
  word: 'Wordファイル',
  archive: '圧縮ファイル',
  onenote: 'OneNoteファイル',
  shortcut: 'ショートカットファイル',
  'disk-image': 'ディスクイメージファイル',
  script: 'プログラム・スクリプトファイル',
  other: 'その他のファイル',
};

const quoteAll = (xs: string[]) => xs.map((x) => `「${x}」`).join('');
const listed = (xs: string[]) => xs.map((x) => `「${x}」`).join('、');

/** 「@a.example」または「@b.example」 */
function domains(c: NoticeContent): string {
  return c.ownDomains.map((d) => `「@${d}」`).join('または') || `「@${TBC}」`;
}

/** The notice's title: an apology when mail went out in our name from our side or our PC was infected, else a warning. */
export function titleJa(c: NoticeContent): string {
  return c.situation === 'sent-through-our-server' || c.pcInfection === 'confirmed'
    ? '弊社従業員を装った不審メールに関するお詫びとお知らせ'
    : '弊社従業員を装った不審メールに関するご注意のお願い';
}

function overview(c: NoticeContent): string[] {
  const s: string[] = [];
  const when = c.discoveredOn ? `${ja.profileDate(c.discoveredOn)}、` : '';
  const sent = c.sent;
  if (sent) {
    const infected = c.pcInfection === 'confirmed' ? '弊社のパソコンがマルウェア「Emotet（エモテット）」に感染し、' : '';
    s.push(`${when}${infected}弊社のメールアカウント${sent.accounts}件が第三者に不正に利用されていたことが判明いたしました。`);
    const period = sent.first && sent.last ? ja.range(sent.first, sent.last, 'にかけて', 'に') : `期間は確認中ですが${TBC}`;
    const these = sent.accounts === 1 ? 'このアカウント' : 'これらのアカウント';
    s.push(`調査の結果、${period}、${these}から弊社のメールサーバーを経由して、社外の方々へ不審なメールが送信されていたことを確認いたしました。`);
    if (c.pcInfection === 'unknown') s.push(`パソコンのマルウェア感染の有無については、現在調査中です${TBC}。`);
  } else if (c.pcInfection === 'confirmed') {
    s.push(`${when}弊社のパソコンがマルウェア「Emotet（エモテット）」に感染していたことが判明いたしました。`);
  }
  if (c.impersonationMessages > 0) {
    // 「また、」 only continues a sentence that exists; the date goes to the first sentence.
    const forged = c.forgedOurAddress ? '（差出人のメールアドレスを弊社のアドレスに偽装したものを含みます）' : '';
    const what = `弊社のメールサーバーを経由せずに外部のサーバーから送信された、弊社従業員の氏名などを差出人の表示名に用いた不審なメール${forged}`;
    s.push(s.length ? `また、${what}も確認しております。` : `${when}${what}を確認いたしました。`);
    if (!sent) {
      s.push(
        c.logWindow
          ? `弊社のメールサーバーの記録（${ja.range(c.logWindow.first, c.logWindow.last)}）では、これらのメールが弊社のサーバーから送信された記録は確認されておりません。`
          : `これらのメールが弊社のメールサーバーから送信されたものでないことは、サーバーの記録により確認中です${TBC}。`,
      );
    }
  }
  if (!s.length) s.push(`${TBC}（事案の概要を記載してください）`);
  return ['## 概要', s.join(''), ''];
}

function sentBullets(sent: SentFigures, c: NoticeContent): string[] {
  const b: string[] = [];
  b.push(`- 弊社のメールサーバーを経由して送信された不審メール：${sent.exact ? '' : '少なくとも'}${sent.messages}通`);
  b.push(sent.first && sent.last ? `- 送信期間：${ja.range(sent.first, sent.last)}（日本時間）` : `- 送信期間：${TBC}`);
  const parts = [
    sent.organisations ? `社外の${sent.organisations}組織（${sent.organisationAddresses}件のメールアドレス）` : '',
    sent.individuals ? `個人のメールアドレス${sent.individuals}件` : '',
  ].filter(Boolean);
  const who = parts.join('と') || 'なし';
  if (sent.reachedMeans === 'delivered') {
    b.push(`- 不審メールが届いた宛先：${who}`);
    b.push(`- 社外の宛先への配信：のべ${sent.outsideReached}件${sent.outsideBounced ? `（このほか、相手先に届かずに返送されたものがのべ${sent.outsideBounced}件ありました）` : ''}`);
  } else {
    b.push(`- 不審メールの宛先とされていたもの：${who}`);
    b.push(`- 社外の宛先（メールごとに数えたもの）：のべ${sent.outsideReached}件（弊社に残るメールの写しによる集計で、実際に届いたかどうかはサーバーの記録により確認中です${TBC}）`);
  }
  if (sent.unconfirmedAddresses) b.push(`- 配信結果を確認中の社外のメールアドレス：${sent.unconfirmedAddresses}件`);
  if (c.impersonationMessages > 0) b.push(impersonationBullet(c));
  return b;
}

function impersonationBullet(c: NoticeContent): string {
  return `- 弊社のメールサーバーを経由せず外部から送信された、弊社従業員を装う不審メール：弊社で確認できたもの${c.impersonationMessages}通（実際にはこれより多い可能性があります）`;
}

function figures(c: NoticeContent): string[] {
  const out = ['## 送信の状況（現時点で確認できた範囲）'];
  out.push(
    c.logWindow
      ? `弊社のメールサーバーの記録（${ja.range(c.logWindow.first, c.logWindow.last)}、日本時間）を調査し、現時点で確認できた範囲は次のとおりです。`
      : `弊社に残るメールの写しを調査し、現時点で確認できた範囲は次のとおりです（メールサーバーの記録による確認は${TBC}）。`,
  );
  if (c.sent) out.push(...sentBullets(c.sent, c));
  else {
    out.push(c.logWindow ? '- 弊社のメールサーバーから不審メールが送信された記録：確認されておりません' : `- 弊社のメールサーバーから不審メールが送信された記録：${TBC}`);
    if (c.impersonationMessages > 0) out.push(impersonationBullet(c));
  }
  out.push(`- 感染が確認された端末：${{ count: `${c.infectedPcs}台`, 'none-found': '確認されておりません', tbc: TBC }[pcFigure(c)]}`);
  out.push('');
  return out;
}

function apology(c: NoticeContent): string[] {
  return c.situation === 'sent-through-our-server' || c.pcInfection === 'confirmed'
    ? ['お取引先様をはじめ関係者の皆様には、多大なるご迷惑とご心配をおかけしておりますことを、深くお詫び申し上げます。', '']
    : ['弊社従業員を装ったメールにより、関係者の皆様にご心配をおかけしておりますことをお詫び申し上げます。', ''];
}

function recognise(c: NoticeContent): string[] {
  const r = c.recognise;
  const out = ['## 不審メールの見分け方', `弊社のメールアドレスは${domains(c)}で終わります。`];
  if (r.fromOurAddresses && r.spoofedDisplayNames) {
    out[1] += 'ただし、今回確認された不審メールには、弊社の正規のメールアドレスから送信されたものと、別のメールアドレスから弊社従業員を装って送信されたものの両方があります。';
  }
  const b: string[] = [];
  if (r.fromOurAddresses) b.push(`差出人が弊社の正規のメールアドレス（${domains(c)}で終わるもの）であっても、不審なメールがあります。差出人のアドレスが弊社のものであることだけで、安全とは判断なさらないでください。`);
  if (r.spoofedDisplayNames) {
    b.push(
      `差出人の表示名が弊社従業員の氏名であっても、実際のメールアドレスが${domains(c)}で終わらないものは、弊社から送信されたものではありません。` +
        (r.displayNameHoldsOurAddress ? '表示名の中に弊社のメールアドレスが書き込まれているものもありますので、表示名ではなく実際の送信元アドレスをご確認ください。' : ''),
    );
  }
  if (r.replyPrefixes.length) b.push(`件名が${quoteAll(r.replyPrefixes)}で始まり、過去に弊社とやり取りしたメールの件名が引用されているものがあります。`);
  else if (r.hijackedReplies) b.push('過去に実際にやり取りされたメールへの返信を装ったものがあります。');
  if (r.lureWords.length) b.push(`件名に${quoteAll(r.lureWords)}といった語を含むものがあります。`);
  if (r.fileTypes.length) b.push(`添付ファイルの形式：${byKind(r.fileTypes).map((g) => `${KIND[g.kind]}（${g.exts.join('、')}）`).join('、')}`);
  if (r.passwordZip) b.push('パスワード付きの圧縮ファイルが添付され、そのパスワードが本文に記載されているものがあります。');
  if (r.downloadLinks) b.push('本文中のリンクからファイルをダウンロードさせるものがあります。');
  if (r.subjects?.length) b.push(`確認された件名（一部）：${listed(r.subjects)}`);
  if (r.fileNames?.length) b.push(`確認された添付ファイル名（一部）：${listed(r.fileNames)}`);
  if (!b.length) b.push(`${TBC}（不審メールの特徴を記載してください）`);
  return [...out, ...b.map((x) => `- ${x}`), ''];
}

function whatToDo(): string[] {
  return [
    '## 不審なメールを受信された場合のお願い',
    '- 上記の特徴に当てはまるメールや心当たりのないメールを受信された場合は、添付ファイルを開いたり本文中のリンクをクリックしたりせず、メールごと削除してください。',
    '- Word・Excelのファイルを開いてしまった場合でも、「コンテンツの有効化」「編集を有効にする」は押さないでください。',
    '- 弊社からのメールか判断に迷う場合は、そのメールに返信せず、お電話など別の方法で弊社の担当者にご確認ください。',
    '',
    '## 添付ファイルを開いた、またはリンクをクリックしてしまった場合',
    '- 直ちにそのパソコンをネットワークから切り離してください（LANケーブルを抜く、Wi-Fiをオフにするなど）。',
    '- ウイルス対策ソフトを最新の状態にしたうえで、パソコン全体の検査を行ってください。',
    '- お勤め先のシステム管理者と、下記の弊社お問い合わせ先までご連絡ください。',
    '',
  ];
}

function dataTaken(c: NoticeContent): string[] {
  const out = ['## 流出した可能性のある情報'];
  if (c.pcInfection === 'confirmed') out.push('- 感染したパソコンのメールソフトに保存されていたメール（本文・添付ファイル）と、メールアドレスや氏名などの連絡先が、外部に流出した可能性があります。');
  else if (c.sent) out.push('- 不正に利用されたメールアカウントに保存されていたメール（本文・添付ファイル）と、メールアドレスや氏名などの連絡先が、外部に流出した可能性があります。');
  if (c.sent && c.recognise.replyPrefixes.length) out.push('- 弊社のアカウントから送信された不審メールには過去のやり取りへの返信の形をとったものがあり、弊社が保有するメールのデータが窃取され、悪用されたものと考えております。');
  if (!c.ourDataTaken) out.push('- 不審メールに用いられた弊社従業員の氏名やメールアドレスがどこから取得されたものかは、現在調査中です。');
  out.push(
    c.ourDataTaken
      ? `${TBC}個人情報保護委員会への報告：流出した可能性のあるメールに個人データが含まれる場合は、個人情報保護法に基づく個人情報保護委員会への報告と本人への通知が必要となることがあります。要否を確認し、報告した場合はその旨をここに記載してください（この行は公開前に差し替えてください）。`
      : `${TBC}個人情報保護委員会への報告：弊社からの流出が判明した場合は、個人情報保護法に基づく報告と本人への通知の要否を確認してください（この行は公開前に差し替えてください）。`,
  );
  out.push('');
  return out;
}

function measures(c: NoticeContent): string[] {
  const m = c.measures.ja;
  return ['## 弊社の対応', ...(m.length ? m.map((x) => `- ${x}`) : [`- ${TBC}（実施した対策を記載してください）`]), ''];
}

function further(c: NoticeContent): string[] {
  return [
    '## 今後の対応',
    '現在も調査を継続しております。送信の範囲や流出した可能性のある情報について新たな事実が判明した場合は、続報にてお知らせいたします。',
    c.situation === 'sent-through-our-server' ? 'このたびの事態を重く受け止め、再発防止に向けてセキュリティ対策の一層の強化に努めてまいります。' : '引き続き、セキュリティ対策の強化に努めてまいります。',
    '',
  ];
}

function contact(c: NoticeContent): string[] {
  const out = ['## お問い合わせ先'];
  const ct = c.contact;
  if (ct) {
    out.push(ct.department ?? `${TBC}（担当部署）`);
    if (ct.email) out.push(`メール：${ct.email}`);
    if (ct.phone) out.push(`電話：${ct.phone}`);
  } else out.push(TBC);
  if (c.misusedAccounts) out.push('', `（内部用：不正に利用されたアカウント：${c.misusedAccounts.join('、')}）`);
  return out;
}

export function noticeJa(c: NoticeContent): string {
  const head = ['【下書き — 公開前に社内で確認し、「要確認」の箇所を書き換えてください】', '', `# ${titleJa(c)}`, ''];
  if (c.noticeDate) head.push(ja.profileDate(c.noticeDate));
  head.push(c.orgName.ja ?? `${TBC}（会社名）`, '');
  const lines = [...head, ...overview(c), ...figures(c), ...apology(c), ...recognise(c), ...whatToDo(), ...dataTaken(c), ...measures(c), ...further(c), ...contact(c)];
  return lines.join('\n') + '\n';
}
