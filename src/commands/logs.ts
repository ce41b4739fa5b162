// blastradius logs: the servers' own summary of the MTA logs in the case file.
import type { Command } from 'commander';
import { openCaseReadonly } from '../store/case-file.js';
import { assertInputsExist, collect } from './options.js';

export function registerLogs(program: Command): void {
  program
    .command('logs')
    .description(
      "The servers' own summary of the MTA logs in the case file, counted as pflogsumm and eximstats count: received, delivered,\n" +
        'deferred, bounced and rejected; senders and recipient domains by message count; per account its client addresses\n' +
        'with first and last use; per day and hour (UTC).',
    )
    .option('--case <file>', 'case file (SQLite) to read', 'reports/case.sqlite')
    .option('--org-domain <domain>', 'an organisation mail domain (repeatable); default: the domains the case was scanned with', collect, [])
    .option('--account-map <file>', 'CSV of login-or-identity,address for identities the logs cannot teach')
    .option('--json', 'print the summary as one JSON object')
    .action(async (o: { case: string; orgDomain: string[]; accountMap?: string; json?: boolean }) => {
      const { summariseLogs } = await import('../analysis/log-summary.js');
      const { loadAccountMap } = await import('../analysis/account-map.js');
      const { formatLogSummary } = await import('../report/log-summary-text.js');
      const { normaliseDomains } = await import('../mail/direction.js');
      const { CaseReader } = await import('../store/case-reader.js');
      const { LogQueries } = await import('../store/log-queries.js');
      if (o.accountMap) assertInputsExist([o.accountMap]);
      const db = openCaseReadonly(o.case);
      try {
        const reader = new CaseReader(db);
        const domains = o.orgDomain.length ? normaliseDomains(o.orgDomain) : reader.storedOrgDomains();
        const s = summariseLogs(new LogQueries(db), domains, reader.loginSenderPairs(), o.accountMap ? loadAccountMap(o.accountMap) : undefined);
        process.stdout.write((o.json ? JSON.stringify(s) : formatLogSummary(s)) + '\n');
      } finally {
        db.close();
      }
    });
}
