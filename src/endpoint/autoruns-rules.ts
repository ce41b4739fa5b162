// Which autostart entries have Emotet's shape: the rule table the Autoruns reader applies.
// Each rule is a place (a Run key, a service, a scheduled task, a WMI consumer) and a shape
// of what it starts; the first rule that fits an entry gives its finding. The shapes follow
// what JPCERT/CC's EmoCheck looks for (github.com/JPCERTCC/EmoCheck, emocheck/modules):
//   2020-08 (scan_v3): %LOCALAPPDATA%\<word>\<word>.exe, or SysWOW64\<word>\<word>.exe with
//     admin rights, <word> the name of a System32 program, and an HKCU Run value <word>;
//   2020-12 (scan_v4): %LOCALAPPDATA%\<Letters>\<letters>.<3 letters> (not .exe/.dll) run by
//     `rundll32.exe <file>,<export>` from an HKCU Run value, or from a service whose
//     image is under SysWOW64\<Letters>\ with admin rights;
//   2022 epochs 4 and 5 (EmoCheck 2.1–2.3): the same folders, the DLL run by
//     `regsvr32.exe "<file>"` (`regsvr32.exe "C:\Users\x\AppData\Local\Xyzabc\abcdef.dll"`).
// Emotet's DLLs are unsigned, so an image whose signature Autoruns verified is never
// matched by an image rule; a loader (regsvr32, rundll32) is Microsoft's own and signed,
// so loader rules look at the file it loads instead.
import { looksRandomName, looksRandomPair } from './random-name.js';

/** Where an autostart entry lives. */
export type Place = 'run-key' | 'service' | 'task' | 'wmi';

/** Which well-known folder a path lies in. */
export type Area = 'localappdata' | 'roaming' | 'temp' | 'syswow64' | 'system32' | 'other';

export interface PathFacts {
  /** The path, lower case, with environment variables written out. */
  path: string;
  area: Area;
  /** The folders between the area's root and the file (`['xyzabc']` for %LOCALAPPDATA%\Xyzabc\a.dll). */
  dirs: string[];
  file: string;
  /** File name without its extension, as written (case kept). */
  stem: string;
  /** Extension without the dot, lower case; '' when none. */
  ext: string;
}

export interface AutorunFacts {
  place: Place | null;
  /** The entry's name (the Run value, the service, the task). */
  name: string;
  image: PathFacts | null;
  /** The program a loader (regsvr32.exe, rundll32.exe) in the launch string loads. */
  loaded: (PathFacts & { loader: 'regsvr32' | 'rundll32' }) | null;
  /** The launch string (or the image path when there is none), for the WMI rules. */
  command: string;
  signature: 'verified' | 'not-verified' | 'unknown';
}

export type ShapeId =
  | 'loader-random-folder'
  | 'image-random-folder-and-file'
  | 'image-system-word-folder'
  | 'loader-user-folder'
  | 'image-random-name'
  | 'wmi-script-consumer'
  | 'wmi-consumer';

export interface AutorunsRule {
  id: string;
  place: Place;
  shape: ShapeId;
  kind: 'persistence' | 'wmi-persistence';
  weight: 'infected' | 'suspected';
  /** Why the rule has its weight. */
  why: string;
}

const SHAPE_WHY: Record<ShapeId, string> = {
  'loader-random-folder':
    'regsvr32/rundll32 loading a file from a folder of random letters directly under %LOCALAPPDATA%, %TEMP% or SysWOW64: the exact layout of Emotet 2020-12 and of epochs 4/5 in 2022; no installer names folders so',
  'image-random-folder-and-file': 'an unsigned program in a folder of random letters with a name of random letters, directly under %LOCALAPPDATA% or SysWOW64: Emotet 2020-12/2022 layout without the loader',
  'image-system-word-folder':
    'an unsigned program named like a System32 program (lower-case letters) in a folder of the same name under %LOCALAPPDATA% or SysWOW64, started under that same name: the Emotet 2020-08 layout EmoCheck scan_v3 looks for',
  'loader-user-folder':
    'regsvr32/rundll32 loading a file from the user profile (AppData, Temp) at every start: what Emotet does, but also what some small tools do, and the names are not random',
  'image-random-name': 'an unsigned program under %LOCALAPPDATA% or in SysWOW64 with one name (folder or file) of random letters: one half of the Emotet layout',
  'wmi-script-consumer': 'a WMI event consumer that runs a script interpreter, encoded PowerShell or a download: the fileless persistence of coin miners and other malware',
  'wmi-consumer': 'a WMI event consumer: rare on office PCs and used by malware for persistence, but some management tools register one',
};

