// The `short` journal shape: mail as a real company journal holds it (issue 19). Most of it is
// short replies of a few KB (text, or text and HTML) quoting a thread of a few levels, in the
// encodings Japanese and Western clients really write (ISO-2022-JP 7bit, UTF-8 as base64,
// quoted-printable or 8bit); a fifth carries an attachment of a few to tens of KB (PDFs,
// xlsx/docx packages, signature images; a few macro documents); a few are megabytes. Every
// attachment but the macro documents is unique, so each is analysed, as in a real journal.
import { zipSync } from 'fflate';
import { encode as qpEncode, wrap as qpWrap } from 'libqp';
import { encodeText, rfc2231Filename, rfc5322Date, type BodyCharset } from './mime-build.js';
import { journalHeaders, outlookHtml, webmailHtml, type MailClient } from './journal-parts.js';
import type { Person } from './incident.js';

/** A file the generator attaches as it is (the macro documents of src/samples/assets). */
export interface AssetFile {
  name: string;
  type: string;
  data: Buffer;
}

export interface ShortMailContext {
  index: number;
  time: number;
  from: Person;
  to: Person;
  messageId: string;
  clientIp: () => string;
}

export interface BuiltMail {
  /** The message with CRLF line ends. */
  raw: Buffer;
  subject: string;
  attachments: number;
  large: boolean;
}

/** The shape's knobs, tuned so the sizes land where issue 19's real journal has them. */
export const SHORT_SHAPE = {
  /** One message in this many is a scan of a few MB (a PDF, 1-5 MB once in base64). */
  largeOneIn: 4000,
  /** Share of messages with an attachment. */
  withAttachment: 0.2,
  /** Attachment bytes, log-uniform between these (before base64). */
  attachmentMinBytes: 2_000,
  attachmentMaxBytes: 40_000,
  /** Share of the attachment mails whose attachment is one of the macro documents. */
  macroShare: 0.03,
  replyShare: 0.55,
};

const SUBJECTS = ['請求書送付のご案内', '見積依頼の件', '打合せ日程のご相談', '納品スケジュールの件', '会議資料の共有', 'Weekly report', 'Order confirmation', '契約更新のお知らせ', '出張精算について', '新製品のご紹介', '確認のお願い', 'Re: 発注書について'];
const JA_LINES = [
  'いつもお世話になっております。',
  'ご確認のほどよろしくお願いいたします。',
  '先日の件につきまして、資料を添付いたします。',
  '日程につきましては、来週の火曜日か水曜日でいかがでしょうか。',
  '引き続きよろしくお願い申し上げます。',
  '承知いたしました。対応いたします。',
  '不明点がございましたらご連絡ください。',
  'ご連絡ありがとうございます。',
  '明日の午後でしたら社内におります。',
];
const EN_LINES = [
  'Thanks, that works for me.',
  'Please find the details below and let me know if you have any questions.',
  'The shipment is scheduled for the end of the month.',
  'Could you send the updated figures by Friday?',
  'Noted, I will follow up with the team.',
  'See you at the meeting.',
];

type TextEncoding = '7bit' | '8bit' | 'base64' | 'quoted-printable';

