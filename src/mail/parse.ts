// One raw RFC 5322 message in, one normalised ParsedMessage out.
// Headers are read by our own decoder (header-decode.ts: the Japanese fixes live there);
// the MIME tree, transfer encodings and body charsets are mailparser's job.
import { createHash } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { parseAddressList, type MailAddress } from './addresses.js';
import { LabelAwareDecoder } from './body-decoder.js';
import { decodeBytes } from './charset.js';
import { angleId, digests } from './digests.js';
import { decodeHeaderValue, firstHeader, headerValues, splitHeaders } from './header-decode.js';
import { parseReceived } from './received.js';
import { sniffType } from './sniff.js';
import type { AttachmentRecord, ParsedMessage } from './types.js';
import { extractUrls } from './urls.js';
import { capTextParts, MAX_TEXT_PART_BYTES } from './cap-text.js';
import { leanMime, type LeanAttachment, type MimeContent } from './lean-mime.js';
import { expandUuencoded, typeFromName, type UuInput } from './uuencode.js';
import { BINHEX_LIMITS, expandBinHex } from './binhex.js';
import { expandYenc } from './yenc.js';
import { isTnef, readTnef, type TnefMessage } from './tnef.js';

export const PARSE_LIMITS = {
  /** message/rfc822 parts are opened this deep; deeper ones are kept as opaque attachments. */
  maxNestedMessageDepth: 8,
  /** Attachments recorded per message, nested ones included. */
  maxAttachments: 2000,
  /** Stored body text is cut at this many characters. */
  maxBodyChars: 4 * 1024 * 1024,
};

export interface ParseOptions {
  /** Keep attachment bytes on the records (for later analysis); default false. */
  keepContent?: boolean;
  /**
   * 'auto' (default): the lean path (lean-mime.ts) where the message has a shape it reads,
   * else mailparser; 'mailparser': always mailparser, the reference the tests compare with.
   */
  mime?: 'auto' | 'mailparser';
  /**
   * Open message/rfc822 parts and record their attachments (default true). A caller that
   * walks nested messages itself (inspect-deep.ts) says false: opening every level again at
   * every level costs depth² parses and holds every level's bytes at once.
   */
  openNested?: boolean;
}

/**
 * mailparser's splitter opens every message/rfc822 part it meets, however deep, and its
 * memory grows with the depth times the size of what is inside (600 forwarded-within-
 * forwarded levels of a 4 MB message took 2 GB). Only PARSE_LIMITS.maxNestedMessageDepth
 * levels are ever read, so the raw message is cut before the part header that would open
 * more than MAX_EMBEDDED_PARTS of them; what follows is dropped, as a truncated message.
 */
const MAX_EMBEDDED_PARTS = 32;
const EMBEDDED = [Buffer.from('message/rfc822'), Buffer.from('Message/rfc822'), Buffer.from('MESSAGE/RFC822'), Buffer.from('message/RFC822'), Buffer.from('Message/RFC822'), Buffer.from('message/global')];

export function cutDeepNesting(raw: Buffer): Buffer {
  const found: number[] = [];
  for (const needle of EMBEDDED) {
    for (let i = raw.indexOf(needle); i >= 0 && found.length <= MAX_EMBEDDED_PARTS * EMBEDDED.length; i = raw.indexOf(needle, i + needle.length)) found.push(i);
  }
  if (found.length <= MAX_EMBEDDED_PARTS) return raw;
  found.sort((a, b) => a - b);
  const at = found[MAX_EMBEDDED_PARTS]!;
  const lineStart = raw.lastIndexOf(0x0a, at) + 1;
  return raw.subarray(0, lineStart);
}

/**
 * The MIME content of a message: the lean path's reading, or simpleParser's. `lean` says
 * which: the lean path reads only multiparts whose delimiters it found, so the boundary
 * check of mimeDefects has nothing to add for it.
 */
