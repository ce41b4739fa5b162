// `npm run fuzz -- --target <t> --minutes N`: the fuzzing loop. Each batch of K mutants
// goes to one child process of the built CLI; a failing batch is bisected down to the
// failing mutants, each new failure is minimised and saved with a sidecar, and the run
// ends with a report (terminal and reports/fuzz-<target>.json).
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInputs, type RunnerConfig } from './batch.js';
import { isolate } from './bisect.js';
import { killAllChildren } from './child-run.js';
import { knownSignatures, saveFinding, saveGroup, type FindingMeta } from './findings.js';
import { minimise, type Minimised } from './minimise.js';
import { reduceParts } from './minimise-parts.js';
import { makeMutant, type Mutant } from './mutate.js';
import { parseOptions, type FuzzOptions } from './options.js';
import { FuzzReport } from './report.js';
import { loadSeeds } from './seeds.js';
import { TARGETS, cliArgs, type Target } from './targets.js';
import type { Verdict } from './verdict.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Containers whose offsets matter: the minimiser zeroes before it cuts. */
const BINARY = new Set(['msg', 'ole', 'ooxml', 'zip']);

interface Slot {
  file: string;
  mutant: Mutant;
  batch: number;
  slot: number;
}

const stepNames = (m: Mutant) => m.steps.map((s) => s.split(' ')[0]!);

class Fuzzer {
  private readonly target: Target;
  private readonly cfg: RunnerConfig;
  private readonly known: Set<string>;
  private readonly report: FuzzReport;
  private readonly outDir: string;
  private stopping = false;
  private scratch = 0;

  constructor(
    private readonly o: FuzzOptions,
    private readonly seeds: ReturnType<typeof loadSeeds>,
    work: string,
  ) {
    this.target = TARGETS[o.target];
    this.outDir = resolve(ROOT, o.out);
    this.cfg = {
      target: this.target,
      cli: join(ROOT, 'dist', 'cli.js'),
      root: ROOT,
      work,
      bounds: { seconds: o.timeout, rssMB: o.rssMb },
      // Above V8's own limits (a runaway array ends in V8's "invalid size" abort near 2-3 GB):
      // a cap below them would make the same input die of the cap one run and of V8 the next.
      memoryCapMB: Math.max(4096, o.rssMb * 4),
    };
    this.known = knownSignatures(this.outDir, o.target);
    this.report = new FuzzReport(o.target, o.seed, o.batch, o.minutes, seeds.length, this.cfg.bounds);
  }

  stop(): void {
    this.stopping = true;
  }

  /**
   * Batches until --minutes of fuzzing (time in batch runs) have passed. Bisecting and
   * minimising come on top, so that a target that fails often still gets its fuzzing time.
   */
  async run(): Promise<FuzzReport> {
    for (let b = 0; this.report.fuzzSeconds < this.o.minutes * 60 && !this.stopping; b++) await this.batch(b);
    return this.report;
  }

  private async batch(b: number): Promise<void> {
    const dir = join(this.cfg.work, `batch-${b}`);
    mkdirSync(dir, { recursive: true });
    const slots: Slot[] = [];
    for (let s = 0; s < this.o.batch; s++) {
      const mutant = makeMutant(this.target, this.seeds, this.o.seed, b, s);
      const file = join(dir, `b${b}-m${String(s).padStart(3, '0')}${this.target.ext(mutant.seed)}`);
      writeFileSync(file, mutant.bytes);
      slots.push({ file, mutant, batch: b, slot: s });
    }
    // scan reads the batch folder; inspect takes the files.
    const inputs = this.target.command === 'scan' ? [dir] : slots.map((s) => s.file);
    const { result, verdict } = await runInputs(this.cfg, inputs);
    if (this.stopping) return; // killed by Ctrl-C: neither a result nor a failure
    this.report.batch(b, result.seconds, result.peakRssMB, slots.map((s) => stepNames(s.mutant)), verdict !== null);
    const rss = result.peakRssMB === null ? '?' : result.peakRssMB.toFixed(0);
    process.stdout.write(`batch ${b}: ${slots.length} mutants, ${result.seconds.toFixed(1)} s, ${rss} MB${verdict ? `, FAILED ${verdict.label}: ${verdict.stderrFirstLine}` : ''}\n`);
    if (verdict && !this.stopping) {
      const t0 = Date.now();
      await this.triage(slots, verdict);
      this.report.triageSeconds += (Date.now() - t0) / 1000;
    }
    rmSync(dir, { recursive: true, force: true });
  }

