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

/**
 * 営業部 works in Microsoft 365: its mail goes out through Exchange Online, never through mx1,
 * so only the message trace and the journal copies show it. Kept apart from MEMBERS (as the
 * partners below are from PARTNERS) so that the bench journal, drawn from those two lists
 * (journal-generator.ts), stays as it was.
 */
export const M365_MEMBERS = {
  eigyo: { name: '営業部 木村 直人', address: 'eigyo@sample-shoji.example' },
} satisfies Record<string, Person>;

/** Every organisation account in the story. */
export const ACCOUNTS: Person[] = [...Object.values(MEMBERS), ...Object.values(M365_MEMBERS)];

/** 営業部's customers: one at the company's domain, one at a branch's subdomain (one organisation). */
export const CUSTOMERS = {
  ishii: { name: '石井 優子', address: 'm.ishii@hanbai.example' },
  osaka: { name: '販売株式会社 大阪支店 購買課', address: 'order@osaka.hanbai.example' },
} satisfies Record<string, Person>;

/** Private persons in keiri's address book, on free-mail services (individuals, not organisations). */
export const INDIVIDUALS = {
  hayashi: { name: '林 直樹', address: 'naoki.hayashi.sample@gmail.com' },
  kondo: { name: '近藤 恵', address: 'megumi_kondo_sample@yahoo.co.jp' },
} satisfies Record<string, Person>;

/** Free-mail and consumer domains: their users are individuals (the story's only such recipients). */
export const FREE_MAIL_DOMAINS = ['gmail.com', 'googlemail.com', 'yahoo.co.jp', 'yahoo.com', 'outlook.com', 'outlook.jp', 'hotmail.com', 'icloud.com', 'docomo.ne.jp', 'ezweb.ne.jp', 'softbank.ne.jp'];

/** The registrable domain (one label under the public suffix); enough for the story's domains. */
export function registrableDomain(domain: string): string {
  const labels = domain.toLowerCase().split('.');
  const twoLevelSuffix = /^(co|ne|or|ac|go|ad|ed|gr|lg)\.jp$/.test(labels.slice(-2).join('.'));
  return labels.slice(twoLevelSuffix ? -3 : -2).join('.');
}

/** Why a recipient's server refused the mail, as its reply and the bounce say. */
export const BOUNCE_REASONS: Record<string, { code: number; dsn: string; text: string }> = {
  // h.ogawa's mailbox at kokyaku.example was closed in October.
  'h.ogawa@kokyaku.example': { code: 550, dsn: '5.1.1', text: 'User unknown' },
  // nakamura's mailbox was full one morning; mail before and after went through.
  'nakamura@unyu.example': { code: 552, dsn: '5.2.2', text: 'Mailbox full' },
};

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

/** An organisation account handing a message to the organisation's own mail systems. */
export interface Submission {
  /** Postfix on mx1 (SMTP AUTH on the submission port) or Microsoft 365 (Exchange Online). */
  system: 'postfix' | 'm365';
  /** The login used: the SASL user name on Postfix, the address on Microsoft 365. */
  login: string;
  /** The account (its address). */
  account: string;
  /** The client's address as the receiving system recorded it (Postfix client=, trace FromIP). */
  ip: string;
}

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
  role: 'thread' | 'normal-reply' | 'internal' | 'hijack' | 'spoof' | 'newsletter' | 'ja-charset' | 'accounting-macro' | 'bounce' | 'lure' | 'normal';
  /** Whether the analysis must call it malicious (the ground truth of the sample incident). */
  malicious?: boolean;
  /** How an organisation account submitted it, when one did: every such message is a send. */
  submission?: Submission;
  /** Submitted by the attacker (the bot holding a stolen password), whatever it carries. */
  attacker?: boolean;
  /**
   * Content alone convicts it, with no help from who sent it or from where: a hijacked reply
   * carrying a macro document, an encrypted ZIP or a download link; a fresh mail carrying an
   * auto-open macro document, an encrypted ZIP with its password in the body, or a download
   * link from a client address the account had not used before the compromise. A mail seen
   * in no mailbox never is: no content of it was seen.
   */
  contentMalicious?: boolean;
  /** Attachments found inside attached messages, as the case records them (filename, bytes, verdict). */
  nested?: AttachmentSpec[];
  /** Recipients whose delivery the server bounced (mailbox gone). */
  bounced?: string[];
  /** Extra header fields (Received, X-Mailer …) in the order written, above the others. */
  trace: [string, string][];
  /** Where the message is written: the journal, the Sent folder, ja/, the Maildir; none: it is in the logs only. */
  places: ('journal' | 'sent' | 'ja' | 'maildir')[];
  /**
   * The logs that hold it (set by buildIncident from the rest): the Postfix maillog for what
   * passed mx1, the Microsoft 365 trace for outbound mail (relayed by mx1, or sent through
   * Microsoft 365 directly).
   */
  logs: ('postfix' | 'trace')[];
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

