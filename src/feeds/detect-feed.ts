// Which feed a file is, from its first lines (and its name, when the banner is gone): the
// header lines and banners abuse.ch writes are distinctive, so a feed is recognised by
// them, never by a guess. A plain IOC list is never recognised here: a list of domains
// or addresses looks like too many other things, so it is read as one only when the user
// says so (--ioc), see read-feed.ts.
import { splitCsvLine } from './feed-row.js';
import { isFeodoHeader } from './feodo.js';
import { isIpAddress, normaliseHost, normaliseUrl } from './indicator.js';
import { isThreatfoxHeader } from './threatfox.js';
import type { FeedSource } from './types.js';
import { isUrlhausHeader } from './urlhaus.js';

export interface DetectedFeed {
  source: FeedSource;
  format: string;
}

/** Lines as the callers pass them: maybe decoded as Latin-1 (a UTF-8 BOM shows as "ï»¿"), maybe UTF-16 with NULs left. */
function clean(line: string): string {
  return line.replace(/\u0000/g, '').replace(/^(?:\uFEFF|ï»¿)/, '').replace(/\r$/, '');
}

function isIpLine(l: string): boolean {
  const h = normaliseHost(l.trim());
  return h !== null && isIpAddress(h);
}

/** A URLhaus dump row: eight or nine fields, one of them the entry's urlhaus.abuse.ch page. */
function isUrlhausRow(l: string): boolean {
  const f = splitCsvLine(l);
  return !!f && (f.length === 8 || f.length === 9) && f.some((v) => /^https?:\/\/urlhaus\.abuse\.ch\/url\/\d+\/?$/i.test(v));
}

/** A Feodo CSV row: five or six fields, the second an IP address and the third a port. */
function isFeodoRow(l: string): boolean {
  const f = splitCsvLine(l);
  return !!f && (f.length === 5 || f.length === 6) && isIpLine(f[1]!) && /^\d{1,5}$/.test(f[2]!);
}

function all(lines: string[], test: (l: string) => boolean): boolean {
  return lines.length > 0 && lines.every(test);
}

export function detectFeed(lines: string[], fileName: string): DetectedFeed | null {
  const head = lines.slice(0, 200).map(clean);
  const text = head.join('\n').trimStart();
  if (text.startsWith('{')) {
    // ThreatFox JSON: `{ "<ioc_id>": [ { "ioc_value": …, "ioc_type": … } ] }`.
    const keyed = /^\{\s*"\d+"\s*:\s*\[/.test(text);
    if (keyed && /"ioc_value"\s*:/.test(text) && /"ioc_type"\s*:/.test(text)) return { source: 'threatfox', format: 'threatfox-json' };
    if (keyed && /threatfox/i.test(fileName)) return { source: 'threatfox', format: 'threatfox-json' };
    return null;
  }
  if (head.some(isThreatfoxHeader)) return { source: 'threatfox', format: 'threatfox-csv' };
  if (head.some(isUrlhausHeader)) return { source: 'urlhaus', format: 'urlhaus-csv' };
  if (head.some(isFeodoHeader)) return { source: 'feodo', format: 'feodo-ipblocklist-csv' };

  const banner = head.filter((l) => l.trimStart().startsWith('#')).join('\n');
  const rows = head.filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#')).slice(0, 20);
  if (/URLhaus/i.test(banner)) {
    // The host file and the RPZ zone list host names for blocking: not read here.
    if (/host ?file|RPZ|response policy/i.test(banner)) return null;
    if (all(rows, isUrlhausRow) || (rows.length === 0 && /\(CSV/i.test(banner))) return { source: 'urlhaus', format: 'urlhaus-csv' };
    if (all(rows, (l) => normaliseUrl(l.trim()) !== null)) return { source: 'urlhaus', format: 'urlhaus-text' };
    return null;
  }
  if (/Feodo Tracker/i.test(banner)) {
    if (all(rows, isFeodoRow) || (rows.length === 0 && /\(CSV\)/i.test(banner))) return { source: 'feodo', format: 'feodo-ipblocklist-csv' };
    if (all(rows, isIpLine) || rows.length === 0) return { source: 'feodo', format: 'feodo-ipblocklist-txt' };
    return null;
  }
  if (/ThreatFox/i.test(banner) && all(rows, (l) => (splitCsvLine(l)?.length ?? 0) >= 14)) return { source: 'threatfox', format: 'threatfox-csv' };
  // No banner (cut off, or re-saved by a tool): the rows themselves, or the rows and the file's name.
  if (all(rows, isUrlhausRow)) return { source: 'urlhaus', format: 'urlhaus-csv' };
  if (/urlhaus/i.test(fileName) && all(rows, (l) => /^\s*https?:\/\//i.test(l) && normaliseUrl(l.trim()) !== null)) return { source: 'urlhaus', format: 'urlhaus-text' };
  if (/ipblocklist/i.test(fileName)) {
    if (all(rows, isFeodoRow)) return { source: 'feodo', format: 'feodo-ipblocklist-csv' };
    if (all(rows, isIpLine)) return { source: 'feodo', format: 'feodo-ipblocklist-txt' };
  }
  return null;
}
