// File type from the first bytes, never from the name or the declared MIME type:
// attackers rename macro documents and archives, and mail programs mislabel them.

export type SniffedType =
  | 'ole' // Compound File: .doc .xls .ppt .msg vbaProject.bin, encrypted OOXML
  | 'zip' // includes OOXML (.docx .xlsm …), .jar, .odt
  | 'rar'
  | '7z'
  | 'gzip'
  | 'bzip2'
  | 'xz'
  | 'cab'
  | 'pdf'
  | 'rtf'
  | 'pe' // Windows executable / DLL
  | 'elf'
  | 'lnk'
  | 'onenote'
  | 'iso'
  | 'png'
  | 'jpeg'
  | 'gif'
  | 'bmp'
  | 'html'
  | 'xml'
  | 'mail'
  | 'text'
  | 'empty'
  | 'binary';

const ONENOTE_GUID = Buffer.from('e4525c7b8cd8a74daeb15378d02996d3', 'hex');
const LNK_HEADER = Buffer.from('4c0000000114020000000000c000000000000046', 'hex');

function startsWith(b: Uint8Array, sig: number[], at = 0): boolean {
  if (b.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[at + i] !== sig[i]) return false;
  return true;
}

function looksLikeText(b: Uint8Array): boolean {
  const n = Math.min(b.length, 4096);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c === 0) return false;
    if (c < 0x09 || (c > 0x0d && c < 0x20 && c !== 0x1b)) control++;
  }
  return control <= n / 100;
}

/** Header fields that every real message carries at least one of. */
const KNOWN_FIELD = /^(?:return-path|received|from|to|subject|date|message-id|mime-version|delivered-to|content-type|sender|reply-to|x-mailer|user-agent):/im;
/** RFC 5322 field name: printable ASCII except colon, then a colon. */
const FIELD_LINE = /^[!-9;-~]+:/;

/** True when the bytes open like a mail message: a header field first, a well-known one among the first lines. */
export function looksLikeMail(b: Uint8Array): boolean {
  if (b.length === 0) return false;
  const head = Buffer.from(b.subarray(0, Math.min(b.length, 8192))).toString('latin1');
  if (!FIELD_LINE.test(head)) return false;
  const end = head.search(/\r?\n\r?\n/);
  const fields = end < 0 ? head : head.slice(0, end);
  // Only the header block must be text: a body of raw 8-bit data (yEnc, an 8bit part) is still mail.
  return looksLikeText(Buffer.from(fields, 'latin1')) && KNOWN_FIELD.test(fields);
}

/** True for bytes that are text (no NUL, few control characters). */
export function isText(b: Uint8Array): boolean {
  return b.length > 0 && looksLikeText(b);
}

export function sniffType(b: Uint8Array): SniffedType {
  if (b.length === 0) return 'empty';
  if (startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'ole';
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x50, 0x4b, 0x05, 0x06]) || startsWith(b, [0x50, 0x4b, 0x07, 0x08])) return 'zip';
  if (startsWith(b, [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07])) return 'rar';
  if (startsWith(b, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return '7z';
  if (startsWith(b, [0x1f, 0x8b])) return 'gzip';
  if (startsWith(b, [0x42, 0x5a, 0x68])) return 'bzip2';
  if (startsWith(b, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return 'xz';
  if (startsWith(b, [0x4d, 0x53, 0x43, 0x46])) return 'cab';
  if (startsWith(b, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf';
  if (startsWith(b, [0x7b, 0x5c, 0x72, 0x74])) return 'rtf'; // "{\rt": Word also opens "{\rt1"
  if (startsWith(b, [0x4d, 0x5a])) return 'pe';
  if (startsWith(b, [0x7f, 0x45, 0x4c, 0x46])) return 'elf';
  if (b.length >= 20 && Buffer.from(b.subarray(0, 20)).equals(LNK_HEADER)) return 'lnk';
  if (b.length >= 16 && Buffer.from(b.subarray(0, 16)).equals(ONENOTE_GUID)) return 'onenote';
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47])) return 'png';
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(b, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (startsWith(b, [0x42, 0x4d]) && b.length > 26) return 'bmp';
  // ISO 9660: "CD001" at 0x8001 (the first volume descriptor, after 32 KiB of system area).
  if (startsWith(b, [0x43, 0x44, 0x30, 0x30, 0x31], 0x8001)) return 'iso';
  if (looksLikeText(b)) {
    const head = Buffer.from(b.subarray(0, 512)).toString('latin1').replace(/^\uFEFF|^\xef\xbb\xbf/, '').trimStart().toLowerCase();
    if (head.startsWith('<!doctype html') || head.startsWith('<html')) return 'html';
    if (head.startsWith('<?xml')) return 'xml';
    if (looksLikeMail(b)) return 'mail';
    return 'text';
  }
  return 'binary';
}
