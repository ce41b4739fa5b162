// JPCERT/CC EmoCheck reports (github.com/JPCERTCC/EmoCheck): the text report EmoCheck writes
// by default and the JSON report of its /json option. The layouts are those of the
// published source, emocheck/main.cpp: v0.0.1 (`[Emocheck v…]`), v0.0.2 (commit 18ec22e),
// v1.2 (38717959, "Emotet was not detected."), v2.0 (e5a66212: the Registry Key line, the
// French report, JSON "registry_key"). EmoCheck v2.1 to v2.4 were released without source
// (README_ja.md: "v2.1以降は公開していません"); their reports are read as v2.0's.
//
// The text report does not name the PC: its host is taken from the file name EmoCheck gives
// it since v0.0.2, `<computer name>_<yyyymmddhhmmss>_emocheck.txt`. Its scan time is the PC's
// local time, `%Y-%m-%d %H:%M:%S` with no zone (strftime of localtime_s); it is converted
// with the caller's offset (default 0, so the time is stored as written).
import type { UnreadableSink } from './read-endpoint.js';
import { pcTimeToUtc, profileUser } from './tool-output.js';
import type { EndpointFinding } from './types.js';

/** The first line of every text report: `[EmoCheck v2.0]` (`[Emocheck v0.0.1]` in v0.0.1). */
const TITLE = /^\[Emo[Cc]heck v(\d+(?:\.\d+){0,3})\]\s*$/;

