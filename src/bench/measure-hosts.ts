// Child process of the bench's `hosts` part; the bench measures its time and peak RSS from
// outside, each mode in its own process so that one's heap does not inflate another's figure.
//   parse <log>                       readNetLog over the file, events counted: the parser alone.
//   match <case> <log> <feed>…        the feeds read into a fresh case file as a scan reads
//                                     them (readFeed → HostStore, a transaction a batch), the
//                                     FeedIndex built from the case, then readNetLog →
//                                     NetHitCollector: parser and matching, nothing stored.
//   verify <case> <truth-json>        the matches a scan stored, per strength, against the
//                                     planted truth; exits 1 when they differ.
// Each prints one JSON object on its last line.
import { statSync } from 'node:fs';
import { FeedIndex } from '../analysis/feed-index.js';
import { NetHitCollector } from '../analysis/net-hits.js';
import { readFeed } from '../feeds/read-feed.js';
import { readNetLog } from '../netlogs/read-netlog.js';
import { CaseFile, openCaseReadonly } from '../store/case-file.js';
import { HostQueries } from '../store/host-queries.js';
import { HostStore } from '../store/host-store.js';

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const peakRssBytes = () => process.resourceUsage().maxRSS * 1024;
const print = (o: unknown) => process.stdout.write(JSON.stringify(o) + '\n');

const [mode, ...args] = process.argv.slice(2);

if (mode === 'parse') {
  const [path] = args;
  if (!path) throw new Error('usage: measure-hosts parse <log>');
  let events = 0;
  const t0 = process.hrtime.bigint();
  const r = await readNetLog(path, (batch) => void (events += batch.length));
  print({ format: r.format, lines: r.stats.lines, events, unreadable: r.stats.unreadable, seconds: seconds(t0), peakRssBytes: peakRssBytes() });
} else if (mode === 'match') {
  const [casePath, log, ...feeds] = args;
  if (!casePath || !log || feeds.length === 0) throw new Error('usage: measure-hosts match <case> <log> <feed>…');
  const store = new CaseFile(casePath);
  const hosts = new HostStore(store.db);
  let t0 = process.hrtime.bigint();
  let entries = 0;
  for (const path of feeds) {
    const st = statSync(path);
    const input = store.openInput({ path, kind: 'feed', container: 'file', size: st.size, mtimeMs: Math.trunc(st.mtimeMs) });
    const r = await readFeed(path, (batch) => {
      entries += batch.length;
      store.transaction(() => void hosts.addFeedEntries(input.id, batch));
    });
    if (r.unreadable > 0) throw new Error(`${path}: ${r.unreadable} unreadable ${r.format} rows, e.g. ${JSON.stringify(r.samples[0])}`);
    store.transaction(() => store.completeInput(input.id, st.size, 0));
  }
  const feedSeconds = seconds(t0);
  t0 = process.hrtime.bigint();
  const index = new FeedIndex();
  for (const e of hosts.indexEntries()) index.add(e);
  const indexSeconds = seconds(t0);
  const heapAfterIndex = process.memoryUsage().heapUsed;
  const peakRssBeforeLog = peakRssBytes();
  t0 = process.hrtime.bigint();
  const hits = new NetHitCollector(index);
  const r = await readNetLog(log, (batch) => hits.add(batch));
  const matchSeconds = seconds(t0);
  const byStrength: Record<string, number> = {};
  for (const g of hits.groups.values()) byStrength[g.strength] = (byStrength[g.strength] ?? 0) + g.hits;
  store.db.close();
  print({
    feedEntries: entries,
    indexSize: index.size,
    feedSeconds,
    indexSeconds,
    heapAfterIndexBytes: heapAfterIndex,
    peakRssBeforeLogBytes: peakRssBeforeLog,
    lines: r.stats.lines,
    events: hits.events,
    unreadable: r.stats.unreadable,
    clients: hits.clients.size,
    groups: hits.groups.size,
    byStrength,
    seconds: matchSeconds,
    peakRssBytes: peakRssBytes(),
  });
} else if (mode === 'verify') {
  const [casePath, truthJson] = args;
  if (!casePath || !truthJson) throw new Error('usage: measure-hosts verify <case> <truth-json>');
  const truth = JSON.parse(truthJson) as Record<string, number>;
  const db = openCaseReadonly(casePath);
  const found: Record<string, number> = {};
  for (const g of new HostQueries(db).inputs().groups) found[g.strength] = (found[g.strength] ?? 0) + g.hits;
  db.close();
  const strengths = [...new Set([...Object.keys(truth), ...Object.keys(found)])];
  const differ = strengths.filter((s) => (truth[s] ?? 0) !== (found[s] ?? 0));
  print({ found, truth, equal: differ.length === 0, differ });
  if (differ.length) process.exitCode = 1;
} else {
  throw new Error('usage: measure-hosts parse|match|verify …');
}
