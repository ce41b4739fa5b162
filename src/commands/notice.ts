// blastradius notice: the public notice (or one draft per partner) from the analysed case.
import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { loadProfile } from '../profile.js';
import { openCaseReadonly } from '../store/case-file.js';
import { CliError } from './errors.js';
import { outputFile } from './options.js';

interface NoticeOpts {
  case: string;
  lang: 'ja' | 'en';
  format: 'md' | 'txt' | 'html';
  profile?: string;
  includeAddresses?: boolean;
  verbatimSubjects?: boolean;
  appendix?: boolean;
  individual?: boolean;
  mergeCsv?: string;
  out?: string;
}

export function registerNotice(program: Command): void {
  program
    .command('notice')
    .description(
      'Draft the public notice from the analysed case and the profile (name, domains, contact, discoveredOn, pcInfectionConfirmed,\n' +
        'measures.ja/en). Japanese first; every figure from the case, marked 要確認 / "to be confirmed" where the case cannot support it.',
    )
    .option('--case <file>', 'case file (SQLite)', 'reports/case.sqlite')
    .addOption(new Option('--lang <lang>', 'language').choices(['ja', 'en']).default('ja'))
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'txt', 'html']).default('md'))
    .option('--profile <file>', 'organisation profile (JSON); default ./blastradius.json when present')
    .option('--include-addresses', 'name the misused accounts and keep addresses in subjects (not for public text)')
    .option('--verbatim-subjects', "list the malicious mails' subjects as written (by default only their patterns: the subjects quote partners' threads)")
    .option('--appendix', 'add the internal appendix: each figure with its definition, query and the Message-IDs it counts')
    .option('--individual', 'draft instead one mail per outside recipient the mails reached, with its own subjects and times')
    .option('--merge-csv <file>', 'with --individual: also write one row per draft (address, name, organisation, count, first, last, subjects) for mail merge')
    .option('--out <file>', 'write the notice to this file instead of stdout')
    .action(notice);
}

async function notice(o: NoticeOpts): Promise<void> {
  if (o.mergeCsv && !o.individual) throw new CliError('usage', '--merge-csv goes with --individual', 'add --individual or leave --merge-csv out');
  if (o.out) outputFile(o.out, '--out');
  if (o.mergeCsv) outputFile(o.mergeCsv, '--merge-csv');
  const { buildNotice, EmptyCaseError } = await import('../report/notice-build.js');
  const profile = loadProfile(o.profile);
  const db = openCaseReadonly(o.case);
  let built: { text: string; mergeCsv: string | null };
  try {
    built = buildNotice(db, profile, {
      lang: o.lang,
      format: o.format,
      includeAddresses: o.includeAddresses,
      verbatimSubjects: o.verbatimSubjects,
      appendix: o.appendix,
      individual: o.individual,
    });
  } catch (e) {
    if (e instanceof EmptyCaseError) throw new CliError('caseFile', e.message);
    throw e;
  } finally {
    db.close();
  }
  if (o.mergeCsv && built.mergeCsv !== null) writeFileSync(o.mergeCsv, built.mergeCsv);
  if (o.out) writeFileSync(o.out, built.text);
  else process.stdout.write(built.text);
}
