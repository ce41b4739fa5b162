// blastradius accounts: per organisation account, what its logs show it sent.
import type { Command } from 'commander';
import { loadProfile } from '../profile.js';
import { openCaseReadonly } from '../store/case-file.js';
import { collect } from './options.js';

export function registerAccounts(program: Command): void {
  program
    .command('accounts')
    .description(
      'Per organisation account, from the MTA logs in the case file: messages sent and sent out, recipient deliveries by status,\n' +
        'outside recipients and domains, per day and hour, client IPs with first and last use, and anomalies.',
    )
    .option('--case <file>', 'case file (SQLite) to read', 'reports/case.sqlite')
    .option('--org-domain <domain>', 'an organisation mail domain (repeatable); default: the domains the case was scanned with', collect, [])
    .option('--profile <file>', 'organisation profile (JSON); default ./blastradius.json when present')
    .option('--json', 'print the table as one JSON object')
    .action(async (o: { case: string; orgDomain: string[]; profile?: string; json?: boolean }) => {
      const { accountTable } = await import('../analysis/outbound-accounts.js');
      const { formatAccounts } = await import('../report/accounts-text.js');
      const { normaliseDomains } = await import('../mail/direction.js');
      const db = openCaseReadonly(o.case);
      try {
        const { CaseReader } = await import('../store/case-reader.js');
        const { ReportQueries } = await import('../store/report-queries.js');
        const reader = new CaseReader(db);
        const profile = loadProfile(o.profile);
        const domains = normaliseDomains(o.orgDomain.length || profile ? [...(profile?.domains ?? []), ...o.orgDomain] : reader.storedOrgDomains());
        const rows = accountTable(reader, domains);
        // The verdicts of the last analysis, matched by address (the log's account may be a bare SASL user).
        const q = new ReportQueries(db);
        for (const r of rows) {
          const v = [r.account, ...r.senders].map((a) => q.verdictOf(a)).find(Boolean);
          r.verdict = v ?? null;
        }
        if (o.json) process.stdout.write(JSON.stringify({ orgDomains: domains, accounts: rows }) + '\n');
        else process.stdout.write(formatAccounts(rows, domains) + '\n');
      } finally {
        db.close();
      }
    });
}