  private async triage(slots: Slot[], verdict: Verdict): Promise<void> {
    const byFile = new Map(slots.map((s) => [s.file, s]));
    // A run cut short by Ctrl-C says nothing about its files.
    const run = async (files: string[]) => {
      const v = this.stopping ? null : (await runInputs(this.cfg, files)).verdict;
      return this.stopping ? null : v;
    };
    const iso = await isolate(run, slots.map((s) => s.file), verdict, {
      isKnown: (sig) => this.known.has(sig),
      deadline: Date.now() + this.o.triageSeconds * 1000,
    });
    this.report.bisectRuns += iso.runs;
    for (const c of iso.culprits) if (!this.stopping) await this.culprit(byFile.get(c.file)!, c.verdict);
    for (const g of iso.known) this.report.failure(g.verdict, { mutators: [], seedFile: '', needsGroup: false, alreadyKnown: true });
    this.report.unresolvedMutants += iso.unresolved.reduce((n, g) => n + g.files.length, 0);
    if (this.stopping) return;
    for (const g of iso.together) {
      const first = byFile.get(g.files[0]!)!;
      const known = this.known.has(g.verdict.signature);
      const isNew = this.report.failure(g.verdict, { mutators: g.files.flatMap((f) => byFile.get(f)!.mutant.steps), seedFile: first.mutant.seed, needsGroup: true, alreadyKnown: known });
      if (isNew && !known) {
        const members = g.files.map((f) => byFile.get(f)!);
        const path = saveGroup(this.outDir, this.o.target, g.verdict, g.files, {
          seed: this.o.seed,
          batch: first.batch,
          members: members.map((m) => ({ file: basename(m.file), slot: m.slot, bytes: m.mutant.bytes.length, seedFile: m.mutant.seed, mutators: m.mutant.steps })),
        });
        this.report.failures.get(g.verdict.signature)!.saved = path;
        this.known.add(g.verdict.signature);
        process.stdout.write(`  ${g.verdict.label} needs ${g.files.length} files together: ${path}\n`);
      }
    }
  }

  /** ZIP packages are first reduced part by part (half the budget), then byte by byte. */
  private async shrink(original: Buffer, stillFails: (b: Buffer) => Promise<boolean>): Promise<Minimised> {
    const started = Date.now();
    let start = original;
    let attempts = 0;
    if (this.o.target === 'ooxml' || this.o.target === 'zip') {
      const p = await reduceParts(original, stillFails, this.o.minimiseSeconds / 2);
      start = p.bytes;
      attempts = p.attempts;
    }
    const left = Math.max(1, this.o.minimiseSeconds - (Date.now() - started) / 1000);
    const m = await minimise(start, BINARY.has(this.o.target), stillFails, left);
    return { ...m, attempts: m.attempts + attempts, seconds: (Date.now() - started) / 1000 };
  }

