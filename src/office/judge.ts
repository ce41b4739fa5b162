// The verdict on one inspected object, decided once, from typed facts only: the findings
// the analysers and the enrichment steps recorded, the macro analysis (what runs by itself,
// what it can do), and the verdicts of what the object holds. Pure: the same object always
// gets the same verdict, and nothing here reads text meant for people.
import type { FindingKind, Ground } from './findings.js';
import type { InspectResult, Verdict } from './inspect.js';

/** How bad a verdict is, for taking the worst of an object and what it holds. */
export const SEVERITY: Record<Verdict, number> = { clean: 0, macro: 1, encrypted: 2, error: 3, suspicious: 4 };

/**
 * Findings that make an object suspicious by themselves: each is a way code runs or a file
 * hides what it is, and none occurs in honest business mail.
 */
const SUSPICIOUS_FINDINGS: ReadonlySet<FindingKind> = new Set<FindingKind>([
  'vba-stomping',
  'hidden-macro-sheet',
  'embedded-runnable',
  'rtf-objects',
  'pdf-javascript',
  'pdf-launch',
  'padded',
  'payload',
  'name-disguise',
  'onenote',
  'disk-image',
  'remote-injection',
]);

/** Findings that say the object was not (fully) analysed. */
const ERROR_FINDINGS: ReadonlySet<FindingKind> = new Set<FindingKind>(['time-limit', 'too-large', 'nesting-limit', 'unreadable']);

export interface Judgement {
  verdict: Verdict;
  grounds: Ground[];
}

/** The facts judge() reads: an inspection result without its verdict, and its children's verdicts. */
export type Judged = Omit<InspectResult, 'verdict' | 'grounds' | 'children'>;

export function judge(r: Judged, childVerdicts: readonly Verdict[]): Judgement {
  const grounds: Ground[] = [];
  const auto = r.flags.autoexec || r.autoexec.length > 0;
  const runsAndActs = auto && (r.flags.write || r.flags.execute);
  if (runsAndActs) grounds.push({ kind: 'runs-by-itself', autoexec: r.autoexec, write: r.flags.write, execute: r.flags.execute });
  const xlmOnOpen = r.macros.xlm && r.autoexec.length > 0;
  if (xlmOnOpen) grounds.push({ kind: 'xlm-on-open', autoexec: r.autoexec });
  if (r.dde.length) grounds.push({ kind: 'dde', link: r.dde[0]! });
  if (r.disguised) grounds.push({ kind: 'disguised' });
  const strong =
    runsAndActs ||
    xlmOnOpen ||
    r.dde.length > 0 ||
    r.disguised ||
    r.findings.some((f) => SUSPICIOUS_FINDINGS.has(f.kind));
  const hasMacro = r.macros.vba || r.macros.xlm;
  // Text asking the reader to enable content, in a document that has macros to enable.
  const lured = hasMacro && r.findings.some((f) => f.kind === 'lure');
  // An encrypted object that was opened is judged by what it holds (its decrypted child).
  // So is an archive whose password was not found: with its names encrypted too (7z -mhe, RAR -hp)
  // it has no members to judge, and what it holds is unknown, not clean.
  const sealedArchive = childVerdicts.length === 0 && r.findings.some((f) => f.kind === 'archive-encrypted' && !f.opened);
  const sealed = (r.encrypted && r.decrypted === null && childVerdicts.length === 0) || sealedArchive;
  if (hasMacro && !strong && !lured) grounds.push({ kind: 'macros', vba: r.macros.vba, xlm: r.macros.xlm });
  // An archive member not read says so itself (member-not-read); no second sentence for it.
  if (sealed && !sealedArchive && !hasMacro && !r.findings.some((f) => f.kind === 'member-not-read')) grounds.push({ kind: 'sealed', encryption: r.encryption });
  let verdict: Verdict = strong || lured ? 'suspicious' : hasMacro ? 'macro' : sealed ? 'encrypted' : 'clean';
  const failed = r.findings.some((f) => ERROR_FINDINGS.has(f.kind) || (f.kind === 'member-not-read' && f.cause === 'damaged'));
  if (failed && SEVERITY.error > SEVERITY[verdict]) verdict = 'error';
  for (const v of childVerdicts) if (SEVERITY[v] > SEVERITY[verdict]) verdict = v;
  return { verdict, grounds };
}

/** Judges every object of a tree, innermost first, and records each verdict and its grounds. */
export function judgeTree(r: InspectResult): Verdict {
  const childVerdicts = r.children.map(judgeTree);
  const j = judge(r, childVerdicts);
  r.verdict = j.verdict;
  r.grounds = j.grounds;
  return j.verdict;
}

/** The verdict judgeTree would give, without recording anything (for deciding what to enrich). */
export function verdictOf(r: InspectResult): Verdict {
  return judge(r, r.children.map(verdictOf)).verdict;
}
