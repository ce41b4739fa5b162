// Sysinternals Autoruns exports: the CSV of `autorunsc -c` (and the tab-separated text of
// `-ct`) and the CSV people save from the Autoruns window. Columns are found by their
// header names, since each option adds some: autorunsc writes
//   Time,Entry Location,Entry,Enabled,Category,Profile,Description,Signer,Company,
//   Image Path,Version,Launch String
// (Signer with -s; -h appends MD5,SHA-1,PESHA-1,PESHA-256,SHA-256,IMP), and PowerShell
// remoting adds PSComputerName; the window's export names the signer column Publisher.
// autorunsc prints its banner and a blank line before the header unless -nobanner is given,
// and one row with an empty Entry for each location before that location's entries.
// Each entry becomes AutorunFacts, and the first rule of autoruns-rules.ts it fits gives its
// finding; an entry no rule fits gives none. Disabled entries are judged like enabled ones:
// Emotet's Run value, even disabled, shows the PC ran Emotet.
import { parse } from 'csv-parse/sync';
import { loadedFile, matchAutorun, pathFacts, type AutorunFacts, type Place } from './autoruns-rules.js';
import type { UnreadableSink } from './read-endpoint.js';
import type { EndpointFinding } from './types.js';

type Column = 'time' | 'location' | 'entry' | 'enabled' | 'category' | 'profile' | 'signer' | 'verified' | 'image' | 'launch' | 'host';

const COLUMN_NAMES: Record<string, Column> = {
  time: 'time',
  'entry location': 'location',
  entry: 'entry',
  enabled: 'enabled',
  category: 'category',
  profile: 'profile',
  signer: 'signer',
  publisher: 'signer',
  verified: 'verified',
  'image path': 'image',
  'launch string': 'launch',
  pscomputername: 'host',
  computer: 'host',
  computername: 'host',
  'computer name': 'host',
  hostname: 'host',
  'host name': 'host',
  host: 'host',
  system: 'host',
};

function headerNames(line: string): string[] {
  return line
    .replace(/^\uFEFF/, '')
    .split(line.includes('\t') ? '\t' : ',')
    .map((f) => f.trim().replace(/^"|"$/g, '').trim().toLowerCase());
}

/** The header of an Autoruns export: Entry Location and Entry, and Image Path or Launch String. */
export function isAutorunsHeader(line: string): boolean {
  const names = headerNames(line);
  return names.includes('entry location') && names.includes('entry') && (names.includes('image path') || names.includes('launch string'));
}

/** The fields of one CSV or tab-separated row; null when a quote is left open. */
function fields(line: string, delimiter: string): string[] | null {
  try {
    const rows = parse(line, { delimiter, relax_quotes: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
    return rows[0] ?? [];
  } catch {
    return null;
  }
}

const MONTH_FIRST_PM = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))? ?([AP]M)$/i;

function utcIso(y: number, mo: number, d: number, h: number, mi: number, s: number, offsetMinutes: number): string | null {
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const c = new Date(ms);
  if (c.getUTCFullYear() !== y || c.getUTCMonth() !== mo - 1 || c.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return new Date(ms - offsetMinutes * 60_000).toISOString();
}

/**
 * A time a Windows tool wrote: `YYYYMMDD-hhmmss` is UTC (autorunsc -t, "normalized UTC");
 * the year-first short dates of Japanese, Chinese and ISO locales (`2024/4/1 15:26`), the
 * US `4/1/2024 3:26 PM` and the day-first dotted `1.4.2024 15:26` are the PC's local time,
 * taken as UTC plus offsetMinutes. Null for any other layout: a day-first date with slashes
 * cannot be told from a month-first one.
 */
export function parseToolTime(text: string, offsetMinutes: number): string | null {
  const t = text.trim();
  let m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})$/.exec(t);
  if (m) return utcIso(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!, 0);
  m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  if (m) return utcIso(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0), offsetMinutes);
  m = MONTH_FIRST_PM.exec(t);
  if (m) {
    const h = (+m[4]! % 12) + (m[7]!.toUpperCase() === 'PM' ? 12 : 0);
    return +m[4]! > 12 ? null : utcIso(+m[3]!, +m[1]!, +m[2]!, h, +m[5]!, +(m[6] ?? 0), offsetMinutes);
  }
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  if (m) return utcIso(+m[3]!, +m[2]!, +m[1]!, +m[4]!, +m[5]!, +(m[6] ?? 0), offsetMinutes);
  return null;
}

/** A computer name as Windows allows it (NetBIOS: 15 characters; DNS labels up to 63). */
const HOST = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;

/**
 * The PC an export was taken on, from its file name: `autoruns-PC-NAME.csv`,
 * `PC-NAME_autoruns.csv` (Microsoft's Autoruns.vbs writes `%COMPUTERNAME%_Autoruns.csv`),
 * with a date after the name allowed. Null when the name says nothing.
 */
