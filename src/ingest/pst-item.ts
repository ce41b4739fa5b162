// One item of a PST/OST store: its message class decides whether it is mail, and a mail
// item's properties, recipients and attachments (embedded messages opened, as the MIME
// path opens message/rfc822 parts) become the fields mapi-message.ts builds the record from.
// Everything here is synchronous library work; pst-reader.ts runs it under a work limit.
import { PSTMessage, type PSTAttachment } from 'pst-extractor';
import type { DescriptorIndexNode } from 'pst-extractor/dist/DescriptorIndexNode.class.js';
import { LZFu } from 'pst-extractor/dist/LZFu.class.js';
import type { MailAddress } from '../mail/addresses.js';
import { digests } from '../mail/digests.js';
import { PARSE_LIMITS } from '../mail/parse.js';
import { sniffType } from '../mail/sniff.js';
import type { AttachmentRecord, ParsedMessage } from '../mail/types.js';
import { buildMapiMessage, type MapiMessageFields } from './mapi-message.js';
import { PstWorkLimitError, type GuardedPstFile } from './pst-guard.js';
import type { PstLimits } from './pst-limits.js';
import { binaryProp, htmlCharset, intProp, stringCharset, stringProp, TAG, timeProp } from './pst-props.js';
import { rtfToText } from './pst-rtf.js';

/**
 * Mail is IPM.Note and its variants (IPM.Note.SMIME, IPM.Note.SMIME.MultipartSigned,
 * IPM.Note.Microsoft.Voicemail …) and the reports about mail, REPORT.IPM.Note.* (NDR,
 * delivery and read receipts): a report is itself a message that arrived in the mailbox,
 * and non-delivery reports are how mail sent in the organisation's name from outside
 * servers comes back to it. Message classes are compared without regard to case
 * (MS-OXCMSG 2.2.1.3). Appointments, meeting requests, contacts, distribution lists,
 * tasks, notes, journal entries and posts are not mail.
 */
export function isMailClass(messageClass: string): boolean {
  return /^ipm\.note(?:\.|$)/i.test(messageClass) || /^report\.ipm\.note\./i.test(messageClass);
}

export type ItemReading = { mail: true; messageClass: string; message: ParsedMessage } | { mail: false; messageClass: string };

/** Attach methods (PidTagAttachMethod, MS-OXCMSG 2.2.2.9). */
const ATTACH_BY_REFERENCE = new Set([2, 3, 4]);
const ATTACH_EMBEDDED_MESSAGE = 5;

/** PSTAttachment.embeddedPSTMessage needs the descriptor node of the message it belongs to, which getAttachment does not give it. */
interface AttachmentInternals {
  descriptorIndexNode: DescriptorIndexNode | null;
}

interface Collected {
  records: AttachmentRecord[];
  defects: string[];
  bytes: number;
}

export function readItem(file: GuardedPstFile, nid: number, limits: PstLimits): ItemReading {
  const msg = new PSTMessage(file, file.node(nid));
  const messageClass = stringProp(msg, TAG.messageClass, stringCharset(msg)).slice(0, limits.maxPropertyChars);
  if (!isMailClass(messageClass)) return { mail: false, messageClass };
  return { mail: true, messageClass, message: buildMapiMessage(readFields(msg, limits)) };
}

