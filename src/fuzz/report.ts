// What a fuzz run did and found, for the terminal and as reports/fuzz-<target>.json:
// time, mutants, batches, distinct failures (kind + first stderr line), peak RSS, the
// slowest batch, and how often each mutator ran and failed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TargetName } from './targets.js';
import type { Verdict } from './verdict.js';

export interface FailureEntry {
  signature: string;
  label: string;
  exitCode: number | null;
  signal: string | null;
  stderrFirstLine: string;
  /** The distinct first stderr lines seen under this signature (up to 20). */
  lines: string[];
  /** Failing mutants, groups, and parts of batches not split because this failure was already saved. */
  occurrences: number;
  /** The minimised file (or group folder) saved for it, when this run saved one. */
  saved: string | null;
  /** Known from an earlier run's sidecar: counted, not saved again. */
  alreadyKnown: boolean;
  /** Mutator steps of the first mutant that failed this way. */
  mutators: string[];
  seedFile: string;
  /** True when only several files together fail this way. */
  needsGroup: boolean;
  minimisedBytes: number | null;
  originalBytes: number | null;
}

export class FuzzReport {
  readonly startedAt = new Date();
  fuzzSeconds = 0;
  triageSeconds = 0;
  batches = 0;
  failingBatches = 0;
  mutants = 0;
  /** Extra child runs spent on bisection and minimisation. */
  bisectRuns = 0;
  minimiseRuns = 0;
  /** Mutants in failing parts left unsplit when a batch's triage budget ran out. */
  unresolvedMutants = 0;
  peakRssMB = 0;
  slowestBatch = { batch: -1, seconds: 0, peakRssMB: 0 };
  readonly mutatorRuns: Record<string, number> = {};
  readonly mutatorFailures: Record<string, number> = {};
  readonly failures = new Map<string, FailureEntry>();

  constructor(
    readonly target: TargetName,
    readonly seed: number,
    readonly batchSize: number,
    readonly minutesAsked: number,
    readonly seeds: number,
    readonly bounds: { seconds: number; rssMB: number },
  ) {}

  /** `mutators`: per mutant, the names of the mutators its steps used. */
  batch(batch: number, seconds: number, peakRssMB: number | null, mutators: string[][], failed: boolean): void {
    this.batches++;
    this.mutants += mutators.length;
    if (failed) this.failingBatches++;
    this.fuzzSeconds += seconds;
    if (peakRssMB !== null) this.peakRssMB = Math.max(this.peakRssMB, peakRssMB);
    if (seconds > this.slowestBatch.seconds) this.slowestBatch = { batch, seconds, peakRssMB: peakRssMB ?? 0 };
    for (const names of mutators) for (const m of new Set(names)) this.mutatorRuns[m] = (this.mutatorRuns[m] ?? 0) + 1;
  }

  /** Record one failing mutant (or group); returns whether this signature is new to this run. */
  failure(v: Verdict, info: { mutators: string[]; seedFile: string; needsGroup: boolean; alreadyKnown: boolean }): boolean {
    for (const m of new Set(info.mutators.map((s) => s.split(' ')[0]!))) this.mutatorFailures[m] = (this.mutatorFailures[m] ?? 0) + 1;
    const e = this.failures.get(v.signature);
    if (e) {
      e.occurrences++;
      if (v.stderrFirstLine && !e.lines.includes(v.stderrFirstLine) && e.lines.length < 20) e.lines.push(v.stderrFirstLine);
      return false;
    }
    this.failures.set(v.signature, {
      signature: v.signature,
      label: v.label,
      exitCode: v.exitCode,
      signal: v.signal,
      stderrFirstLine: v.stderrFirstLine,
      lines: v.stderrFirstLine ? [v.stderrFirstLine] : [],
      occurrences: 1,
      saved: null,
      alreadyKnown: info.alreadyKnown,
      mutators: info.mutators,
      seedFile: info.seedFile,
      needsGroup: info.needsGroup,
      minimisedBytes: null,
      originalBytes: null,
    });
    return true;
  }

  toJSON() {
    return {
      target: this.target,
      seed: this.seed,
      startedAt: this.startedAt.toISOString(),
      minutesAsked: this.minutesAsked,
      minutesFuzzed: +(this.fuzzSeconds / 60).toFixed(2),
      minutesTriage: +(this.triageSeconds / 60).toFixed(2),
      seeds: this.seeds,
      batchSize: this.batchSize,
      bounds: this.bounds,
      batches: this.batches,
      failingBatches: this.failingBatches,
      mutants: this.mutants,
      bisectRuns: this.bisectRuns,
      minimiseRuns: this.minimiseRuns,
      unresolvedMutants: this.unresolvedMutants,
      peakRssMB: +this.peakRssMB.toFixed(1),
      slowestBatch: { ...this.slowestBatch, seconds: +this.slowestBatch.seconds.toFixed(2), peakRssMB: +this.slowestBatch.peakRssMB.toFixed(1) },
      distinctFailures: this.failures.size,
      failures: [...this.failures.values()],
      mutators: Object.fromEntries(
        Object.keys(this.mutatorRuns)
          .sort()
          .map((m) => [m, { mutants: this.mutatorRuns[m], failing: this.mutatorFailures[m] ?? 0 }]),
      ),
    };
  }

  write(path: string): void {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(this.toJSON(), null, 2) + '\n');
  }

  text(): string {
    const j = this.toJSON();
    const lines = [
      `fuzz ${j.target}: seed ${j.seed}, ${j.minutesFuzzed} min fuzzing + ${j.minutesTriage} min triage, ${j.mutants} mutants in ${j.batches} batches (${j.failingBatches} failing)`,
      `  peak RSS ${j.peakRssMB} MB; slowest batch #${j.slowestBatch.batch}: ${j.slowestBatch.seconds} s, ${j.slowestBatch.peakRssMB} MB; bounds ${j.bounds.seconds} s, ${j.bounds.rssMB} MB`,
      `  triage: ${j.bisectRuns} bisection runs, ${j.minimiseRuns} minimisation runs${j.unresolvedMutants ? `, ${j.unresolvedMutants} mutants in parts left unsplit (budget)` : ''}`,
      `  distinct failures: ${j.distinctFailures}`,
    ];
    for (const f of j.failures) {
      lines.push(`  - ${f.label} ×${f.occurrences}${f.needsGroup ? ' (only as a group)' : ''}: ${f.stderrFirstLine || '(no stderr)'}`);
      if (f.lines.length > 1) lines.push(`      ${f.lines.length} distinct lines, e.g. ${f.lines.slice(1, 4).join(' | ')}`);
      lines.push(`      mutators: ${f.mutators.join(' + ') || '(none)'}; seed file ${f.seedFile}`);
      lines.push(`      ${f.saved ? `saved: ${f.saved}` : f.alreadyKnown ? 'already saved by an earlier run' : 'not saved'}${f.minimisedBytes !== null ? ` (${f.originalBytes} -> ${f.minimisedBytes} bytes)` : ''}`);
    }
    return lines.join('\n');
  }
}
