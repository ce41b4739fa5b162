// The Sendmail rig (sm-mta with SMTP AUTH through Cyrus SASL, recorded by
// tests/fixtures/logs/rig-sendmail/record): AUTH=server lines carry no queue id and one SMTP
// session submits several messages; one to= line names several recipients; a relaying attempt
// refused at RCPT leaves a from= line with nrcpts=0 and no queued message. Against its truth.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { lastJson, ROOT, runCli, tempDir } from '../helpers.js';

const DIR = join(ROOT, 'tests/fixtures/logs/rig-sendmail');

interface Truth {
  log: { still_queued_at_stop: number; recipient_outcomes_all_attempts: Record<string, number> };
  per_sasl_user_log: Record<string, { messages: number; client_ips: Record<string, number>; final: Record<string, number> }>;
  incident: { compromised_account: string; attacker_ip: string; malicious_messages: number; recipients_final: number; final: Record<string, number>; message_ids: string[] };
}

describe('rig-sendmail: Sendmail with SMTP AUTH', () => {
  const truth = JSON.parse(readFileSync(join(DIR, 'truth.json'), 'utf8')) as Truth;
  const casePath = join(tempDir('rig-sendmail'), 'c.sqlite');
  const scan = runCli(['scan', join(DIR, 'mail.log'), join(DIR, 'mail'), join(DIR, 'sent'), '--case', casePath, '--org-domain', 'minato-kogyo.example', '--json']);

  it('reads every line; the messages still queued and every recipient status line as the log has them', () => {
    expect(scan.code, scan.stderr).toBe(0);
    const s = lastJson<{ inputs: { log?: { unreadable: number; unfinished: number } }[] }>(scan.stdout);
    expect(s.inputs.filter((i) => i.log).map((i) => [i.log!.unreadable, i.log!.unfinished])).toEqual([[0, truth.log.still_queued_at_stop]]);
    const db = new Database(casePath, { readonly: true });
    const lines = Object.fromEntries((db.prepare('SELECT status, count(*) AS n FROM log_deliveries GROUP BY status').all() as { status: string; n: number }[]).map((r) => [r.status, r.n]));
    db.close();
    expect(lines).toEqual(truth.log.recipient_outcomes_all_attempts);
  });

  it('gives each login every message of its sessions, its client addresses and final statuses', () => {
    const acc = lastJson<{ accounts: { account: string; messages: number; deliveries: Record<string, number>; clientIps: { ip: string; messages: number }[] }[] }>(runCli(['accounts', '--case', casePath, '--json']).stdout);
    const ours = Object.fromEntries(acc.accounts.map((a) => [a.account, { messages: a.messages, client_ips: Object.fromEntries(a.clientIps.map((c) => [c.ip, c.messages])), final: a.deliveries }]));
    const theirs = Object.fromEntries(Object.entries(truth.per_sasl_user_log).map(([u, v]) => [u, { messages: v.messages, client_ips: v.client_ips, final: v.final }]));
    expect(ours).toEqual(theirs);
  });

  it("finds exactly the attacker's sends and their recipients' outcomes", () => {
    const a = lastJson<{ analysis: { counts: { maliciousOutboundMessages: number; maliciousOutboundRecipients: number; recipientDeliveries: Record<string, number> }; accounts: { account: string; verdict: string }[] } }>(scan.stdout).analysis;
    expect(a.counts.maliciousOutboundMessages).toBe(truth.incident.malicious_messages);
    expect(a.counts.maliciousOutboundRecipients).toBe(truth.incident.recipients_final);
    expect(a.counts.recipientDeliveries).toEqual(truth.incident.final);
    // The SASL login "kato" is the address kato@minato-kogyo.example (learned from its envelope senders).
    expect(a.accounts.map((x) => [x.account, x.verdict])).toEqual([[`${truth.incident.compromised_account}@minato-kogyo.example`, 'compromised']]);
    const db = new Database(casePath, { readonly: true });
    const sends = db.prepare("SELECT message_id AS id, client_ip AS ip FROM sends WHERE tier = 'attacker'").all() as { id: string; ip: string }[];
    db.close();
    expect(sends.map((s) => `<${s.id}>`).sort()).toEqual([...truth.incident.message_ids].sort());
    expect(new Set(sends.map((s) => s.ip))).toEqual(new Set([truth.incident.attacker_ip]));
  });
});
