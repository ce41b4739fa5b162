// Writing and reading the host evidence of a case: feed entries, the network logs' clients and
// matches, evidence from the PCs, the host map, and the host verdicts of the analysis.
// Rows are keyed by (input, line), so reading a file again adds nothing; a network log read
// again (a killed run, or new feeds to match) has its rows replaced in one transaction.
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { IndexedEntry } from '../analysis/feed-index.js';
import type { EndpointFinding } from '../endpoint/types.js';
import type { FeedEntry } from '../feeds/types.js';

/** Tags or threat naming Emotet (abuse.ch also tags it "heodo", and by botnet "epoch4", "epoch5"). */
export function namesEmotet(tags: readonly string[], threat: string | null): boolean {
  return [...tags, threat ?? ''].some((t) => /^(emotet|heodo|epoch\d+)$/i.test(t.trim()));
}

export interface NetClient {
  clientIp: string;
  clientName: string | null;
  user: string | null;
  first: string | null;
  last: string | null;
  events: number;
}

export interface NetHit {
  line: number;
  time: string | null;
  kind: 'http' | 'dns' | 'conn';
  url: string | null;
  host: string | null;
  dstIp: string | null;
  dstPort: number | null;
  action: string | null;
}

export interface NetHitGroup {
  clientIp: string;
  clientName: string | null;
  user: string | null;
  strength: string;
  entryRef: number;
  hits: number;
  first: string | null;
  last: string | null;
  firstLine: number;
  lastLine: number;
  /** The lines kept (every one up to the cap of net-hits.ts). */
  kept: NetHit[];
}

export interface NetReadRecord {
  format: string;
  lines: number;
  recognised: number;
  unreadable: number;
  events: number;
  feedsDigest: string;
  utcOffsetMinutes: number;
}

export interface HostMapRow {
  line: number;
  host: string | null;
  ip: string | null;
  user: string | null;
}

export class HostStore {
  constructor(private readonly db: Database.Database) {}

  addFeedEntries(inputRef: number, entries: readonly FeedEntry[]): number {
    const ins = this.db.prepare(
      `INSERT OR IGNORE INTO feed_entries (input_ref, line, source, kind, value, host, port, feed_id, date_added, threat, tags_json, status, reference)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let added = 0;
    for (const e of entries) added += ins.run(inputRef, e.line, e.source, e.kind, e.value, e.host, e.port, e.id, e.dateAdded, e.threat, JSON.stringify(e.tags), e.status, e.reference).changes;
    return added;
  }

  /** Every feed entry, for building the index (streamed: a full URLhaus export has millions). */
  *indexEntries(): Generator<IndexedEntry> {
    const rows = this.db.prepare('SELECT id, kind, value, host, port, tags_json, threat FROM feed_entries ORDER BY id').iterate() as IterableIterator<{
      id: number; kind: IndexedEntry['kind']; value: string; host: string | null; port: number | null; tags_json: string; threat: string | null;
    }>;
    for (const r of rows) yield { ref: r.id, kind: r.kind, value: r.value, host: r.host, port: r.port, emotet: namesEmotet(JSON.parse(r.tags_json) as string[], r.threat) };
  }

  hasFeedEntries(): boolean {
    return this.db.prepare('SELECT 1 FROM feed_entries LIMIT 1').get() !== undefined;
  }

  /** Names the set of feed entries a log was matched with: it changes when a feed is added. */
  feedsDigest(): string {
    const r = this.db.prepare('SELECT count(*) AS n, coalesce(max(id), 0) AS top FROM feed_entries').get() as { n: number; top: number };
    return createHash('sha256').update(`${r.n}:${r.top}`).digest('hex').slice(0, 16);
  }

  netReadDigest(inputRef: number): string | null {
    const r = this.db.prepare('SELECT feeds_digest FROM net_reads WHERE input_ref = ?').get(inputRef) as { feeds_digest: string } | undefined;
    return r?.feeds_digest ?? null;
  }

  /** Inputs read as network logs, for rematching when the feeds change. */
  netLogInputs(): { inputRef: number; path: string; digest: string }[] {
    return (this.db.prepare('SELECT r.input_ref, i.path, r.feeds_digest FROM net_reads r JOIN inputs i ON i.id = r.input_ref').all() as { input_ref: number; path: string; feeds_digest: string }[]).map(
      (r) => ({ inputRef: r.input_ref, path: r.path, digest: r.feeds_digest }),
    );
  }

  /** One network log's read, clients and matches, replacing what an earlier read of it wrote. Call inside a transaction. */
  replaceNetRead(inputRef: number, read: NetReadRecord, clients: Iterable<NetClient>, groups: Iterable<NetHitGroup>): void {
    this.db.prepare('DELETE FROM net_hits WHERE group_ref IN (SELECT id FROM net_hit_groups WHERE input_ref = ?)').run(inputRef);
    this.db.prepare('DELETE FROM net_hit_groups WHERE input_ref = ?').run(inputRef);
    this.db.prepare('DELETE FROM net_clients WHERE input_ref = ?').run(inputRef);
    this.db
      .prepare(
        `INSERT INTO net_reads (input_ref, format, lines, recognised, unreadable, events, feeds_digest, utc_offset_minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(input_ref) DO UPDATE SET format = excluded.format, lines = excluded.lines, recognised = excluded.recognised, unreadable = excluded.unreadable,
           events = excluded.events, feeds_digest = excluded.feeds_digest, utc_offset_minutes = excluded.utc_offset_minutes`,
      )
      .run(inputRef, read.format, read.lines, read.recognised, read.unreadable, read.events, read.feedsDigest, read.utcOffsetMinutes);
    const insClient = this.db.prepare('INSERT INTO net_clients (input_ref, client_ip, client_name, user, first, last, events) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const c of clients) insClient.run(inputRef, c.clientIp, c.clientName, c.user, c.first, c.last, c.events);
    const insGroup = this.db.prepare(
      `INSERT INTO net_hit_groups (input_ref, client_ip, client_name, user, strength, feed_entry_ref, hits, first, last, first_line, last_line)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insHit = this.db.prepare('INSERT INTO net_hits (group_ref, line, time, kind, url, host, dst_ip, dst_port, action) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const g of groups) {
      const id = Number(insGroup.run(inputRef, g.clientIp, g.clientName, g.user, g.strength, g.entryRef, g.hits, g.first, g.last, g.firstLine, g.lastLine).lastInsertRowid);
      for (const h of g.kept) insHit.run(id, h.line, h.time, h.kind, h.url, h.host, h.dstIp, h.dstPort, h.action);
    }
  }

  addEndpointFindings(inputRef: number, findings: readonly EndpointFinding[]): number {
    const ins = this.db.prepare(
      `INSERT OR IGNORE INTO endpoint_findings (input_ref, line, source, host, time, kind, weight, subject, rule, remote, user) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let added = 0;
    for (const f of findings) added += ins.run(inputRef, f.line, f.source, f.host, f.time, f.kind, f.weight, f.subject, f.rule, f.remote, f.user).changes;
    return added;
  }

  addHostMap(inputRef: number, rows: readonly HostMapRow[]): number {
    const ins = this.db.prepare('INSERT OR IGNORE INTO host_map (input_ref, line, host, ip, user) VALUES (?, ?, ?, ?, ?)');
    let added = 0;
    for (const r of rows) added += ins.run(inputRef, r.line, r.host, r.ip, r.user).changes;
    return added;
  }
}
