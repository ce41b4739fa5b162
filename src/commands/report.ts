// blastradius report: report.json, report.html and the CSV files.
import { Option, type Command } from 'commander';
import { loadProfile } from '../profile.js';
import { openCaseReadonly } from '../store/case-file.js';
import { CliError } from './errors.js';
import { outputDir } from './options.js';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('Write report.html (a first screen in the profile\'s language and Japan time, then the detail), report.json and the CSV files.')
    .option('--case <file>', 'case file (SQLite)', 'reports/case.sqlite')
    .option('--out <dir>', 'folder to write into', 'reports')
    .option('--profile <file>', 'organisation profile (JSON): name and domains for the first screen; default ./blastradius.json when present')
    .addOption(new Option('--lang <lang>', 'language of report.html').choices(['ja', 'en']).default('ja'))
    .option('--time-zone <zone>', 'IANA time zone of the times shown and of the local-time CSV columns', 'Asia/Tokyo')
    .action(async (o: { case: string; out: string; profile?: string; lang: 'ja' | 'en'; timeZone: string }) => {
      const { writeReport, checkTimeZone, UnknownTimeZoneError } = await import('../report/write-report.js');
      try {
        checkTimeZone(o.timeZone);
      } catch (e) {
        if (e instanceof UnknownTimeZoneError) throw new CliError('usage', e.message);
        throw e;
      }
      const profile = loadProfile(o.profile);
      const db = openCaseReadonly(o.case);
      try {
        outputDir(o.out, '--out');
        const r = writeReport(db, o.out, { profile, lang: o.lang, timeZone: o.timeZone });
        process.stdout.write(r.files.join('\n') + '\n');
      } finally {
        db.close();
      }
    });
}
