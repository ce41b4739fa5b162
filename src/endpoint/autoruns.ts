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
import { loadedFile, matchAutorun, pathFacts, type AutorunFacts, type Place } from './autoruns-rules.js';
import type { UnreadableSink } from './read-endpoint.js';
import { hostBesideToolName, parseToolTime, profileUser, rowFields } from './tool-output.js';
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

/**
 * The PC an export was taken on, from its file name: `autoruns-PC-NAME.csv`,
 * `PC-NAME_autoruns.csv` (Microsoft's Autoruns.vbs writes `%COMPUTERNAME%_Autoruns.csv`),
 * with a date after the name allowed. Null when the name says nothing.
 */
export function hostFromExportName(fileName: string): string | null {
  return hostBesideToolName(fileName, 'autorunsc?(?:64)?', 'csv|tsv|txt');
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
    const f = rowFields(raw, delimiter);
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