  private async culprit(s: Slot, v: Verdict): Promise<void> {
    const known = this.known.has(v.signature);
    const isNew = this.report.failure(v, { mutators: s.mutant.steps, seedFile: s.mutant.seed, needsGroup: false, alreadyKnown: known });
    process.stdout.write(`  ${basename(s.file)}: ${v.label} ${v.stderrFirstLine} [${s.mutant.steps.join(' + ')}]\n`);
    if (!isNew || known) return;
    const original = readFileSync(s.file);
    // A hang is told apart from slowness with a shorter bound, checked on the original first.
    const timeout = v.kind === 'timeout' ? Math.max(10, this.o.timeout / 4) : this.o.timeout;
    const ext = this.target.ext(s.mutant.seed);
    const stillFails = async (candidate: Buffer): Promise<boolean> => {
      if (this.stopping) return false;
      const f = join(this.cfg.work, `minimise-${this.scratch++}${ext}`);
      writeFileSync(f, candidate);
      try {
        this.report.minimiseRuns++;
        const r = await runInputs(this.cfg, [f], timeout);
        return !this.stopping && r.verdict?.signature === v.signature;
      } finally {
        rmSync(f, { force: true });
      }
    };
    const reproduced = await stillFails(original);
    const m = reproduced ? await this.shrink(original, stillFails) : { bytes: original, attempts: 0, seconds: 0, complete: false };
    const meta: FindingMeta = {
      target: this.o.target,
      kind: v.kind,
      label: v.label,
      signature: v.signature,
      exitCode: v.exitCode,
      signal: v.signal,
      stderrFirstLine: v.stderrFirstLine,
      seconds: +v.seconds.toFixed(2),
      peakRssMB: v.peakRssMB === null ? null : +v.peakRssMB.toFixed(1),
      seed: this.o.seed,
      batch: s.batch,
      slot: s.slot,
      seedFile: s.mutant.seed,
      mutators: s.mutant.steps,
      originalBytes: original.length,
      minimisedBytes: m.bytes.length,
      minimise: { attempts: m.attempts, seconds: +m.seconds.toFixed(1), complete: m.complete, reproduced },
      command: `node dist/cli.js ${cliArgs(this.target, ['<file>'], '<case.sqlite>').join(' ')}`,
      foundAt: new Date().toISOString(),
    };
    const path = saveFinding(this.outDir, meta, m.bytes, original, ext);
    this.known.add(v.signature);
    const entry = this.report.failures.get(v.signature)!;
    entry.saved = path;
    entry.minimisedBytes = m.bytes.length;
    entry.originalBytes = original.length;
    process.stdout.write(`  saved ${path} (${original.length} -> ${m.bytes.length} bytes, ${m.attempts} attempts${reproduced ? '' : ', did not reproduce alone with the shorter bound: not minimised'})\n`);
  }
}

/**
 * One line per run in reports/fuzz-ledger.jsonl (kept in git): the minutes, mutants and
 * failures of every run with the commit it ran on, so that fuzzing time adds up across
 * sessions and a clean hour can be shown to be on the code that ships.
 */
function appendLedger(path: string, report: FuzzReport): void {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // not a git checkout: the line says so
  }
  const j = report.toJSON();
  const line = {
    commit,
    target: j.target,
    seed: j.seed,
    startedAt: j.startedAt,
    minutesFuzzed: j.minutesFuzzed,
    minutesTriage: j.minutesTriage,
    batches: j.batches,
    mutants: j.mutants,
    failingBatches: j.failingBatches,
    distinctFailures: j.distinctFailures,
    failures: j.failures.map((f) => ({ signature: f.signature, occurrences: f.occurrences, alreadyKnown: f.alreadyKnown, mutators: f.mutators, seedFile: f.seedFile })),
    peakRssMB: j.peakRssMB,
    slowestBatchSeconds: j.slowestBatch.seconds,
  };
  appendFileSync(path, JSON.stringify(line) + '\n');
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv);
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first (npm run fuzz does)');
  const seeds = loadSeeds(ROOT, o.target);
  if (seeds.length === 0) throw new Error(`no seeds for ${o.target} under tests/fixtures`);
  const work = mkdtempSync(join(tmpdir(), `blastradius-fuzz-${o.target}-`));
  process.stdout.write(`fuzz ${o.target}: seed ${o.seed}, ${seeds.length} seeds, batches of ${o.batch}, ${o.minutes} min, bounds ${o.timeout} s / ${o.rssMb} MB; findings to ${resolve(ROOT, o.out, o.target)}\n`);
  const fuzzer = new Fuzzer(o, seeds, work);
  // Ctrl-C or kill: kill the running child (it leads its own process group, so it would
  // outlive us), finish the report with what was done.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      fuzzer.stop();
      killAllChildren();
    });
  }
  try {
    const report = await fuzzer.run();
    const path = resolve(ROOT, o.reportDir, `fuzz-${o.target}.json`);
    report.write(path);
    appendLedger(resolve(ROOT, o.reportDir, 'fuzz-ledger.jsonl'), report);
    process.stdout.write(report.text() + `\nreport: ${path}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
