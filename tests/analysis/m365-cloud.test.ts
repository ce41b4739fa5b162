// A cloud account used from a bot's address (tests/fixtures/logs/m365-cloud, NOTES.md there):
// the trace names no client address; the Entra sign-in log and the unified audit log do.
// Against its truth.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { lastJson, ROOT, runCli, tempDir } from '../helpers.js';

const DIR = join(ROOT, 'tests/fixtures/logs/m365-cloud');
const FILES = ['MessageTrace.csv', 'InteractiveSignIns_2026-11-01_2026-11-08.csv', 'signins-graph.json', 'AuditLog_2026-11-08.csv'].map((f) => join(DIR, f));

interface Truth {
  org_domain: string;
  events: Record<string, number>;
  sends: Record<string, { client_ip: string; novelty: string; tier: string }>;
  attacker: {
    account: string;
    ip: string;
    novelty: string;
    message_ids: string[];
    tier_without_iocs: string;
    malicious_messages: number;
    recipient_deliveries: Record<string, number>;
    period: [string, string];
  };
}

interface ScanOut {
  inputs: { path: string; log?: { format: string; lines: number; recognised: number; unreadable: number } }[];
  analysis: { counts: { maliciousOutboundMessages: number; recipientDeliveries: Record<string, number>; period: { first: string | null; last: string | null } }; accounts: { account: string; verdict: string }[] };
}

function sendsOf(casePath: string) {
  const db = new Database(casePath, { readonly: true });
  const rows = db
    .prepare('SELECT s.message_id AS id, s.client_ip AS ip, s.tier, ss.novelty FROM sends s LEFT JOIN submission_sessions ss ON ss.id = s.session_ref ORDER BY s.id')
    .all() as { id: string; ip: string | null; tier: string; novelty: string }[];
  const events = Object.fromEntries((db.prepare('SELECT kind, count(*) AS n FROM log_events GROUP BY kind').all() as { kind: string; n: number }[]).map((r) => [r.kind, r.n]));
  db.close();
  return { rows, events };
}

describe('m365-cloud: where a cloud account was used from', () => {
  const truth = JSON.parse(readFileSync(join(DIR, 'truth.json'), 'utf8')) as Truth;
  const dir = tempDir('m365-cloud');
  const withIocs = join(dir, 'iocs.sqlite');
  const scan = runCli(['scan', ...FILES, '--case', withIocs, '--org-domain', truth.org_domain, '--ioc', join(DIR, 'iocs.txt'), '--json']);

  it('reads each export as its format, every row recognised', () => {
    expect(scan.code, scan.stderr).toBe(0);
    const s = lastJson<ScanOut>(scan.stdout);
    expect(s.inputs.filter((i) => i.log).map((i) => [i.log!.format, i.log!.lines, i.log!.recognised, i.log!.unreadable])).toEqual([
      ['m365', 13, 13, 0],
      ['entra-signin', 6, 6, 0],
      ['entra-signin', 3, 3, 0],
      ['m365-audit', 7, 7, 0],
    ]);
    expect(sendsOf(withIocs).events).toEqual(truth.events);
  });

  it("gives the user's sends the audit log's address, and the bot's the one address signed in just before", () => {
    const { rows } = sendsOf(withIocs);
    const byId = new Map(rows.map((r) => [r.id.replace(/@.*/, ''), r]));
    for (const [id, t] of Object.entries(truth.sends)) expect(byId.get(id.replace(/@.*/, '')), id).toMatchObject({ ip: t.client_ip, novelty: t.novelty, tier: t.tier });
    const bot = rows.filter((r) => r.ip === truth.attacker.ip);
    expect(bot.map((r) => r.id.replace(/@.*/, ''))).toEqual(truth.attacker.message_ids);
    expect(new Set(bot.map((r) => `${r.novelty} ${r.tier}`))).toEqual(new Set([`${truth.attacker.novelty} attacker`]));
  });

  it('counts the attacker session with the IOC list, the audit-only send included', () => {
    const a = lastJson<ScanOut>(scan.stdout).analysis;
    expect(a.counts.maliciousOutboundMessages).toBe(truth.attacker.malicious_messages);
    expect(a.counts.recipientDeliveries).toEqual(truth.attacker.recipient_deliveries);
    expect([a.counts.period.first, a.counts.period.last]).toEqual(truth.attacker.period);
    expect(a.accounts.filter((x) => x.verdict !== 'clean').map((x) => [x.account, x.verdict])).toEqual([[truth.attacker.account, 'compromised']]);
  });

  it('logs lists each address a cloud account was used from', () => {
    const r = runCli(['logs', '--case', withIocs, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = lastJson<{ cloudUse: { account: string; clients: { ip: string; uses: number; sends: number; failures: number }[] }[] }>(r.stdout);
    expect(s.cloudUse.map((a) => [a.account, a.clients.map((c) => [c.ip, c.uses, c.sends, c.failures])])).toEqual([
      ['eigyo@minami-denki.example', [['198.51.100.10', 5, 2, 0], [truth.attacker.ip, 2, 1, 0]]],
      ['soumu@minami-denki.example', [[truth.attacker.ip, 0, 0, 2]]],
    ]);
  });

  it('without the IOC list the same session is suspected: new to the account, a burst', () => {
    const plain = join(dir, 'plain.sqlite');
    const r = runCli(['scan', ...FILES, '--case', plain, '--org-domain', truth.org_domain, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const bot = sendsOf(plain).rows.filter((x) => x.ip === truth.attacker.ip);
    expect(new Set(bot.map((x) => `${x.novelty} ${x.tier}`))).toEqual(new Set([`${truth.attacker.novelty} ${truth.attacker.tier_without_iocs}`]));
    expect(lastJson<ScanOut>(r.stdout).analysis.counts.maliciousOutboundMessages).toBe(0);
  });
});
