// The host-evidence inputs of a scan: feeds (read first, so that every network log of the run
// is matched against all of them), proxy, DNS and firewall logs (streamed, matched line by
// line against the feed index, their clients and matches written in one transaction at the
// end: a killed run reads the log again and replaces what it wrote), evidence from the PCs,
// and the host map. Each input is committed whole or not at all.
import { FeedIndex } from '../analysis/feed-index.js';
import { NetHitCollector } from '../analysis/net-hits.js';
import { readEndpointEvidence } from '../endpoint/read-endpoint.js';
import { readFeed } from '../feeds/read-feed.js';
import { readHostMap } from '../ingest/host-map.js';
import type { InputFile } from '../ingest/sources.js';
import { readNetLog } from '../netlogs/read-netlog.js';
import type { CaseFile } from '../store/case-file.js';
import { HostStore } from '../store/host-store.js';

export interface HostInputSummary {
  feed?: { source: string; format: string; entries: number; unreadable: number };
  net?: { format: string; lines: number; events: number; unreadable: number; matches: number; clients: number };
  endpoint?: { source: string; findings: number; unreadable: number };
  hostMap?: { rows: number };
}

type Fail = (locator: string, offset: number | null, reason: string) => void;

/**
 * Runs a reader; a file it cannot read becomes one error record and no facts (the input is
 * left unfinished, so a rerun tries it again). Errors writing the case file are not caught.
 */
async function reading<T>(what: string, fail: Fail, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (e) {
    if ((e as Error).name === 'SqliteError') throw e;
    fail('', null, `unreadable ${what}: ${(e as Error).message}`);
    return undefined;
  }
}

export class HostInputs {
  private readonly hosts: HostStore;
  private index: { digest: string; index: FeedIndex } | null = null;

  constructor(private readonly store: CaseFile) {
    this.hosts = new HostStore(store.db);
  }

  /** Whether a network log read earlier was matched with other feeds than the case holds now. */
  needsRematch(inputRef: number): boolean {
    const had = this.hosts.netReadDigest(inputRef);
    return had !== null && had !== this.hosts.feedsDigest();
  }

  async feed(f: InputFile, input: { id: number }, fail: Fail, asList: boolean): Promise<HostInputSummary['feed']> {
    // Each batch in its own transaction as it arrives (a full URLhaus export has millions of
    // rows); rows are unique per (input, line, value), so a rerun after a kill adds nothing.
    let entries = 0;
    const r = await reading('feed', fail, () =>
      readFeed(f.path, (batch) => {
        entries += batch.length;
        this.store.transaction(() => void this.hosts.addFeedEntries(input.id, batch));
      }, { asList }),
    );
    if (!r) return undefined;
    this.store.transaction(() => {
      for (const s of r.samples) fail(`line ${s.line}`, null, `unreadable ${r.format} row: ${s.text}`);
      if (r.unreadable > r.samples.length) fail('', null, `${r.unreadable} unreadable ${r.format} rows in all (the first ${r.samples.length} recorded)`);
      this.store.completeInput(input.id, f.size, 0);
    });
    return { source: r.source, format: r.format, entries, unreadable: r.unreadable };
  }

  private currentIndex(): FeedIndex {
    const digest = this.hosts.feedsDigest();
    if (this.index?.digest !== digest) {
      const index = new FeedIndex();
      for (const e of this.hosts.indexEntries()) index.add(e);
      this.index = { digest, index };
    }
    return this.index.index;
  }

  async netLog(f: InputFile, input: { id: number }, fail: Fail, opts: { offsetMinutes?: number; year?: number; onLine?: (n: number) => void }): Promise<HostInputSummary['net']> {
    const index = this.currentIndex();
    const digest = this.index!.digest;
    const hits = new NetHitCollector(index);
    const r = await reading('network log', fail, () => readNetLog(f.path, (events) => hits.add(events), opts));
    if (!r) return undefined;
    this.store.transaction(() => {
      this.hosts.replaceNetRead(
        input.id,
        { format: r.format, lines: r.stats.lines, recognised: r.stats.recognised, unreadable: r.stats.unreadable, events: hits.events, feedsDigest: digest, utcOffsetMinutes: opts.offsetMinutes ?? 0 },
        hits.clients.values(),
        hits.groups.values(),
      );
      for (const s of r.stats.samples) fail(`line ${s.line}`, null, `unreadable ${r.format} line: ${s.text}`);
      if (r.stats.unreadable > r.stats.samples.length) fail('', null, `${r.stats.unreadable} unreadable ${r.format} lines in all (the first ${r.stats.samples.length} recorded)`);
      if (hits.overflowClients || hits.overflowMatches) fail('', null, `more clients or matches than the limits of net-hits.ts: ${hits.overflowClients} events of further clients, ${hits.overflowMatches} matches of further groups not recorded`);
      this.store.completeInput(input.id, f.size, 0);
    });
    let matches = 0;
    for (const g of hits.groups.values()) matches += g.hits;
    return { format: r.format, lines: r.stats.lines, events: hits.events, unreadable: r.stats.unreadable, matches, clients: hits.clients.size };
  }

  async endpoint(f: InputFile, input: { id: number }, fail: Fail, opts: { offsetMinutes?: number }): Promise<HostInputSummary['endpoint']> {
    const r = await reading('PC evidence', fail, () => readEndpointEvidence(f.path, opts));
    if (!r) return undefined;
    this.store.transaction(() => {
      this.hosts.addEndpointFindings(input.id, r.findings);
      for (const s of r.samples) fail(`line ${s.line}`, null, `unreadable ${r.source} line: ${s.text}`);
      if (r.unreadable > r.samples.length) fail('', null, `${r.unreadable} unreadable ${r.source} lines in all (the first ${r.samples.length} recorded)`);
      this.store.completeInput(input.id, f.size, 0);
    });
    return { source: r.source, findings: r.findings.length, unreadable: r.unreadable };
  }

  async hostMap(f: InputFile, input: { id: number }, fail: Fail): Promise<HostInputSummary['hostMap']> {
    const r = await reading('host map', fail, () => readHostMap(f.path));
    if (!r) return undefined;
    this.store.transaction(() => {
      this.hosts.addHostMap(input.id, r.rows);
      for (const p of r.problems) fail(`line ${p.line}`, null, p.reason);
      this.store.completeInput(input.id, f.size, 0);
    });
    return { rows: r.rows.length };
  }
}
