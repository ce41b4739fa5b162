import type { MailAddress } from './addresses.js';
import type { ReceivedHop } from './received.js';
import type { SniffedType } from './sniff.js';

export interface AttachmentRecord {
  /** Position in walk order over the message and its nested messages, from 0. */
  ordinal: number;
  /** "" for a part of the message itself; "2" for parts of the message attached as attachment 2, "2/0" deeper. */
  nestPath: string;
  /** Decoded file name, '' when the part has none. */
  filename: string;
  declaredType: string;
  sniffedType: SniffedType;
  size: number;
  md5: string;
  sha1: string;
  sha256: string;
  /** The decoded bytes; kept in memory only while the message is being processed. */
  content?: Buffer;
}

export interface ParsedMessage {
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  /** Date header as ISO UTC, null when missing or unreadable. */
  date: string | null;
  dateRaw: string | null;
  subject: string;
  from: MailAddress | null;
  sender: MailAddress | null;
  replyTo: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
  received: ReceivedHop[];
  xOriginatingIp: string | null;
  authenticationResults: string[];
  text: string;
  html: string;
  urls: string[];
  attachments: AttachmentRecord[];
  defects: string[];
  /** SHA-256 over the parts that stay the same when one message sits in two exports. */
  contentHash: string;
  /** Size of the raw message in bytes (0 for .msg, which has no raw MIME). */
  size: number;
}
