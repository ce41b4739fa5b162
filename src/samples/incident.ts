// The sample incident: a small Japanese company whose accounting account was taken over
// by an Emotet-style spam module. Every message is generated from this model, and the
// figures in samples/expected.json are counted from the model, not from a scan, so the
// tests that compare the two can fail.
import { readFileSync } from 'node:fs';
import { buildMessage, formatAddress, encodeWord, rfc5322Date, type BodyCharset, type AttachmentSpec } from './mime-build.js';
import { writeZip } from '../office/zip-writer.js';

export const ORG = {
  name: '株式会社サンプル商事',
  domain: 'sample-shoji.example',
};

export interface Person {
  name: string;
  address: string;
}

export const MEMBERS = {
  yamada: { name: '山田 太郎', address: 'yamada@sample-shoji.example' },
  sato: { name: '佐藤 花子', address: 'sato@sample-shoji.example' },
  keiri: { name: '経理部 高橋 美咲', address: 'keiri@sample-shoji.example' },
  suzuki: { name: '鈴木 一郎', address: 'suzuki@sample-shoji.example' },
  soumu: { name: '総務部', address: 'soumu@sample-shoji.example' },
} satisfies Record<string, Person>;

export const PARTNERS = {
  tanaka: { name: '田中 健', address: 'k.tanaka@torihiki.example' },
  kobayashi: { name: '小林 誠', address: 'kobayashi@kokyaku.example' },
  mori: { name: '森 由美', address: 'y.mori@shiire.example' },
  ogawa: { name: '小川 浩', address: 'h.ogawa@kokyaku.example' },
  ito: { name: 'Ito Kenji', address: 'kenji.ito@partner-global.example' },
  nakamura: { name: '中村 聡', address: 'nakamura@unyu.example' },
} satisfies Record<string, Person>;

/** Deterministic PRNG (mulberry32): the samples must not change between runs. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Intent = 'inbound' | 'outbound' | 'internal' | 'external-only';

export interface SampleMessage {
  key: string;
  messageId: string;
  /** UTC epoch ms of the Date header. */
  time: number;
  from: Person;
  to: Person[];
  cc: Person[];
  subject: string;
  inReplyTo?: string;
  references?: string[];
  text: string;
  charset: BodyCharset;
  attachments: AttachmentSpec[];
  intent: Intent;
  /** What the story says this message is. */
  role: 'thread' | 'normal-reply' | 'internal' | 'hijack' | 'spoof' | 'newsletter' | 'ja-charset' | 'accounting-macro' | 'bounce';
  /** Whether the analysis must call it malicious (the ground truth of the sample incident). */
  malicious?: boolean;
  /** Attachments found inside attached messages, as the case records them (filename, bytes, verdict). */
  nested?: AttachmentSpec[];
  /** Recipients whose delivery the server bounced (mailbox gone). */
  bounced?: string[];
  /** Extra header fields (Received, X-Mailer …) in the order written, above the others. */
  trace: [string, string][];
  /** Where the message is written: the journal, the Sent folder, ja/, the Maildir. */
  places: ('journal' | 'sent' | 'ja' | 'maildir')[];
  headerCharset: BodyCharset;
  filenameCharset: BodyCharset;
  envelopeFrom: string;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * The sample documents and what each carries (see assets/NOTICE.md): the .xls has VBA with
 * GetObject and an Auto_Open name over a hidden Excel 4.0 sheet (suspicious); the .xlsm has a
 * plain VBA project (macro); the .docx has none (clean). A ZIP holding the .xls is
 * suspicious once its password, given in the same mail, opens it.
 */
function assets(dir: string) {
  return {
    macroXls: readFileSync(new URL('macro-auto-open.xls', dir)),
    macroXlsm: readFileSync(new URL('macro01.xlsm', dir)),
    cleanDocx: readFileSync(new URL('clean.docx', dir)),
  };
}

function quote(text: string): string {
  return text
    .split('\n')
    .map((l) => '> ' + l)
    .join('\n');
}

function outlookQuote(orig: SampleMessage): string {
  return [
    '-----Original Message-----',
    `From: ${orig.from.name} <${orig.from.address}>`,
    `Sent: ${rfc5322Date(orig.time)}`,
    `To: ${orig.to.map((p) => `${p.name} <${p.address}>`).join('; ')}`,
    `Subject: ${orig.subject}`,
    '',
    orig.text,
  ].join('\n');
}

