// Outlook .msg (an OLE compound file holding MAPI properties, not MIME) into the same
// ParsedMessage the MIME path produces. @kenjiuno/msgreader reads the properties;
// mapi-message.ts turns them into the record (the PST reader shares it).
import msgReaderCjs from '@kenjiuno/msgreader/lib/MsgReader.js';
import { digests } from '../mail/digests.js';
import { PARSE_LIMITS } from '../mail/parse.js';
import { sniffType } from '../mail/sniff.js';
import type { AttachmentRecord, ParsedMessage } from '../mail/types.js';
import { checkCompoundFile } from '../office/cfb-check.js';
import { quietly } from '../quiet-console.js';
import { buildMapiMessage } from './mapi-message.js';

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
  return buildMapiMessage({
    transportHeaders: data.headers ?? '',
    subject: data.subject,
    sender:
      data.senderEmail || data.senderSmtpAddress || data.senderName
        ? { name: data.senderName ?? '', address: data.senderSmtpAddress || data.senderEmail || '' }
        : null,
    internetMessageId: data.messageId,
    submitTime: data.clientSubmitTime,
    deliveryTime: data.messageDeliveryTime,
    recipients: (data.recipients ?? []).map((r) => ({ kind: r.recipType ?? 'to', name: r.name ?? '', address: r.smtpAddress || r.email || '' })),
    body: data.body ?? '',
    html: data.bodyHtml ?? (data.html ? Buffer.from(data.html).toString('utf8') : ''),
    attachments,
    defects,
  });
}