/** The scan-time line in English, Japanese and French (v2.0), then the PC's local time. */
const SCAN_TIME = /^(?:Scan time|プログラム実行時刻|Temps d'[ée]x[ée]cution)\s*:\s*(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\s*$/;

/** The same line whatever its label, for a label mangled by a wrong decoding: only used as the second line of the report. */
const ANY_TIME = /^[^:]{1,40}:\s*(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\s*$/;

/** LINE_DELIMITER of emocheck.h: 52 underscores. */
const DELIMITER = /^_{20,}\s*$/;

const RESULT_HEAD = /^\[(?:Result|結果|Résultat)\]\s*$/;
const DETECTED = /^(?:Detected Emotet process\.|Emotetを検知しました。?|Emotet détecté\.)\s*$/;
const NOT_DETECTED = /^(?:Emotet was not detected\.|No detection\.|検知しませんでした。?|Emotet n'a pas été détecté\.|Aucune détection\.)\s*$/;
const PROCESS_HEAD = /^\[(?:Emotet Process|詳細|Processus Emotet)\]\s*$/;
const ADVICE = /^(?:Please remove or isolate the suspicious execution file\.|(?:不審な)?イメージパスの実行ファイルを隔離\/削除してください。|Veuillez supprimer le\(s\) fichier\(s\) détecté\(s\)\.)\s*$/;

type Field = 'name' | 'pid' | 'path' | 'key';

/** The labels of a process's lines, as main.cpp pads them (`     Process Name  : `). */
const FIELDS: [RegExp, Field][] = [
  [/^(?:Process Name|プロセス名|Nom du processus)$/, 'name'],
  [/^(?:Process ID|プロセスID|PID)$/, 'pid'],
  [/^(?:Image Path|イメージパス|Emplacement)$/, 'path'],
  [/^(?:Registry Key|レジストリキー|Cl[ée] de registre)$/, 'key'],
];
const FIELD_LINE = /^\s+([^:]+?)\s*:\s?(.*)$/;

/** `<computer name>_<yyyymmddhhmmss>_emocheck.txt|json` (v0.0.2 and later). */
const REPORT_NAME = /^(.+)_\d{14}_emocheck\.(?:txt|json)$/i;
const NAME_HINT = /_emocheck\.(?:txt|json)$/i;

function firstLines(lines: string[], n: number): string[] {
  return lines.filter((l) => l.trim() !== '').slice(0, n).map((l) => l.trim());
}

/**
 * An EmoCheck text report: its title line first, then the scan time or the delimiter. The
 * title alone, or the title's version with the file name EmoCheck writes, is enough when
 * the head was cut short.
 */
export function looksLikeEmoCheckText(lines: string[], fileName: string): boolean {
  const [title, second, third] = firstLines(lines, 3);
  if (!title || !TITLE.test(title)) return false;
  if (second && (ANY_TIME.test(second) || DELIMITER.test(second))) return true;
  if (third && DELIMITER.test(third)) return true;
  return second === undefined && NAME_HINT.test(fileName);
}

/** An EmoCheck JSON report: an object with "emocheck_version" and "scan_time" or "is_infected" keys. */
export function looksLikeEmoCheckJson(lines: string[], fileName: string): boolean {
  const text = lines.join('\n').trimStart();
  if (!text.startsWith('{')) return false;
  const version = /"emocheck_version"\s*:/.test(text);
  const other = /"(?:scan_time|is_infected)"\s*:/.test(text);
  return version && (other || NAME_HINT.test(fileName));
}

/** The host EmoCheck names its report after; null for v0.0.1's `<time>_emocheck.txt` or a renamed file. */
export function hostFromReportName(fileName: string): string | null {
  const m = REPORT_NAME.exec(fileName);
  return m ? m[1]! : null;
}

interface EmotetProcess {
  line: number;
  name: string;
  pid: string | null;
  path: string;
  key: string | null;
}

function processFinding(p: EmotetProcess, host: string | null, time: string | null, line: number): EndpointFinding {
  const who = p.pid !== null ? `${p.name}, pid ${p.pid}` : p.name;
  return {
    source: 'emocheck',
    line,
    host,
    time,
    kind: 'emotet-process',
    weight: 'infected',
    subject: p.path ? `${p.path} (${who})` : who,
    rule: 'emocheck-process',
    remote: null,
    user: profileUser(p.path),
  };
}

function cleanFinding(version: string | null, result: string, host: string | null, time: string | null, line: number): EndpointFinding {
  return {
    source: 'emocheck',
    line,
    host,
    time,
    kind: 'emocheck-clean',
    weight: 'clean',
    subject: `EmoCheck${version ? ` v${version}` : ''}: ${result}`,
    rule: 'emocheck-clean',
    remote: null,
    user: null,
  };
}

function readText(lines: string[], fileName: string, offsetMinutes: number, bad: UnreadableSink): EndpointFinding[] {
  const host = hostFromReportName(fileName);
  let version: string | null = null;
  let time: string | null = null;
  let verdict: { detected: boolean; line: number; text: string } | null = null;
  const processes: EmotetProcess[] = [];
  let current: EmotetProcess | null = null;
  let seenTitle = false;

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const n = i + 1;
    const l = raw.trim();
    if (l === '') continue;
    if (!seenTitle) {
      const t = TITLE.exec(l);
      if (t) {
        version = t[1]!;
        seenTitle = true;
        continue;
      }
    }
    const st = SCAN_TIME.exec(l) ?? (time === null && processes.length === 0 && !verdict ? ANY_TIME.exec(l) : null);
    if (st) {
      time = pcTimeToUtc(+st[1]!, +st[2]!, +st[3]!, +st[4]!, +st[5]!, +st[6]!, offsetMinutes);
      if (!time) bad(n, raw);
      continue;
    }
    if (DELIMITER.test(l) || RESULT_HEAD.test(l) || ADVICE.test(l)) {
      current = null;
      continue;
    }
    if (DETECTED.test(l) || NOT_DETECTED.test(l)) {
      verdict = { detected: DETECTED.test(l), line: n, text: l };
      continue;
    }
    if (PROCESS_HEAD.test(l)) {
      current = null;
      continue;
    }
    const f = FIELD_LINE.exec(raw);
    const field = f ? FIELDS.find(([re]) => re.test(f[1]!.trim()))?.[1] : undefined;
    if (f && field) {
      const value = f[2]!.trim();
      if (field === 'name') {
        current = { line: n, name: value, pid: null, path: '', key: null };
        processes.push(current);
      } else if (!current) {
        bad(n, raw);
      } else if (field === 'pid') {
        if (/^\d+$/.test(value)) current.pid = value;
        else bad(n, raw);
      } else if (field === 'path') {
        current.path = value;
      } else {
        current.key = value || null;
      }
      continue;
    }
    bad(n, raw);
  }

  if (processes.length > 0) {
    if (verdict && !verdict.detected) bad(verdict.line, `${verdict.text} (but the report lists ${processes.length} Emotet process${processes.length > 1 ? 'es' : ''})`);
    return processes.map((p) => processFinding(p, host, time, p.line));
  }
  if (!verdict) {
    bad(lines.length || 1, 'the report ends without its [Result]');
    return [];
  }
  if (verdict.detected) {
    bad(verdict.line, `${verdict.text} (but the report lists no process)`);
    return [];
  }
  return [cleanFinding(version, verdict.text, host, time, verdict.line)];
}

/**
 * A field of EmoCheck's JSON, found by its line when the report is not valid JSON: EmoCheck
 * writes it by hand (main.cpp JsonReport), escaping only the backslashes of paths, so a
 * stray quote or an OEM-code-page host name breaks it. One field per line, as it writes.
 */
function jsonFields(lines: string[]): { top: Map<string, string>; processes: Map<string, string>[] } {
  const top = new Map<string, string>();
  const processes: Map<string, string>[] = [];
  let inList = false;
  let cur: Map<string, string> | null = null;
  for (const l of lines) {
    const t = l.trim();
    if (/^"emotet_processes"\s*:\s*\[/.test(t)) {
      inList = true;
      continue;
    }
    if (inList && t.startsWith('{')) {
      cur = new Map();
      processes.push(cur);
      continue;
    }
    if (inList && t.startsWith(']')) {
      inList = false;
      cur = null;
      continue;
    }
    const m = /^"([a-z_]+)"\s*:\s*"(.*)"\s*,?$/.exec(t);
    if (!m) continue;
    const value = m[2]!.replace(/\\\\/g, '\\').replace(/\\"/g, '"');
    (inList && cur ? cur : top).set(m[1]!, value);
  }
  return { top, processes };
}

function readJson(lines: string[], fileName: string, offsetMinutes: number, bad: UnreadableSink): EndpointFinding[] {
  let top: Map<string, string>;
  let procs: Map<string, string>[];
  try {
    const doc = JSON.parse(lines.join('\n')) as Record<string, unknown>;
    const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
    top = new Map();
    for (const [k, v] of Object.entries(doc)) {
      const s = str(v);
      if (s !== null) top.set(k, s);
    }
    procs = [];
    if (Array.isArray(doc.emotet_processes)) {
      for (const p of doc.emotet_processes as unknown[]) {
        const m = new Map<string, string>();
        if (p && typeof p === 'object') for (const [k, v] of Object.entries(p)) if (str(v) !== null) m.set(k, str(v)!);
        procs.push(m);
      }
    }
  } catch {
    ({ top, processes: procs } = jsonFields(lines));
  }
  const host = top.get('hostname') || hostFromReportName(fileName);
  const st = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(top.get('scan_time') ?? '');
  const time = st ? pcTimeToUtc(+st[1]!, +st[2]!, +st[3]!, +st[4]!, +st[5]!, +st[6]!, offsetMinutes) : null;
  if (!time) bad(1, `scan_time: ${top.get('scan_time') ?? '(none)'}`);
  const infected = top.get('is_infected');
  const version = top.get('emocheck_version') ?? null;
  if (infected === 'yes' || procs.length > 0) {
    const out: EndpointFinding[] = [];
    for (const p of procs) {
      const name = p.get('process_name') ?? '';
      const pid = p.get('process_id') ?? null;
      if (!name && !p.get('image_path')) {
        bad(1, 'an emotet_processes entry without process_name or image_path');
        continue;
      }
      out.push(processFinding({ line: 1, name, pid: pid && /^\d+$/.test(pid) ? pid : null, path: p.get('image_path') ?? '', key: p.get('registry_key') ?? null }, host ?? null, time, 1));
    }
    if (out.length === 0) bad(1, 'is_infected is "yes" but no emotet_processes are listed');
    return out;
  }
  if (infected === 'no') return [cleanFinding(version, 'is_infected: no', host ?? null, time, 1)];
  bad(1, `is_infected: ${infected ?? '(none)'}`);
  return [];
}

/** The findings of one EmoCheck report (text or JSON), its lines already decoded. */
export function readEmoCheck(lines: string[], fileName: string, offsetMinutes: number, bad: UnreadableSink): EndpointFinding[] {
  return lines.join('\n').trimStart().startsWith('{') ? readJson(lines, fileName, offsetMinutes, bad) : readText(lines, fileName, offsetMinutes, bad);
}
