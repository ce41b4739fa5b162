// Outlook .msg (an OLE compound file holding MAPI properties, not MIME) into the same
// ParsedMessage the MIME path produces. @kenjiuno/msgreader reads the properties;
// the transport headers, when Outlook kept them, give Message-ID, Date and Received.
import msgReaderCjs from '@kenjiuno/msgreader/lib/MsgReader.js';
import { parseAddressList, type MailAddress } from '../mail/addresses.js';
import { angleId, digests } from '../mail/digests.js';
import { decodeHeaderValue, firstHeader, headerValues, splitHeaders } from '../mail/header-decode.js';
import { canonicalHash, PARSE_LIMITS } from '../mail/parse.js';
import { parseReceived } from '../mail/received.js';
import { sniffType } from '../mail/sniff.js';
import type { AttachmentRecord, ParsedMessage } from '../mail/types.js';
import { extractUrls } from '../mail/urls.js';
import { checkCompoundFile } from '../office/cfb-check.js';
import { quietly } from '../quiet-console.js';

// The package is CommonJS with `exports.default = MsgReader`. Node's ESM loader makes
// module.exports the default import (class on .default); bundler-style loaders such as
// vitest's hand over the class itself. Accept both.
type MsgReaderClass = typeof msgReaderCjs.default;
const MsgReader: MsgReaderClass =
  (msgReaderCjs as unknown as { default?: MsgReaderClass }).default ?? (msgReaderCjs as unknown as MsgReaderClass);


export function parseMsgFile(bytes: Buffer, opts: { keepContent?: boolean } = {}): ParsedMessage {
  // msgreader walks the MiniFAT and FAT chains as written and allocates the sizes the
  // directory states: a self-looping MiniFAT entry or a 2 GB size aborts V8 in any thread.
  // The structure is checked first; a broken file is an error record, not a crash.
  try {
    checkCompoundFile(bytes);
  } catch (e) {
    throw new Error(`not a readable .msg: ${(e as Error).message}`);
  }
  const reader = new MsgReader(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer);
  // msgreader prints a broken appointment recurrence with console.debug.
  const { value: data, complaints } = quietly(() => reader.getFileData());
  if ((data as { error?: string }).error) throw new Error(`not a readable .msg: ${(data as { error?: string }).error}`);
  const defects: string[] = [];
  if (complaints) defects.push(`msgreader dropped ${complaints} unreadable propert${complaints === 1 ? 'y' : 'ies'}`);
  const headerText = data.headers ?? '';
  const block = splitHeaders(Buffer.from(headerText.endsWith('\n\n') ? headerText : headerText + '\r\n\r\n', 'utf8'));
  const h = (n: string) => firstHeader(block, n);

  const from: MailAddress | null = data.senderEmail || data.senderSmtpAddress || data.senderName
    ? { name: data.senderName ?? '', address: (data.senderSmtpAddress || data.senderEmail || '').toLowerCase() }
    : parseAddressList(h('from'))[0] ?? null;
  const rcpt = (kind: 'to' | 'cc' | 'bcc'): MailAddress[] =>
    (data.recipients ?? [])
      .filter((r) => (r.recipType ?? 'to') === kind)
      .map((r) => ({ name: r.name ?? '', address: (r.smtpAddress || r.email || '').toLowerCase() }));

  const attachments: AttachmentRecord[] = [];
  for (const a of data.attachments ?? []) {
    if (attachments.length >= PARSE_LIMITS.maxAttachments) break;
    try {
      const att = quietly(() => reader.getAttachment(a)).value;
      const content = Buffer.from(att.content);
      attachments.push({
        ordinal: attachments.length,
        nestPath: '',
        filename: att.fileName ?? '',
        declaredType: (a.attachMimeTag ?? (a.innerMsgContent ? 'application/vnd.ms-outlook' : 'application/octet-stream')).toLowerCase(),
        sniffedType: sniffType(content),
        size: content.length,
        ...digests(content),
        ...(opts.keepContent ? { content } : {}),
      });
    } catch (e) {
      defects.push(`attachment ${a.fileName ?? a.name ?? '?'} unreadable: ${(e as Error).message}`);
    }
  }
  const text = (data.body ?? '').slice(0, PARSE_LIMITS.maxBodyChars);
  const html = (data.bodyHtml ?? (data.html ? Buffer.from(data.html).toString('utf8') : '')).slice(0, PARSE_LIMITS.maxBodyChars);
  const dateRaw = h('date') ?? data.clientSubmitTime ?? data.messageDeliveryTime ?? null;
  const t = dateRaw ? Date.parse(dateRaw) : NaN;
  const base: Omit<ParsedMessage, 'contentHash'> = {
    messageId: angleId(h('message-id') ?? data.messageId),
    inReplyTo: angleId(h('in-reply-to')),
    references: [...(headerValues(block, 'references').join(' ').matchAll(/<([^<>\s]+)>/g))].map((m) => m[1]!),
    date: Number.isNaN(t) ? null : new Date(t).toISOString(),
    dateRaw,
    subject: data.subject ?? decodeHeaderValue(h('subject') ?? ''),
    from,
    sender: parseAddressList(h('sender'))[0] ?? null,
    replyTo: parseAddressList(h('reply-to')),
    to: rcpt('to'),
    cc: rcpt('cc'),
    bcc: rcpt('bcc'),
    received: headerValues(block, 'received').map(parseReceived),
    xOriginatingIp: (h('x-originating-ip') ?? '').replace(/[[\]\s]/g, '') || null,
    authenticationResults: headerValues(block, 'authentication-results'),
    text,
    html,
    urls: extractUrls(text, html),
    attachments,
    defects,
    size: 0,
  };
  return { ...base, contentHash: canonicalHash(base) };
}
