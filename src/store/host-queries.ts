// Typed reads of the host evidence for the analysis, the `hosts` command, explain and the
// report; and the host verdicts the analysis writes.
import type Database from 'better-sqlite3';
import type { MatchStrength } from '../analysis/feed-index.js';
import { isBlocked, type HostVerdict, type HostVerdictInputs, type MatchGroupFacts } from '../analysis/host-verdicts.js';
import type { NetHit } from './host-store.js';

export interface NetReadSummary {
  path: string;
  format: string;
  lines: number;
  events: number;
  unreadable: number;
}

export class HostQueries {
  constructor(private readonly db: Database.Database) {}

  /** Whether the case holds any host evidence at all (feeds, network logs, PC evidence, a host map). */
  hasEvidence(): boolean {
    const r = this.db
      .prepare('SELECT (SELECT count(*) FROM net_reads) + (SELECT count(*) FROM endpoint_findings) + (SELECT count(*) FROM feed_entries) AS n')
      .get() as { n: number };
    return r.n > 0;
  }

  hits(groupRef: number): NetHit[] {
    return (this.db.prepare('SELECT line, time, kind, url, host, dst_ip, dst_port, action FROM net_hits WHERE group_ref = ? ORDER BY line').all(groupRef) as {
      line: number; time: string | null; kind: NetHit['kind']; url: string | null; host: string | null; dst_ip: string | null; dst_port: number | null; action: string | null;
    }[]).map((h) => ({ line: h.line, time: h.time, kind: h.kind, url: h.url, host: h.host, dstIp: h.dst_ip, dstPort: h.dst_port, action: h.action }));
  }

  private groups(): MatchGroupFacts[] {
    const rows = this.db
      .prepare(
        `SELECT g.id, i.path, r.format, g.client_ip, g.client_name, g.user, g.strength, g.hits, g.first, g.last, g.first_line, g.last_line,
                f.source, f.kind, f.value, f.feed_id, f.date_added, f.threat, f.tags_json, f.reference, f.line AS feed_line, fi.path AS feed_path
           FROM net_hit_groups g JOIN inputs i ON i.id = g.input_ref JOIN net_reads r ON r.input_ref = g.input_ref
           JOIN feed_entries f ON f.id = g.feed_entry_ref JOIN inputs fi ON fi.id = f.input_ref
          ORDER BY g.id`,
      )
      .all() as Record<string, unknown>[];
    return rows.map((r) => {
      const kept = this.hits(r.id as number);
      return {
        groupRef: r.id as number,
        path: r.path as string,
        format: r.format as string,
        clientIp: r.client_ip as string,
        clientName: r.client_name as string | null,
        user: r.user as string | null,
        strength: r.strength as MatchStrength,
        hits: r.hits as number,
        first: r.first as string | null,
        last: r.last as string | null,
        firstLine: r.first_line as number,
        lastLine: r.last_line as number,
        blocked: kept.some((h) => isBlocked(h.action)),
        allBlocked: kept.length > 0 && kept.every((h) => isBlocked(h.action)),
        entry: {
          source: r.source as string,
          kind: r.kind as string,
          value: r.value as string,
          id: r.feed_id as string | null,
          dateAdded: r.date_added as string | null,
          threat: r.threat as string | null,
          tags: JSON.parse(r.tags_json as string) as string[],
          reference: r.reference as string | null,
          path: r.feed_path as string,
          line: r.feed_line as number,
        },
      };
    });
  }

  /** Everything hostVerdicts() reads. */
  inputs(): HostVerdictInputs {
    const endpoint = (this.db
      .prepare('SELECT i.path, e.line, e.source, e.host, e.time, e.kind, e.weight, e.subject, e.rule, e.remote, e.user FROM endpoint_findings e JOIN inputs i ON i.id = e.input_ref ORDER BY e.id')
      .all() as HostVerdictInputs['endpoint']);
    const hostMap = this.db.prepare('SELECT host, ip, user FROM host_map ORDER BY input_ref, line').all() as HostVerdictInputs['hostMap'];
    const clients = (this.db.prepare('SELECT DISTINCT client_ip, client_name, user FROM net_clients').all() as { client_ip: string; client_name: string | null; user: string | null }[]).map((c) => ({
      clientIp: c.client_ip, clientName: c.client_name, user: c.user,
    }));
    const submissions = (this.db.prepare('SELECT DISTINCT account, client_ip FROM sends WHERE client_ip IS NOT NULL').all() as { account: string; client_ip: string }[]).map((s) => ({
      account: s.account, clientIp: s.client_ip,
    }));
    const accounts = (this.db.prepare('SELECT account, verdict, first, last FROM account_verdicts').all() as { account: string; verdict: string; first: string | null; last: string | null }[]).map((a) => ({
      account: a.account, compromised: a.verdict.startsWith('compromised'), first: a.first, last: a.last,
    }));
    return { groups: this.groups(), endpoint, hostMap, clients, submissions, accounts };
  }

  writeVerdicts(hosts: readonly HostVerdict[], quietClients: number): void {
    this.db.prepare('DELETE FROM host_verdicts').run();
    const ins = this.db.prepare('INSERT INTO host_verdicts (host_key, verdict, json) VALUES (?, ?, ?)');
    for (const h of hosts) ins.run(h.key, h.verdict, JSON.stringify(h));
    this.db.prepare("INSERT INTO meta (key, value) VALUES ('quiet_clients', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(String(quietClients));
  }

  verdicts(): { hosts: HostVerdict[]; quietClients: number } {
    const hosts = (this.db.prepare('SELECT json FROM host_verdicts').all() as { json: string }[]).map((r) => JSON.parse(r.json) as HostVerdict);
    const RANK = { infected: 2, suspected: 1, clean: 0 } as const;
    hosts.sort((a, b) => RANK[b.verdict] - RANK[a.verdict] || a.key.localeCompare(b.key));
    const q = this.db.prepare("SELECT value FROM meta WHERE key = 'quiet_clients'").get() as { value: string } | undefined;
    return { hosts, quietClients: q ? Number(q.value) : 0 };
  }

  netReads(): NetReadSummary[] {
    return this.db.prepare('SELECT i.path, r.format, r.lines, r.events, r.unreadable FROM net_reads r JOIN inputs i ON i.id = r.input_ref ORDER BY i.path').all() as NetReadSummary[];
  }
}
