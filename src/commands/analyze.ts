// blastradius analyze: verdicts for every message and account, and the counts.
import type { Command } from 'commander';
import { assertInputsExist, collect } from './options.js';

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description(
      'Judge every message (hijacked reply, macro payload, encrypted archive with its password in the body, spoofed name) and\n' +
        'every organisation account (compromised, impersonated), and count what went out; stores the verdicts in the case file.',
    )
    .option('--case <file>', 'case file (SQLite)', 'reports/case.sqlite')
    .option('--org-domain <domain>', 'an organisation mail domain (repeatable); default: the domains the case was scanned with', collect, [])
    .option('--ioc <file>', 'IOC list: URLhaus or Feodo Tracker CSV, or one indicator per line (repeatable)', collect, [])
    .option('--roster <file>', 'member roster CSV (address,display name…)')
    .option('--account-map <file>', 'CSV of login-or-identity,address for identities the logs cannot teach (SASL logins, X.500 DNs, UPNs)')
    .option('--json', 'print the analysis as one JSON object')
    .action(async (o: { case: string; orgDomain: string[]; ioc: string[]; roster?: string; accountMap?: string; json?: boolean }) => {
      assertInputsExist([...o.ioc, ...(o.roster ? [o.roster] : []), ...(o.accountMap ? [o.accountMap] : [])]);
      const { runAnalysis } = await import('../analysis/run-analysis.js');
      const { formatAnalysis } = await import('../report/analysis-text.js');
      const a = runAnalysis(o.case, { orgDomains: o.orgDomain, iocFiles: o.ioc, rosterFile: o.roster, accountMapFile: o.accountMap });
      process.stdout.write((o.json ? JSON.stringify(a) : formatAnalysis(a)) + '\n');
    });
}
