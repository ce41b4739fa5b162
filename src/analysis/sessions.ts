// Stage: sessions. An account's sends from one client address, with no pause longer than
// SESSION_GAP_MS, form a run; runs from addresses new for the account within one network
// block (IPv4 /24, IPv6 /64) that follow each other within the gap are one session, because
// the bot hops between addresses of one block. Each session is described against the
// account's own history: was its address (or block) used by the account before, by other
// accounts, and how does it behave.
import { isIP } from 'node:net';
import { USUAL_MIN_DAYS, type UseHistory } from './cloud-use.js';
import type { Send } from './submissions.js';

/** A pause longer than this ends a session. */
export const SESSION_GAP_MS = 8 * 3_600_000;
/** Behaviour windows: ten minutes. */
export const WINDOW_MS = 10 * 60_000;

/**
 * How the session's address relates to the account's history before the session began:
 * - usual: the account used this address in an earlier session that was not the attacker's;
 * - shared: other accounts used it as their usual address (an office NAT, a mail gateway);
 * - known-block: the address is new but the account used its /24 or /64 before;
 * - new: the account was active before, never from this address or block;
 * - first-seen: the account's first activity in the evidence: no history to compare with.
 * Cloud accounts' sign-ins and audit records are history too (usedBefore): an address used
 * on USUAL_MIN_DAYS days before is usual, any earlier use means the account is not first-seen.
 */
export type Novelty = 'usual' | 'shared' | 'known-block' | 'new' | 'first-seen';

export interface Session {
  id: number;
  account: string;
  /** The client address, or its block when several addresses of one block were merged. */
  block: string;
  ips: string[];
  first: string | null;
  last: string | null;
  sends: Send[];
  novelty: Novelty;
  replies: number;
  oldThreadReplies: number;
  outsideRecipients: number;
  /** Most sends within one WINDOW_MS window. */
  maxPerWindow: number;
  /** Most distinct outside recipients within one window. */
  maxOutsidePerWindow: number;
  contentMalicious: number;
  /** Sends per UTC hour of day. */
  hours: number[];
  /** Keys of the runs it is made of (account, address, start), stable between rounds. */
  runKeys: string[];
}

/** The network block an address belongs to: IPv4 /24, IPv6 /64; the address itself otherwise. */
export function blockOf(ip: string | null): string {
  if (!ip) return 'unknown';
  if (isIP(ip) === 4) return ip.split('.').slice(0, 3).join('.') + '.0/24';
  if (isIP(ip) === 6) {
    const full = expandV6(ip);
    return full ? full.slice(0, 4).join(':') + '::/64' : ip;
  }
  return ip;
}

function expandV6(ip: string): string[] | null {
  const [head, tail] = ip.toLowerCase().split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  if (t.length && t[t.length - 1]!.includes('.')) return null;
  const fill = tail !== undefined ? 8 - h.length - t.length : 0;
  if (fill < 0) return null;
  return [...h, ...Array(fill).fill('0'), ...t].map((x) => x.padStart(4, '0'));
}

const ms = (t: string | null) => (t ? Date.parse(t) : NaN);

interface Run {
  account: string;
  ip: string | null;
  sends: Send[];
  first: number;
  last: number;
}

export const runKey = (r: { account: string; ip: string | null; first: number }) => `${r.account}\u0000${r.ip ?? ''}\u0000${r.first}`;

/** Runs of one account from one address, split at pauses longer than SESSION_GAP_MS. */
function runsOf(sends: Send[]): Run[] {
  const byKey = new Map<string, Send[]>();
  for (const s of sends) {
    const k = `${s.account}\u0000${s.clientIp ?? ''}`;
    const list = byKey.get(k) ?? [];
    list.push(s);
    byKey.set(k, list);
  }
  const runs: Run[] = [];
  for (const list of byKey.values()) {
    list.sort((a, b) => (a.time ?? '').localeCompare(b.time ?? '') || a.index - b.index);
    let cur: Run | null = null;
    for (const s of list) {
      const t = ms(s.time);
      if (cur && !(t - cur.last > SESSION_GAP_MS)) {
        cur.sends.push(s);
        if (!Number.isNaN(t)) cur.last = Math.max(cur.last, t);
        continue;
      }
      cur = { account: s.account, ip: s.clientIp, sends: [s], first: t, last: t };
      runs.push(cur);
    }
  }
  return runs.sort((a, b) => a.first - b.first || a.account.localeCompare(b.account));
}

