// One network log's events matched against the feed index as they stream past: the internal
// clients the log saw, and the matches grouped per (client, feed entry, strength) with their
// first and last line and time. Memory is bounded by the number of clients and groups, not
// by the log: a PC beaconing every minute for a month is one group of 40,000 hits, of which
// the first HIT_LIMITS.keptPerGroup lines are kept for explain.
import type { NetEvent } from '../netlogs/types.js';
import type { NetClient, NetHit, NetHitGroup } from '../store/host-store.js';
import type { FeedIndex } from './feed-index.js';

export const HIT_LIMITS = {
  /** Lines kept per group (first ones); the rest are counted with the last line and time. */
  keptPerGroup: 100,
  /**
   * Distinct clients tracked per log. An organisation's proxy sees its own PCs (thousands);
   * a log that names more is not an internal proxy's, or is hostile: further clients are
   * counted as overflow, their matches still recorded.
   */
  maxClients: 200_000,
  /** Groups per log: past this, matches of new groups are counted as overflow only. */
  maxGroups: 100_000,
};

/**
 * A copy of a string read from the log that holds on to nothing else. The parsers slice their
 * fields out of the line, the line is a slice of the read chunk (a megabyte), and V8 keeps the
 * whole chunk alive behind any slice of 13 characters or more: one user name kept per client
 * pinned one chunk per client first seen, and a 10-million-line proxy log grew the heap by
 * hundreds of MB. Concatenating flattens into a new string; slicing that one pins only it.
 */
function own<T extends string | null>(s: T): T {
  return (s === null || s.length < 13 ? s : (' ' + s).slice(1)) as T;
}

export class NetHitCollector {
  readonly clients = new Map<string, NetClient>();
  readonly groups = new Map<string, NetHitGroup>();
  events = 0;
  /** Events of clients past maxClients, and matches past maxGroups. */
  overflowClients = 0;
  overflowMatches = 0;

  constructor(private readonly index: FeedIndex) {}

  add(batch: readonly NetEvent[]): void {
    for (const e of batch) {
      this.events++;
      const ip = e.clientIp ?? '(unknown)';
      let c = this.clients.get(ip);
      if (!c) {
        if (this.clients.size >= HIT_LIMITS.maxClients) this.overflowClients++;
        else {
          const key = own(ip);
          this.clients.set(key, (c = { clientIp: key, clientName: own(e.clientName), user: own(e.user), first: e.time, last: e.time, events: 0 }));
        }
      }
      if (c) {
        c.events++;
        if (e.time !== null) {
          if (c.first === null || e.time < c.first) c.first = e.time;
          if (c.last === null || e.time > c.last) c.last = e.time;
        }
        if (c.clientName === null && e.clientName !== null) c.clientName = own(e.clientName);
        if (c.user === null && e.user !== null) c.user = own(e.user);
      }
      const m = this.index.match(e);
      if (!m) continue;
      const key = `${ip}\u0000${m.ref}\u0000${m.strength}`;
      let g = this.groups.get(key);
      if (!g) {
        if (this.groups.size >= HIT_LIMITS.maxGroups) {
          this.overflowMatches++;
          continue;
        }
        g = { clientIp: own(ip), clientName: own(e.clientName), user: own(e.user), strength: m.strength, entryRef: m.ref, hits: 0, first: e.time, last: e.time, firstLine: e.line, lastLine: e.line, kept: [] };
        this.groups.set(own(key), g);
      }
      g.hits++;
      g.lastLine = e.line;
      if (e.time !== null) {
        if (g.first === null || e.time < g.first) g.first = e.time;
        if (g.last === null || e.time > g.last) g.last = e.time;
      }
      if (g.kept.length < HIT_LIMITS.keptPerGroup) g.kept.push(hitOf(e));
    }
  }
}

function hitOf(e: NetEvent): NetHit {
  return { line: e.line, time: e.time, kind: e.kind, url: own(e.url), host: own(e.host), dstIp: own(e.dstIp), dstPort: e.dstPort, action: own(e.action) };
}
