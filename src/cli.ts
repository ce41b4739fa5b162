#!/usr/bin/env node
// blastradius command line: the commands (src/commands/, one file each) on one program.
// Every failure ends in one line on stderr and the exit code of its kind (commands/errors.ts).
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerAccounts } from './commands/accounts.js';
import { registerAnalyze } from './commands/analyze.js';
import { describeFailure, EXIT } from './commands/errors.js';
import { registerExplain } from './commands/explain.js';
import { registerHosts } from './commands/hosts.js';
import { registerInspect } from './commands/inspect.js';
import { registerLogs } from './commands/logs.js';
import { registerNotice } from './commands/notice.js';
import { registerReport } from './commands/report.js';
import { registerScan } from './commands/scan.js';

export { EXIT };

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return 'unknown';
  }
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('blastradius')
    .description(
      'Measure the blast radius of an Emotet-style mail compromise: read mailbox exports and mail server logs into a case file,\n' +
        'then find malicious mail, count what was sent from the organisation, and draft the notice.',
    )
    .version(version())
    // A usage error is one line that says where to look, not the whole help.
    .configureOutput({ outputError: (str, write) => write(`blastradius: ${str.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim()} (see blastradius --help)\n`) })
    .addHelpText(
      'after',
      `\nExit codes: ${EXIT.ok} done; ${EXIT.inputErrors} scan read everything it could, some inputs had read errors; ${EXIT.usage} bad usage;\n` +
        `${EXIT.caseFile} the case file cannot be used; ${EXIT.input} an input is missing or there is nothing to read; ${EXIT.output} an output path\n` +
        `cannot be written; ${EXIT.interrupted} interrupted (rerun to resume); ${EXIT.internal} a bug. inspect: 0 no macro, 2 macros, 9 encrypted, 10 error, 20 suspicious.`,
    );
  registerScan(program);
  registerAnalyze(program);
  registerExplain(program);
  registerHosts(program);
  registerReport(program);
  registerNotice(program);
  registerLogs(program);
  registerAccounts(program);
  registerInspect(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  for (const c of program.commands) c.exitOverride();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    // --help and --version end through here with exit code 0; usage errors were printed by commander.
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const f = describeFailure(e);
    process.stderr.write(f.line + '\n');
    return f.code;
  }
}

// A closed pipe (`blastradius … | head`) ends output quietly rather than with a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const code = await main(process.argv);
process.exitCode = code;