/** The spam module's address: it uses every password it stole from there. */
export const BOT_IP = '198.51.100.77';

function viaPostfix(p: Person, ip: string): Submission {
  return { system: 'postfix', login: p.address.split('@')[0]!, account: p.address, ip };
}

function viaM365(p: Person, ip: string): Submission {
  return { system: 'm365', login: p.address, account: p.address, ip };
}

/** Exchange Online's servers on the way of 営業部's mail (Japan East). */
const EXO_MAILBOX = 'TYCPR01MB8544.jpnprd01.prod.outlook.com';
const EXO_MAILBOX_V6 = '2603:1096:400:1a3::7';
const EXO_HUB = 'OS3PR01MB6021.jpnprd01.prod.outlook.com';
const EXO_HUB_V6 = '2603:1096:604:3b::14';
const EXO_TLS = '(version=TLS1_2,\r\n cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.8722.21';

/**
 * The Received chain Exchange Online writes on mail one of its users sends, newest first.
 * Outlook hands mail over MAPI (no client address in the chain); a program logging in with
 * SMTP AUTH shows its address in a Frontend Transport hop. Neither hop says "authenticated":
 * only the message trace proves who submitted it.
 */
function receivedM365(time: number, client: { helo: string; ip: string } | 'mapi'): [string, string][] {
  const d = (ms: number) => rfc5322Date(ms, 0);
  const first: [string, string] =
    client === 'mapi'
      ? ['Received', `from ${EXO_MAILBOX}\r\n ([fe80::5d3c:8b1a:2e47:9f10]) by ${EXO_MAILBOX}\r\n ([fe80::5d3c:8b1a:2e47:9f10%4]) with mapi id 15.20.8722.021; ${d(time)}`]
      : ['Received', `from ${client.helo} (${client.ip}) by ${EXO_MAILBOX}\r\n (${EXO_MAILBOX_V6}) with Microsoft SMTP Server ${EXO_TLS} via Frontend\r\n Transport; ${d(time)}`];
  return [['Received', `from ${EXO_MAILBOX} (${EXO_MAILBOX_V6})\r\n by ${EXO_HUB} (${EXO_HUB_V6}) with\r\n Microsoft SMTP Server ${EXO_TLS}; ${d(time + 1000)}`], first];
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
    logs: [],
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
      submission: viaPostfix(from, `10.0.1.${20 + i}`),
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
      submission: viaPostfix(MEMBERS.soumu, '10.0.1.15'),
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
        attacker: true,
        contentMalicious: true,
        trace: [receivedSubmission(i % 2 ? 'DESKTOP-7Q2M4KD' : 'User', BOT_IP, 'keiri@sample-shoji.example', time + 800, queueId())],
        submission: viaPostfix(MEMBERS.keiri, BOT_IP),
        places: ['journal', 'sent'],
        // h.ogawa's mailbox at kokyaku.example was closed in October: the server bounces it.
        bounced: [t.from, ...h.extra].some((p) => p === PARTNERS.ogawa) ? [PARTNERS.ogawa.address] : undefined,
      }),
    );
  });

  // The server's bounces for the attacker's mail it could not deliver, back to the sender's
  // mailbox with the original attached: they hold the payload but are no malicious send.
  const bounceOf = (h: SampleMessage): SampleMessage => {
    const time = h.time + 60_000;
    const original = renderMessage(h, 'journal');
    const reasons = h.bounced!.map((r) => {
      const why = BOUNCE_REASONS[r]!;
      return `<${r}>: host mx.${r.split('@')[1]}[203.0.113.60] said: ${why.code} ${why.dsn}\n    ${why.text} (in reply to RCPT TO command)`;
    });
    return base({
      key: `bounce-${h.key}`,
      messageId: `${(h.time / 1000).toString(36)}.dsn@mx1.sample-shoji.example`,
      time,
      from: { name: 'Mail Delivery System', address: 'mailer-daemon@mx1.sample-shoji.example' },
      to: [h.from],
      subject: 'Undelivered Mail Returned to Sender',
      text: `This is the mail system at host mx1.sample-shoji.example.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n${reasons.join('\n')}`,
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
    });
  };
  for (const h of msgs.filter((m) => m.role === 'hijack' && m.bounced)) msgs.push(bounceOf(h));

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
      attacker: true,
      contentMalicious: true,
      trace: [receivedSubmission('DESKTOP-7Q2M4KD', BOT_IP, 'keiri@sample-shoji.example', urlTime + 800, queueId())],
      submission: viaPostfix(MEMBERS.keiri, BOT_IP),
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
      submission: viaPostfix(MEMBERS.keiri, '10.0.1.14'),
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
      submission: viaPostfix(MEMBERS.keiri, '10.0.1.14'),
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
        contentMalicious: true,
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
      contentMalicious: true,
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
  // 8. More of the compromise, and the ordinary mail around it.
  const isOrg = (p: Person) => p.address.endsWith('@' + ORG.domain);
  const jst = (ms: number) => new Date(ms + 9 * HOUR).toISOString().replace(/\D/g, '').slice(0, 14);
  let botSeq = 0;
  /** The spam module's own Message-IDs, under the domain of the account it sends as. */
  const botId = () => `${(0x3f2a9c3500 + botSeq++ * 977).toString(16)}@sample-shoji.example`;
  /** The Message-IDs Exchange Online gives mail written in Outlook. */
  const exoId = (n: number) => {
    const r = prng(3000 + n);
    return `TYCPR01MB8544${Array.from({ length: 24 }, () => '0123456789ABCDEF'[Math.floor(r() * 16)]).join('')}@TYCPR01MB8544.jpnprd01.prod.outlook.com`;
  };
  const xlsLure = (filename: string): AttachmentSpec[] => [{ filename, contentType: 'application/vnd.ms-excel', content: a.macroXls, verdict: 'suspicious' }];
  const freshLure = '\nいつもお世話になっております。\n株式会社サンプル商事 経理部です。\n\n11月分の請求書を送付いたします。\n添付ファイルを開き、「編集を有効にする」「コンテンツの有効化」をクリックしてご確認ください。\n\nよろしくお願いいたします。';
  const linkLure = (url: string) => `\nいつもお世話になっております。\n\n請求書を下記よりダウンロードしてご確認ください。\n\n${url}\n\nダウンロード期限：2026年11月12日\nよろしくお願いいたします。`;
  const salutation = (to: Person[]) => to.map((p) => `${p.name} 様`).join('\n');

  /** An ordinary mail an employee wrote in Outlook and sent through mx1 (SMTP AUTH). */
  const legitPostfix = (o: Pick<SampleMessage, 'key' | 'time' | 'from' | 'to' | 'subject' | 'text'> & { tag: string; helo: string; ip: string; attachments?: AttachmentSpec[]; replyTo?: SampleMessage }): SampleMessage =>
    base({
      key: o.key,
      messageId: `${jst(o.time)}.${o.tag}@sample-shoji.example`,
      time: o.time,
      from: o.from,
      to: o.to,
      subject: o.subject,
      text: o.text,
      attachments: o.attachments ?? [],
      inReplyTo: o.replyTo?.messageId,
      references: o.replyTo ? [o.replyTo.messageId] : undefined,
      intent: o.to.every(isOrg) ? 'internal' : 'outbound',
      role: 'normal',
      malicious: false,
      contentMalicious: false,
      trace: [['X-Mailer', 'Microsoft Outlook 16.0'], receivedSubmission(o.helo, o.ip, o.from.address, o.time + 1000, queueId())],
      submission: viaPostfix(o.from, o.ip),
      places: o.from === MEMBERS.keiri ? ['journal', 'sent'] : ['journal'],
    });

  /** The spam module sending as keiri through mx1: a copy in the journal, or in the logs only. */
  const botPostfix = (o: Pick<SampleMessage, 'key' | 'time' | 'to' | 'subject' | 'text'> & { attachments?: AttachmentSpec[]; bounced?: string[]; logOnly?: boolean; contentMalicious: boolean; helo: string }): SampleMessage =>
    base({
      key: o.key,
      messageId: botId(),
      time: o.time,
      from: MEMBERS.keiri,
      to: o.to,
      subject: o.subject,
      text: o.text,
      attachments: o.attachments ?? [],
      intent: 'outbound',
      role: 'lure',
      malicious: true,
      attacker: true,
      contentMalicious: o.contentMalicious,
      // The server's own Received, counted in the size it logs even when no copy was kept.
      trace: [receivedSubmission(o.helo, BOT_IP, MEMBERS.keiri.address, o.time + 800, queueId())],
      submission: viaPostfix(MEMBERS.keiri, BOT_IP),
      places: o.logOnly ? [] : ['journal'],
      bounced: o.bounced,
    });

  // 営業部 (Microsoft 365) from its office's address: quotes before the compromise, thanks during it.
  const EIGYO = M365_MEMBERS.eigyo;
  const EIGYO_OFFICE_IP = '192.0.2.81';
  const legitM365 = (o: Pick<SampleMessage, 'key' | 'time' | 'to' | 'subject' | 'text'> & { n: number; attachments?: AttachmentSpec[] }): SampleMessage =>
    base({
      key: o.key,
      messageId: exoId(o.n),
      time: o.time,
      from: EIGYO,
      to: o.to,
      subject: o.subject,
      text: o.text,
      attachments: o.attachments ?? [],
      intent: 'outbound',
      role: 'normal',
      malicious: false,
      contentMalicious: false,
      trace: [...receivedM365(o.time + 1000, 'mapi'), ['X-Mailer', 'Microsoft Outlook 16.0']],
      submission: viaM365(EIGYO, EIGYO_OFFICE_IP),
    });
  /** The spam module logged in to Microsoft 365 with 営業部's password, from the same address. */
  const botM365 = (o: Pick<SampleMessage, 'key' | 'time' | 'to' | 'subject' | 'text'> & { attachments?: AttachmentSpec[]; replyTo?: SampleMessage; traceOnly?: boolean; contentMalicious: boolean }): SampleMessage =>
    base({
      key: o.key,
      messageId: botId(),
      time: o.time,
      from: EIGYO,
      to: o.to,
      subject: o.subject,
      text: o.text,
      attachments: o.attachments ?? [],
      inReplyTo: o.replyTo?.messageId,
      references: o.replyTo ? [o.replyTo.messageId] : undefined,
      intent: 'outbound',
      role: o.replyTo ? 'hijack' : 'lure',
      malicious: true,
      attacker: true,
      contentMalicious: o.contentMalicious,
      trace: receivedM365(o.time + 800, { helo: 'DESKTOP-7Q2M4KD', ip: BOT_IP }),
      submission: viaM365(EIGYO, BOT_IP),
      places: o.traceOnly ? [] : ['journal'],
    });

  const NAT_IP = '192.0.2.50'; // the head office's shared address: the meeting-room Wi-Fi
  const { tanaka, kobayashi, mori, ito, nakamura } = PARTNERS;
  const { ishii, osaka } = CUSTOMERS;
  const { hayashi, kondo } = INDIVIDUALS;
  const contract = threads[4]!;

  const eigyoQuote = legitM365({
    key: 'eigyo-quote',
    n: 1,
    time: Date.UTC(2026, 10, 2, 1, 20),
    to: [ishii],
    subject: 'お見積りのご送付（業務用什器）',
    text: `${ishii.name} 様\n\nいつもお世話になっております。${ORG.name} 営業部の木村です。\nご依頼いただいた業務用什器のお見積りを添付にてお送りいたします。\nご検討のほどよろしくお願いいたします。\n\n${EIGYO.name}`,
    attachments: [{ filename: '御見積書_2611-018.docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', content: a.cleanDocx, verdict: 'clean' }],
  });
  const story: SampleMessage[] = [
    legitPostfix({
      key: 'nat-keiri-1',
      tag: 'nat001',
      time: Date.UTC(2026, 9, 28, 2, 0),
      from: MEMBERS.keiri,
      to: [tanaka],
      subject: '10月分 お支払いについてのご確認',
      text: `${tanaka.name} 様\n\nお世話になっております。${ORG.name}経理部の高橋です。\n10月分のお支払いは11月末日に予定しております。\n金額に相違がございましたらお知らせください。\n\n${MEMBERS.keiri.name}`,
      helo: 'NOTE-KEIRI',
      ip: NAT_IP,
    }),
    legitPostfix({
      key: 'nat-sato-1',
      tag: 'nat002',
      time: Date.UTC(2026, 9, 29, 4, 0),
      from: MEMBERS.sato,
      to: [ito],
      subject: `Re: ${contract.subject}`,
      text: `${ito.name} 様\n\nお世話になっております。${ORG.name}の佐藤です。\n契約書ドラフトを拝見し、第5条の文言を修正した版を添付いたします。\n\n${quote(contract.text)}`,
      attachments: [{ filename: '契約書_修正版.docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', content: a.cleanDocx, verdict: 'clean' }],
      replyTo: contract,
      helo: 'NOTE-SATO',
      ip: NAT_IP,
    }),
    eigyoQuote,
    legitM365({
      key: 'eigyo-schedule',
      n: 2,
      time: Date.UTC(2026, 10, 4, 5, 40),
      to: [osaka],
      subject: '納期回答のご連絡',
      text: `${osaka.name} 御中\n\nいつもお世話になっております。${ORG.name} 営業部の木村です。\nご注文いただいた品番 KS-220（10台）の納期は11月20日となります。\n\n${EIGYO.name}`,
    }),
    botM365({
      key: 'eigyo-hijack',
      time: Date.UTC(2026, 10, 5, 2, 48, 7),
      to: [ishii],
      subject: `Re: ${eigyoQuote.subject}`,
      text: `請求書を送付いたします。ご査収ください。\n\n${outlookQuote(eigyoQuote)}`,
      attachments: xlsLure('御請求書_20261105.xls'),
      replyTo: eigyoQuote,
      contentMalicious: true,
    }),
    legitPostfix({
      key: 'nat-yamada-1',
      tag: 'nat003',
      time: Date.UTC(2026, 10, 5, 3, 10),
      from: MEMBERS.yamada,
      to: [MEMBERS.sato, MEMBERS.suzuki],
      subject: '来週の定例会議について',
      text: '佐藤さん、鈴木さん\n\n山田です。\n来週の定例会議は火曜日14時から第2会議室で行います。\n議題があれば月曜日までにお知らせください。\n\n山田',
      helo: 'NOTE-YAMADA',
      ip: NAT_IP,
    }),
    botM365({
      key: 'eigyo-trace-only-1',
      time: Date.UTC(2026, 10, 5, 4, 40, 7),
      to: [ishii, nakamura],
      subject: '請求書の送付について',
      text: `${salutation([ishii, nakamura])}\n${freshLure}`,
      attachments: xlsLure('請求書_20261105_eigyo.xls'),
      traceOnly: true,
      contentMalicious: false,
    }),
    botPostfix({
      key: 'keiri-fresh-xls-1',
      time: Date.UTC(2026, 10, 5, 5, 3, 7),
      to: [tanaka, nakamura],
      subject: '請求書送付のお知らせ（11月分）',
      text: `${salutation([tanaka, nakamura])}\n${freshLure}`,
      attachments: xlsLure('請求書_20261105_118.xls'),
      bounced: [nakamura.address],
      contentMalicious: true,
      helo: 'User',
    }),
    legitPostfix({
      key: 'keiri-office-1',
      tag: 'kei101',
      time: Date.UTC(2026, 10, 5, 5, 30),
      from: MEMBERS.keiri,
      to: [kobayashi],
      subject: '11月分 お支払予定のご連絡',
      text: `${kobayashi.name} 様\n\nお世話になっております。${ORG.name}経理部の高橋です。\n11月分のお支払いは11月30日に予定どおりお振込みいたします。\n\n${MEMBERS.keiri.name}`,
      helo: 'PC-KEIRI',
      ip: '10.0.1.14',
    }),
    botPostfix({
      key: 'keiri-link-1',
      time: Date.UTC(2026, 10, 5, 6, 30, 7),
      to: [nakamura],
      subject: '請求書のご確認',
      text: `${salutation([nakamura])}\n${linkLure('http://seikyu-dl.example/invoice/20261105/INV-4471.xls')}`,
      contentMalicious: true,
      helo: 'DESKTOP-7Q2M4KD',
    }),
    legitM365({
      key: 'eigyo-thanks',
      n: 3,
      time: Date.UTC(2026, 10, 5, 7, 15),
      to: [ishii],
      subject: '本日のお打合せのお礼',
      text: `${ishii.name} 様\n\n本日はお忙しいところお時間をいただき、ありがとうございました。\nいただいたご要望を反映したお見積りを改めてお送りいたします。\n\n${EIGYO.name}`,
    }),
    botPostfix({
      key: 'keiri-log-only-1',
      time: Date.UTC(2026, 10, 5, 7, 40, 7),
      to: [hayashi],
      subject: '請求書送付の件',
      text: `${salutation([hayashi])}\n${freshLure}`,
      attachments: xlsLure('請求書_20261105_131.xls'),
      logOnly: true,
      contentMalicious: false,
      helo: 'User',
    }),
    legitPostfix({
      key: 'yamada-home',
      tag: 'hom001',
      time: Date.UTC(2026, 10, 5, 12, 30),
      from: MEMBERS.yamada,
      to: [mori],
      subject: '明日のお打合せについて',
      text: `${mori.name} 様\n\nお世話になっております。${ORG.name}の山田です。\n明日のお打合せですが、10時に御社へお伺いいたします。\nどうぞよろしくお願いいたします。\n\n${MEMBERS.yamada.name}`,
      helo: 'YAMADA-HOME-PC',
      ip: '203.0.113.200',
    }),
    legitPostfix({
      key: 'nat-sato-2',
      tag: 'nat004',
      time: Date.UTC(2026, 10, 6, 1, 50),
      from: MEMBERS.sato,
      to: [ito],
      subject: '契約書 最終版の送付について',
      text: `${ito.name} 様\n\nお世話になっております。${ORG.name}の佐藤です。\n契約書の最終版は、押印のうえ本日郵送いたしました。\n到着まで2、3日ほどお待ちください。\n\n${MEMBERS.sato.name}`,
      helo: 'NOTE-SATO',
      ip: NAT_IP,
    }),
    botM365({
      key: 'eigyo-link',
      time: Date.UTC(2026, 10, 6, 2, 5, 7),
      to: [osaka],
      subject: '発注書のご確認',
      text: `${osaka.name} 御中\n${linkLure('http://hatchu-docs.example/invoice/20261106/PO-7731.xls')}`,
      contentMalicious: true,
    }),
    legitPostfix({
      key: 'keiri-office-2',
      tag: 'kei102',
      time: Date.UTC(2026, 10, 6, 2, 40),
      from: MEMBERS.keiri,
      to: [nakamura],
      subject: '11月分 納品数量集計表の送付',
      text: `${nakamura.name} 様\n\nお世話になっております。${ORG.name}経理部の高橋です。\n11月分の納品数量の集計表をお送りします。\n集計はマクロで行っておりますので、「コンテンツの有効化」のうえ集計ボタンを押してください。\n\n${MEMBERS.keiri.name}`,
      attachments: [{ filename: '納品数量集計_202611.xlsm', contentType: 'application/vnd.ms-excel.sheet.macroEnabled.12', content: a.macroXlsm, verdict: 'macro' }],
      helo: 'PC-KEIRI',
      ip: '10.0.1.14',
    }),
    botM365({
      key: 'eigyo-trace-only-2',
      time: Date.UTC(2026, 10, 6, 3, 12, 7),
      to: [ito, hayashi],
      subject: 'ご入金確認のお願い',
      text: `${salutation([ito, hayashi])}\n${freshLure}`,
      attachments: xlsLure('入金確認_20261106.xls'),
      traceOnly: true,
      contentMalicious: false,
    }),
    legitPostfix({
      key: 'nat-keiri-2',
      tag: 'nat005',
      time: Date.UTC(2026, 10, 6, 4, 5),
      from: MEMBERS.keiri,
      to: [kobayashi],
      subject: '支払条件変更のご連絡',
      text: `${kobayashi.name} 様\n\nお世話になっております。${ORG.name}経理部の高橋です。\n12月分より、お支払いを月末締め翌月末払いに変更させていただきます。\n詳細は別途書面にてお送りいたします。\n\n${MEMBERS.keiri.name}`,
      helo: 'NOTE-KEIRI',
      ip: NAT_IP,
    }),
    botPostfix({
      key: 'keiri-fresh-xls-2',
      time: Date.UTC(2026, 10, 6, 6, 14, 7),
      to: [ito, mori],
      subject: '【請求書】ご確認のお願い',
      text: `${salutation([ito, mori])}\n${freshLure}`,
      attachments: xlsLure('請求書_20261106_204.xls'),
      contentMalicious: true,
      helo: 'DESKTOP-7Q2M4KD',
    }),
    botPostfix({
      key: 'keiri-link-2',
      time: Date.UTC(2026, 10, 6, 6, 52, 7),
      to: [kobayashi],
      subject: '支払通知書の送付',
      text: `${salutation([kobayashi])}\n${linkLure('http://kaikei-share.example/invoice/20261106/PAY-5120.xls')}`,
      contentMalicious: true,
      helo: 'User',
    }),
    botPostfix({
      key: 'keiri-log-only-2',
      time: Date.UTC(2026, 10, 6, 7, 5, 7),
      to: [kondo, kobayashi],
      subject: 'ご請求書の件（11月分）',
      text: `${salutation([kondo, kobayashi])}\n${freshLure}`,
      attachments: xlsLure('請求書_20261106_219.xls'),
      logOnly: true,
      contentMalicious: false,
      helo: 'DESKTOP-7Q2M4KD',
    }),
    botPostfix({
      key: 'keiri-log-only-3',
      time: Date.UTC(2026, 10, 6, 7, 31, 7),
      to: [tanaka, nakamura],
      subject: '請求書送付のお知らせ',
      text: `${salutation([tanaka, nakamura])}\n${freshLure}`,
      attachments: xlsLure('請求書_20261106_226.xls'),
      logOnly: true,
      contentMalicious: false,
      helo: 'User',
    }),
    // A link to a shared-file page with no file name in it: nothing in the mail itself is
    // a payload the rules know, so only the session that sent it shows it is the bot's.
    botPostfix({
      key: 'keiri-share-link',
      time: Date.UTC(2026, 10, 6, 7, 20, 7),
      to: [ito],
      subject: '共有ファイルのご案内',
      text: `${salutation([ito])}\n\nいつもお世話になっております。\n\n資料を共有いたしましたので、下記よりご確認ください。\n\nhttps://kyoyu-box.example/s/8Kq2ZpW4\n\nよろしくお願いいたします。`,
      contentMalicious: false,
      helo: 'DESKTOP-7Q2M4KD',
    }),
  ];
  msgs.push(...story);
  for (const h of story.filter((m) => m.attacker && m.bounced && m.places.length)) msgs.push(bounceOf(h));

  const internal = msgs.find((m) => m.key === 'internal-1')!;
  internal.places = ['journal', 'maildir'];

  for (const m of msgs) {
    // What passed mx1 is in its log: every Postfix submission, and the mail it received for
    // the journal; what went out is in the trace: mx1 relays it through Exchange Online, and
    // 営業部's mail leaves from there.
    const postfix = m.submission ? m.submission.system === 'postfix' : m.places.includes('journal') && m.intent !== 'external-only';
    m.logs = postfix ? ['postfix'] : [];
    if (m.intent === 'outbound' && (postfix || m.submission?.system === 'm365')) m.logs.push('trace');
  }
  checkModel(msgs);
  return msgs;
}

