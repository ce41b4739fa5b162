// Which PCs were infected, from the evidence the case holds: network logs matched against the
// feeds (net-hits.ts), EmoCheck, Autoruns and Source of Infection findings, joined into hosts
// by name and address (the host map, names the logs give, the evidence's own host names),
// and joined with the mail evidence: the host's users, their accounts' compromise windows.
//
// The rules, strongest first (each piece of evidence carries the weight it gives):
//   infected   a listed URL fetched (full URL or URL without query) and not blocked; a
//              connection to a listed C2 address and port, blocked or not (a bot was running);
//              EmoCheck found an Emotet process; an autostart entry of Emotet's exact shape;
//   suspected  a fetch of a listed URL that the proxy blocked; a path under a listed
//              payload folder; a listed domain or address only; an autostart entry of a
//              weaker shape; a device that wrote files onto others over the network
//              (Source of Infection);
//   clean      EmoCheck ran and found nothing, and nothing else points at the host.
// A host with no evidence is not called clean: the feeds miss some, and a log only shows what
// passed through it.
import type { MatchStrength } from './feed-index.js';

export type HostVerdictKind = 'infected' | 'suspected' | 'clean';

export interface FeedEntryFacts {
  source: string;
  kind: string;
  value: string;
  id: string | null;
  dateAdded: string | null;
  threat: string | null;
  tags: string[];
  reference: string | null;
  path: string;
  line: number;
}

export interface MatchGroupFacts {
  groupRef: number;
  path: string;
  format: string;
  clientIp: string;
  clientName: string | null;
  user: string | null;
  strength: MatchStrength;
  hits: number;
  first: string | null;
  last: string | null;
  firstLine: number;
  lastLine: number;
  /** Some kept hit was blocked by the device (its action says deny/block/403). */
  blocked: boolean;
  /** Every kept hit was blocked. */
  allBlocked: boolean;
  entry: FeedEntryFacts;
}

export interface EndpointFacts {
  path: string;
  line: number;
  source: string;
  host: string | null;
  time: string | null;
  kind: string;
  weight: 'infected' | 'suspected' | 'clean';
  subject: string;
  rule: string;
  remote: string | null;
  user: string | null;
}

export interface HostVerdictInputs {
  groups: MatchGroupFacts[];
  endpoint: EndpointFacts[];
  hostMap: { host: string | null; ip: string | null; user: string | null }[];
  /** Clients the network logs saw (every internal address, with a name where the log gave one). */
  clients: { clientIp: string; clientName: string | null; user: string | null }[];
  /** Mail submitted from an address by an account (the MTA logs' authenticated sends). */
  submissions: { account: string; clientIp: string }[];
  /** The analysis's account verdicts: which were compromised, and the span of the attacker's sends. */
  accounts: { account: string; compromised: boolean; first: string | null; last: string | null }[];
}

export type HostEvidence =
  | ({ kind: 'feed-match'; weight: 'infected' | 'suspected' } & MatchGroupFacts)
  | ({ kind: 'endpoint'; findingKind: string } & Omit<EndpointFacts, 'kind'>)
  /** This host wrote files onto another device over the network (Source of Infection on that device). */
  | { kind: 'spreading'; weight: 'suspected'; onto: string | null; path: string; line: number; time: string | null; subject: string };

export interface HostAccount {
  account: string;
  compromised: boolean;
  first: string | null;
  last: string | null;
  /** How the account was tied to the host: the host map, a log's user field, mail submitted from the host's address. */
  via: 'host-map' | 'log-user' | 'submission' | 'endpoint';
}

export interface HostVerdict {
  /** The host's name, upper case, where any evidence names it; else its address. */
  key: string;
  verdict: HostVerdictKind;
  names: string[];
  ips: string[];
  users: string[];
  accounts: HostAccount[];
  evidence: HostEvidence[];
  timeline: {
    firstEvidence: string | null;
    lastEvidence: string | null;
    /** First connection to a listed C2 address and port. */
    firstC2: string | null;
    /** First fetch of a listed URL (in full or query aside) that was not blocked: the download. */
    firstPayload: string | null;
    /** Span of the attacker's sends from the host's compromised accounts. */
    firstMaliciousSend: string | null;
    lastMaliciousSend: string | null;
  };
}