async function readMime(whole: Buffer, opts: ParseOptions): Promise<MimeContent & { lean?: true; cut?: true; textPartsCut?: number }> {
  const capped = capTextParts(whole);
  const raw = capped.raw;
  const textCut = capped.cut > 0 ? { textPartsCut: capped.cut } : {};
  if (opts.mime !== 'mailparser') {
    const lean = leanMime(raw);
    if (lean) return { ...lean, lean: true, ...textCut };
  }
  const bounded = cutDeepNesting(raw);
  const p = await simpleParser(bounded, MAILPARSER_OPTIONS);
  return {
    ...textCut,
    ...(bounded.length < raw.length ? { cut: true as const } : {}),
    ...(typeof p.text === 'string' ? { text: p.text } : {}),
    ...(typeof p.html === 'string' ? { html: p.html } : {}),
    attachments: p.attachments.map((a) => ({
      content: Buffer.isBuffer(a.content) ? a.content : Buffer.from(a.content ?? ''),
      contentType: a.contentType,
      ...(a.filename ? { filename: a.filename } : {}),
      // mailparser passes x-uuencode (and x-yenc) parts through undecoded; expandEncodedFiles decodes them.
      transferEncoding: String(a.headers?.get('content-transfer-encoding') ?? ''),
    })),
  };
}


function allAngleIds(v: string | undefined): string[] {
  if (!v) return [];
  const ids = [...v.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!);
  return ids.length > 0 ? ids : v.split(/\s+/).filter((s) => s.includes('@'));
}

function parseDate(v: string | undefined): string | null {
  if (!v) return null;
  const cleaned = v.replace(/\([^)]*\)/g, ' ').replace(/\s+/g, ' ').trim();
  let t = Date.parse(cleaned);
  if (Number.isNaN(t)) {
    // "Tue, 3 Nov 2020 10:22:01 JST" and similar zone names that Date.parse does not know.
    const jst = cleaned.replace(/\bJST$/i, '+0900');
    t = Date.parse(jst);
  }
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function single(list: MailAddress[]): MailAddress | null {
  return list[0] ?? null;
}

/**
 * mailparser decodes an encoded-word labelled us-ascii byte for byte, so an ISO-2022-JP
 * file name in such a word (s-nail, PHPMailer) comes out with raw ESC sequences; read
 * those as ISO-2022-JP.
 */
function repairFilename(name: string): string {
  if (!name.includes('\x1b')) return name;
  if ([...name].some((c) => c.charCodeAt(0) > 0xff)) return name;
  return decodeBytes(Buffer.from(name, 'latin1'), 'iso-2022-jp').text;
}