export function hostFromExportName(fileName: string): string | null {
  const stem = fileName.replace(/\.(?:csv|tsv|txt)$/i, '');
  const m = /^autorunsc?(?:64)?[-_ ](.+)$/i.exec(stem) ?? /^(.+?)[-_ ]autorunsc?(?:64)?$/i.exec(stem);
  if (!m) return null;
  const host = m[1]!.replace(/[-_ ]\d{8}(?:[-_ ]?\d{4,6})?$/, '');
  return HOST.test(host) && !/^\d+$/.test(host) ? host : null;
}

/** Where an entry lives, from its category and location. */
function placeOf(category: string, location: string): Place | null {
  const c = category.trim().toLowerCase();
  const l = location.trim().toLowerCase();
  if (c === 'wmi' || l.startsWith('wmi')) return 'wmi';
  if (c === 'tasks' || c === 'scheduled tasks' || l === 'task scheduler') return 'task';
  if (c === 'services' || (c === '' && /\\services$/.test(l))) return 'service';
  // Run, RunOnce, Policies\Explorer\Run, the Wow6432Node copies, the Startup folders.
  if (c === 'logon' || /\\run(?:once(?:ex)?|services(?:once)?)?$/.test(l) || /\\start menu\\programs\\startup$/.test(l)) return 'run-key';
  return null;
}

function signatureOf(signer: string, verified: string): AutorunFacts['signature'] {
  const s = `${verified} ${signer}`.trim();
  if (/^\(verified\)|^verified\b|^signed\b/i.test(s)) return 'verified';
  if (/^\(not verified\)|^not verified\b|^unsigned\b/i.test(s)) return 'not-verified';
  return 'unknown';
}

/** The account of a path in a user profile (`C:\Users\taro\…` → taro). */
function profileUser(path: string | undefined): string | null {
  if (!path) return null;
  const m = /^[a-z]:\\(?:users|documents and settings)\\([^\\]+)\\/i.exec(path.trim().replace(/^"/, ''));
  return m && !/^(?:public|default|all users|%user%)$/i.test(m[1]!) ? m[1]! : null;
}

/** The findings of one Autoruns export, its lines already decoded. */
export function readAutoruns(lines: string[], fileName: string, offsetMinutes: number, bad: UnreadableSink): EndpointFinding[] {
  const at = lines.findIndex(isAutorunsHeader);
  if (at < 0) {
    bad(1, 'no Autoruns header line');
    return [];
  }
  const header = lines[at]!;
  const delimiter = header.includes('\t') ? '\t' : ',';
  const col = new Map<Column, number>();
  headerNames(header).forEach((n, i) => {
    const c = COLUMN_NAMES[n];
    if (c && !col.has(c)) col.set(c, i);
  });
  const fileHost = hostFromExportName(fileName);
  const out: EndpointFinding[] = [];

  for (let i = at + 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const f = fields(raw, delimiter);
    const get = (c: Column): string => {
      const k = col.get(c);
      return f && k !== undefined ? (f[k] ?? '').trim() : '';
    };
    if (!f || f.length <= Math.max(col.get('entry')!, col.get('location')!)) {
      bad(i + 1, raw);
      continue;
    }
    const entry = get('entry');
    // A location's own row, before its entries: no entry to judge.
    if (entry === '') continue;
    const location = get('location');
    const imagePath = get('image');
    const launch = get('launch');
    const loaded = launch ? loadedFile(launch) : null;
    const loadedFacts = loaded ? pathFacts(loaded.file) : null;
    const facts: AutorunFacts = {
      place: placeOf(get('category'), location),
      name: entry,
      image: imagePath ? pathFacts(imagePath) : null,
      loaded: loaded && loadedFacts ? { ...loadedFacts, loader: loaded.loader } : null,
      command: launch || imagePath,
      signature: signatureOf(get('signer'), get('verified')),
    };
    const rule = matchAutorun(facts);
    if (!rule) continue;
    const profile = get('profile');
    // The Profile column names the account (autorunsc -a * with user '*' lists every profile);
    // without it, the user folder the entry's file lies in.
    const user = profile && !/^system-wide$/i.test(profile) ? profile : (profileUser(loaded?.file) ?? profileUser(imagePath));
    out.push({
      source: 'autoruns',
      line: i + 1,
      host: get('host') || fileHost,
      time: parseToolTime(get('time'), offsetMinutes),
      kind: rule.kind,
      weight: rule.weight,
      subject: `${location.replace(/\\+$/, '')}\\${entry}: ${facts.command}`,
      rule: rule.id,
      remote: null,
      user,
    });
  }
  return out;
}