export interface HostVerdicts {
  hosts: HostVerdict[];
  /** Clients the network logs saw that no evidence points at (not called clean). */
  quietClients: number;
}

const BLOCKED = /denied|block|deny|drop|reset|reject|\/403$|^403$/i;

/** Whether a device's action says it stopped the request or connection. */
export function isBlocked(action: string | null): boolean {
  return action !== null && BLOCKED.test(action);
}

const RANK: Record<HostVerdictKind, number> = { clean: 0, suspected: 1, infected: 2 };

/** Disjoint sets over host names and addresses. */
class Joiner {
  private readonly parent = new Map<string, string>();
  find(x: string): string {
    if (!this.parent.has(x)) this.parent.set(x, x);
    let root = x;
    while (this.parent.get(root) !== root) root = this.parent.get(root)!;
    // Path compression: every name on the way points at the root.
    for (let n = x; n !== root; ) {
      const next = this.parent.get(n)!;
      this.parent.set(n, root);
      n = next;
    }
    return root;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }
}

const nameKey = (n: string) => `n:${n.trim().toUpperCase()}`;
const ipKey = (ip: string) => `i:${ip.trim()}`;

function matchWeight(g: MatchGroupFacts): 'infected' | 'suspected' {
  if (g.strength === 'c2') return 'infected';
  if ((g.strength === 'url' || g.strength === 'url-no-query') && !g.allBlocked) return 'infected';
  return 'suspected';
}

function sameAccount(user: string, account: string): boolean {
  const u = user.trim().toLowerCase().replace(/^.*\\/, ''); // DOMAIN\user
  const a = account.toLowerCase();
  return u === a || (!u.includes('@') && a.split('@')[0] === u);
}

function minTime(a: string | null, b: string | null): string | null {
  return a === null ? b : b === null ? a : a < b ? a : b;
}
function maxTime(a: string | null, b: string | null): string | null {
  return a === null ? b : b === null ? a : a > b ? a : b;
}

