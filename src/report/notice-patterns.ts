// What the notice may say about the mails' subjects and attachments without quoting them.
// Subjects of hijacked threads are partners' business ("Re: 見積依頼（第3四半期 部材）"):
// publishing them tells the world what a partner was negotiating. So the public text
// describes patterns found in the data: the reply prefixes seen, generic lure words
// (請求書, 支払 …) that the attacker's own fresh subjects use, and the file extensions
// actually attached. Verbatim subjects stay behind an explicit option.

export interface SubjectPatterns {
  /** Reply or forward prefixes seen, in a canonical spelling ("Re:", "Fw:"), most frequent first. */
  replyPrefixes: string[];
  /** How many of the subjects carry such a prefix. */
  replies: number;
  total: number;
  /** Generic lure words found in the subjects that are not replies, most frequent first. */
  lureWords: string[];
}

/** Prefixes mail clients put before a quoted subject (Japanese Outlook writes 返信/転送). */
const PREFIX = /^\s*(re|fw|fwd|aw|sv|tr|返信|転送)\s*(?:\[\d+\])?\s*[:：]/i;
const CANONICAL: Record<string, string> = { re: 'Re:', fw: 'Fw:', fwd: 'Fwd:', aw: 'AW:', sv: 'SV:', tr: 'TR:', 返信: '返信:', 転送: '転送:' };

/**
 * Words Emotet lures are built from (JPCERT/CC's published samples: invoices, payments,
 * orders, shared files). Only words from this list are ever published, so nothing a
 * partner wrote leaks through; each is reported only when a subject of this case holds it.
 */
const LURE_WORDS = ['請求書', '支払', '入金', '見積', '発注', '注文', '納品', '契約', '振込', '送金', '領収書', '資料', '共有ファイル', '賞与', '給与', '会議', 'Invoice', 'Payment', 'Order', 'Remittance', 'Shared file'];

function byFrequency(values: string[]): string[] {
  const n = new Map<string, number>();
  for (const v of values) n.set(v, (n.get(v) ?? 0) + 1);
  return [...n.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([v]) => v);
}

export function subjectPatterns(subjects: string[]): SubjectPatterns {
  const prefixes: string[] = [];
  const fresh: string[] = [];
  for (const s of subjects) {
    const m = PREFIX.exec(s);
    if (m) prefixes.push(CANONICAL[m[1]!.toLowerCase()] ?? `${m[1]}:`);
    else fresh.push(s);
  }
  const words = fresh.flatMap((s) => LURE_WORDS.filter((w) => s.toLowerCase().includes(w.toLowerCase())));
  return { replyPrefixes: byFrequency(prefixes), replies: prefixes.length, total: subjects.length, lureWords: byFrequency(words) };
}

/** Extensions of the attached files (archive members included), lower case with the dot, most frequent first. */
export function fileTypes(names: string[]): string[] {
  const exts = names.map((n) => /(\.[a-z0-9]{1,8})$/i.exec(n.trim())?.[1]?.toLowerCase()).filter((e): e is string => !!e);
  return byFrequency(exts);
}

/** Frequency order, shared by the facts. */
export { byFrequency };

/** Kinds of attachment the notice names, by extension (the writers hold the words for each). */
export type FileKind = 'excel' | 'word' | 'archive' | 'onenote' | 'shortcut' | 'disk-image' | 'script' | 'other';

const KINDS: Record<string, FileKind> = {
  '.xls': 'excel', '.xlsm': 'excel', '.xlsb': 'excel', '.xlsx': 'excel',
  '.doc': 'word', '.docm': 'word', '.docx': 'word',
  '.zip': 'archive', '.rar': 'archive', '.7z': 'archive',
  '.one': 'onenote', '.lnk': 'shortcut', '.iso': 'disk-image', '.img': 'disk-image',
  '.js': 'script', '.vbs': 'script', '.hta': 'script', '.exe': 'script', '.wsf': 'script',
};

/** Extensions grouped by kind, in the order the kinds first appear (most frequent extension first). */
export function byKind(exts: string[]): { kind: FileKind; exts: string[] }[] {
  const out: { kind: FileKind; exts: string[] }[] = [];
  for (const e of exts) {
    const kind = KINDS[e] ?? 'other';
    const g = out.find((x) => x.kind === kind);
    if (g) g.exts.push(e);
    else out.push({ kind, exts: [e] });
  }
  return out;
}