/**
 * The novelty of every run, from per-account, per-address and per-block summaries (linear
 * after the sort, whatever the number of accounts sharing an address). Runs `isAttacker`
 * names never make an address usual.
 */
function novelties(runs: Run[], isAttacker: (r: Run) => boolean, history: UseHistory): Map<Run, Novelty> {
  const minLast = new Map<string, number>();
  const lower = (k: string, v: number) => {
    const cur = minLast.get(k);
    if (cur === undefined || v < cur) minLast.set(k, v);
  };
  // Runs of one account and address never overlap (a pause separates them), so the
  // address is usual for the account from the start of its second clean run on it.
  const cleanByPair = new Map<string, Run[]>();
  for (const r of runs) {
    // Activity of the account, and of its blocks, counts from a run's start: a bot session
    // that begins while the user's own run is still going is new, not the account's first.
    lower(`a\u0000${r.account}`, r.first);
    if (isAttacker(r)) continue;
    if (r.ip) {
      // An address is usual only after a run on it that ended before this one began.
      lower(`i\u0000${r.account}\u0000${r.ip}`, r.last);
      lower(`b\u0000${r.account}\u0000${blockOf(r.ip)}`, r.first);
      const k = `${r.account}\u0000${r.ip}`;
      const list = cleanByPair.get(k) ?? [];
      list.push(r);
      cleanByPair.set(k, list);
    }
  }
  // Per address, the two accounts for which it became usual earliest (two, so that an
  // account can be compared with the others without itself).
  const usualSince = new Map<string, { account: string; since: number }[]>();
  for (const list of cleanByPair.values()) {
    if (list.length < 2) continue;
    const second = list[1]!;
    const top = usualSince.get(second.ip!) ?? [];
    top.push({ account: second.account, since: second.first });
    top.sort((a, b) => a.since - b.since);
    usualSince.set(second.ip!, top.slice(0, 2));
  }
  // Addresses of the attacker's runs, per account: their sign-ins are no one's history.
  const attackerIps = new Set(runs.filter(isAttacker).map((r) => `${r.account}\u0000${r.ip ?? ''}`));
  const used = usedBefore(history, (account, ip) => attackerIps.has(`${account}\u0000${ip}`));
  const out = new Map<Run, Novelty>();
  for (const r of runs) {
    const before = (k: string) => (minLast.get(k) ?? Infinity) < r.first;
    const h = used(r.account, r.ip, r.first);
    let n: Novelty;
    if (r.ip && (before(`i\u0000${r.account}\u0000${r.ip}`) || h.usual)) n = 'usual';
    else if (r.ip && (usualSince.get(r.ip) ?? []).some((u) => u.account !== r.account && u.since < r.first)) n = 'shared';
    else if (!before(`a\u0000${r.account}`) && !h.any) n = 'first-seen';
    else if (r.ip && (before(`b\u0000${r.account}\u0000${blockOf(r.ip)}`) || h.block)) n = 'known-block';
    else n = 'new';
    out.set(r, n);
  }
  return out;
}

/**
 * What the cloud history (sign-ins, audit records: cloud-use.ts) says of an account before a
 * run began. Only uses more than SESSION_GAP_MS before the run count (the bot's own sign-in
 * just before its sends is part of its session, not history), and never uses from an
 * address of the attacker's runs for that account.
 */
function usedBefore(history: UseHistory, excluded: (account: string, ip: string) => boolean) {
  return (account: string, ip: string | null, first: number): { usual: boolean; any: boolean; block: boolean } => {
    const byIp = history.get(account);
    const out = { usual: false, any: false, block: false };
    if (!byIp || Number.isNaN(first)) return out;
    const cutoff = first - SESSION_GAP_MS;
    const block = ip ? blockOf(ip) : null;
    for (const [addr, days] of byIp) {
      if (excluded(account, addr)) continue;
      const n = days.filter((t) => t < cutoff).length;
      if (n === 0) continue;
      out.any = true;
      if (addr === ip && n >= USUAL_MIN_DAYS) out.usual = true;
      if (block !== null && blockOf(addr) === block) out.block = true;
    }
    return out;
  };
}