function rule(place: Place, shape: ShapeId, weight: 'infected' | 'suspected', id: string): AutorunsRule {
  return { id, place, shape, kind: place === 'wmi' ? 'wmi-persistence' : 'persistence', weight, why: SHAPE_WHY[shape] };
}

/** The rules, strongest first within each place. */
export const AUTORUNS_RULES: readonly AutorunsRule[] = [
  rule('run-key', 'loader-random-folder', 'infected', 'run-key-loader-random-folder'),
  rule('run-key', 'image-random-folder-and-file', 'infected', 'run-key-random-appdata'),
  rule('run-key', 'image-system-word-folder', 'infected', 'run-key-system-word-appdata'),
  rule('run-key', 'loader-user-folder', 'suspected', 'run-key-loader-user-folder'),
  rule('run-key', 'image-random-name', 'suspected', 'run-key-random-name'),
  rule('service', 'loader-random-folder', 'infected', 'service-loader-random-folder'),
  rule('service', 'image-random-folder-and-file', 'infected', 'service-random-folder'),
  rule('service', 'image-system-word-folder', 'infected', 'service-system-word-folder'),
  rule('service', 'loader-user-folder', 'suspected', 'service-loader-user-folder'),
  rule('service', 'image-random-name', 'suspected', 'service-random-name'),
  rule('task', 'loader-random-folder', 'infected', 'task-loader-random-folder'),
  rule('task', 'image-random-folder-and-file', 'infected', 'task-random-folder'),
  rule('task', 'loader-user-folder', 'suspected', 'task-loader-user-folder'),
  rule('task', 'image-random-name', 'suspected', 'task-random-name'),
  rule('wmi', 'wmi-script-consumer', 'infected', 'wmi-script-consumer'),
  rule('wmi', 'wmi-consumer', 'suspected', 'wmi-consumer'),
];

/** A file directly in a folder directly under %LOCALAPPDATA% or SysWOW64 (System32 on 32-bit Windows). */
function inOneFolder(p: PathFacts, areas: readonly Area[]): boolean {
  return areas.includes(p.area) && p.dirs.length === 1;
}

const EMOTET_AREAS: readonly Area[] = ['localappdata', 'syswow64', 'system32'];

/** The default consumer Windows registers for Service Control Manager events: not persistence. */
const BENIGN_WMI = /^(?:SCM Event Log (?:Consumer|Filter)|BVTConsumer|BVTFilter)$/i;
const SCRIPT_COMMAND = /\b(?:powershell|pwsh|mshta|wscript|cscript|cmd(?:\.exe)?\s+\/[ck])\b|\.(?:vbs|vbe|jse?|hta|ps1)\b|frombase64string|\s-e(?:nc(?:odedcommand)?)?\s+[A-Za-z0-9+/=]{16,}|downloadstring|downloadfile|https?:\/\//i;

export const SHAPES: Record<ShapeId, (f: AutorunFacts) => boolean> = {
  'loader-random-folder': (f) => {
    const l = f.loaded;
    if (!l) return false;
    if (l.area === 'temp') return l.dirs.length <= 1 && (looksRandomName(l.stem) || looksRandomName(l.dirs[0]));
    return inOneFolder(l, EMOTET_AREAS) && (looksRandomName(l.dirs[0]) || looksRandomPair(l.dirs[0], l.stem));
  },
  'image-random-folder-and-file': (f) => {
    const p = f.loaded ?? f.image;
    return !!p && f.signature !== 'verified' && inOneFolder(p, EMOTET_AREAS) && looksRandomPair(p.dirs[0], p.stem);
  },
  'image-system-word-folder': (f) => {
    const p = f.image;
    if (!p || f.loaded || f.signature === 'verified' || p.ext !== 'exe' || !inOneFolder(p, ['localappdata', 'syswow64'])) return false;
    const word = p.stem;
    return /^[a-z]{4,16}$/.test(word) && p.dirs[0] === word.toLowerCase() && (f.place !== 'run-key' || f.name.toLowerCase() === word);
  },
  'loader-user-folder': (f) => !!f.loaded && ['localappdata', 'roaming', 'temp'].includes(f.loaded.area),
  'image-random-name': (f) => {
    const p = f.loaded ?? f.image;
    if (!p || f.signature === 'verified') return false;
    if (!['localappdata', 'syswow64'].includes(p.area) || p.dirs.length > 1) return false;
    return looksRandomName(p.stem) || looksRandomName(p.dirs[0]);
  },
  'wmi-script-consumer': (f) => !BENIGN_WMI.test(f.name) && SCRIPT_COMMAND.test(f.command),
  'wmi-consumer': (f) => !BENIGN_WMI.test(f.name) && f.signature !== 'verified',
};

