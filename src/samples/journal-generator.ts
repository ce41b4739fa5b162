// A large journal mbox for `npm run bench` and the resume tests, in one of two shapes:
//   - `today`: the bench's first journal, messages of about 24 KB on average (most of a few KB
//     of text, a fifth with one of three Office documents, a few of megabytes); the tests and
//     the end-to-end case are written in it and it stays byte for byte as it was;
//   - `short`: the sizes of a real company journal (issue 19): median a few KB, mean 7-8 KB
//     without the large ones, a fifth with unique attachments (short-mail.ts).
// Deterministic for a given seed and shape; written as a stream.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { buildMessage, mboxrdQuote, mboxSeparator, rfc5322Date, type AttachmentSpec } from './mime-build.js';
import { MEMBERS, PARTNERS, prng, type Person } from './incident.js';
import { journalHeaders, outlookHtml } from './journal-parts.js';
import { shortMail, type BuiltMail, type ShortMailContext } from './short-mail.js';

export const JOURNAL_SHAPES = ['today', 'short'] as const;
export type JournalShape = (typeof JOURNAL_SHAPES)[number];

export interface JournalOptions {
  path: string;
  /** Stop after the file reaches this many bytes… */
  targetBytes?: number;
  /** …or after this many messages, whichever comes first. */
  maxMessages?: number;
  seed?: number;
  /** Which journal to write; `today` by default. */
  shape?: JournalShape;
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
  shape: JournalShape;
  messages: number;
  bytes: number;
  withAttachments: number;
  large: number;
  /** Sizes of the messages themselves (LF line ends, without the mbox separator), in bytes. */
  sizes: MessageSizes;
}

export interface MessageSizes {
  mean: number;
  /** Mean of the messages that are not large (the megabyte scans). */
  meanWithoutLarge: number;
  p10: number;
  p25: number;
  median: number;
  p75: number;
  p90: number;
  p99: number;
  max: number;
}

function sizeStats(sizes: number[], largeSizes: number[]): MessageSizes {
  const s = Float64Array.from(sizes).sort();
  const at = (q: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : 0);
  const sum = sizes.reduce((a, b) => a + b, 0);
  const largeSum = largeSizes.reduce((a, b) => a + b, 0);
  const small = sizes.length - largeSizes.length;
  return { mean: sum / Math.max(1, sizes.length), meanWithoutLarge: (sum - largeSum) / Math.max(1, small), p10: at(0.1), p25: at(0.25), median: at(0.5), p75: at(0.75), p90: at(0.9), p99: at(0.99), max: s.length ? s[s.length - 1]! : 0 };
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

/** The same context the short shape's builder takes (clientIp is called once the message's random choices are made). */
type MailContext = ShortMailContext;

type Asset = { name: string; type: string; data: Buffer };

/** A message of the `today` shape: the random draws in the order they always were. */
function todayMail(rnd: () => number, c: MailContext, assets: Asset[]): BuiltMail {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const { index: i, time, from, to } = c;
  const r = rnd();
  const attachments: AttachmentSpec[] = [];
  let lines = 3 + Math.floor(rnd() * 25);
  let large = false;
  if (r < 0.002) {
    // A large message: a scanned document of a few megabytes.
    const size = 4 * (250_000 + Math.floor(rnd() * 750_000));
    const big = Buffer.alloc(size);
    for (let k = 0; k < size; k += 4) big.writeUInt32LE(Math.floor(rnd() * 0xffffffff), k);
    attachments.push({ filename: `scan_${i}.pdf`, contentType: 'application/pdf', content: big });
    large = true;
  } else if (r < 0.2) {
    const a = pick(assets);
    attachments.push({ filename: a.name, contentType: a.type, content: a.data });
  } else if (r < 0.25) {
    lines += 60;
  }
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
  const headers = journalHeaders({ index: i, time, from, to, subject, messageId: c.messageId, clientIp: c.clientIp(), reply, client: outlook ? 'outlook' : japaneseMailer ? 'japanese-mailer' : 'thunderbird' });
  const raw = buildMessage({ headers, text, charset: japaneseMailer ? 'iso-2022-jp' : 'utf-8', attachments, boundarySeed: `j${i}`, html });
  return { raw, subject, attachments: attachments.length, large };
}

export async function generateJournal(o: JournalOptions): Promise<JournalResult> {
  const shape = o.shape ?? 'today';
  const rnd = prng(o.seed ?? 7);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const assets: Asset[] = [
    { name: '資料.xls', type: 'application/vnd.ms-excel', data: readFileSync(new URL('macro-auto-open.xls', o.assetDir)) },
    { name: '見積書.xlsm', type: 'application/vnd.ms-excel.sheet.macroEnabled.12', data: readFileSync(new URL('macro01.xlsm', o.assetDir)) },
    { name: '議事録.docx', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', data: readFileSync(new URL('clean.docx', o.assetDir)) },
  ];
  const macroDocs = assets.slice(0, 2);
  const people: Person[] = [...Object.values(MEMBERS), ...Object.values(PARTNERS)];
  const out = createWriteStream(o.path);
  const target = o.targetBytes ?? Infinity;
  const maxMessages = o.maxMessages ?? Infinity;
  const res = { messages: 0, bytes: 0, withAttachments: 0, large: 0 };
  const sizes: number[] = [];
  const largeSizes: number[] = [];
  let time = Date.UTC(2026, 0, 5, 0, 0);
  while (res.bytes < target && res.messages < maxMessages) {
    const i = res.messages;
    time += Math.floor(rnd() * (shape === 'short' ? 40_000 : 120_000));
    const from = pick(people);
    let to = pick(people);
    if (to === from) to = people[(people.indexOf(from) + 1) % people.length]!;
    const sender = { index: i, time, from, to, bytesBefore: res.bytes };
    const domain = from.address.split('@')[1]!;
    const messageId = `j${i}.${time.toString(36)}@${domain}`;
    const ctx: MailContext = { index: i, time, from, to, messageId, clientIp: () => (o.clientIp ? o.clientIp(sender) : `198.51.100.${(i * 3) % 250}`) };
    const m = shape === 'short' ? shortMail(rnd, ctx, macroDocs) : todayMail(rnd, ctx, assets);
    const lf = Buffer.from(m.raw.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
    const chunk = Buffer.concat([Buffer.from(mboxSeparator(from.address, time) + '\n', 'latin1'), mboxrdQuote(lf), Buffer.from('\n')]);
    res.messages++;
    res.bytes += chunk.length;
    if (m.attachments) res.withAttachments++;
    if (m.large) {
      res.large++;
      largeSizes.push(lf.length);
    }
    sizes.push(lf.length);
    if (!out.write(chunk)) await once(out, 'drain');
    if (o.onMessage) await o.onMessage({ ...sender, messageId, subject: m.subject, size: lf.length, attachments: m.attachments });
  }
  out.end();
  await once(out, 'finish');
  return { shape, ...res, sizes: sizeStats(sizes, largeSizes) };
}
