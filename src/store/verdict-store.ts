// Storing an analysis: the verdict tables, sessions and sends are rewritten whole in one
// transaction, so an analysis run again (other org domains, an IOC list, more inputs)
// replaces the last, and one killed half-way leaves the last one standing.
import type Database from 'better-sqlite3';
import type { AccountVerdict, CaseCounts } from '../analysis/analyze-case.js';
import type { AttributedSession, SendAttribution } from '../analysis/attribution.js';
import type { ContentResult } from '../analysis/content-verdicts.js';
import type { RecipientOutcome } from '../analysis/figures.js';
import type { Send } from '../analysis/submissions.js';

export class VerdictWriter {
  private readonly insertMessage;
  private readonly getMessage;
  private readonly updateMessage;

  constructor(private readonly db: Database.Database) {
    this.insertMessage = db.prepare(
      'INSERT INTO message_verdicts (message_ref, malicious, score, via_our_systems, rules_json, reasons_json, signals_json) VALUES (?, ?, ?, 0, ?, ?, ?)',
    );
    this.getMessage = db.prepare<[number], { malicious: number; rules_json: string }>('SELECT malicious, rules_json FROM message_verdicts WHERE message_ref = ?');
    this.updateMessage = db.prepare('UPDATE message_verdicts SET malicious = ?, via_our_systems = 1, rules_json = ?, session_ref = ?, send_tier = ? WHERE message_ref = ?');
  }

  inTransaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  clear(): void {
    for (const t of ['message_verdicts', 'account_verdicts', 'sends', 'submission_sessions']) this.db.prepare(`DELETE FROM ${t}`).run();
  }

  messageVerdicts(results: ContentResult[]): void {
    for (const c of results) this.insertMessage.run(c.ref, c.malicious ? 1 : 0, c.score, JSON.stringify(c.rules), JSON.stringify(c.reasons), JSON.stringify(c.signals));
  }

  /**
   * The message is a send: it went through our systems. An attacker send is malicious; its
   * rules gain those only the send stage knows (R6, and S when the session, not the content,
   * convicts it). sessionRef names the session that sent it, tier the tier of the send.
   */
  markSend(messageRef: number, attacker: boolean, contentRules: string[], bySession: boolean, sessionRef: number, tier: string): void {
    const cur = this.getMessage.get(messageRef);
    if (!cur) return;
    const rules = new Set([...(JSON.parse(cur.rules_json) as string[]), ...(attacker ? contentRules : [])]);
    if (bySession) rules.add('S');
    this.updateMessage.run(attacker || cur.malicious ? 1 : 0, JSON.stringify([...rules]), sessionRef, tier, messageRef);
  }

  sessions(list: AttributedSession[]): void {
    const ins = this.db.prepare(
      `INSERT INTO submission_sessions (id, account, block, ips_json, first, last, sends, replies, old_thread_replies, outside_recipients, max_per_window,
        content_malicious, novelty, tier, grounds_json, hours_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const s of list) {
      ins.run(s.id, s.account, s.block, JSON.stringify(s.ips), s.first, s.last, s.sends.length, s.replies, s.oldThreadReplies, s.outsideRecipients, s.maxPerWindow,
        s.contentMalicious, s.novelty, s.tier, JSON.stringify(s.grounds), JSON.stringify(s.hours));
    }
  }

  sends(list: Send[], attribution: SendAttribution[], outcomes: Map<number, RecipientOutcome[]>): void {
    const ins = this.db.prepare(
      `INSERT INTO sends (id, account, message_ref, log_refs_json, message_id, subject, time, time_source, client_ip, seen_json, session_ref, content_malicious, tier, recipients_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const s of list) {
      const a = attribution[s.index]!;
      ins.run(s.index + 1, s.account, s.messageRef, JSON.stringify(s.logRefs), s.messageId, s.subject, s.time, s.timeSource, s.clientIp, JSON.stringify(s.seen),
        a.session.id, a.contentMalicious ? 1 : 0, a.tier, JSON.stringify(outcomes.get(s.index) ?? []));
    }
  }

  accounts(list: AccountVerdict[]): void {
    const ins = this.db.prepare(
      `INSERT INTO account_verdicts (account, verdict, malicious_sent, impersonation_messages, recipient_deliveries_json, counts_from, first, last, evidence_json, details_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const v of list) {
      ins.run(v.account, v.verdict, v.maliciousSent, v.impersonationMessages, JSON.stringify(v.recipientDeliveries), v.countsFrom, v.first, v.last, JSON.stringify(v.evidence),
        JSON.stringify({ sends: v.sends, toReview: v.toReview, suspected: v.suspected, attackerIps: v.attackerIps }));
    }
  }

  counts(c: CaseCounts): void {
    this.db.prepare("INSERT INTO meta (key, value) VALUES ('counts', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(JSON.stringify(c));
  }

  maliciousMessageCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM message_verdicts WHERE malicious = 1').get() as { n: number }).n;
  }
}
