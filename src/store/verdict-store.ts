// Storing an analysis: verdict tables are rewritten whole in one transaction, so an
// analysis run again (with other org domains, an IOC list, more inputs) replaces the last.
import type Database from 'better-sqlite3';
import type { CaseAnalysis } from '../analysis/analyze-case.js';

export function saveAnalysis(db: Database.Database, a: CaseAnalysis): void {
  const msg = db.prepare(
    'INSERT INTO message_verdicts (message_ref, malicious, score, via_our_systems, rules_json, reasons_json, signals_json) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const acc = db.prepare(
    `INSERT INTO account_verdicts (account, verdict, malicious_sent, impersonation_messages, recipient_deliveries_json, counts_from, first, last, evidence_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    db.prepare('DELETE FROM message_verdicts').run();
    db.prepare('DELETE FROM account_verdicts').run();
    for (const m of a.messages) msg.run(m.ref, m.malicious ? 1 : 0, m.score, m.viaOurSystems ? 1 : 0, JSON.stringify(m.rules), JSON.stringify(m.reasons), JSON.stringify(m.signals));
    for (const v of a.accounts) acc.run(v.account, v.verdict, v.maliciousSent, v.impersonationMessages, JSON.stringify(v.recipientDeliveries), v.countsFrom, v.first, v.last, JSON.stringify(v.evidence));
    db.prepare("INSERT INTO meta (key, value) VALUES ('counts', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(JSON.stringify(a.counts));
  })();
}
