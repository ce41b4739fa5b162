// blastradius report: report.json, report.html and the CSV files.
import type { Command } from 'commander';
import { openCaseReadonly } from '../store/case-file.js';
import { outputDir } from './options.js';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('Write report.json, report.html and the CSV files (messages, accounts, recipients to notify, IOCs) from the analysed case.')
    .option('--case <file>', 'case file (SQLite)', 'reports/case.sqlite')
    .option('--out <dir>', 'folder to write into', 'reports')
    .action(async (o: { case: string; out: string }) => {
      const { writeReport } = await import('../report/write-report.js');
      const db = openCaseReadonly(o.case);
      try {
        outputDir(o.out, '--out');
        const r = writeReport(db, o.out);
        process.stdout.write(r.files.join('\n') + '\n');
      } finally {
        db.close();
      }
    });
}
