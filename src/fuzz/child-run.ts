// Run the built CLI as a child process with hard limits: a wall-clock timeout and a memory
// cap, both enforced by killing the child's whole process group with SIGKILL, so that a
// hang or a runaway allocation cannot stall or take down the fuzzer. Peak RSS comes from
// GNU time (%M, the kernel's getrusage of the child, exact even when the child dies of a
// signal); without /usr/bin/time, from polling the child's VmHWM (may miss a last spike).
//
// The bench's measured() (src/bench/measure-process.ts) reads peak RSS the same way, from
// getrusage of the child, but it is synchronous, has no timeout and throws on unexpected
// exit codes: all three are what a fuzzer must survive, hence this runner.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ChildResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  seconds: number;
  peakRssMB: number | null;
  timedOut: boolean;
  /** Killed by the runner because its RSS passed the memory cap. */
  memoryKilled: boolean;
}

export interface ChildLimits {
  timeoutMs: number;
  memoryCapMB: number;
}

const GNU_TIME = '/usr/bin/time';
const POLL_MS = 100;
const MAX_CAPTURE = 8 << 20;
const live = new Set<number>();
let runs = 0;

function signalName(n: number): string {
  const entry = Object.entries(constants.signals).find(([, v]) => v === n);
  return entry ? entry[0] : `signal ${n}`;
}

/** VmRSS and VmHWM of a process in MB, or null once it is gone. */
function memoryOf(pid: number): { rss: number; hwm: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** The process that does the work: GNU time's child when time wraps it. */
function workerPid(pid: number, wrapped: boolean): number | null {
  if (!wrapped) return pid;
  try {
    const first = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0];
    return first ? Number(first) : null;
  } catch {
    return null;
  }
}

function capped(chunks: Buffer[], total: number): string {
  return Buffer.concat(chunks).subarray(0, Math.min(total, MAX_CAPTURE)).toString('utf8');
}

/** Kill every child process group still running (on Ctrl-C of the fuzzer). */
export function killAllChildren(): void {
  for (const pgid of live) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

export function runCli(cli: string, args: string[], limits: ChildLimits, cwd: string): Promise<ChildResult> {
  const wrapped = existsSync(GNU_TIME);
  const timeFile = join(tmpdir(), `blastradius-fuzz-time-${process.pid}-${runs++}`);
  const cmd = wrapped ? GNU_TIME : process.execPath;
  const argv = wrapped ? ['-f', '%M', '-o', timeFile, process.execPath, cli, ...args] : [cli, ...args];
  const started = process.hrtime.bigint();
  // detached: the child leads its own process group, so one kill reaches node and its wrapper.
  const child = spawn(cmd, argv, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pgid = child.pid!;
  live.add(pgid);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let outBytes = 0;
  let errBytes = 0;
  child.stdout!.on('data', (b: Buffer) => {
    if (outBytes < MAX_CAPTURE) out.push(b);
    outBytes += b.length;
  });
  child.stderr!.on('data', (b: Buffer) => {
    if (errBytes < MAX_CAPTURE) err.push(b);
    errBytes += b.length;
  });
  let timedOut = false;
  let memoryKilled = false;
  let polledPeak = 0;
  const killGroup = () => {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Exited in the meantime.
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, limits.timeoutMs);
  const poll = setInterval(() => {
    const pid = workerPid(pgid, wrapped);
    const m = pid === null ? null : memoryOf(pid);
    if (!m) return;
    polledPeak = Math.max(polledPeak, m.hwm);
    if (m.rss > limits.memoryCapMB) {
      memoryKilled = true;
      killGroup();
    }
  }, POLL_MS);

  return new Promise((resolve) => {
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      clearInterval(poll);
      live.delete(pgid);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      let exitCode: number | null = code;
      let signal: string | null = sig;
      let peakRssMB: number | null = polledPeak > 0 ? polledPeak : null;
      if (wrapped && existsSync(timeFile)) {
        // "Command terminated by signal 6" / "Command exited with non-zero status 3", then %M.
        const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
        const bySignal = /terminated by signal (\d+)/.exec(lines.join('\n'));
        if (bySignal) {
          exitCode = null;
          signal = signalName(Number(bySignal[1]));
        }
        const kb = Number(lines[lines.length - 1]);
        if (Number.isFinite(kb) && kb > 0) peakRssMB = kb / 1024;
        rmSync(timeFile, { force: true });
      }
      resolve({ exitCode, signal, stdout: capped(out, outBytes), stderr: capped(err, errBytes), seconds, peakRssMB, timedOut, memoryKilled });
    });
  });
}
