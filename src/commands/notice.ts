// blastradius notice: the public notice (or one draft per partner) from the analysed case.
import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { loadProfile } from '../profile.js';
import { openCaseReadonly } from '../store/case-file.js';
import { outputFile } from './options.js';

interface NoticeOpts {
  case: string;
  lang: 'ja' | 'en';
  format: 'md' | 'txt' | 'html';
  profile?: string;
  includeAddresses?: boolean;
  appendix?: boolean;
  individual?: boolean;
  out?: string;
}

export function registerNotice(program: Command): void {
  program
    .command('notice')
    .description(
      'Draft the public notice from the analysed case and the profile (name, contact, discoveredOn, pcInfectionConfirmed,\n' +
        'measures.ja/en). Japanese first; every figure from the case, marked 要確認 / "to be confirmed" where the case cannot support it.',
    )
    .option('--case <file>', 'case file (SQLite)', 'reports/case.sqlite')
    .addOption(new Option('--lang <lang>', 'language').choices(['ja', 'en']).default('ja'))
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'txt', 'html']).default('md'))
    .option('--profile <file>', 'organisation profile (JSON); default ./blastradius.json when present')
    .option('--include-addresses', 'name the misused accounts and keep addresses in subjects (not for public text)')
    .option('--appendix', 'add the internal appendix: each figure with its definition, query and the Message-IDs it counts')
    .option('--individual', 'draft instead one mail per affected outside recipient, with its own count and dates')
    .option('--out <file>', 'write the notice to this file instead of stdout')
    .action(notice);
}

async function notice(o: NoticeOpts): Promise<void> {
  if (o.out) outputFile(o.out, '--out');
  const { noticeEvidence, noticeFacts } = await import('../report/notice-facts.js');
  const { draftNotice, individualNotice, noticeAppendix, noticeAsHtml, noticeAsText } = await import('../report/notice.js');
  const profile = loadProfile(o.profile);
  const db = openCaseReadonly(o.case);
  let text: string;
  try {
    const facts = noticeFacts(db);
    const p = (profile ?? {}) as Parameters<typeof draftNotice>[1];
    let md: string;
    if (o.individual) {
      md = facts.counts.notificationList.map((r) => individualNotice(r, p, o.lang)).join('\n---\n\n');
    } else {
      md = draftNotice(facts, p, { lang: o.lang, includeAddresses: o.includeAddresses });
      if (o.appendix) {
        const ev = noticeEvidence(db);
        md += '\n' + noticeAppendix(facts, ev.definitions, ev.messageIds, o.lang);
      }
    }
    text = o.format === 'html' ? noticeAsHtml(md, o.lang) : o.format === 'txt' ? noticeAsText(md) : md;
  } finally {
    db.close();
  }
  if (o.out) writeFileSync(o.out, text);
  else process.stdout.write(text);
}
