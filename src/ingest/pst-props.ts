// MAPI property values of a pst-extractor object (message, recipient, attachment, folder).
// The library's typed getters are protected and cover a fixed set of properties; it also
// decodes 8-bit strings through its own code page table, which maps 932 (Shift_JIS) and
// 50220 to "iso-2022-jp", a name iconv-lite does not know, so Japanese PT_STRING8 and HTML
// bodies came out as mojibake. Strings are decoded here with the project's charset module.
import type { PSTObject } from 'pst-extractor/dist/PSTObject.class.js';
import type { PSTDescriptorItem } from 'pst-extractor/dist/PSTDescriptorItem.class.js';
import type { PSTTableItem } from 'pst-extractor/dist/PSTTableItem.class.js';
import iconv from 'iconv-lite';
import { decodeBytes } from '../mail/charset.js';

/** Property tags read by this reader (MS-OXPROPS), beyond those the library names. */
export const TAG = {
  subject: 0x0037,
  clientSubmitTime: 0x0039,
  transportHeaders: 0x007d,
  senderName: 0x0c1a,
  senderAddrType: 0x0c1e,
  senderEmail: 0x0c1f,
  sentRepresentingAddrType: 0x0064,
  sentRepresentingEmail: 0x0065,
  recipientType: 0x0c15,
  messageDeliveryTime: 0x0e06,
  body: 0x1000,
  rtfCompressed: 0x1009,
  html: 0x1013,
  internetMessageId: 0x1035,
  internetReferences: 0x1039,
  inReplyToId: 0x1042,
  messageClass: 0x001a,
  displayName: 0x3001,
  emailAddress: 0x3003,
  addrType: 0x3002,
  attachDataObject: 0x3701,
  attachFilename: 0x3704,
  attachMethod: 0x3705,
  attachLongFilename: 0x3707,
  attachPathname: 0x3708,
  attachLongPathname: 0x370d,
  attachMimeTag: 0x370e,
  smtpAddress: 0x39fe,
  internetCodepage: 0x3fde,
  messageCodepage: 0x3ffd,
  senderSmtpAddress: 0x5d01,
  sentRepresentingSmtpAddress: 0x5d02,
  pstPassword: 0x67ff,
} as const;

const PT_UNICODE = 0x001f;
const PT_STRING8 = 0x001e;
const PT_BINARY = 0x0102;
const PT_SYSTIME = 0x0040;

/** The protected state of PSTObject that the property readers below use. */
export interface PstObjectInternals {
  pstTableItems: Map<number, PSTTableItem> | null;
  localDescriptorItems: Map<number, PSTDescriptorItem> | null;
  getIntItem(identifier: number, defaultValue?: number): number;
}

export const internals = (o: PSTObject): PstObjectInternals => o as unknown as PstObjectInternals;

/** The value bytes of a property: in the table row itself or, for larger values, in a subnode. */
function valueBytes(o: PSTObject, item: PSTTableItem): Buffer | null {
  if (!item.isExternalValueReference) return item.data ?? null;
  const sub = internals(o).localDescriptorItems?.get(item.entryValueReference);
  return sub ? sub.getData() : null;
}

/** Windows code page number → a charset label charset.ts and iconv-lite read. */
export function codePageCharset(cp: number): string {
  if (cp === 932) return 'cp932';
  if (cp >= 50220 && cp <= 50222) return 'iso-2022-jp';
  if (cp === 51932 || cp === 20932) return 'euc-jp';
  if (cp === 65001) return 'utf-8';
  if (cp === 20127) return 'us-ascii';
  if (cp === 1200) return 'utf-16le';
  if (cp >= 28591 && cp <= 28606) return `iso-8859-${cp - 28590}`;
  if (cp === 936) return 'gbk';
  if (cp === 54936) return 'gb18030';
  if (cp === 949) return 'cp949';
  if (cp === 950) return 'big5';
  if (cp === 20866) return 'koi8-r';
  if (cp === 21866) return 'koi8-u';
  if ((cp >= 1250 && cp <= 1258) || cp === 874) return `windows-${cp}`;
  return iconv.encodingExists(`cp${cp}`) ? `cp${cp}` : '';
}

/** An integer property, or `fallback` when absent. */
export function intProp(o: PSTObject, tag: number, fallback = 0): number {
  return internals(o).getIntItem(tag, fallback);
}

/**
 * A string property. PT_UNICODE is UTF-16LE; PT_STRING8 and binary values (PR_HTML is
 * binary in the message's internet code page) are decoded with `charset`, or guessed by
 * charset.ts when it is ''.
 */
export function stringProp(o: PSTObject, tag: number, charset = ''): string {
  const item = internals(o).pstTableItems?.get(tag);
  if (!item) return '';
  const type = item.entryValueType;
  if (type !== PT_UNICODE && type !== PT_STRING8 && type !== PT_BINARY) return '';
  const bytes = valueBytes(o, item);
  if (!bytes || bytes.length === 0) return '';
  const text = type === PT_UNICODE ? bytes.toString('utf16le') : decodeBytes(bytes, charset).text;
  return text.replace(/\0+$/, '');
}

/** A binary property's bytes, or null. */
export function binaryProp(o: PSTObject, tag: number): Buffer | null {
  const item = internals(o).pstTableItems?.get(tag);
  if (!item || item.entryValueType !== PT_BINARY) return null;
  return valueBytes(o, item);
}

/** A PT_SYSTIME property as Date.toUTCString() text (the form msgreader gives), or undefined. */
export function timeProp(o: PSTObject, tag: number): string | undefined {
  const item = internals(o).pstTableItems?.get(tag);
  if (!item || item.entryValueType !== PT_SYSTIME || !item.data || item.data.length !== 8) return undefined;
  // FILETIME: 100-ns ticks since 1601-01-01 UTC.
  const ms = Number(item.data.readBigUInt64LE(0) / 10_000n) - 11_644_473_600_000;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) || ms <= 0 ? undefined : d.toUTCString();
}

/** The charset of an item's PT_STRING8 properties (PR_MESSAGE_CODEPAGE, else PR_INTERNET_CPID). */
export function stringCharset(o: PSTObject): string {
  const cp = intProp(o, TAG.messageCodepage) || intProp(o, TAG.internetCodepage);
  return cp ? codePageCharset(cp) : '';
}

/** The charset of an item's HTML body (PR_INTERNET_CPID, else PR_MESSAGE_CODEPAGE). */
export function htmlCharset(o: PSTObject): string {
  const cp = intProp(o, TAG.internetCodepage) || intProp(o, TAG.messageCodepage);
  return cp ? codePageCharset(cp) : '';
}