/** Most sends, and most distinct outside recipients, within any WINDOW_MS span (two pointers over the time-sorted sends). */
function slidingWindow(sorted: Send[]): { maxPerWindow: number; maxOutsidePerWindow: number } {
  const timed = sorted.filter((s) => !Number.isNaN(ms(s.time)));
  const inWindow = new Map<string, number>();
  let lo = 0;
  let maxPerWindow = 0;
  let maxOutsidePerWindow = 0;
  for (let hi = 0; hi < timed.length; hi++) {
    const t = ms(timed[hi]!.time);
    for (const a of timed[hi]!.outsideRecipients) inWindow.set(a, (inWindow.get(a) ?? 0) + 1);
    while (t - ms(timed[lo]!.time) >= WINDOW_MS) {
      for (const a of timed[lo]!.outsideRecipients) {
        const n = inWindow.get(a)! - 1;
        if (n) inWindow.set(a, n);
        else inWindow.delete(a);
      }
      lo++;
    }
    maxPerWindow = Math.max(maxPerWindow, hi - lo + 1);
    maxOutsidePerWindow = Math.max(maxOutsidePerWindow, inWindow.size);
  }
  return { maxPerWindow, maxOutsidePerWindow };
}

function describe(id: number, account: string, block: string, runs: Run[], novelty: Novelty): Session {
  const sends = runs.flatMap((r) => r.sends).sort((a, b) => (a.time ?? '').localeCompare(b.time ?? '') || a.index - b.index);
  const hours = Array<number>(24).fill(0);
  const outside = new Set<string>();
  let replies = 0;
  let oldThread = 0;
  let contentMalicious = 0;
  for (const s of sends) {
    const t = ms(s.time);
    if (!Number.isNaN(t)) hours[new Date(t).getUTCHours()]!++;
    for (const a of s.outsideRecipients) outside.add(a);
    if (s.content?.reply) replies++;
    if (s.content?.oldThread) oldThread++;
    if (s.content?.malicious) contentMalicious++;
  }
  const times = sends.map((s) => s.time).filter((x): x is string => !!x).sort();
  return {
    id,
    account,
    block,
    ips: [...new Set(runs.map((r) => r.ip ?? 'unknown'))].sort(),
    first: times[0] ?? null,
    last: times[times.length - 1] ?? null,
    sends,
    novelty,
    replies,
    oldThreadReplies: oldThread,
    outsideRecipients: outside.size,
    ...slidingWindow(sends),
    contentMalicious,
    hours,
    runKeys: runs.map(runKey),
  };
}

/**
 * Sessions of all sends. `attackerRuns` holds the run keys of sessions an earlier round
 * attributed to the attacker: their addresses do not count as usual for anyone.
 */
export function buildSessions(sends: Send[], attackerRuns: ReadonlySet<string>, history: UseHistory = new Map()): Session[] {
  const runs = runsOf(sends);
  const isAttacker = (r: Run) => attackerRuns.has(runKey(r));
  const novelty = novelties(runs, isAttacker, history);
  // Merge new addresses of one block that follow each other within the gap.
  const sessions: Session[] = [];
  const open = new Map<string, { runs: Run[]; last: number; novelty: Novelty }>();
  const flush = (key: string) => {
    const g = open.get(key);
    if (!g) return;
    open.delete(key);
    const block = g.runs.length > 1 ? blockOf(g.runs[0]!.ip) : (g.runs[0]!.ip ?? 'unknown');
    sessions.push(describe(sessions.length + 1, g.runs[0]!.account, block, g.runs, g.novelty));
  };
  for (const r of runs) {
    const n = novelty.get(r)!;
    if (n === 'new' || n === 'known-block') {
      const key = `${r.account}\u0000${blockOf(r.ip)}`;
      const g = open.get(key);
      if (g && r.first - g.last <= SESSION_GAP_MS && r.ip !== null) {
        g.runs.push(r);
        g.last = Math.max(g.last, r.last);
        continue;
      }
      flush(key);
      open.set(key, { runs: [r], last: r.last, novelty: n });
      continue;
    }
    sessions.push(describe(sessions.length + 1, r.account, r.ip ?? 'unknown', [r], n));
  }
  for (const k of [...open.keys()]) flush(k);
  sessions.sort((a, b) => (a.first ?? '').localeCompare(b.first ?? '') || a.account.localeCompare(b.account));
  sessions.forEach((s, i) => (s.id = i + 1));
  return sessions;
}
