// A small MIME writer for the sample generator. Written here rather than using
// nodemailer's MailComposer because the samples must be byte-for-byte deterministic
// (fixed boundaries and IDs) and must carry the encodings Japanese mailers really use
// (ISO-2022-JP and Shift_JIS bodies, RFC 2047 B-words, RFC 2231 file names), which
// MailComposer does not write.
import Encoding from 'encoding-japanese';
import iconv from 'iconv-lite';
import { encode as qpEncode, wrap as qpWrap } from 'libqp';

export type BodyCharset = 'iso-2022-jp' | 'shift_jis' | 'euc-jp' | 'utf-8';

export function encodeText(text: string, charset: BodyCharset): Buffer {
  if (charset === 'iso-2022-jp') {
    return Buffer.from(Encoding.convert(Encoding.stringToCode(text), { to: 'JIS', from: 'UNICODE' }) as number[]);
  }
  if (charset === 'shift_jis') return iconv.encode(text, 'cp932');
  if (charset === 'euc-jp') return iconv.encode(text, 'eucjp');
  return Buffer.from(text, 'utf8');
}

/** RFC 2047 B-encoding, one word per chunk of characters so each word stays under 75 chars. */
export function encodeWord(text: string, charset: BodyCharset = 'utf-8'): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  const chars = [...text];
  const words: string[] = [];
  for (let i = 0; i < chars.length; i += 10) {
    const b = encodeText(chars.slice(i, i + 10).join(''), charset).toString('base64');
    words.push(`=?${charset.toUpperCase()}?B?${b}?=`);
  }
  return words.join('\r\n ');
}

export function formatAddress(name: string, address: string, charset: BodyCharset = 'utf-8'): string {
  if (!name) return `<${address}>`;
  if (/^[\x20-\x7e]*$/.test(name)) return `"${name.replace(/["\\]/g, '\\$&')}" <${address}>`;
  return `${encodeWord(name, charset)} <${address}>`;
}

