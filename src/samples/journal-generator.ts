// A large journal mbox shaped like a real one, for `npm run bench` and the resume tests:
// most mail small (a few KB of text), a fifth with an Office or ZIP attachment, a few
// large (megabytes). Deterministic for a given seed; written as a stream.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { buildMessage, formatAddress, encodeWord, mboxrdQuote, mboxSeparator, rfc5322Date, type AttachmentSpec } from './mime-build.js';
import { MEMBERS, PARTNERS, prng, type Person } from './incident.js';

export interface JournalOptions {
  path: string;
  /** Stop after the file reaches this many bytes… */
  targetBytes?: number;
  /** …or after this many messages, whichever comes first. */
  maxMessages?: number;
  seed?: number;
  assetDir: URL;
  /**
   * The address the sender's client submitted from (the last Received hop), for a journal
   * that must agree with a server log; by default a made-up address per message.
   */
  clientIp?: (m: JournalSender) => string;
  /** Told of every message once it is written, in order (for logs that agree with the journal). */
  onMessage?: (m: JournalMessage) => void | Promise<void>;
}

export interface JournalSender {
  index: number;
  /** UTC epoch ms of the Date header. */
  time: number;
  from: Person;
  to: Person;
  /** Bytes of the journal written before this message. */
  bytesBefore: number;
}

export interface JournalMessage extends JournalSender {
  messageId: string;
  subject: string;
  /** Size of the message itself (LF line ends, without the mbox separator), as a server would log it. */
  size: number;
  attachments: number;
}

export interface JournalResult {
  messages: number;
  bytes: number;
  withAttachments: number;
  large: number;
}

const SUBJECTS = ['請求書送付のご案内', '見積依頼の件', '打合せ日程のご相談', '納品スケジュールの件', '会議資料の共有', 'Weekly report', 'Order confirmation', '契約更新のお知らせ', '出張精算について', '新製品のご紹介'];
const LINES = [
  'いつもお世話になっております。',
  'ご確認のほどよろしくお願いいたします。',
  '先日の件につきまして、資料を添付いたします。',
  'Please find the details below and let me know if you have any questions.',
  '日程につきましては、来週の火曜日か水曜日でいかがでしょうか。',
  '引き続きよろしくお願い申し上げます。',
  'The shipment is scheduled for the end of the month.',
  '不明点がございましたらご連絡ください。',
];

/** The HTML Outlook writes for a text: Word's markup, a paragraph a line. */
function outlookHtml(text: string): string {
  const esc = (l: string) => l.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const paras = text.split('\n').map((l) => `<p class="MsoNormal"><span style="font-family:&quot;Yu Gothic&quot;,sans-serif">${l === '' ? '<o:p>&nbsp;</o:p>' : esc(l)}<o:p></o:p></span></p>`);
  return [
    '<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">',
    '<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><meta name="Generator" content="Microsoft Word 15 (filtered medium)">',
    '<style><!-- p.MsoNormal, li.MsoNormal, div.MsoNormal {margin:0mm; font-size:10.5pt; font-family:"Yu Gothic",sans-serif;} span.EmailStyle17 {font-family:"Yu Gothic",sans-serif; color:windowtext;} @page WordSection1 {size:612.0pt 792.0pt; margin:99.25pt 30.0mm 30.0mm 30.0mm;} div.WordSection1 {page:WordSection1;} --></style>',
    '</head><body lang="JA" link="#0563C1" vlink="#954F72" style="text-justify-trim:punctuation"><div class="WordSection1">',
    ...paras,
    '</div></body></html>',
  ].join('\n');
}

