// Command line of the fuzzer:
//   npm run fuzz -- --target mime|mbox|msg|ole|ooxml|zip|logs --minutes N [--seed S] [--batch K] [--out DIR]
import { randomInt } from 'node:crypto';
import { Command, InvalidArgumentError, Option } from 'commander';
import { TARGET_NAMES, type TargetName } from './targets.js';

export interface FuzzOptions {
  target: TargetName;
  minutes: number;
  seed: number;
  batch: number;
  out: string;
  reportDir: string;
  timeout: number;
  rssMb: number;
  minimiseSeconds: number;
  triageSeconds: number;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number above 0');
  return n;
}

function whole(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new InvalidArgumentError('must be a whole number from 0 to 4294967295');
  return n;
}

export function parseOptions(argv: string[]): FuzzOptions {
  const program = new Command()
    .name('fuzz')
    .description('Fuzz one input format of the built CLI with structure-aware mutants of the test fixtures.')
    .addOption(new Option('--target <target>', 'format to fuzz').choices(TARGET_NAMES).makeOptionMandatory())
    .addOption(new Option('--minutes <n>', 'minutes of fuzzing (batch runs; bisecting and minimising come on top)').argParser(positive).default(5))
    // A random seed by default, printed and written to the report, so any run can be replayed.
    .addOption(new Option('--seed <s>', 'run seed: the same seed makes the same mutants').argParser(whole))
    .addOption(new Option('--batch <k>', 'mutants per child process').argParser((v) => Math.max(1, Math.floor(positive(v)))).default(50))
    .addOption(new Option('--out <dir>', 'where minimised findings go (<dir>/<target>/); keep it untracked while they reproduce').default('fuzz-findings'))
    .addOption(new Option('--report-dir <dir>', 'where fuzz-<target>.json goes').default('reports'))
    .addOption(new Option('--timeout <seconds>', 'wall-time bound of one batch; the child is killed past it').argParser(positive).default(60))
    .addOption(new Option('--rss-mb <mb>', 'peak RSS bound of one child').argParser(positive).default(400))
    .addOption(new Option('--minimise-seconds <s>', 'time budget for minimising one finding').argParser(positive).default(90))
    .addOption(new Option('--triage-seconds <s>', 'time budget for bisecting one failing batch').argParser(positive).default(180))
    .parse(argv);
  const o = program.opts<Omit<FuzzOptions, 'seed'> & { seed?: number }>();
  return { ...o, seed: o.seed ?? randomInt(0, 0xffffffff) };
}