/** Plain text from HTML for searching; never rendered, so a tag strip is enough. */
function htmlToSearchText(html: string): string {
  return html
    .slice(0, PARSE_LIMITS.maxBodyChars)
    .replace(/<(script|style)[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<br\s*\/?>|<\/p\s*>|<\/div\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&amp;/gi, '&');
}

function mimeDefects(raw: Buffer, bodyOffset: number, contentType: string | undefined): string[] {
  const defects: string[] = [];
  if (!contentType || !/^\s*multipart\//i.test(contentType)) return defects;
  const b = /boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(contentType);
  const boundary = b?.[1] ?? b?.[2];
  if (!boundary) {
    defects.push('multipart without a boundary parameter');
    return defects;
  }
  const body = raw.subarray(bodyOffset);
  if (body.indexOf('--' + boundary) < 0) defects.push('start boundary not found');
  else if (body.indexOf('--' + boundary + '--') < 0) defects.push('close boundary not found');
  return defects;
}

/** An attachment with the files opened from it (a TNEF part's), recorded under it as a nested message's are. */
type Expanded = LeanAttachment & { children?: Expanded[] };

function tnefFiles(m: TnefMessage): Expanded[] {
  return m.attachments.map((a) => ({
    content: a.data,
    contentType: a.embedded ? 'application/ms-tnef' : a.mimeType?.toLowerCase().trim() || typeFromName(a.name, undefined),
    ...(a.name ? { filename: a.name } : {}),
    ...(a.embedded ? { children: tnefFiles(a.embedded) } : {}),
  }));
}

const TNEF_TYPE = /^application\/(?:vnd\.)?ms-tnef$/i;

/**
 * Files carried inside the parts and the text of one message (the message itself, or a
 * nested one; `raw` is its bytes), the way mail programs other than MIME ones sent them:
 * uuencoded, BinHex and yEnc files replace the part or the text lines that carried them
 * (uuencode.ts, binhex.ts, yenc.ts: each step passes the other parts on); a TNEF part
 * (winmail.dat) stays, and the files in it become its children (tnef.ts). `tnefBody` is
 * the body of the first TNEF part, for a message whose MIME has no text. `binhexBudget` is
 * shared by a message and the messages nested in it (BinHex's run-length coding makes a
 * few bytes in many out).
 */
function expandEncodedFiles(
  atts: readonly UuInput[],
  text: string | undefined,
  raw: Buffer,
  defects: string[],
  binhexBudget: { left: number },
): { attachments: Expanded[]; text?: string; tnefBody?: string } {
  // The decoders report faults as defects and do not throw; should one throw all the same
  // (a bug, or memory), its step is skipped with a defect, and the message is still read.
  const step = <R>(name: string, skipped: R, run: () => R): R => {
    try {
      return run();
    } catch (e) {
      defects.push(`${name} decoding failed (${(e as Error).message}); left as sent`);
      return skipped;
    }
  };
  const uu = step('uuencode', { attachments: [...atts], text }, () => expandUuencoded(atts, text, defects));
  const binhex = step('BinHex', uu, () => expandBinHex(uu.attachments, uu.text, defects, binhexBudget));
  const yenc = step('yEnc', binhex, () => expandYenc(binhex.attachments, binhex.text, raw, defects));
  let tnefBody: string | undefined;
  const attachments = yenc.attachments.map((a): Expanded => {
    const { transferEncoding: _, ...att } = a as UuInput;
    const where = `TNEF part ${JSON.stringify(att.filename ?? '')}`;
    if (!isTnef(att.content)) {
      if (TNEF_TYPE.test(att.contentType ?? '')) defects.push(`${where}: no TNEF signature; kept as sent, not opened`);
      return att;
    }
    const m = step(where, null, () => readTnef(att.content));
    if (!m) return att;
    defects.push(...m.defects.map((d) => `${where}: ${d}`));
    // Line ends as mailparser gives a text body's: LF.
    const body = (m.body || (m.bodyHtml ? htmlToSearchText(m.bodyHtml) : '')).replace(/\r\n?/g, '\n');
    if (tnefBody === undefined && body) tnefBody = body;
    return { ...att, children: tnefFiles(m) };
  });
  return { attachments, ...(yenc.text === undefined ? {} : { text: yenc.text }), ...(tnefBody === undefined ? {} : { tnefBody }) };
}

interface Collected {
  records: AttachmentRecord[];
  defects: string[];
  /** What is left of BINHEX_LIMITS.maxBytesOut for the message and its nested ones. */
  binhexBudget: { left: number };
}

async function collectAttachments(
  atts: readonly Expanded[],
  nestPath: string,
  depth: number,
  out: Collected,
  opts: ParseOptions,
): Promise<void> {
  for (const a of atts) {
    if (out.records.length >= PARSE_LIMITS.maxAttachments) {
      out.defects.push(`more than ${PARSE_LIMITS.maxAttachments} attachments; rest not recorded`);
      return;
    }
    const content = a.content;
    const ordinal = out.records.length;
    const declaredType = (a.contentType ?? 'application/octet-stream').toLowerCase();
    out.records.push({
      ordinal,
      nestPath,
      filename: repairFilename(a.filename ?? ''),
      declaredType,
      sniffedType: sniffType(content),
      size: content.length,
      ...digests(content),
      ...(opts.keepContent ? { content } : {}),
    });
    const childPath = nestPath === '' ? String(ordinal) : `${nestPath}/${ordinal}`;
    if (a.children?.length) {
      if (depth + 1 > PARSE_LIMITS.maxNestedMessageDepth) out.defects.push(`files in ${declaredType} nested deeper than ${PARSE_LIMITS.maxNestedMessageDepth}; not recorded at ${childPath}`);
      else await collectAttachments(a.children, childPath, depth + 1, out, opts);
    }
    if ((declaredType === 'message/rfc822' || declaredType === 'message/global') && opts.openNested !== false) {
      if (depth + 1 > PARSE_LIMITS.maxNestedMessageDepth) {
        out.defects.push(`message/rfc822 nested deeper than ${PARSE_LIMITS.maxNestedMessageDepth}; not opened at ${childPath}`);
        continue;
      }
      try {
        const inner = await readMime(content, opts);
        const found: string[] = [];
        const innerAtts = expandEncodedFiles(inner.attachments, inner.text, content, found, out.binhexBudget).attachments;
        out.defects.push(...found.map((d) => `nested message at ${childPath}: ${d}`));
        await collectAttachments(innerAtts, childPath, depth + 1, out, opts);
      } catch (e) {
        out.defects.push(`nested message at ${childPath} unreadable: ${(e as Error).message}`);
      }
    }
  }
}

const MAILPARSER_OPTIONS = {
  Iconv: LabelAwareDecoder,
  // The HTML-to-text conversion is mailparser's most expensive step and we never show
  // HTML: htmlToSearchText covers what the analysis needs.
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipTextLinks: true,
  skipImageLinks: true,
  maxHtmlLengthToParse: PARSE_LIMITS.maxBodyChars,
} as const;

function canonicalHash(m: Omit<ParsedMessage, 'contentHash'>): string {
  const h = createHash('sha256');
  const addr = (a: MailAddress | null) => (a ? a.address : '');
  h.update(`id:${m.messageId ?? ''}\n`);
  h.update(`date:${m.date ?? m.dateRaw ?? ''}\n`);
  h.update(`from:${addr(m.from)}\n`);
  h.update(`to:${m.to.map((a) => a.address).sort().join(',')}\n`);
  h.update(`subject:${m.subject}\n`);
  // Line ends and trailing white space differ between a journal copy and a Sent copy.
  h.update(`text:${m.text.replace(/[ \t]+$/gm, '').replace(/\r\n/g, '\n').trim()}\n`);
  for (const a of m.attachments) h.update(`att:${a.sha256}\n`);
  return h.digest('hex');
}

export async function parseMessage(raw: Buffer, opts: ParseOptions = {}): Promise<ParsedMessage> {
  const block = splitHeaders(raw);
  const defects = [...block.defects];
  const h = (name: string) => firstHeader(block, name);

  const parsed = await readMime(raw, opts);
  // Files in other encodings than MIME's (uuencode, BinHex, yEnc) become attachments; TNEF parts are opened.
  const binhexBudget = { left: BINHEX_LIMITS.maxBytesOut };
  const expanded = expandEncodedFiles(parsed.attachments, parsed.text, raw, defects, binhexBudget);
  if (parsed.textPartsCut) defects.push(`${parsed.textPartsCut} inline text part(s) longer than ${MAX_TEXT_PART_BYTES} bytes cut there before decoding`);
  if (parsed.cut) defects.push(`more than ${MAX_EMBEDDED_PARTS} embedded messages: read up to the ${MAX_EMBEDDED_PARTS + 1}th, the rest left unread`);
  const collected: Collected = { records: [], defects: [], binhexBudget };
  await collectAttachments(expanded.attachments, '', 0, collected, opts);
  defects.push(...collected.defects, ...(parsed.lean ? [] : mimeDefects(raw, block.bodyOffset, h('content-type'))));

  let text = typeof expanded.text === 'string' ? expanded.text : '';
  const html = typeof parsed.html === 'string' ? parsed.html : '';
  if (text === '' && html !== '') text = htmlToSearchText(html);
  // A message sent as TNEF only (Exchange's "rich text" to a recipient it took for Outlook) has its body in winmail.dat.
  if (text === '' && expanded.tnefBody) text = expanded.tnefBody;
  if (text.length > PARSE_LIMITS.maxBodyChars) {
    text = text.slice(0, PARSE_LIMITS.maxBodyChars);
    defects.push('text body cut');
  }
  const dateRaw = h('date') ?? null;
  const date = parseDate(dateRaw ?? undefined);
  if (dateRaw && !date) defects.push('unreadable Date header');

  const base: Omit<ParsedMessage, 'contentHash'> = {
    messageId: angleId(h('message-id')),
    inReplyTo: angleId(h('in-reply-to')),
    references: allAngleIds(headerValues(block, 'references').join(' ')),
    date,
    dateRaw: dateRaw === null ? null : decodeHeaderValue(dateRaw),
    subject: decodeHeaderValue(h('subject') ?? '').trim(),
    from: single(parseAddressList(h('from'))),
    sender: single(parseAddressList(h('sender'))),
    replyTo: parseAddressList(h('reply-to')),
    to: headerValues(block, 'to').flatMap((v) => parseAddressList(v)),
    cc: headerValues(block, 'cc').flatMap((v) => parseAddressList(v)),
    bcc: headerValues(block, 'bcc').flatMap((v) => parseAddressList(v)),
    received: headerValues(block, 'received').map(parseReceived),
    xOriginatingIp: (h('x-originating-ip') ?? '').replace(/[[\]\s]/g, '') || null,
    authenticationResults: headerValues(block, 'authentication-results').map((v) => decodeHeaderValue(v)),
    text,
    html: html.slice(0, PARSE_LIMITS.maxBodyChars),
    urls: extractUrls(text, html),
    attachments: collected.records,
    defects,
    size: raw.length,
  };
  return { ...base, contentHash: canonicalHash(base) };
}

export { canonicalHash };
