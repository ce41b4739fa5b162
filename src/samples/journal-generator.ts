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
    const text = Array.from({ length: lines }, () => pick(LINES)).join('\n');
    const subject = (rnd() < 0.4 ? 'Re: ' : '') + pick(SUBJECTS);
    const raw = buildMessage({
      headers: [
        ['Received', `from mail.example (mail.example [203.0.113.${i % 250}])\r\n\tby mx1.sample-shoji.example with ESMTPS id J${i.toString(36).toUpperCase()}; ${rfc5322Date(time)}`],
        ['Date', rfc5322Date(time)],
        ['From', formatAddress(from.name, from.address)],
        ['To', formatAddress(to.name, to.address)],
        ['Subject', encodeWord(subject)],
        ['Message-ID', `<j${i}.${time.toString(36)}@${from.address.split('@')[1]}>`],
      ],
      text,
      charset: 'utf-8',
      attachments,
      boundarySeed: `j${i}`,
    });
    const chunk = Buffer.concat([
      Buffer.from(mboxSeparator(from.address, time) + '\n', 'latin1'),
      mboxrdQuote(Buffer.from(raw.toString('latin1').replace(/\r\n/g, '\n'), 'latin1')),
      Buffer.from('\n'),
    ]);
    res.messages++;
    res.bytes += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return res;
}
