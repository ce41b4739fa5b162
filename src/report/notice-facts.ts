// What the notice may say, read from an analysed case file.
import type Database from 'better-sqlite3';
import { DOWNLOADABLE } from '../analysis/hijack-signals.js';
import { ReportQueries } from '../store/report-queries.js';
import type { NoticeFacts } from './notice.js';

export { NotAnalysedError } from '../store/report-queries.js';

function byFrequency(values: string[]): string[] {
  const n = new Map<string, number>();
  for (const v of values) n.set(v, (n.get(v) ?? 0) + 1);
  return [...n.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([v]) => v);
}

/** The definitions stored with the counts, and the Message-IDs the outbound count is made of. */
export function noticeEvidence(db: Database.Database): { definitions: Record<string, string>; messageIds: string[] } {
  const q = new ReportQueries(db);
  return { definitions: q.counts().definitions, messageIds: q.sends(['attacker']).map((s) => s.messageId ?? '(no Message-ID in the log)') };
}

export function noticeFacts(db: Database.Database): NoticeFacts {
  const q = new ReportQueries(db);
  const counts = q.counts();
  const accounts = q.accounts();
  const malicious = q.maliciousContent();
  const subjects = [...malicious.map((m) => m.subject), ...q.sends(['attacker']).filter((s) => s.messageRef === null && s.subject).map((s) => s.subject!)];
  return {
    counts,
    compromisedAccounts: accounts.filter((a) => a.verdict.startsWith('compromised')).map((a) => a.address),
    impersonatedAccounts: accounts.filter((a) => a.verdict.includes('impersonated')).map((a) => a.address),
    subjects: byFrequency(subjects),
    attachmentNames: byFrequency(malicious.flatMap((m) => m.attachmentNames).filter((n) => /\.(xls|xlsm|xlsb|doc|docm|zip|one|lnk)$/i.test(n))),
    passwordZip: malicious.some((m) => m.rules.includes('R1')),
    downloadLinks: malicious.some((m) => m.urls.some((u) => DOWNLOADABLE.test(u))),
  };
}