export function hostVerdicts(inp: HostVerdictInputs): HostVerdicts {
  const j = new Joiner();
  // Names and addresses that belong together: the host map, names the logs give, a device's own name.
  for (const r of inp.hostMap) if (r.host && r.ip) j.union(nameKey(r.host), ipKey(r.ip));
  for (const c of inp.clients) if (c.clientName) j.union(nameKey(c.clientName), ipKey(c.clientIp));
  for (const g of inp.groups) if (g.clientName) j.union(nameKey(g.clientName), ipKey(g.clientIp));

  type Acc = { names: Set<string>; ips: Set<string>; users: Map<string, HostAccount['via']>; evidence: HostEvidence[] };
  const hosts = new Map<string, Acc>();
  const at = (key: string): Acc => {
    const root = j.find(key);
    let h = hosts.get(root);
    if (!h) hosts.set(root, (h = { names: new Set(), ips: new Set(), users: new Map(), evidence: [] }));
    if (key.startsWith('n:')) h.names.add(key.slice(2));
    else h.ips.add(key.slice(2));
    return h;
  };
  for (const g of inp.groups) {
    const h = at(g.clientName ? nameKey(g.clientName) : ipKey(g.clientIp));
    h.ips.add(g.clientIp);
    if (g.user) h.users.set(g.user, 'log-user');
    h.evidence.push({ kind: 'feed-match', weight: matchWeight(g), ...g });
  }
  for (const e of inp.endpoint) {
    const { kind, ...rest } = e;
    if (e.host) {
      const h = at(nameKey(e.host));
      if (e.user) h.users.set(e.user, 'endpoint');
      h.evidence.push({ kind: 'endpoint', findingKind: kind, ...rest });
    }
    // Source of Infection: the remote device that wrote a file here is the one spreading.
    if (e.kind === 'smb-write' && e.remote) {
      const remote = /^[\d.:a-f]+$/i.test(e.remote) ? ipKey(e.remote) : nameKey(e.remote);
      at(remote).evidence.push({ kind: 'spreading', weight: 'suspected', onto: e.host, path: e.path, line: e.line, time: e.time, subject: e.subject });
    }
  }
  // The other names and addresses of the hosts that have evidence (a host map row names the PC
  // whose address a proxy log saw).
  const pairs = [...inp.hostMap.map((r) => [r.host, r.ip] as const), ...inp.clients.map((c) => [c.clientName, c.clientIp] as const)];
  for (const [name, ip] of pairs) {
    if (!name || !ip) continue;
    const h = hosts.get(j.find(nameKey(name)));
    if (!h) continue;
    h.names.add(name.trim().toUpperCase());
    h.ips.add(ip.trim());
  }
  // Users of the hosts that have evidence: the host map, then the mail submitted from their addresses.
  for (const r of inp.hostMap) {
    if (!r.user) continue;
    const key = r.host ? nameKey(r.host) : r.ip ? ipKey(r.ip) : null;
    const h = key ? hosts.get(j.find(key)) : undefined;
    if (h) h.users.set(r.user, 'host-map');
  }
  const byIp = new Map<string, Acc>();
  for (const h of hosts.values()) for (const ip of h.ips) byIp.set(ip, h);
  for (const s of inp.submissions) {
    const h = byIp.get(s.clientIp);
    if (h && !h.users.has(s.account)) h.users.set(s.account, 'submission');
  }

  const out: HostVerdict[] = [];
  for (const h of hosts.values()) {
    let verdict: HostVerdictKind = 'clean';
    let anyEvidence = false;
    let firstEvidence: string | null = null;
    let lastEvidence: string | null = null;
    let firstC2: string | null = null;
    let firstPayload: string | null = null;
    for (const e of h.evidence) {
      const w = e.weight;
      if (w !== 'clean') anyEvidence = true;
      if (RANK[w] > RANK[verdict]) verdict = w;
      const t0 = e.kind === 'feed-match' ? e.first : e.time;
      const t1 = e.kind === 'feed-match' ? e.last : e.time;
      firstEvidence = minTime(firstEvidence, t0);
      lastEvidence = maxTime(lastEvidence, t1);
      if (e.kind === 'feed-match' && e.strength === 'c2') firstC2 = minTime(firstC2, e.first);
      if (e.kind === 'feed-match' && e.weight === 'infected' && e.strength !== 'c2') firstPayload = minTime(firstPayload, e.first);
    }
    if (!anyEvidence && !h.evidence.some((e) => e.kind === 'endpoint' && e.weight === 'clean')) continue;
    const accounts: HostAccount[] = [];
    for (const [user, via] of h.users) {
      const a = inp.accounts.find((x) => sameAccount(user, x.account));
      if (a && !accounts.some((x) => x.account === a.account)) accounts.push({ account: a.account, compromised: a.compromised, first: a.first, last: a.last, via });
    }
    let firstSend: string | null = null;
    let lastSend: string | null = null;
    for (const a of accounts) {
      if (!a.compromised) continue;
      firstSend = minTime(firstSend, a.first);
      lastSend = maxTime(lastSend, a.last);
    }
    const names = [...h.names].sort();
    const ips = [...h.ips].sort();
    out.push({
      key: names[0] ?? ips[0] ?? '(unknown)',
      verdict,
      names,
      ips,
      users: [...h.users.keys()].sort(),
      accounts: accounts.sort((a, b) => a.account.localeCompare(b.account)),
      evidence: h.evidence,
      timeline: { firstEvidence, lastEvidence, firstC2, firstPayload, firstMaliciousSend: firstSend, lastMaliciousSend: lastSend },
    });
  }
  out.sort((a, b) => RANK[b.verdict] - RANK[a.verdict] || a.key.localeCompare(b.key));
  const listed = new Set(out.flatMap((h) => h.ips));
  const quietClients = new Set(inp.clients.map((c) => c.clientIp).filter((ip) => !listed.has(ip))).size;
  return { hosts: out, quietClients };
}
