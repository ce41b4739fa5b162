// The Postfix rig with an amavis content filter re-injecting on 127.0.0.1:10025 (recorded by
// tests/fixtures/logs/rig-postfix-filter/record): every message crosses the filter and shows
// up as two queue ids. Against its truth.json: one message, one record; the submitting client
// and login, never the filter's loopback hop; each recipient's final status is the last hop's;
// the attacker's sends and their deliveries exactly.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { lastJson, ROOT, runCli, tempDir } from '../helpers.js';

const DIR = join(ROOT, 'tests/fixtures/logs/rig-postfix-filter');

interface Truth {
  submitted: { messages: number };
  per_sasl_user_log: Record<string, { messages: number; client_ips: Record<string, number>; final: Record<string, number> }>;
  incident: { compromised_account: string; attacker_ip: string; malicious_messages: number; recipients_final: number; final: Record<string, number>; message_ids: string[] };
  messages: { message_id: string; kind: string; sasl_user: string | null; final?: Record<string, string> }[];
}

describe('rig-postfix-filter: Postfix behind an amavis content filter', () => {
  const truth = JSON.parse(readFileSync(join(DIR, 'truth.json'), 'utf8')) as Truth;
  const casePath = join(tempDir('rig-filter'), 'c.sqlite');
  const scan = runCli(['scan', join(DIR, 'maillog'), join(DIR, 'mail'), join(DIR, 'sent'), '--case', casePath, '--org-domain', 'shokai.example', '--year', '2026', '--json']);

  it('reads every line, and counts each message once', () => {
    expect(scan.code, scan.stderr).toBe(0);
    const logs = lastJson<{ instances: { instance: string; totals: { messages: number } }[] }>(runCli(['logs', '--case', casePath, '--json']).stdout);
    expect(logs.instances.map((i) => [i.instance, i.totals.messages])).toEqual([['postfix', truth.submitted.messages]]);
  });

  it("gives each login its messages, client addresses and recipients' final statuses as truth.json", () => {
    const acc = lastJson<{ accounts: { account: string; messages: number; deliveries: Record<string, number>; clientIps: { ip: string; messages: number }[] }[] }>(runCli(['accounts', '--case', casePath, '--json']).stdout);
    const ours = Object.fromEntries(acc.accounts.map((a) => [a.account, { messages: a.messages, client_ips: Object.fromEntries(a.clientIps.map((c) => [c.ip, c.messages])), final: a.deliveries }]));
    const theirs = Object.fromEntries(Object.entries(truth.per_sasl_user_log).map(([u, v]) => [u, { messages: v.messages, client_ips: v.client_ips, final: v.final }]));
    expect(ours).toEqual(theirs);
  });

  it("finds exactly the attacker's sends, from the attacker's address, with the last hop's outcomes", () => {
    const a = lastJson<{ analysis: { counts: { maliciousOutboundMessages: number; maliciousOutboundRecipients: number; recipientDeliveries: Record<string, number> }; accounts: { account: string; verdict: string }[] } }>(scan.stdout).analysis;
    expect(a.counts.maliciousOutboundMessages).toBe(truth.incident.malicious_messages);
    expect(a.counts.maliciousOutboundRecipients).toBe(truth.incident.recipients_final);
    expect(a.counts.recipientDeliveries).toEqual(truth.incident.final);
    expect(a.accounts.filter((x) => x.verdict.startsWith('compromised')).map((x) => x.account)).toEqual([truth.incident.compromised_account]);
    const db = new Database(casePath, { readonly: true });
    const sends = db.prepare("SELECT message_id AS id, client_ip AS ip FROM sends WHERE tier = 'attacker' ORDER BY message_id").all() as { id: string; ip: string }[];
    db.close();
    expect(sends.map((s) => `<${s.id}>`).sort()).toEqual([...truth.incident.message_ids].sort());
    expect(new Set(sends.map((s) => s.ip))).toEqual(new Set([truth.incident.attacker_ip]));
  });
});