function receivedInbound(fromHost: string, ip: string, time: number, id: string): [string, string] {
  return ['Received', `from ${fromHost} (${fromHost} [${ip}])\r\n\tby mx1.sample-shoji.example (Postfix) with ESMTPS id ${id}\r\n\tfor <journal@sample-shoji.example>; ${rfc5322Date(time)}`];
}

function receivedSubmission(helo: string, ip: string, user: string, time: number, id: string): [string, string] {
  return ['Received', `from ${helo} (unknown [${ip}])\r\n\t(Authenticated sender: ${user})\r\n\tby mx1.sample-shoji.example (Postfix) with ESMTPSA id ${id}; ${rfc5322Date(time)}`];
}

/** Build the whole story. `assetDir` is a file: URL of src/samples/assets/ (with the trailing slash). */
export function buildIncident(assetDir: URL): SampleMessage[] {
  const a = assets(assetDir.href);
  const rnd = prng(20261105);
  const msgs: SampleMessage[] = [];
  const T0 = Date.UTC(2026, 8, 1, 0, 30); // 2026-09-01 09:30 JST
  let qid = 0;
  const queueId = () => `4Q${(0x1a2b3c + ++qid * 7919).toString(16).toUpperCase()}`;
  const base = (m: Partial<SampleMessage> & Pick<SampleMessage, 'key' | 'messageId' | 'time' | 'from' | 'to' | 'subject' | 'text' | 'intent' | 'role'>): SampleMessage => ({
    cc: [],
    charset: 'iso-2022-jp',
    attachments: [],
    trace: [],
    places: ['journal'],
    headerCharset: 'iso-2022-jp',
    filenameCharset: 'iso-2022-jp',
    envelopeFrom: m.from.address,
    ...m,
  });

  // 1. Threads started by partners in September: the conversations that will be stolen.
  const threadSubjects = [
    '10月分 請求書送付のご案内',
    '見積依頼（第3四半期 部材）',
    '打合せ日程のご相談',
    'Re: 納品スケジュールの件',
    '契約書ドラフトの確認依頼',
    'Quarterly order forecast',
  ];
  const partnerList = [PARTNERS.tanaka, PARTNERS.kobayashi, PARTNERS.mori, PARTNERS.ogawa, PARTNERS.ito, PARTNERS.nakamura];
  const memberFor = [MEMBERS.keiri, MEMBERS.keiri, MEMBERS.yamada, MEMBERS.keiri, MEMBERS.sato, MEMBERS.keiri];
  const threads: SampleMessage[] = [];
  threadSubjects.forEach((subject, i) => {
    const from = partnerList[i]!;
    const to = memberFor[i]!;
    const time = T0 + i * 2 * DAY + Math.floor(rnd() * 6) * HOUR;
    const english = subject.startsWith('Quarterly');
    const text = english
      ? `Dear ${to.name},\n\nPlease find our order forecast for the next quarter below.\nWe would appreciate your confirmation by the end of the month.\n\nBest regards,\n${from.name}`
      : `${ORG.name}\n${to.name} 様\n\nいつもお世話になっております。${from.name.split(' ')[0]}です。\n${subject}につきまして、ご確認をお願いいたします。\n\nよろしくお願いいたします。\n${from.name}`;
    const m = base({
      key: `thread-${i + 1}`,
      messageId: `${20260901 + i}093000.${(0xabc000 + i).toString(16)}@${from.address.split('@')[1]}`,
      time,
      from,
      to: [to],
      subject,
      text,
      charset: english ? 'utf-8' : 'iso-2022-jp',
      headerCharset: english ? 'utf-8' : 'iso-2022-jp',
      attachments: i === 0 ? [{ filename: '請求書_202610.docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', content: a.cleanDocx, verdict: 'clean' }] : [],
      intent: 'inbound',
      role: 'thread',
      trace: [receivedInbound(`mail.${from.address.split('@')[1]}`, `203.0.113.${10 + i}`, time + 2000, queueId())],
    });
    threads.push(m);
    msgs.push(m);
  });

  // 2. The members' genuine replies (outbound), some with a clean attachment.
  threads.slice(0, 4).forEach((t, i) => {
    const from = t.to[0]!;
    const time = t.time + (3 + i) * HOUR;
    const m = base({
      key: `reply-${i + 1}`,
      messageId: `${20260901 + i}150000.${(0xdef000 + i).toString(16)}@sample-shoji.example`,
      time,
      from,
      to: [t.from],
      subject: t.subject.startsWith('Re:') ? t.subject : `Re: ${t.subject}`,
      inReplyTo: t.messageId,
      references: [t.messageId],
      text: `${t.from.name} 様\n\nお世話になっております。${ORG.name}の${from.name}です。\n承知いたしました。確認のうえ改めてご連絡いたします。\n\n${quote(t.text)}`,
      attachments: i === 1 ? [{ filename: '見積書_2026Q3.docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', content: a.cleanDocx, verdict: 'clean' }] : [],
      intent: 'outbound',
      role: 'normal-reply',
      trace: [['X-Mailer', 'Microsoft Outlook 16.0'], receivedSubmission(`PC-${from.address.split('@')[0]!.toUpperCase()}`, `10.0.1.${20 + i}`, from.address, time + 1000, queueId())],
      places: from === MEMBERS.keiri ? ['journal', 'sent'] : ['journal'],
    });
    msgs.push(m);
  });

  // 3. Internal mail; one body line starts with "From " to exercise mbox quoting.
  msgs.push(
    base({
      key: 'internal-1',
      messageId: '20261002100000.aa01@sample-shoji.example',
      time: Date.UTC(2026, 9, 2, 1, 0),
      from: MEMBERS.soumu,
      to: [MEMBERS.yamada, MEMBERS.sato, MEMBERS.keiri, MEMBERS.suzuki],
      subject: '【全社】パスワード変更のお願い',
      text: '各位\n\n総務部です。\nFrom next week, all passwords must be changed.\n来週までにパスワードを変更してください。\n\n総務部',
      charset: 'iso-2022-jp',
      intent: 'internal',
      role: 'internal',
      trace: [receivedSubmission('PC-SOUMU', '10.0.1.15', 'soumu@sample-shoji.example', Date.UTC(2026, 9, 2, 1, 0, 1), queueId())],
    }),
  );

  // 4. The incident: keiri's stolen password used from 198.51.100.77, replies to the stolen
  // threads, in two bursts on 5 and 6 November 2026.
  const lure = ['ご確認ください。', '請求書を送付いたします。ご査収ください。', 'Please see attached.', '添付ファイルをご確認お願いします。'];
  const hijackPlan: { thread: number; extra: Person[]; payload: 'xls' | 'xlsm' | 'zip' }[] = [
    { thread: 0, extra: [], payload: 'xls' },
    { thread: 1, extra: [PARTNERS.ogawa], payload: 'zip' },
    { thread: 3, extra: [], payload: 'xlsm' },
    { thread: 5, extra: [], payload: 'xls' },
    { thread: 0, extra: [PARTNERS.nakamura], payload: 'zip' },
    { thread: 1, extra: [], payload: 'xls' },
    { thread: 3, extra: [MEMBERS.suzuki], payload: 'zip' },
    { thread: 5, extra: [PARTNERS.mori], payload: 'xlsm' },
  ];
  hijackPlan.forEach((h, i) => {
    const t = threads[h.thread]!;
    const time = Date.UTC(2026, 10, 5 + (i >= 4 ? 1 : 0), 1 + (i % 4), 12 + i * 3, 7);
    const id = `${(0x3f2a9c10b0 + i * 977).toString(16)}@sample-shoji.example`;
    const password = `Xa${7 + i}q${3 + i}`;
    let attachments: AttachmentSpec[];
    let lead = lure[i % lure.length]!;
    if (h.payload === 'xls') attachments = [{ filename: `請求書_202611${String(5 + (i >= 4 ? 1 : 0)).padStart(2, '0')}.xls`, contentType: 'application/vnd.ms-excel', content: a.macroXls, verdict: 'suspicious' }];
    else if (h.payload === 'xlsm') attachments = [{ filename: `見積書_${1000 + i}.xlsm`, contentType: 'application/vnd.ms-excel.sheet.macroEnabled.12', content: a.macroXlsm, verdict: 'macro' }];
    else {
      const hb = prng(1000 + i);
      const zip = writeZip([{ name: `請求書_${1000 + i}.xls`, data: a.macroXls }], {
        password,
        mtimeMs: time,
        headerBytes: (n) => Buffer.from(Array.from({ length: n }, () => Math.floor(hb() * 256))),
      });
      attachments = [{ filename: `請求書_${1000 + i}.zip`, contentType: 'application/zip', content: zip, verdict: 'suspicious' }];
      lead = `${lead}\nパスワード：${password}`;
    }
    msgs.push(
      base({
        key: `hijack-${i + 1}`,
        messageId: id,
        time,
        from: MEMBERS.keiri,
        to: [t.from, ...h.extra],
        subject: `Re: ${t.subject.replace(/^Re:\s*/, '')}`,
        inReplyTo: t.messageId,
        references: [t.messageId],
        text: `${lead}\n\n${outlookQuote(t)}`,
        charset: 'iso-2022-jp',
        attachments,
        intent: 'outbound',
        role: 'hijack',
        malicious: true,
        trace: [receivedSubmission(i % 2 ? 'DESKTOP-7Q2M4KD' : 'User', '198.51.100.77', 'keiri@sample-shoji.example', time + 800, queueId())],
        places: ['journal', 'sent'],
        // h.ogawa's mailbox at kokyaku.example was closed in October: the server bounces it.
        bounced: [t.from, ...h.extra].some((p) => p === PARTNERS.ogawa) ? [PARTNERS.ogawa.address] : undefined,
      }),
    );
  });

  // The server's bounces for the hijacked replies it could not deliver, back to keiri's
  // mailbox with the original attached: they hold the payload but are no malicious send.
  for (const h of msgs.filter((m) => m.role === 'hijack' && m.bounced)) {
    const time = h.time + 60_000;
    const original = renderMessage(h, 'journal');
    msgs.push(
      base({
        key: `bounce-${h.key}`,
        messageId: `${(h.time / 1000).toString(36)}.dsn@mx1.sample-shoji.example`,
        time,
        from: { name: 'Mail Delivery System', address: 'mailer-daemon@mx1.sample-shoji.example' },
        to: [MEMBERS.keiri],
        subject: 'Undelivered Mail Returned to Sender',
        text: `This is the mail system at host mx1.sample-shoji.example.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n<${PARTNERS.ogawa.address}>: host mx.kokyaku.example[203.0.113.60] said: 550 5.1.1\n    User unknown (in reply to RCPT TO command)`,
        charset: 'utf-8',
        headerCharset: 'utf-8',
        // The returned message is judged by what it carries.
        attachments: [{ filename: 'original-message.eml', contentType: 'message/rfc822', content: original, verdict: h.attachments.some((x) => x.verdict === 'suspicious') ? 'suspicious' : 'macro' }],
        nested: h.attachments.map((x) => ({ ...x })),
        intent: 'internal',
        role: 'bounce',
        malicious: false,
        envelopeFrom: '',
        trace: [['Received', `by mx1.sample-shoji.example (Postfix)\r\n\tid 4QDSN${h.key.replace(/\D/g, '')}; ${rfc5322Date(time)}`]],
        places: ['journal'],
      }),
    );
  }

  // A hijacked reply with only a download link, no attachment.
  const meeting = threads[2]!;
  const urlTime = Date.UTC(2026, 10, 6, 5, 40, 7);
  msgs.push(
    base({
      key: 'hijack-url',
      messageId: '3f2a9c30aa@sample-shoji.example',
      time: urlTime,
      from: MEMBERS.keiri,
      to: [meeting.from],
      subject: `Re: ${meeting.subject}`,
      inReplyTo: meeting.messageId,
      references: [meeting.messageId],
      text: `ご確認ください。\n\nhttps://cdn.files-share.example/d/8f3k/見積書_1106.xls\n\n${outlookQuote(meeting)}`,
      intent: 'outbound',
      role: 'hijack',
      malicious: true,
      trace: [receivedSubmission('DESKTOP-7Q2M4KD', '198.51.100.77', 'keiri@sample-shoji.example', urlTime + 800, queueId())],
      places: ['journal', 'sent'],
    }),
  );

  // Accounting's own macro workbooks: a real reply two days into a thread, and a new
  // internal mail. Macros, but nothing of Emotet's: they must stay benign.
  const quoteThread = threads[1]!;
  const revTime = quoteThread.time + 2 * DAY + 5 * HOUR;
  msgs.push(
    base({
      key: 'accounting-reply-macro',
      messageId: '20260904150000.acc001@sample-shoji.example',
      time: revTime,
      from: MEMBERS.keiri,
      to: [quoteThread.from],
      subject: `Re: ${quoteThread.subject}`,
      inReplyTo: quoteThread.messageId,
      references: [quoteThread.messageId],
      text: `${quoteThread.from.name} 様\n\nお世話になっております。${ORG.name}経理部の高橋です。\n第3四半期分の部材について、数量を見直した改訂版の見積書を作成しました。\n単価表はマクロで自動集計しておりますので、ご確認のうえご不明点があればお知らせください。\n\n${quote(quoteThread.text)}`,
      attachments: [{ filename: '見積書_改訂版.xlsm', contentType: 'application/vnd.ms-excel.sheet.macroEnabled.12', content: a.macroXlsm, verdict: 'macro' }],
      intent: 'outbound',
      role: 'accounting-macro',
      malicious: false,
      trace: [['X-Mailer', 'Microsoft Outlook 16.0'], receivedSubmission('PC-KEIRI', '10.0.1.14', 'keiri@sample-shoji.example', revTime + 1000, queueId())],
      places: ['journal', 'sent'],
    }),
  );
  const expTime = Date.UTC(2026, 10, 2, 0, 45);
  msgs.push(
    base({
      key: 'accounting-new-macro',
      messageId: '20261102094500.acc002@sample-shoji.example',
      time: expTime,
      from: MEMBERS.keiri,
      to: [MEMBERS.soumu],
      subject: '11月分 経費精算書の提出について',
      text: '総務部 各位\n\n経理部です。11月分の経費精算書を添付します。\n入力後、集計ボタンで合計が計算されます。今月25日までにご提出ください。',
      attachments: [{ filename: '経費精算_202611.xlsm', contentType: 'application/vnd.ms-excel.sheet.macroEnabled.12', content: a.macroXlsm, verdict: 'macro' }],
      intent: 'internal',
      role: 'accounting-macro',
      malicious: false,
      trace: [['X-Mailer', 'Microsoft Outlook 16.0'], receivedSubmission('PC-KEIRI', '10.0.1.14', 'keiri@sample-shoji.example', expTime + 1000, queueId())],
      places: ['journal', 'sent'],
    }),
  );

  // 5. Spoofed mail from outside: an employee's display name on a free-mail address,
  // sent to other employees (inbound) and seen as a bounce copy (external-only).
  const spoofTargets = [MEMBERS.sato, MEMBERS.suzuki];
  spoofTargets.forEach((target, i) => {
    const time = Date.UTC(2026, 10, 7, 2 + i, 41, 12);
    const spoofFrom = { name: i === 0 ? MEMBERS.yamada.name : `${MEMBERS.keiri.name} <${MEMBERS.keiri.address}>`, address: `info${3 + i}@freemail-${i + 1}.example` };
    const password = `Pw${40 + i}z`;
    const hb = prng(2000 + i);
    const zip = writeZip([{ name: `資料_${20261107 + i}.xls`, data: a.macroXls }], {
      password,
      mtimeMs: time,
      headerBytes: (n) => Buffer.from(Array.from({ length: n }, () => Math.floor(hb() * 256))),
    });
    msgs.push(
      base({
        key: `spoof-${i + 1}`,
        messageId: `${(0x77aa0000 + i).toString(16)}@freemail-${i + 1}.example`,
        time,
        from: spoofFrom,
        to: [target],
        subject: i === 0 ? 'Re: 打合せ日程のご相談' : 'Re: 契約書ドラフトの確認依頼',
        text: `ご確認ください。\nパスワード：${password}\n\n-----元のメッセージ-----\n差出人: ${MEMBERS.yamada.name}\n件名: 打合せ日程のご相談`,
        attachments: [{ filename: `資料_${20261107 + i}.zip`, contentType: 'application/zip', content: zip, verdict: 'suspicious' }],
        intent: 'inbound',
        role: 'spoof',
        malicious: true,
        trace: [receivedInbound(i === 0 ? 'User' : 'DESKTOP-UE8P1LA', `185.220.${100 + i}.${30 + i}`, time + 1500, queueId())],
      }),
    );
  });
  msgs.push(
    base({
      key: 'spoof-3',
      messageId: '77ab0001@freemail-3.example',
      time: Date.UTC(2026, 10, 7, 6, 2, 45),
      from: { name: MEMBERS.yamada.name, address: 'yamada.taro@freemail-3.example' },
      to: [PARTNERS.kobayashi],
      subject: 'Re: 見積依頼（第3四半期 部材）',
      text: 'ご確認ください。\n\nhttps://files.freemail-3.example/download/見積書.xls',
      intent: 'external-only',
      role: 'spoof',
      malicious: true,
      trace: [receivedInbound('User', '185.220.102.33', Date.UTC(2026, 10, 7, 6, 2, 46), queueId())],
    }),
  );

  // 6. Japanese mail in the charsets the ja/ folder must decode (Shift_JIS, EUC-JP, UTF-8 file names).
  const jaCases: { cs: BodyCharset; fnCs: BodyCharset; subject: string; file: string }[] = [
    { cs: 'shift_jis', fnCs: 'shift_jis', subject: '【ご案内】年末年始の営業について', file: '年末年始のご案内.pdf' },
    { cs: 'euc-jp', fnCs: 'utf-8', subject: '①会議室予約の確認（第２会議室）', file: '会議室予約表.docx' },
    { cs: 'utf-8', fnCs: 'iso-2022-jp', subject: 'ｶﾀｶﾅ件名と㈱の確認', file: '注文書_ｻﾝﾌﾟﾙ.docx' },
  ];
  jaCases.forEach((c, i) => {
    const time = Date.UTC(2026, 9, 20 + i, 3, 0);
    msgs.push(
      base({
        key: `ja-${i + 1}`,
        messageId: `ja${i + 1}.20261020@kokyaku.example`,
        time,
        from: PARTNERS.kobayashi,
        to: [MEMBERS.sato],
        subject: c.subject,
        text: `${MEMBERS.sato.name} 様\n\n${c.subject}をお送りします。\n～①②③～ ㈱ ﾃｽﾄ\n\n${PARTNERS.kobayashi.name}`,
        charset: c.cs,
        headerCharset: c.cs === 'euc-jp' ? 'iso-2022-jp' : c.cs,
        filenameCharset: c.fnCs,
        attachments: [{ filename: c.file, contentType: 'application/octet-stream', content: a.cleanDocx, verdict: 'clean' }],
        intent: 'inbound',
        role: 'ja-charset',
        trace: [receivedInbound('mail.kokyaku.example', '203.0.113.44', time + 2000, queueId())],
        places: ['ja'],
      }),
    );
  });

  // 7. A Maildir of soumu's: one newsletter, and a copy of the internal notice.
  msgs.push(
    base({
      key: 'maildir-1',
      messageId: 'news.20261101@newsletter.example',
      time: Date.UTC(2026, 10, 1, 0, 0),
      from: { name: 'Security Newsletter', address: 'news@newsletter.example' },
      to: [MEMBERS.soumu],
      subject: 'Emotet 再流行に関する注意喚起',
      text: 'Emotet の感染を狙うメールが再び増えています。\n詳細: https://www.newsletter.example/emotet-2026',
      charset: 'utf-8',
      headerCharset: 'utf-8',
      intent: 'inbound',
      role: 'newsletter',
      trace: [receivedInbound('mail.newsletter.example', '203.0.113.90', Date.UTC(2026, 10, 1, 0, 0, 5), queueId())],
      places: ['maildir'],
    }),
  );
  const internal = msgs.find((m) => m.key === 'internal-1')!;
  internal.places = ['journal', 'maildir'];
  return msgs;
}

