// What the notice may say, read from an analysed case file.
import type Database from 'better-sqlite3';
import type { NoticeFacts } from './notice.js';

function byFrequency(values: string[]): string[] {
  const n = new Map<string, number>();
  for (const v of values) n.set(v, (n.get(v) ?? 0) + 1);
  return [...n.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([v]) => v);
}

export class NotAnalysedError extends Error {}

/** The definitions stored with the counts, and the Message-IDs the outbound count is made of. */
export function noticeEvidence(db: Database.Database): { definitions: Record<string, string>; messageIds: string[] } {
  const counts = JSON.parse((db.prepare("SELECT value FROM meta WHERE key = 'counts'").get() as { value: string }).value) as { definitions: Record<string, string> };
  const ids = db
    .prepare("SELECT m.message_id AS id FROM messages m JOIN message_verdicts v ON v.message_ref = m.id WHERE v.malicious = 1 AND v.via_our_systems = 1 ORDER BY m.date_utc")
    .all() as { id: string }[];
  return { definitions: counts.definitions, messageIds: ids.map((r) => r.id) };
}

export function noticeFacts(db: Database.Database): NoticeFacts {
  const countsRow = db.prepare("SELECT value FROM meta WHERE key = 'counts'").get() as { value: string } | undefined;
  if (!countsRow) throw new NotAnalysedError('the case has not been analysed yet (run blastradius analyze)');
  const counts = JSON.parse(countsRow.value) as NoticeFacts['counts'];
  const accounts = db.prepare('SELECT account, verdict FROM account_verdicts').all() as { account: string; verdict: string }[];
  const malicious = db
    .prepare('SELECT m.id, m.subject, v.rules_json AS rules, v.signals_json AS signals FROM messages m JOIN message_verdicts v ON v.message_ref = m.id WHERE v.malicious = 1')
    .all() as { id: number; subject: string; rules: string; signals: string }[];
  const names = db.prepare<[number], { filename: string; analysis_ref: number | null }>("SELECT filename, analysis_ref FROM attachments WHERE message_ref = ? AND nest_path = ''");
  const members = db.prepare<[number], { name: string }>('SELECT name FROM analyses WHERE parent_ref = ?');
  const attachmentNames: string[] = [];
  for (const m of malicious) {
    for (const a of names.all(m.id)) {
      attachmentNames.push(a.filename);
      if (a.analysis_ref) for (const c of members.all(a.analysis_ref)) attachmentNames.push(c.name.split('/').pop()!);
    }
  }
  return {
    counts,
    compromisedAccounts: accounts.filter((a) => a.verdict.startsWith('compromised')).map((a) => a.account),
    impersonatedAccounts: accounts.filter((a) => a.verdict.includes('impersonated')).map((a) => a.account),
    subjects: byFrequency(malicious.map((m) => m.subject)),
    attachmentNames: byFrequency(attachmentNames.filter((n) => /\.(xls|xlsm|xlsb|doc|docm|zip|one|lnk)$/i.test(n))),
    passwordZip: malicious.some((m) => (JSON.parse(m.rules) as string[]).includes('R1')),
    downloadLinks: malicious.some((m) => (JSON.parse(m.signals) as { id: string; evidence: string }[]).some((s) => s.id === 'payload-added' && s.evidence.includes('link '))),
  };
}
