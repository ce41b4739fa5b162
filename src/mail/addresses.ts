// Address lists: nodemailer's addressparser does the RFC 5322 tokenising (groups,
// quoted strings, comments); this module decodes the display names it returns.
import addressparser from 'nodemailer/lib/addressparser';
import { setBounded } from '../bounded-map.js';
import { decodeHeaderValue } from './header-decode.js';

export interface MailAddress {
  /** Decoded display name, '' when there is none. */
  name: string;
  /** Lower-cased address, '' when the field held none. */
  address: string;
}

/** More addresses than this in one field are cut: a hostile header could hold millions. */
const MAX_ADDRESSES_PER_FIELD = 10000;

/**
 * PHPMailer with CharSet ISO-2022-JP writes each ESC byte of a quoted display name as
 * the four characters `\033`; RFC 5322 would read them as "033". When the text after
 * them is an ISO-2022-JP designation, restore the ESC so the name can be read.
 */
function restoreOctalEscapes(binary: string): string {
  return binary.replace(/\\033(?=\$[@B]|\([BJI])/g, ESC_STANDIN);
}

/** addressparser drops control characters, so ESC travels through it as a private-use stand-in. */
const ESC_STANDIN = '\uE01B';

function decodeName(binary: string): string {
  return decodeHeaderValue(binary.replaceAll(ESC_STANDIN, '\x1b')).trim();
}

/**
 * The same address fields come back in message after message of a mailbox (the same
 * people write to each other): the most recent results are kept, by the field's bytes.
 */
const recent = new Map<string, MailAddress[]>();
const RECENT_MAX = 2048;
const RECENT_MAX_FIELD_CHARS = 1024;

export function parseAddressList(binary: string | undefined): MailAddress[] {
  if (!binary) return [];
  if (binary.length > RECENT_MAX_FIELD_CHARS) return parseUncached(binary);
  let hit = recent.get(binary);
  if (!hit) {
    hit = setBounded(recent, binary, parseUncached(binary), RECENT_MAX);
  }
  return hit.map((a) => ({ ...a }));
}

function parseUncached(binary: string): MailAddress[] {
  const out: MailAddress[] = [];
  const walk = (list: ReturnType<typeof addressparser>) => {
    for (const a of list) {
      if (out.length >= MAX_ADDRESSES_PER_FIELD) return;
      if (a.group) walk(a.group);
      else out.push({ name: decodeName(a.name ?? ''), address: decodeHeaderValue(a.address ?? '').trim().toLowerCase() });
    }
  };
  walk(addressparser(restoreOctalEscapes(binary).replaceAll('\x1b', ESC_STANDIN)));
  return out;
}

export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1).toLowerCase().replace(/\.$/, '');
}
