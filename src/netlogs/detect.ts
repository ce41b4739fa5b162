// Which network log format a file is, from its first lines. Strict on purpose: an MTA log,
// a mailbox, an Exchange tracking log (which has a "#Fields:" line too, comma-separated) or a
// Microsoft 365 export must never be taken for a proxy or firewall log, so each format is
// recognised by the shape of its records, not by a word that could occur anywhere.
import { looksLikeIp, splitCsv } from './common.js';
import { panosRecordStart } from './paloalto.js';
import { readFortiPairs } from './fortigate.js';
import type { NetLogFormat } from './types.js';
import { ZSCALER_WEB_FIELDS, nssTimeToIso } from './zscaler.js';

export const DETECT_LINES = 50;

/** W3C field identifiers that only a web server's or proxy's log has. */
const W3C_WEB_FIELDS = ['c-ip', 'cs-uri-stem', 'cs-uri', 'cs-uri-path', 'cs-host', 'cs(host)', 'cs-method', 's-action', 'cs(user-agent)', 'sc-status'];

const SQUID_NATIVE = /^\d{9,11}\.\d{1,6} +-?\d+ \S+ [A-Z_]+\/\d{3} \d+ \S+ \S+ \S+ \S+\/\S+ \S+/;
const CLF = /^\S+ \S+ \S+ \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] "[A-Z_]+ \S+(?: HTTP\/\d(?:\.\d)?)?" \d{3} (?:\d+|-)/;
const WIN_DNS_PACKET = /^\S+ (?:(?:午前|午後|\x8c\xdf(?:\x91\x4f|\x8c\xe3)) )?\d{1,2}:\d{2}:\d{2}(?: [AaPp][Mm])? [0-9A-Fa-f]+ PACKET +[0-9A-Fa-f]+ (?:UDP|TCP) (?:Snd|Rcv) \S+ +[0-9A-Fa-f]+ /;
const PANOS_TIME = /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}$|^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/;
const FORTI_START = /(?:^|[ >])date=\d{4}-\d{2}-\d{2} time=\d{1,2}:\d{2}:\d{2} /;

function zeekJsonKind(line: string): NetLogFormat | null {
  if (line.charCodeAt(0) !== 0x7b) return null;
  let o: Record<string, unknown>;
  try {
    const v: unknown = JSON.parse(line);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
    o = v as Record<string, unknown>;
  } catch {
    return null;
  }
  if (typeof o['id.orig_h'] !== 'string' || typeof o['id.resp_h'] !== 'string' || !('ts' in o)) return null;
  const path = o._path;
  if (path === 'http' || 'method' in o || 'status_code' in o || 'trans_depth' in o) return path && path !== 'http' ? null : 'zeek-http';
  if (path === 'dns' || 'qtype_name' in o || 'rcode_name' in o || 'trans_id' in o) return path && path !== 'dns' ? null : 'zeek-dns';
  if (path === 'conn' || 'conn_state' in o || 'history' in o) return path && path !== 'conn' ? null : 'zeek-conn';
  return null;
}

function zscalerLine(line: string): boolean {
  if (line.charCodeAt(0) !== 0x22) return false;
  const f = splitCsv(line);
  return f.length === ZSCALER_WEB_FIELDS && nssTimeToIso(f[0]!, 0) !== null && looksLikeIp(f[21]!);
}

function panosLine(line: string): boolean {
  const start = panosRecordStart(line);
  if (start < 0) return false;
  const f = splitCsv(line, start);
  return f.length > 30 && PANOS_TIME.test(f[1]!) && PANOS_TIME.test(f[6]!) && looksLikeIp(f[7]!);
}

function fortiLine(line: string): boolean {
  if (!FORTI_START.test(line)) return false;
  const at = line.indexOf('date=');
  const f: Record<string, string> = { type: '', logid: '' };
  return readFortiPairs(line, at, f) && f.type !== '' && f.logid !== '';
}

/**
 * The format of a file from its first lines (up to DETECT_LINES of them), or null when it is
 * none of ours. A line-oriented format needs most of its data lines to fit, not just one.
 */
export function detectNetLogFormat(lines: string[]): NetLogFormat | null {
  const head = lines.slice(0, DETECT_LINES);
  // Header-led formats: the header settles it.
  let zeekSeparator = false;
  for (const l of head) {
    if (l.startsWith('#separator \\x09')) zeekSeparator = true;
    if (zeekSeparator && l.startsWith('#path\t')) {
      const p = l.slice(6).trim();
      if (p === 'http' || p === 'dns' || p === 'conn') return `zeek-${p}` as NetLogFormat;
      return null;
    }
    if (/^#Fields:[ \t]/i.test(l)) {
      const names = l.slice(8).trim().split(/[ \t]+/).map((n) => n.toLowerCase());
      const web = names.filter((n) => W3C_WEB_FIELDS.includes(n)).length;
      const timed = names.includes('time') || names.includes('time-local');
      // Exchange message tracking also has "#Fields:", but its names are joined by commas.
      if (names.length >= 3 && web >= 2 && timed && !l.includes(',')) return 'w3c';
    }
    if (l.startsWith('DNS Server log file creation at ') || l.startsWith('Message logging key (for packets')) return 'windows-dns';
  }
  // Record-led formats: count what fits among the lines that could hold a record.
  const data = head.filter((l) => l.trim() !== '' && !l.startsWith('#'));
  if (data.length === 0) return null;
  const tests: [NetLogFormat | 'zeek-json', (l: string) => boolean][] = [
    ['squid', (l) => SQUID_NATIVE.test(l)],
    ['squid-common', (l) => CLF.test(l)],
    ['windows-dns', (l) => WIN_DNS_PACKET.test(l)],
    ['zscaler', zscalerLine],
    ['paloalto', panosLine],
    ['fortigate', fortiLine],
    ['zeek-json', (l) => zeekJsonKind(l) !== null],
  ];
  for (const [format, fits] of tests) {
    let n = 0;
    for (const l of data) if (fits(l)) n++;
    // Most data lines, and at least one. The Windows DNS debug log mixes packet lines with
    // other event lines and detail dumps: there one packet line among them is enough.
    const enough = format === 'windows-dns' ? n >= 1 && n * 4 >= data.length : n * 2 > data.length;
    if (!enough) continue;
    if (format !== 'zeek-json') return format;
    const kinds = new Set(data.map(zeekJsonKind).filter((k) => k !== null));
    return kinds.size === 1 ? [...kinds][0]! : null;
  }
  return null;
}
