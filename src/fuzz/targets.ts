// The fuzz targets: which CLI command reads them, which exit codes that command documents,
// what a mutant file is called, and which mutators make its mutants (with what weight).
// The regression test uses the same commands, so a saved finding is replayed exactly as
// the fuzzer ran it.
import { extname } from 'node:path';
import { byteMutations } from './bytes.js';
import { cfbMutations, msgMutations } from './mutate-cfb.js';
import { logMutations } from './mutate-logs.js';
import { mboxMutations } from './mutate-mbox.js';
import { mimeMutations } from './mutate-mime.js';
import { ooxmlMutations } from './mutate-ooxml.js';
import { pstMutations } from './mutate-pst.js';
import { zipMutations } from './mutate-zip.js';
import type { Mutation } from './mutation.js';

export const TARGET_NAMES = ['mime', 'mbox', 'msg', 'pst', 'ole', 'ooxml', 'zip', 'archive', 'logs'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export interface Target {
  name: TargetName;
  command: 'scan' | 'inspect';
  /** Exit codes the command documents for inputs it could read or reported as unreadable. */
  okExit: readonly number[];
  /** File extension of a mutant (with the dot), from its seed's name where that matters. */
  ext(seedPath: string): string;
  /** Mutator groups; a mutation step picks a group by weight, then a mutator in it. */
  groups: { weight: number; mutations: Mutation[] }[];
}

/** Exit codes of `scan`: 0 all read, 3 some inputs had read errors (cli.ts). */
export const SCAN_OK = [0, 3] as const;
/** Exit codes of `inspect`: 0 no macro, 2 macros, 9 encrypted, 10 error, 20 suspicious (cli.ts). */
export const INSPECT_OK = [0, 2, 9, 10, 20] as const;
/** Classic syslog lines carry no year; a fixed one keeps a replay independent of file times. */
export const LOG_YEAR = '2026';

const BYTES = { weight: 0.2, mutations: byteMutations };
const keepExt = (fallback: string) => (seedPath: string) => extname(seedPath).toLowerCase() || fallback;

export const TARGETS: Record<TargetName, Target> = {
  mime: { name: 'mime', command: 'scan', okExit: SCAN_OK, ext: () => '.eml', groups: [{ weight: 0.8, mutations: mimeMutations }, BYTES] },
  mbox: { name: 'mbox', command: 'scan', okExit: SCAN_OK, ext: () => '.mbox', groups: [{ weight: 0.8, mutations: mboxMutations }, BYTES] },
  msg: { name: 'msg', command: 'scan', okExit: SCAN_OK, ext: () => '.msg', groups: [{ weight: 0.8, mutations: msgMutations }, BYTES] },
  pst: { name: 'pst', command: 'scan', okExit: SCAN_OK, ext: () => '.pst', groups: [{ weight: 0.6, mutations: pstMutations }, { weight: 0.4, mutations: byteMutations }] },
  ole: { name: 'ole', command: 'inspect', okExit: INSPECT_OK, ext: keepExt('.bin'), groups: [{ weight: 0.8, mutations: cfbMutations }, BYTES] },
  ooxml: {
    name: 'ooxml',
    command: 'inspect',
    okExit: INSPECT_OK,
    ext: keepExt('.zip'),
    groups: [{ weight: 0.65, mutations: ooxmlMutations }, { weight: 0.15, mutations: zipMutations }, BYTES],
  },
  zip: { name: 'zip', command: 'inspect', okExit: INSPECT_OK, ext: keepExt('.zip'), groups: [{ weight: 0.8, mutations: zipMutations }, BYTES] },
  // 7z, RAR, ISO/UDF, FAT images and gzip (archives.ts, through 7-Zip in WebAssembly): byte-level
  // mutations of real archives, and ZIP's structure mutators on the ZIPs among the seeds.
  archive: { name: 'archive', command: 'inspect', okExit: INSPECT_OK, ext: keepExt('.bin'), groups: [{ weight: 0.7, mutations: byteMutations }, { weight: 0.3, mutations: zipMutations }] },
  logs: { name: 'logs', command: 'scan', okExit: SCAN_OK, ext: () => '.log', groups: [{ weight: 0.8, mutations: logMutations }, BYTES] },
};

/**
 * Arguments for `node dist/cli.js` that read `inputs` (a batch folder for scan, files for
 * inspect) the way the fuzzer and the regression test run them.
 */
export function cliArgs(target: Target, inputs: string[], caseFile: string): string[] {
  if (target.command === 'inspect') return ['inspect', ...inputs, '--json'];
  const args = ['scan', ...inputs, '--case', caseFile, '--json', '--quiet', '--no-analyze'];
  if (target.name === 'logs') args.push('--year', LOG_YEAR);
  return args;
}

export function isTargetName(s: string): s is TargetName {
  return (TARGET_NAMES as readonly string[]).includes(s);
}