const base64Lines = (b: Buffer) => (b.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
const qp = (b: Buffer) => qpWrap(qpEncode(b), 76);

/** A text leaf: its headers and body as a latin1 string with CRLF line ends. */
function leaf(type: string, charset: BodyCharset, cte: TextEncoding, text: string): string {
  const bytes = encodeText(text.replace(/\r?\n/g, '\r\n'), charset);
  const body = cte === 'base64' ? base64Lines(bytes) : cte === 'quoted-printable' ? qp(bytes) : bytes.toString('latin1');
  const cs = charset === 'shift_jis' ? 'Shift_JIS' : charset.toUpperCase();
  return `Content-Type: ${type}; charset="${cs}"\r\nContent-Transfer-Encoding: ${cte}\r\n\r\n${body}`;
}

function attachmentLeaf(a: AssetFile): string {
  return `Content-Type: ${a.type}; name="${a.name.replace(/[^\x20-\x7e]/g, '_')}"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment;\r\n ${rfc2231Filename(a.name)}\r\n\r\n${base64Lines(a.data)}`;
}

function multipart(subtype: string, boundary: string, parts: string[]): string {
  return `Content-Type: multipart/${subtype};\r\n\tboundary="${boundary}"\r\n\r\n${parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('')}--${boundary}--\r\n`;
}

/** Random bytes without '/', so no PDF name (/JS, /Launch …) appears by chance in a benign file. */
function noise(rnd: () => number, size: number): Buffer {
  const b = Buffer.alloc(size + 3);
  for (let k = 0; k < size; k += 4) b.writeUInt32LE(Math.floor(rnd() * 0xffffffff), k);
  for (let k = 0; k < size; k++) if (b[k] === 0x2f) b[k] = 0x30;
  return b.subarray(0, size);
}

/** A one-page PDF whose content stream is `size` bytes of compressed-looking noise. */
function pdfLike(rnd: () => number, size: number): Buffer {
  const stream = noise(rnd, size);
  const head = `%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n4 0 obj\n<< /Length ${size} /Filter /FlateDecode >>\nstream\n`;
  const tail = `\nendstream\nendobj\ntrailer\n<< /Root 1 0 R /Size 5 >>\n%%EOF\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), stream, Buffer.from(tail, 'latin1')]);
}

const ZIP_TIME = new Date(Date.UTC(2026, 0, 5));
const xml = (s: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${s}`, 'utf8');

/** A docx or xlsx without macros: the minimal parts and one stored image of `size` bytes. */
function ooxmlLike(rnd: () => number, kind: 'docx' | 'xlsx', size: number): Buffer {
  const ns = 'http://schemas.openxmlformats.org';
  const main = kind === 'docx' ? 'word/document.xml' : 'xl/workbook.xml';
  const mainType = kind === 'docx' ? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml';
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': xml(`<Types xmlns="${ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/${main}" ContentType="${mainType}"/></Types>`),
    '_rels/.rels': xml(`<Relationships xmlns="${ns}/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/officeDocument" Target="${main}"/></Relationships>`),
    [main]:
      kind === 'docx'
        ? xml(`<w:document xmlns:w="${ns}/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>議事録</w:t></w:r></w:p></w:body></w:document>`)
        : xml(`<workbook xmlns="${ns}/spreadsheetml/2006/main"><sheets><sheet name="Sheet1" sheetId="1"/></sheets></workbook>`),
    [kind === 'docx' ? 'word/media/image1.png' : 'xl/media/image1.png']: noise(rnd, size),
  };
  return Buffer.from(zipSync(files, { level: 0, mtime: ZIP_TIME }));
}

/** A signature image or screenshot: a PNG signature and noise. */
function pngLike(rnd: () => number, size: number): Buffer {
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), noise(rnd, size)]);
}