/** The bytes of a message as the place it is written to holds it. */
export function renderMessage(m: SampleMessage, place: 'journal' | 'sent' | 'ja' | 'maildir'): Buffer {
  const headers: [string, string][] = [];
  // The Sent folder holds the message as the client wrote it, before any server added Received.
  if (place !== 'sent') for (const t of m.trace) if (t[0] === 'Received') headers.push(t);
  for (const t of m.trace) if (t[0] !== 'Received') headers.push(t);
  headers.push(['Date', rfc5322Date(m.time)]);
  headers.push(['From', formatAddress(m.from.name, m.from.address, m.headerCharset)]);
  headers.push(['To', m.to.map((p) => formatAddress(p.name, p.address, m.headerCharset)).join(',\r\n ')]);
  if (m.cc.length) headers.push(['Cc', m.cc.map((p) => formatAddress(p.name, p.address, m.headerCharset)).join(',\r\n ')]);
  headers.push(['Subject', encodeWord(m.subject, m.headerCharset)]);
  headers.push(['Message-ID', `<${m.messageId}>`]);
  if (m.inReplyTo) headers.push(['In-Reply-To', `<${m.inReplyTo}>`]);
  if (m.references?.length) headers.push(['References', m.references.map((r) => `<${r}>`).join(' ')]);
  return buildMessage({ headers, text: m.text, charset: m.charset, attachments: m.attachments, boundarySeed: m.key.replace(/[^a-z0-9]/gi, '') + '_' + m.time.toString(36), filenameCharset: m.filenameCharset });
}