/** The first rule an entry fits, or null. */
export function matchAutorun(f: AutorunFacts): AutorunsRule | null {
  if (!f.place) return null;
  for (const r of AUTORUNS_RULES) if (r.place === f.place && SHAPES[r.shape](f)) return r;
  return null;
}

const ENV: [RegExp, string][] = [
  [/^\\\?\?\\/, ''],
  [/%localappdata%/gi, 'C:\\Users\\%user%\\AppData\\Local'],
  [/%appdata%/gi, 'C:\\Users\\%user%\\AppData\\Roaming'],
  [/%te?mp%/gi, 'C:\\Users\\%user%\\AppData\\Local\\Temp'],
  [/%userprofile%/gi, 'C:\\Users\\%user%'],
  [/%(?:windir|systemroot)%/gi, 'C:\\Windows'],
  [/^\\systemroot\\/i, 'C:\\Windows\\'],
  [/^system32\\/i, 'C:\\Windows\\system32\\'],
];

const AREAS: [RegExp, Area][] = [
  [/^(?:[a-z]:\\users\\[^\\]+\\appdata\\local|[a-z]:\\documents and settings\\[^\\]+\\local settings)\\temp\\|^[a-z]:\\windows\\temp\\/, 'temp'],
  [/^[a-z]:\\users\\[^\\]+\\appdata\\local\\|^[a-z]:\\documents and settings\\[^\\]+\\local settings\\application data\\/, 'localappdata'],
  [/^[a-z]:\\users\\[^\\]+\\appdata\\roaming\\|^[a-z]:\\documents and settings\\[^\\]+\\application data\\/, 'roaming'],
  [/^[a-z]:\\windows\\syswow64\\/, 'syswow64'],
  [/^[a-z]:\\windows\\system32\\/, 'system32'],
];

/** Where a Windows path lies and what its parts are (names keep their case); null for an empty path. */
export function pathFacts(raw: string): PathFacts | null {
  let written = raw.trim().replace(/^"|"$/g, '').replace(/\//g, '\\');
  if (!written) return null;
  for (const [re, to] of ENV) written = written.replace(re, to);
  const path = written.toLowerCase();
  let area: Area = 'other';
  let rest = written;
  for (const [re, a] of AREAS) {
    const m = re.exec(path);
    if (m) {
      area = a;
      // Lower-casing keeps the length of these ASCII prefixes, so the written path splits at the same place.
      rest = written.slice(m[0].length);
      break;
    }
  }
  const parts = rest.split('\\').filter(Boolean);
  const file = parts.pop() ?? '';
  const dot = file.lastIndexOf('.');
  return { path, area, dirs: area === 'other' ? [] : parts, file, stem: dot > 0 ? file.slice(0, dot) : file, ext: dot > 0 ? file.slice(dot + 1).toLowerCase() : '' };
}

/**
 * The file a launch string has regsvr32.exe or rundll32.exe load: `regsvr32.exe /s "C:\…\a.dll"`,
 * `rundll32.exe C:\…\a.xyz,RunDLL`. Null when the launch string runs neither.
 */
export function loadedFile(launch: string): { loader: 'regsvr32' | 'rundll32'; file: string } | null {
  const m = /(?:^|[\\\s"'])(regsvr32|rundll32)(?:\.exe)?["']?\s+(.+)$/i.exec(launch.trim());
  if (!m) return null;
  const loader = m[1]!.toLowerCase() as 'regsvr32' | 'rundll32';
  let args = m[2]!.trim();
  // regsvr32's switches: /s /u /n /i[:cmdline]; rundll32 has none before the file.
  while (/^[/-][a-z](?::\S*)?\s+/i.test(args)) args = args.replace(/^[/-][a-z](?::\S*)?\s+/i, '');
  let file: string;
  if (args.startsWith('"')) {
    const close = args.indexOf('"', 1);
    file = close > 0 ? args.slice(1, close) : args.slice(1);
  } else {
    file = args.split(/\s/)[0]!;
  }
  if (loader === 'rundll32') file = file.replace(/,[^\\]*$/, '');
  return file ? { loader, file } : null;
}
