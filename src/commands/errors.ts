// Every way a command can fail, mapped to its exit code and a one-line message with the fix,
// in one place. Commands throw CliError (or a typed error of a service, translated here);
// anything else is a bug, reported in one line without a stack trace unless
// BLASTRADIUS_DEBUG=1 asks for it.
import { NotACaseFileError } from '../store/case-file.js';
import { NotAnalysedError } from '../store/report-queries.js';
import { CaseTooNewError } from '../store/schema.js';
import { ProfileError } from '../profile.js';

/**
 * Exit codes. 0 and 3 are scan's outcomes; inspect's verdict codes (0 no macro, 2 macros,
 * 9 encrypted, 10 error, 20 suspicious) are oletools' and keep their numbers, so failures use
 * the BSD sysexits numbers, which no verdict uses.
 */
export const EXIT = {
  ok: 0,
  /** scan: everything was read, but some inputs had read errors (listed, kept in the case). */
  inputErrors: 3,
  /** A command line that cannot be run: unknown command or option, bad value (EX_USAGE). */
  usage: 64,
  /** The case file cannot be used: not ours, written by a newer version, not analysed, empty (EX_DATAERR). */
  caseFile: 65,
  /** An input is missing or there is nothing to read (EX_NOINPUT). */
  input: 66,
  /** A bug in blastradius (EX_SOFTWARE). */
  internal: 70,
  /** An output path cannot be written (EX_CANTCREAT). */
  output: 73,
  /** Stopped by Ctrl-C (128 + SIGINT); the case keeps what was committed. */
  interrupted: 130,
} as const;

export type FailureKind = 'usage' | 'caseFile' | 'input' | 'output' | 'interrupted';

export class CliError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    /** What to do about it, said after the message. */
    readonly fix?: string,
  ) {
    super(message);
  }
}

/** The exit code and the one line for any error a command ends with. */
export function describeFailure(e: unknown): { code: number; line: string } {
  const c = asCliError(e);
  if (c) return { code: EXIT[c.kind], line: `blastradius: ${c.message}${c.fix ? `; ${c.fix}` : ''}` };
  const err = e instanceof Error ? e : new Error(String(e));
  const debug = process.env.BLASTRADIUS_DEBUG === '1' && err.stack ? `\n${err.stack}` : '';
  return {
    code: EXIT.internal,
    line: `blastradius: internal error: ${oneLine(err.message)}; this is a bug: please report it with the command line (BLASTRADIUS_DEBUG=1 prints the stack)${debug}`,
  };
}

function asCliError(e: unknown): CliError | null {
  if (e instanceof CliError) return e;
  if (e instanceof CaseTooNewError) return new CliError('caseFile', e.message, 'use the blastradius version that wrote it, or scan the inputs again into a new case');
  if (e instanceof NotAnalysedError) return new CliError('caseFile', oneLine(e.message));
  if (e instanceof NotACaseFileError) return new CliError('caseFile', oneLine(e.message), 'give --case the file blastradius scan wrote');
  if (e instanceof ProfileError) return new CliError('usage', oneLine(e.message), 'fix the profile file or leave --profile out');
  return null;
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();
