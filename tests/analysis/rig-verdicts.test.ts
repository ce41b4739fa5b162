// The analysis on the two recorded incidents (a real Postfix and a real Exim, with the
// recipients' mboxes and the submitted messages): every verdict and count against truth.json.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { lastJson, ROOT, runCli, tempDir } from '../helpers.js';

interface Truth {
  incident?: { compromised_accounts?: string[] };
  compromised_accounts?: string[];
  /** Per submitted message: the final status of each recipient in the log (log_final in the Postfix rig, outcome in the Exim rig). */
  messages: { message_id: string; kind: string; log_final?: Record<string, string>; outcome?: Record<string, string> }[];
}

for (const rig of ['rig-postfix', 'rig-exim']) {
  describe(`${rig}: verdicts against the truth`, () => {
    const dir = join(ROOT, 'tests/fixtures/logs', rig);
    const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as Truth;
    const casePath = join(tempDir(rig), 'c.sqlite');
    const log = join(dir, rig === 'rig-postfix' ? 'maillog' : 'mainlog');
    const r = runCli(['scan', log, join(dir, 'mail'), join(dir, 'sent'), '--case', casePath, '--org-domain', 'kaisha.example', '--year', '2026', '--json']);
    const db = new Database(casePath, { readonly: true });
    const verdict = db.prepare<[string], { malicious: number; via: number }>(
      'SELECT v.malicious, v.via_our_systems AS via FROM messages m JOIN message_verdicts v ON v.message_ref = m.id WHERE m.message_id = ?',
    );

    it('scans without read errors', () => expect(r.code, r.stderr).toBe(0));

    it('calls exactly the malicious submissions malicious sends, and the impersonations malicious but not ours', () => {
      const wrong: string[] = [];
      for (const t of truth.messages) {
        const v = verdict.get(t.message_id.replace(/^<|>$/g, ''));
        const sentByUs = v?.malicious === 1 && v.via === 1;
        if ((t.kind === 'malicious') !== sentByUs) wrong.push(`${t.kind} ${t.message_id}`);
        if (t.kind === 'impersonation_inbound' && !(v?.malicious === 1 && v.via === 0)) wrong.push(`impersonation ${t.message_id}`);
        if ((t.kind === 'normal' || t.kind === 'normal_inbound') && v?.malicious === 1) wrong.push(`false positive ${t.message_id}`);
      }
      expect(wrong).toEqual([]);
    });

    it('counts the malicious sends and their deliveries as the log shows them', () => {
      const malicious = truth.messages.filter((m) => m.kind === 'malicious');
      const counts = lastJson<{ analysis: { counts: Record<string, unknown>; accounts: { account: string; verdict: string }[] } }>(r.stdout).analysis;
      expect(counts.counts).toMatchObject({
        maliciousOutboundMessages: malicious.length,
        countsFrom: 'logs',
        impersonationMessagesObserved: truth.messages.filter((m) => m.kind === 'impersonation_inbound').length,
        inboundMaliciousMessages: truth.messages.filter((m) => m.kind === 'impersonation_inbound').length,
      });
      const outcomes: Record<string, number> = {};
      for (const m of malicious) for (const s of Object.values(m.log_final ?? m.outcome ?? {})) outcomes[s] = (outcomes[s] ?? 0) + 1;
      expect(Object.values(outcomes).reduce((a, b) => a + b, 0)).toBe(129);
      expect(counts.counts.recipientDeliveries).toEqual(outcomes);
      expect(counts.counts.maliciousOutboundRecipients).toBe(129);
      const compromised = counts.accounts.filter((a) => a.verdict.startsWith('compromised')).map((a) => a.account.split('@')[0]).sort();
      expect(compromised).toEqual([...(truth.incident?.compromised_accounts ?? truth.compromised_accounts ?? [])].sort());
    });
  });
}
