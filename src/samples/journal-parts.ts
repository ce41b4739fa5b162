// What every journal message carries whatever its shape: the header block a journal copy has
// (the three Received hops, a DKIM signature, the client's own headers) and the HTML Outlook
// writes beside the text. Shared by the journal's shapes (journal-generator.ts, short-mail.ts).
import { encodeWord, formatAddress, rfc5322Date } from './mime-build.js';
import type { Person } from './incident.js';

/** The client that wrote a message decides its MIME shape and its own headers. */
export type MailClient = 'outlook' | 'thunderbird' | 'japanese-mailer' | 'webmail';

export interface EnvelopeSpec {
  index: number;
  time: number;
  from: Person;
  to: Person;
  subject: string;
  messageId: string;
  clientIp: string;
  reply: boolean;
  client: MailClient;
}

/** The header block of a journal copy, in the order a server writes it. */
export function journalHeaders(e: EnvelopeSpec): [string, string][] {
  const { index: i, time, from, to, subject } = e;
  const domain = from.address.split('@')[1]!;
  const headers: [string, string][] = [
    ['Received', `from mx1.sample-shoji.example (mx1.sample-shoji.example [10.0.0.25])\r\n\tby mail.sample-shoji.example (Postfix) with ESMTPS id J${i.toString(36).toUpperCase()}; ${rfc5322Date(time)}`],
    ['Received', `from mail.${domain} (mail.${domain} [203.0.113.${i % 250}])\r\n\tby mx1.sample-shoji.example (Postfix) with ESMTPS id K${i.toString(36).toUpperCase()}\r\n\tfor <${to.address}>; ${rfc5322Date(time)}`],
    ['Received', `from [192.168.1.${(i * 7) % 250}] (unknown [${e.clientIp}])\r\n\tby mail.${domain} with ESMTPSA id L${i.toString(36)}; ${rfc5322Date(time - 2000)}`],
    ['DKIM-Signature', `v=1; a=rsa-sha256; c=relaxed/relaxed; d=${domain}; s=default; t=${Math.floor(time / 1000)};\r\n\tbh=${Buffer.from(`b${i}`).toString('base64')}; h=From:To:Subject:Date:Message-ID;\r\n\tb=${'A'.repeat(60)}\r\n\t ${'B'.repeat(60)}\r\n\t ${'C'.repeat(60)}`],
    ['Date', rfc5322Date(time)],
    ['From', formatAddress(from.name, from.address)],
    ['To', formatAddress(to.name, to.address)],
    ['Subject', encodeWord(subject)],
    ['Message-ID', `<${e.messageId}>`],
  ];
  if (e.reply) headers.push(['In-Reply-To', `<j${Math.max(0, i - 17)}.x@${to.address.split('@')[1]}>`], ['References', `<j${Math.max(0, i - 40)}.x@${domain}> <j${Math.max(0, i - 17)}.x@${to.address.split('@')[1]}>`]);
  if (e.client === 'outlook') headers.push(['Thread-Topic', encodeWord(subject.replace(/^Re: /, ''))], ['Thread-Index', Buffer.from(`thread-${i % 997}`).toString('base64')], ['X-Mailer', 'Microsoft Outlook 16.0'], ['Content-Language', 'ja']);
  else if (e.client === 'webmail') headers.push(['X-Mailer', 'Roundcube Webmail/1.6.6']);
  else headers.push(['User-Agent', e.client === 'japanese-mailer' ? 'Becky!ver. 2.81.05' : 'Mozilla Thunderbird']);
  return headers;
}

const escapeHtml = (l: string) => l.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The HTML Outlook writes for a text: Word's markup, a paragraph a line. */
export function outlookHtml(text: string): string {
  const paras = text.split('\n').map((l) => `<p class="MsoNormal"><span style="font-family:&quot;Yu Gothic&quot;,sans-serif">${l === '' ? '<o:p>&nbsp;</o:p>' : escapeHtml(l)}<o:p></o:p></span></p>`);
  return [
    '<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">',
    '<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><meta name="Generator" content="Microsoft Word 15 (filtered medium)">',
    '<style><!-- p.MsoNormal, li.MsoNormal, div.MsoNormal {margin:0mm; font-size:10.5pt; font-family:"Yu Gothic",sans-serif;} span.EmailStyle17 {font-family:"Yu Gothic",sans-serif; color:windowtext;} @page WordSection1 {size:612.0pt 792.0pt; margin:99.25pt 30.0mm 30.0mm 30.0mm;} div.WordSection1 {page:WordSection1;} --></style>',
    '</head><body lang="JA" link="#0563C1" vlink="#954F72" style="text-justify-trim:punctuation"><div class="WordSection1">',
    ...paras,
    '</div></body></html>',
  ].join('\n');
}

/**
 * The compact HTML of a webmail reply: the new lines, then each earlier message of the
 * thread in a blockquote inside the one before (a thread of n levels nests n deep).
 */
export function webmailHtml(lines: string[], quoted: { attribution: string; lines: string[] }[]): string {
  const body = (ls: string[]) => `<div dir="ltr">${ls.map((l) => (l === '' ? '<br>' : `<div>${escapeHtml(l)}</div>`)).join('\n')}</div>`;
  let html = '';
  for (const q of [...quoted].reverse()) {
    html = `<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">${escapeHtml(q.attribution)}<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">\n${body(q.lines)}${html}</blockquote></div>`;
  }
  return `<div dir="ltr">${body(lines)}${html}</div>\n`;
}