function readFields(msg: PSTMessage, limits: PstLimits): MapiMessageFields {
  const charset = stringCharset(msg);
  const str = (tag: number) => stringProp(msg, tag, charset).slice(0, limits.maxPropertyChars);
  const defects: string[] = [];

  const recipients: MapiMessageFields['recipients'] = [];
  /** Exchange (X.500) address → SMTP address, as this item's own recipient rows pair them. */
  const exchangeToSmtp = new Map<string, string>();
  const count = msg.numberOfRecipients;
  if (count > limits.maxRecipients) defects.push(`${count} recipients; the first ${limits.maxRecipients} recorded`);
  for (let i = 0; i < Math.min(count, limits.maxRecipients); i++) {
    try {
      const r = msg.getRecipient(i);
      if (!r) continue;
      const type = intProp(r, TAG.recipientType) & 0xff;
      const rstr = (tag: number) => stringProp(r, tag, charset).slice(0, limits.maxPropertyChars);
      const email = rstr(TAG.emailAddress);
      const smtp = rstr(TAG.smtpAddress);
      if (smtp && email && email !== smtp) exchangeToSmtp.set(email.toLowerCase(), smtp);
      recipients.push({ kind: type === 2 ? 'cc' : type === 3 ? 'bcc' : 'to', name: rstr(TAG.displayName), address: smtp || email });
    } catch (e) {
      if (e instanceof PstWorkLimitError) throw e;
      defects.push(`recipient ${i} unreadable: ${(e as Error).message}`);
    }
  }

  let body = stringProp(msg, TAG.body, charset);
  const html = stringProp(msg, TAG.html, htmlCharset(msg));
  if (body === '' && html === '') body = rtfBody(msg, limits, defects);

  const collected: Collected = { records: [], defects, bytes: 0 };
  collectAttachments(msg, '', 0, collected, limits);

  return {
    transportHeaders: str(TAG.transportHeaders),
    subject: subjectOf(str(TAG.subject)),
    sender: senderOf(str, exchangeToSmtp),
    internetMessageId: str(TAG.internetMessageId) || undefined,
    inReplyToId: str(TAG.inReplyToId) || undefined,
    internetReferences: str(TAG.internetReferences) || undefined,
    submitTime: timeProp(msg, TAG.clientSubmitTime),
    deliveryTime: timeProp(msg, TAG.messageDeliveryTime),
    recipients,
    body,
    html,
    attachments: collected.records,
    defects,
  };
}

/** PR_SUBJECT may start with 0x01 and a length byte that mark its prefix (MS-OXCMSG 2.2.1.46): not part of the subject. */
function subjectOf(raw: string): string {
  return raw.charCodeAt(0) === 0x01 ? raw.slice(2) : raw;
}

/**
 * The sender's address: PidTagSenderSmtpAddress when the store kept it; for an Exchange
 * (X.500, "/O=…/CN=…") address otherwise the SMTP address the item pairs with the same
 * X.500 address (sent-representing properties, a recipient row); else the address as it is.
 */
function senderOf(str: (tag: number) => string, exchangeToSmtp: Map<string, string>): MailAddress | null {
  const name = str(TAG.senderName);
  const raw = str(TAG.senderEmail);
  let address = str(TAG.senderSmtpAddress);
  if (!address && raw) {
    const exchange = str(TAG.senderAddrType).toUpperCase() === 'EX' || raw.startsWith('/');
    const representing = str(TAG.sentRepresentingEmail);
    address =
      (exchange && representing.toLowerCase() === raw.toLowerCase() && str(TAG.sentRepresentingSmtpAddress)) ||
      (exchange && exchangeToSmtp.get(raw.toLowerCase())) ||
      raw;
  }
  return name || address ? { name, address } : null;
}

function rtfBody(msg: PSTMessage, limits: PstLimits, defects: string[]): string {
  const raw = binaryProp(msg, TAG.rtfCompressed);
  // MS-OXRTFCP 2.1.3.1: COMPSIZE, RAWSIZE, COMPTYPE, CRC, then the data.
  if (!raw || raw.length < 16) return '';
  const rawSize = raw.readUInt32LE(4);
  if (rawSize > limits.maxRtfBytes) {
    defects.push(`RTF body of ${rawSize} bytes is over the ${limits.maxRtfBytes}-byte limit; not read`);
    return '';
  }
  try {
    return rtfToText(LZFu.decode(raw), PARSE_LIMITS.maxBodyChars);
  } catch (e) {
    if (e instanceof PstWorkLimitError) throw e;
    defects.push(`RTF body unreadable: ${(e as Error).message}`);
    return '';
  }
}