export function shortMail(rnd: () => number, c: ShortMailContext, macroDocs: readonly AssetFile[]): BuiltMail {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const { index: i, from, to } = c;
  const r = rnd();
  const attachments: AssetFile[] = [];
  const large = r < 1 / SHORT_SHAPE.largeOneIn;
  if (large) {
    attachments.push({ name: `scan_${i}.pdf`, type: 'application/pdf', data: pdfLike(rnd, 730_000 + Math.floor(rnd() * 2_920_000)) });
  } else if (r < SHORT_SHAPE.withAttachment) {
    const k = rnd();
    const size = Math.round(SHORT_SHAPE.attachmentMinBytes * (SHORT_SHAPE.attachmentMaxBytes / SHORT_SHAPE.attachmentMinBytes) ** rnd());
    if (k < SHORT_SHAPE.macroShare) attachments.push(pick(macroDocs));
    else if (k < 0.45) attachments.push({ name: `請求書_${i}.pdf`, type: 'application/pdf', data: pdfLike(rnd, size) });
    else if (k < 0.65) attachments.push({ name: `見積書_${i}.xlsx`, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', data: ooxmlLike(rnd, 'xlsx', size) });
    else if (k < 0.82) attachments.push({ name: `議事録_${i}.docx`, type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', data: ooxmlLike(rnd, 'docx', size) });
    else attachments.push({ name: `image${String(i % 1000).padStart(3, '0')}.png`, type: 'image/png', data: pngLike(rnd, Math.round(size / 2)) });
  }

  const cr = rnd();
  const client: MailClient = cr < 0.4 ? 'outlook' : cr < 0.6 ? 'thunderbird' : cr < 0.75 ? 'japanese-mailer' : 'webmail';
  const english = client !== 'japanese-mailer' && rnd() < 0.2;
  const pool = english ? EN_LINES : JA_LINES;
  const reply = rnd() < SHORT_SHAPE.replyShare;
  const subject = (reply ? 'Re: ' : '') + pick(SUBJECTS);
  const sigOf = (p: Person) => ['', '--', p.name, p.address];
  const newLines = [english ? `Hi ${to.name.split(' ')[0]},` : `${to.name} 様`, '', ...Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => pick(pool)), ...sigOf(from)];
  // The thread quoted below the reply: each earlier message, newest first, with its attribution.
  const lr = rnd();
  const levels = !reply ? 0 : lr < 0.5 ? 1 : lr < 0.8 ? 2 : lr < 0.93 ? 3 : 4;
  const quoted = Array.from({ length: levels }, (_, k) => {
    const who = k % 2 === 0 ? to : from;
    const date = rfc5322Date(c.time - (k + 1) * 3_600_000 * (1 + Math.floor(rnd() * 20)));
    return { who, date, attribution: `${date} ${who.name} <${who.address}> wrote:`, lines: [...Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => pick(pool)), ...sigOf(who)] };
  });
  let text = newLines.join('\n');
  for (let k = 0; k < quoted.length; k++) {
    const q = quoted[k]!;
    text +=
      client === 'outlook'
        ? `\n\n-----Original Message-----\nFrom: ${q.who.name} <${q.who.address}>\nSent: ${q.date}\nSubject: ${subject.replace(/^Re: /, '')}\n\n${q.lines.join('\n')}`
        : `\n\n${'> '.repeat(k)}${q.attribution}\n${q.lines.map((l) => `${'> '.repeat(k + 1)}${l}`).join('\n')}`;
  }

  // Each client's habits: Outlook base64 text beside Word's HTML; Thunderbird 8bit or
  // quoted-printable text, sometimes with HTML; Japanese mailers ISO-2022-JP text alone;
  // webmail quoted-printable text beside compact HTML.
  const charset: BodyCharset = client === 'japanese-mailer' ? 'iso-2022-jp' : 'utf-8';
  const cte: TextEncoding = english ? '7bit' : client === 'japanese-mailer' ? '7bit' : client === 'outlook' ? 'base64' : client === 'webmail' ? 'quoted-printable' : rnd() < 0.5 ? '8bit' : 'quoted-printable';
  const html = client === 'outlook' ? outlookHtml(text) : client === 'webmail' || (client === 'thunderbird' && rnd() < 0.4) ? webmailHtml(newLines, quoted) : undefined;
  const textLeaf = leaf('text/plain', charset, cte, text);
  let body = html === undefined ? textLeaf : multipart('alternative', `=_alt_${i}`, [textLeaf, leaf('text/html', 'utf-8', 'quoted-printable', html)]);
  if (attachments.length) body = multipart('mixed', `=_mixed_${i}`, [body, ...attachments.map(attachmentLeaf)]);

  const headers = journalHeaders({ index: i, time: c.time, from, to, subject, messageId: c.messageId, clientIp: c.clientIp(), reply, client });
  const head = headers.map(([k, v]) => `${k}: ${v}`).join('\r\n') + '\r\nMIME-Version: 1.0\r\n';
  // A message ends with a line end: the next separator needs the blank line mbox readers look for.
  const full = head + body;
  return { raw: Buffer.from(full.endsWith('\r\n') ? full : full + '\r\n', 'latin1'), subject, attachments: attachments.length, large };
}