/** RFC 2231 file name parameter (filename*=charset''percent-encoded). */
export function rfc2231Filename(name: string, charset: BodyCharset = 'utf-8'): string {
  if (/^[\x20-\x7e]*$/.test(name) && !/[";\\]/.test(name)) return `filename="${name}"`;
  const bytes = encodeText(name, charset);
  let enc = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    enc += /[A-Za-z0-9._-]/.test(c) ? c : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return `filename*=${charset}''${enc}`;
}

function base64Lines(b: Buffer): string {
  return (b.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

export interface AttachmentSpec {
  filename: string;
  contentType: string;
  content: Buffer;
  /** What an analysis must find in it (recorded in samples/expected.json; not written into the mail). */
  verdict?: 'clean' | 'macro' | 'suspicious' | 'encrypted';
}

export interface MessageSpec {
  headers: [string, string][];
  text: string;
  charset: BodyCharset;
  attachments: AttachmentSpec[];
  /** Used to make the boundary; must be unique per message for determinism and realism. */
  boundarySeed: string;
  filenameCharset?: BodyCharset;
  /** An HTML version of the text (UTF-8, quoted-printable), as Outlook and webmail write beside it. */
  html?: string;
}

/** Build the message bytes with CRLF line ends. */
export function buildMessage(spec: MessageSpec): Buffer {
  const lines: string[] = spec.headers.map(([k, v]) => `${k}: ${v}`);
  lines.push('MIME-Version: 1.0');
  const bodyBytes = encodeText(spec.text.replace(/\r?\n/g, '\r\n'), spec.charset);
  const textTe = spec.charset === 'iso-2022-jp' ? '7bit' : 'base64';
  const textBody = textTe === '7bit' ? bodyBytes.toString('latin1') : base64Lines(bodyBytes);
  const textType = `text/plain; charset=${spec.charset === 'shift_jis' ? 'Shift_JIS' : spec.charset.toUpperCase()}`;
  if (spec.html !== undefined) return buildWithHtml(spec, lines, textType, textTe, textBody, spec.html);
  if (spec.attachments.length === 0) {
    lines.push(`Content-Type: ${textType}`);
    lines.push(`Content-Transfer-Encoding: ${textTe}`);
    return Buffer.from(lines.join('\r\n') + '\r\n\r\n' + textBody + '\r\n', 'latin1');
  }
  const boundary = `----=_Part_${spec.boundarySeed}`;
  lines.push(`Content-Type: multipart/mixed; boundary="${boundary}"`);
  const parts: string[] = [];
  parts.push([`--${boundary}`, `Content-Type: ${textType}`, `Content-Transfer-Encoding: ${textTe}`, '', textBody].join('\r\n'));
  for (const a of spec.attachments) parts.push(attachmentPart(boundary, a, spec.filenameCharset ?? 'utf-8'));
  return Buffer.from(lines.join('\r\n') + '\r\n\r\nThis is a multi-part message in MIME format.\r\n\r\n' + parts.join('\r\n') + `\r\n--${boundary}--\r\n`, 'latin1');
}

function attachmentPart(boundary: string, a: AttachmentSpec, charset: BodyCharset): string {
  const fn = rfc2231Filename(a.filename, charset);
  return [`--${boundary}`, `Content-Type: ${a.contentType}`, 'Content-Transfer-Encoding: base64', `Content-Disposition: attachment;\r\n ${fn}`, '', base64Lines(a.content)].join('\r\n');
}

/** Text and HTML as multipart/alternative, inside multipart/mixed when there are attachments. */
function buildWithHtml(spec: MessageSpec, lines: string[], textType: string, textTe: string, textBody: string, html: string): Buffer {
  const alt = `----=_Alt_${spec.boundarySeed}`;
  const htmlBody = qpWrap(qpEncode(Buffer.from(html.replace(/\r?\n/g, '\r\n'), 'utf8')), 76);
  const alternative = [
    `--${alt}`, `Content-Type: ${textType}`, `Content-Transfer-Encoding: ${textTe}`, '', textBody,
    `--${alt}`, 'Content-Type: text/html; charset=UTF-8', 'Content-Transfer-Encoding: quoted-printable', '', htmlBody,
    `--${alt}--`, '',
  ].join('\r\n');
  if (spec.attachments.length === 0) {
    lines.push(`Content-Type: multipart/alternative; boundary="${alt}"`);
    return Buffer.from(lines.join('\r\n') + '\r\n\r\n' + alternative, 'latin1');
  }
  const mixed = `----=_Part_${spec.boundarySeed}`;
  lines.push(`Content-Type: multipart/mixed; boundary="${mixed}"`);
  const parts = [`--${mixed}\r\nContent-Type: multipart/alternative; boundary="${alt}"\r\n\r\n${alternative}`];
  for (const a of spec.attachments) parts.push(attachmentPart(mixed, a, spec.filenameCharset ?? 'utf-8'));
  return Buffer.from(lines.join('\r\n') + '\r\n\r\nThis is a multi-part message in MIME format.\r\n\r\n' + parts.join('\r\n') + `\r\n--${mixed}--\r\n`, 'latin1');
}

/** RFC 5322 date in +0900 from a UTC epoch ms. */
export function rfc5322Date(ms: number, offsetMinutes = 540): string {
  const d = new Date(ms + offsetMinutes * 60_000);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const p = (n: number) => String(n).padStart(2, '0');
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const off = Math.abs(offsetMinutes);
  return `${day}, ${d.getUTCDate()} ${mon} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${sign}${p(Math.floor(off / 60))}${p(off % 60)}`;
}

/** mbox separator line for a message (asctime, UTC). */
export function mboxSeparator(envelopeFrom: string, ms: number): string {
  const d = new Date(ms);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const p = (n: number) => String(n).padStart(2, '0');
  return `From ${envelopeFrom} ${day} ${mon} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/** mboxrd quoting: every line matching ^>*From gets one more '>'. */
export function mboxrdQuote(raw: Buffer): Buffer {
  const s = raw.toString('latin1');
  return Buffer.from(s.replace(/^(>*From )/gm, '>$1'), 'latin1');
}