/** The story agrees with itself: throws where a message's parts contradict each other. */
function checkModel(msgs: SampleMessage[]): void {
  const ids = new Set<string>();
  for (const m of msgs) {
    const fail = (why: string) => {
      throw new Error(`sample model: ${m.key}: ${why}`);
    };
    if (ids.has(m.messageId)) fail('Message-ID used twice');
    ids.add(m.messageId);
    if (m.attacker && (!m.submission || !m.malicious)) fail('an attacker send must be a malicious submission');
    if (m.places.length === 0 && (!m.submission || m.logs.length === 0)) fail('a mail in no mailbox must be a send some log holds');
    if (m.places.length === 0 && m.contentMalicious) fail('a mail in no mailbox cannot be convicted by its content');
    if (m.submission && m.submission.account !== m.from.address) fail('submitted by another account than its sender');
    for (const r of m.bounced ?? []) if (!BOUNCE_REASONS[r] || ![...m.to, ...m.cc].some((p) => p.address === r)) fail(`bounce of ${r} unexplained`);
    const hops = m.trace.filter((t) => t[0] === 'Received').map((t) => t[1]);
    const authenticated = hops.filter((h) => /Authenticated sender|ESMTPSA/.test(h));
    if (m.submission?.system === 'postfix') {
      if (authenticated.length !== 1 || !authenticated[0]!.includes(`[${m.submission.ip}]`) || !authenticated[0]!.includes(`Authenticated sender: ${m.submission.account}`)) fail('Received chain does not show the Postfix submission');
    } else if (authenticated.length) fail('an authenticated hop on mail no Postfix submission made');
  }
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
