// The batch runner: one child process of the built CLI over a set of mutant files (a whole
// batch, or a part of one while bisecting, or one candidate while minimising), judged.
// Each run gets a fresh case file, deleted afterwards with its SQLite companions.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type ChildResult } from './child-run.js';
import { cliArgs, type Target } from './targets.js';
import { judge, type Bounds, type Verdict } from './verdict.js';

export interface RunnerConfig {
  target: Target;
  /** dist/cli.js of the build under test. */
  cli: string;
  /** Repo root: the child's working directory. */
  root: string;
  /** Scratch folder of this fuzz run (case files go here). */
  work: string;
  bounds: Bounds;
  /** The runner kills a child past this RSS (well above the bound: a finding, not an outage). */
  memoryCapMB: number;
}

export interface RunOutcome {
  result: ChildResult;
  verdict: Verdict | null;
}

let caseNo = 0;

/**
 * Run the target's command over `inputs` (a folder or files) once. `timeoutSeconds`
 * overrides the wall-time bound (the minimiser's shorter bound for hangs).
 */
export async function runInputs(cfg: RunnerConfig, inputs: string[], timeoutSeconds = cfg.bounds.seconds): Promise<RunOutcome> {
  const caseDir = join(cfg.work, 'cases');
  mkdirSync(caseDir, { recursive: true });
  const caseFile = join(caseDir, `case-${caseNo++}.sqlite`);
  try {
    const result = await runCli(cfg.cli, cliArgs(cfg.target, inputs, caseFile), { timeoutMs: timeoutSeconds * 1000, memoryCapMB: cfg.memoryCapMB }, cfg.root);
    const verdict = judge(result, cfg.target.okExit, { ...cfg.bounds, seconds: timeoutSeconds }, [cfg.work]);
    return { result, verdict };
  } finally {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(caseFile + suffix, { force: true });
  }
}