export async function generateJournal(o: JournalOptions): Promise<JournalResult> {
  const rnd = prng(o.seed ?? 7);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const assets = [
    { name: '資料.xls', type: 'application/vnd.ms-excel', data: readFileSync(new URL('macro-auto-open.xls', o.assetDir)) },
    { name: '見積書.xlsm', type: 'application/vnd.ms-excel.sheet.macroEnabled.12', data: readFileSync(new URL('macro01.xlsm', o.assetDir)) },
    { name: '議事録.docx', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', data: readFileSync(new URL('clean.docx', o.assetDir)) },
  ];
  const people: Person[] = [...Object.values(MEMBERS), ...Object.values(PARTNERS)];
  const out = createWriteStream(o.path);
  const target = o.targetBytes ?? Infinity;
  const maxMessages = o.maxMessages ?? Infinity;
  const res: JournalResult = { messages: 0, bytes: 0, withAttachments: 0, large: 0 };
  let time = Date.UTC(2026, 0, 5, 0, 0);
  while (res.bytes < target && res.messages < maxMessages) {
    const i = res.messages;
    time += Math.floor(rnd() * 120_000);
    const from = pick(people);
    let to = pick(people);
    if (to === from) to = people[(people.indexOf(from) + 1) % people.length]!;
    const r = rnd();
    const attachments: AttachmentSpec[] = [];
    let lines = 3 + Math.floor(rnd() * 25);
    if (r < 0.002) {
      // A large message: a scanned document of a few megabytes.
      const size = 4 * (250_000 + Math.floor(rnd() * 750_000));
      const big = Buffer.alloc(size);
      for (let k = 0; k < size; k += 4) big.writeUInt32LE(Math.floor(rnd() * 0xffffffff), k);
      attachments.push({ filename: `scan_${i}.pdf`, contentType: 'application/pdf', content: big });
      res.large++;
    } else if (r < 0.2) {
      const a = pick(assets);
      attachments.push({ filename: a.name, contentType: a.type, content: a.data });
    } else if (r < 0.25) {
      lines += 60;
    }
    if (attachments.length) res.withAttachments++;
    const body = Array.from({ length: lines }, () => pick(LINES));
    const reply = rnd() < 0.4;
    const subject = (reply ? 'Re: ' : '') + pick(SUBJECTS);
    // The writer's program decides the shape: Outlook (text and HTML, a Thread-Index),
    // Thunderbird (text only, or text and HTML), a Japanese mailer (ISO-2022-JP text only).
    const client = rnd();
    const outlook = client < 0.55;
    const japaneseMailer = client >= 0.85;
    const signature = ['', '--', from.name, `${from.address.split('@')[1]}`, 'TEL 03-1234-5678'];
    let text = [`${to.name} 様`, '', ...body, ...signature].join('\n');
    if (reply) {
      const earlier = Array.from({ length: 4 + Math.floor(rnd() * 10) }, () => pick(LINES));
      text += outlook
        ? `\n\n-----Original Message-----\nFrom: ${to.name} <${to.address}>\nSent: ${rfc5322Date(time - 86_400_000)}\nSubject: ${subject.slice(4)}\n\n${earlier.join('\n')}`
        : `\n\n${rfc5322Date(time - 86_400_000)} ${to.name} wrote:\n${earlier.map((l) => `> ${l}`).join('\n')}`;
    }
    const html = japaneseMailer || (!outlook && rnd() < 0.5) ? undefined : outlookHtml(text);
    const domain = from.address.split('@')[1]!;
    const sender = { index: i, time, from, to, bytesBefore: res.bytes };
    const clientIp = o.clientIp ? o.clientIp(sender) : `198.51.100.${(i * 3) % 250}`;
    const messageId = `j${i}.${time.toString(36)}@${domain}`;
    const headers: [string, string][] = [
      ['Received', `from mx1.sample-shoji.example (mx1.sample-shoji.example [10.0.0.25])\r\n\tby mail.sample-shoji.example (Postfix) with ESMTPS id J${i.toString(36).toUpperCase()}; ${rfc5322Date(time)}`],
      ['Received', `from mail.${domain} (mail.${domain} [203.0.113.${i % 250}])\r\n\tby mx1.sample-shoji.example (Postfix) with ESMTPS id K${i.toString(36).toUpperCase()}\r\n\tfor <${to.address}>; ${rfc5322Date(time)}`],
      ['Received', `from [192.168.1.${(i * 7) % 250}] (unknown [${clientIp}])\r\n\tby mail.${domain} with ESMTPSA id L${i.toString(36)}; ${rfc5322Date(time - 2000)}`],
      ['DKIM-Signature', `v=1; a=rsa-sha256; c=relaxed/relaxed; d=${domain}; s=default; t=${Math.floor(time / 1000)};\r\n\tbh=${Buffer.from(`b${i}`).toString('base64')}; h=From:To:Subject:Date:Message-ID;\r\n\tb=${'A'.repeat(60)}\r\n\t ${'B'.repeat(60)}\r\n\t ${'C'.repeat(60)}`],
      ['Date', rfc5322Date(time)],
      ['From', formatAddress(from.name, from.address)],
      ['To', formatAddress(to.name, to.address)],
      ['Subject', encodeWord(subject)],
      ['Message-ID', `<${messageId}>`],
    ];
    if (reply) headers.push(['In-Reply-To', `<j${Math.max(0, i - 17)}.x@${to.address.split('@')[1]}>`], ['References', `<j${Math.max(0, i - 40)}.x@${domain}> <j${Math.max(0, i - 17)}.x@${to.address.split('@')[1]}>`]);
    if (outlook) headers.push(['Thread-Topic', encodeWord(subject.replace(/^Re: /, ''))], ['Thread-Index', Buffer.from(`thread-${i % 997}`).toString('base64')], ['X-Mailer', 'Microsoft Outlook 16.0'], ['Content-Language', 'ja']);
    else headers.push(['User-Agent', japaneseMailer ? 'Becky!ver. 2.81.05' : 'Mozilla Thunderbird']);
    const raw = buildMessage({ headers, text, charset: japaneseMailer ? 'iso-2022-jp' : 'utf-8', attachments, boundarySeed: `j${i}`, html });
    const lf = Buffer.from(raw.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
    const chunk = Buffer.concat([Buffer.from(mboxSeparator(from.address, time) + '\n', 'latin1'), mboxrdQuote(lf), Buffer.from('\n')]);
    res.messages++;
    res.bytes += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
    if (o.onMessage) await o.onMessage({ ...sender, messageId, subject, size: lf.length, attachments: attachments.length });
  }
  out.end();
  await once(out, 'finish');
  return res;
}
