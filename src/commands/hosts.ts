// blastradius hosts: which PCs were infected, suspected or found clean, with their evidence.
import type { Command } from 'commander';
import { openCaseReadonly } from '../store/case-file.js';
import { CliError } from './errors.js';

export function registerHosts(program: Command): void {
  program
    .command('hosts')
    .description('Infected, suspected and clean PCs with their evidence: proxy, DNS and firewall logs matched against the feeds, EmoCheck, Autoruns, Source of Infection; the users and accounts of each.')
    .option('--case <file>', 'case file (SQLite)', 'reports/case.sqlite')
    .option('--json', 'print one JSON object')
    .action(async (o: { case: string; json?: boolean }) => {
      const { HostQueries } = await import('../store/host-queries.js');
      const { formatHosts } = await import('../report/hosts-text.js');
      const db = openCaseReadonly(o.case);
      try {
        const q = new HostQueries(db);
        if (!q.hasEvidence()) {
          throw new CliError('usage', `no host evidence in ${o.case}`, 'scan proxy, DNS or firewall logs with a feed (URLhaus, Feodo Tracker, ThreatFox, --ioc), EmoCheck reports or Autoruns exports, then analyze');
        }
        const v = q.verdicts();
        process.stdout.write(o.json ? JSON.stringify({ ...v, networkLogs: q.netReads() }) + '\n' : formatHosts(v, q.netReads()) + '\n');
      } finally {
        db.close();
      }
    });
}