/**
 * Attachment records in walk order, as parse.ts orders MIME parts: an embedded message is
 * a record of its own (declared type application/vnd.ms-outlook, as msg-reader.ts declares
 * one; a PST holds no raw form of it, so the record has no bytes) followed by its own
 * attachments, whose nestPath is the embedded message's ordinal ("3", then "3/5" deeper).
 */
function collectAttachments(msg: PSTMessage, nestPath: string, depth: number, out: Collected, limits: PstLimits): void {
  const charset = stringCharset(msg);
  // The row count comes from the table's own sizes: a hostile table claims "Infinity".
  const count = msg.numberOfAttachments;
  for (let i = 0; i < count; i++) {
    const where = nestPath === '' ? `attachment ${i}` : `attachment ${i} of the message at ${nestPath}`;
    if (out.records.length >= limits.maxAttachments || i >= limits.maxAttachments) {
      out.defects.push(`more than ${limits.maxAttachments} attachments; rest not recorded`);
      return;
    }
    let att: PSTAttachment;
    try {
      att = msg.getAttachment(i);
    } catch (e) {
      if (e instanceof PstWorkLimitError) throw e;
      out.defects.push(`${where} unreadable: ${(e as Error).message}`);
      continue;
    }
    try {
      const str = (tag: number) => stringProp(att, tag, charset).slice(0, limits.maxPropertyChars);
      const filename = str(TAG.attachLongFilename) || str(TAG.attachFilename) || str(TAG.displayName);
      const method = intProp(att, TAG.attachMethod);
      if (ATTACH_BY_REFERENCE.has(method)) {
        out.defects.push(`${where} "${filename}" is a link to a file outside the store (${str(TAG.attachLongPathname) || str(TAG.attachPathname) || 'no path'}); no bytes recorded`);
        continue;
      }
      if (method === ATTACH_EMBEDDED_MESSAGE) {
        const ordinal = record(out, nestPath, filename, 'application/vnd.ms-outlook', Buffer.alloc(0));
        const childPath = nestPath === '' ? String(ordinal) : `${nestPath}/${ordinal}`;
        if (depth + 1 > limits.maxNestedMessageDepth) {
          out.defects.push(`embedded message nested deeper than ${limits.maxNestedMessageDepth}; not opened at ${childPath}`);
          continue;
        }
        (att as unknown as AttachmentInternals).descriptorIndexNode = (msg as unknown as AttachmentInternals).descriptorIndexNode;
        const inner = att.embeddedPSTMessage;
        if (inner) collectAttachments(inner, childPath, depth + 1, out, limits);
        else out.defects.push(`embedded message at ${childPath} unreadable`);
        continue;
      }
      const size = att.filesize;
      if (size > limits.maxAttachmentBytes) {
        out.defects.push(`${where} "${filename}" of ${size} bytes is over the ${limits.maxAttachmentBytes}-byte limit; not read`);
        continue;
      }
      if (out.bytes + size > limits.maxMessageBytes) {
        out.defects.push(`${where} "${filename}" not read: the message's attachments pass ${limits.maxMessageBytes} bytes`);
        continue;
      }
      const stream = att.fileInputStream;
      const length = stream ? stream.length.toNumber() : 0;
      if (length > limits.maxAttachmentBytes) throw new Error(`data of ${length} bytes is over the ${limits.maxAttachmentBytes}-byte limit`);
      const content = Buffer.alloc(length);
      if (stream && length > 0) stream.readCompletely(content);
      out.bytes += length;
      record(out, nestPath, filename, (str(TAG.attachMimeTag) || 'application/octet-stream').toLowerCase(), content);
    } catch (e) {
      if (e instanceof PstWorkLimitError) throw e;
      out.defects.push(`${where} unreadable: ${(e as Error).message}`);
    }
  }
}

function record(out: Collected, nestPath: string, filename: string, declaredType: string, content: Buffer): number {
  const ordinal = out.records.length;
  out.records.push({
    ordinal,
    nestPath,
    filename,
    declaredType,
    sniffedType: sniffType(content),
    size: content.length,
    ...digests(content),
    content,
  });
  return ordinal;
}
