// IOC lists for --ioc: URLhaus and Feodo Tracker CSV exports (comment lines start with
// "#", the last comment names the columns), or a plain list of one indicator per line
// (URL, SHA-256/SHA-1/MD5, mail address, domain, IPv4).
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { IndexedEntry } from './feed-index.js';
import type { IocList } from './verdicts.js';

export function emptyIocList(): IocList {
  return { urls: new Set(), hashes: new Set(), senders: new Set(), domains: new Set() };
}

function addPlain(list: IocList, raw: string): void {
  const v = raw.trim().replace(/^"|"$/g, '');
  if (!v || v.startsWith('#')) return;
  if (/^(?:https?|ftp):\/\//i.test(v)) list.urls.add(v);
  else if (/^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$/i.test(v)) list.hashes.add(v.toLowerCase());
  else if (/^[^@\s]+@[^@\s]+$/.test(v)) list.senders.add(v.toLowerCase());
  else if (/^(?:\d{1,3}\.){3}\d{1,3}$/.test(v) || /^[a-z0-9.-]+\.[a-z]{2,}$/i.test(v)) list.domains.add(v.toLowerCase());
}

export function loadIocList(path: string, into: IocList = emptyIocList()): IocList {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/);
  const comments = lines.filter((l) => l.startsWith('#'));
  const header = comments.length ? comments[comments.length - 1]!.replace(/^#\s*/, '').split(',').map((h) => h.trim().toLowerCase()) : [];
  const data = lines.filter((l) => l.trim() !== '' && !l.startsWith('#')).join('\n');
  if (header.includes('url') || header.includes('dst_ip')) {
    const rows = parse(data, { relax_column_count: true, relax_quotes: true }) as string[][];
    const url = header.indexOf('url');
    const ip = header.indexOf('dst_ip');
    for (const r of rows) {
      if (url >= 0 && r[url]) into.urls.add(r[url]!.trim());
      if (ip >= 0 && r[ip]) into.domains.add(r[ip]!.trim());
    }
    return into;
  }
  for (const l of lines) addPlain(into, l);
  return into;
}

/**
 * The feed entries the case holds (URLhaus, Feodo Tracker, ThreatFox exports and lists read
 * as scan inputs): a link in a mail to a listed URL, or to a listed domain or address, is a
 * known-bad link (rule R5). C2 address-and-port entries name servers bots call, not links.
 */
export function addFeedEntries(into: IocList, entries: Iterable<Pick<IndexedEntry, 'kind' | 'value' | 'host'>>): IocList {
  for (const e of entries) {
    if (e.kind === 'url') into.urls.add(e.value);
    else if ((e.kind === 'domain' || e.kind === 'ip') && e.host) into.domains.add(e.host);
  }
  return into;
}
