// How the bench measures a program: from outside, as its own process, so that the figure
// is what a user's run costs (start-up, worker threads and all) and not what the bench's
// own heap happens to hold.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

export interface Run {
  seconds: number;
  /** User + system CPU of the child and everything it waited for (all its threads). */
  cpuSeconds: number;
  peakRssMB: number;
  stdout: string;
  exitCode: number;
}

/**
 * Run a program and measure it from outside: wall time, and CPU time and peak RSS from
 * getrusage of the child (python3's resource module; node reports only its own process).
 * Worker threads live in the process, so a scan's CPU and RSS cover them. An exit code
 * outside `okExit` fails.
 */
export function measured(cmd: string, args: string[], okExit: readonly number[] = [0]): Run {
  const script = [
    'import resource,subprocess,sys,time',
    't=time.monotonic()',
    'r=subprocess.run(sys.argv[1:],stdout=subprocess.PIPE)',
    's=time.monotonic()-t',
    'sys.stdout.buffer.write(r.stdout)',
    'u=resource.getrusage(resource.RUSAGE_CHILDREN)',
    'sys.stderr.write("\\nbench_seconds=%f cpu_seconds=%f peak_rss_kb=%d\\n" % (s, u.ru_utime+u.ru_stime, u.ru_maxrss))',
    'sys.exit(r.returncode)',
  ].join('\n');
  // The analysis prints every message's verdict as one JSON line: tens of MB on large cases.
  const r = spawnSync('python3', ['-c', script, cmd, ...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (r.status === null || !okExit.includes(r.status)) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}`);
  const m = /bench_seconds=([\d.]+) cpu_seconds=([\d.]+) peak_rss_kb=(\d+)/.exec(r.stderr);
  if (!m) throw new Error(`no measurement from ${cmd}`);
  return { seconds: Number(m[1]), cpuSeconds: Number(m[2]), peakRssMB: Number(m[3]) / 1024, stdout: r.stdout, exitCode: r.status };
}

/** One of the bench's own child scripts (dist/bench/measure-*.js), or the CLI (`../cli.js`). */
export const node = (script: string, args: string[], okExit?: readonly number[]) => measured(process.execPath, [join(here, script), ...args], okExit);
