// An Outlook item's MAPI properties into the same ParsedMessage the MIME path produces.
// Shared by the .msg reader (msg-reader.ts) and the PST/OST reader (pst-item.ts): each
// reads the properties its own way, this turns them into one record. The transport
// headers, when the store kept them, are preferred for Message-ID, Date, Received and the
// thread headers; the MAPI properties stand in where they are missing.
import { parseAddressList, type MailAddress } from '../mail/addresses.js';
import { angleId } from '../mail/digests.js';
import { decodeHeaderValue, firstHeader, headerValues, splitHeaders } from '../mail/header-decode.js';
import { canonicalHash, PARSE_LIMITS } from '../mail/parse.js';
import { parseReceived } from '../mail/received.js';
import type { AttachmentRecord, ParsedMessage } from '../mail/types.js';
import { extractUrls } from '../mail/urls.js';

/** What a reader found in an item's properties; absent properties are undefined or ''. */
export interface MapiMessageFields {
  /** PR_TRANSPORT_MESSAGE_HEADERS: the item's internet header block as received, '' when not kept. */
  transportHeaders: string;
  /** PR_SUBJECT; undefined only when the reader has no subject property at all (then the header's is used). */
  subject: string | undefined;
  /** The sender (PR_SENDER_*), the address already resolved to SMTP where the item allows; null when the item names none. */
  sender: MailAddress | null;
  /** PR_INTERNET_MESSAGE_ID, used when the headers have no Message-ID. */
  internetMessageId?: string;
  /** PR_IN_REPLY_TO_ID, used when the headers have no In-Reply-To. */
  inReplyToId?: string;
  /** PR_INTERNET_REFERENCES, used when the headers have no References. */
  internetReferences?: string;
  /** PR_CLIENT_SUBMIT_TIME, then PR_MESSAGE_DELIVERY_TIME, as Date.toUTCString() text: the Date header's stand-ins. */
  submitTime?: string;
  deliveryTime?: string;
  recipients: { kind: 'to' | 'cc' | 'bcc'; name: string; address: string }[];
  body: string;
  html: string;
  attachments: AttachmentRecord[];
  defects: string[];
}

export function buildMapiMessage(f: MapiMessageFields): ParsedMessage {
  const headerText = f.transportHeaders;
  const block = splitHeaders(Buffer.from(headerText.endsWith('\n\n') ? headerText : headerText + '\r\n\r\n', 'utf8'));
  const h = (n: string) => firstHeader(block, n);

  const from: MailAddress | null = f.sender ? { name: f.sender.name, address: f.sender.address.toLowerCase() } : (parseAddressList(h('from'))[0] ?? null);
  const rcpt = (kind: 'to' | 'cc' | 'bcc'): MailAddress[] =>
    f.recipients.filter((r) => r.kind === kind).map((r) => ({ name: r.name, address: r.address.toLowerCase() }));
  const referencesText = headerValues(block, 'references').join(' ') || (f.internetReferences ?? '');

  const text = f.body.slice(0, PARSE_LIMITS.maxBodyChars);
  const html = f.html.slice(0, PARSE_LIMITS.maxBodyChars);
  const dateRaw = h('date') ?? f.submitTime ?? f.deliveryTime ?? null;
  const t = dateRaw ? Date.parse(dateRaw) : NaN;
  const base: Omit<ParsedMessage, 'contentHash'> = {
    messageId: angleId(h('message-id') ?? f.internetMessageId),
    inReplyTo: angleId(h('in-reply-to') ?? f.inReplyToId),
    references: [...referencesText.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!),
    date: Number.isNaN(t) ? null : new Date(t).toISOString(),
    dateRaw,
    subject: f.subject ?? decodeHeaderValue(h('subject') ?? ''),
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
    attachments: f.attachments,
    defects: f.defects,
    size: 0,
  };
  return { ...base, contentHash: canonicalHash(base) };
}
