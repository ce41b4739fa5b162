// What counts as a failure of one CLI run, and how two failures are told apart. A run
// fails on: an exit code the command does not document, death by a signal, stderr that
// is not only "blastradius: …" one-liners, the wall-time bound, or peak RSS over the bound.
import type { ChildResult } from './child-run.js';

export type FailureKind = 'timeout' | 'rss' | 'signal' | 'exit' | 'stderr';

export interface Verdict {
  kind: FailureKind;
  /** "exit-1", "signal-SIGABRT", "timeout", "rss", "stderr": the file name prefix of a finding. */
  label: string;
  exitCode: number | null;
  signal: string | null;
  /** The first stderr line that names an error (else the first non-empty one), as printed. */
  stderrFirstLine: string;
  /** kind + first stderr line with paths and numbers masked: one distinct failure. */
  signature: string;
  seconds: number;
  peakRssMB: number | null;
}

export interface Bounds {
  seconds: number;
  rssMB: number;
}

/** stderr a correct run may print: nothing, or only lines starting with "blastradius:". */
export function stderrIsClean(stderr: string): boolean {
  return stderr
    .split('\n')
    .filter((l) => l.trim() !== '')
    .every((l) => l.startsWith('blastradius:'));
}

/** Lines that say what went wrong, most telling first (V8's fatal reports open with banners). */
const TELLING = [/Fatal JavaScript|FATAL ERROR|Assertion|Check failed/, /^blastradius:/, /Error|Warning/];

export function firstStderrLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^#*$/.test(l) && !/^<---.*--->$/.test(l));
  for (const re of TELLING) {
    const hit = lines.find((l) => re.test(l));
    if (hit) return hit.slice(0, 300);
  }
  return (lines[0] ?? '').slice(0, 300);
}

/** Mask what differs between two reproductions of one bug: temp paths, pids, addresses, counts. */
export function normalise(line: string, dirs: readonly string[]): string {
  let s = line;
  for (const d of dirs) s = s.split(d).join('<dir>');
  return s
    .replace(/\/tmp\/[^\s:'")]+/g, '<tmp>')
    .replace(/0x[0-9a-f]+/gi, '0x…')
    .replace(/\d+/g, 'N')
    .slice(0, 200);
}

/**
 * Lines that one bug prints with a message that depends on the input: xmldom's console
 * reporter ("[xmldom error]\tEntityRef: …", "[xmldom fatalError]\tunclosed xml tag(s): …")
 * is one leak of parser messages to stderr, not one bug per XML error.
 */
function family(line: string): string {
  const xmldom = /^\[xmldom [^\]]*\]/.exec(line);
  return xmldom ? '[xmldom …] <parser message>' : line;
}

/** null when the run is fine. */
export function judge(r: ChildResult, okExit: readonly number[], bounds: Bounds, dirs: readonly string[]): Verdict | null {
  let kind: FailureKind | null = null;
  let label = '';
  // The runner's own kills first; then what the child did, crash before bound, so that a V8
  // abort after a big allocation is reported as the abort it is.
  if (r.memoryKilled) [kind, label] = ['rss', 'rss'];
  else if (r.timedOut) [kind, label] = ['timeout', 'timeout'];
  else if (r.signal !== null) [kind, label] = ['signal', `signal-${r.signal}`];
  else if (r.exitCode === null || !okExit.includes(r.exitCode)) [kind, label] = ['exit', `exit-${r.exitCode}`];
  else if (!stderrIsClean(r.stderr)) [kind, label] = ['stderr', 'stderr'];
  else if (r.peakRssMB !== null && r.peakRssMB > bounds.rssMB) [kind, label] = ['rss', 'rss'];
  else if (r.seconds > bounds.seconds) [kind, label] = ['timeout', 'timeout'];
  if (kind === null) return null;
  const first = firstStderrLine(r.stderr);
  // A timeout's or a memory kill's stderr is whatever was printed before the kill: not part of its identity.
  const signature = kind === 'timeout' || kind === 'rss' ? label : `${label}: ${family(normalise(first, dirs))}`;
  return { kind, label, exitCode: r.exitCode, signal: r.signal, stderrFirstLine: first, signature, seconds: r.seconds, peakRssMB: r.peakRssMB };
}
