// blastradius explain: the evidence behind one message's or one account's verdict.
import type { Command } from 'commander';
import { openCaseReadonly } from '../store/case-file.js';
import { CliError } from './errors.js';

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description("The evidence behind one message's, account's or host's verdict, down to source files, byte offsets and log lines.")
    .argument('<subject>', 'a Message-ID (with or without <>), a case reference (#12), an input file with a byte offset (journal.mbox@52311, or an .eml alone), an account address, or a host name or address')
    .option('--case <file>', 'case file (SQLite)', 'reports/case.sqlite')
    .option('--json', 'print one JSON object')
    .action(async (subject: string, o: { case: string; json?: boolean }) => {
      const { explain } = await import('../report/explain.js');
      const db = openCaseReadonly(o.case);
      try {
        const e = explain(db, subject);
        if (!e) throw new CliError('usage', `no message, account or host "${subject}" in ${o.case}`, 'check the Message-ID, #reference, file@offset, address or host name (and run analyze first)');
        process.stdout.write(o.json ? JSON.stringify(e) + '\n' : e.text + '\n');
      } finally {
        db.close();
      }
    });
}
