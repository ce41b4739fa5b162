// Stage: where cloud accounts were used from (Entra sign-ins, unified audit log), applied to
// the sends. A message trace rarely names the client a Microsoft 365 user's mail came from;
// these events do:
//   - a mailbox-send event (the audit log's Send, SendAs, SendOnBehalf) names the message by
//     its Message-ID and the client address it was sent from: the send takes that address,
//     and a send the audit log alone shows becomes a send (no recipients known);
//   - a send still without an address takes the one address the account was used from in
//     the SIGN_IN_WINDOW_MS before it, when exactly one address was (a bot's SMTP AUTH
//     sign-in before its burst); with two or more, the send stays without an address;
//   - every successful use is history for the session stage: an address the account used on
//     USUAL_MIN_DAYS different days is its user's usual address, an account with earlier use
//     is not first-seen, a block used before is known (sessions.ts).
import type { AccountActivity } from '../store/case-reader.js';
import type { AccountResolver } from './identity.js';
import type { Send, SubmissionSeen } from './submissions.js';

/** How far before a send a sign-in is looked for. */
export const SIGN_IN_WINDOW_MS = 60 * 60_000;
/** Days of successful use from one address that make it the account's usual address. */
export const USUAL_MIN_DAYS = 2;

/** Per account (resolved), per client address: the first successful use on each UTC day, ascending. */
export type UseHistory = Map<string, Map<string, number[]>>;

export interface CloudUseSource {
  mailboxSends(): AccountActivity[];
  accountUses(user: string, from: string, to: string): AccountActivity[];
  accountUseDays(): { user: string; clientIp: string; day: string; first: string }[];
}

export const seenOf = (a: AccountActivity): SubmissionSeen => ({ kind: 'cloud', event: a.kind, path: a.path, line: a.line, user: a.user, clientIp: a.clientIp, time: a.time, detail: a.detail });

/** The history of every account, and the raw user names (UPNs) each resolved account was seen under. */
export function useHistory(src: CloudUseSource, resolver: AccountResolver): { history: UseHistory; users: Map<string, Set<string>> } {
  const history: UseHistory = new Map();
  const users = new Map<string, Set<string>>();
  for (const r of src.accountUseDays()) {
    const account = resolver.resolve(r.user).account;
    (users.get(account) ?? users.set(account, new Set()).get(account)!).add(r.user);
    const byIp = history.get(account) ?? history.set(account, new Map()).get(account)!;
    const days = byIp.get(r.clientIp) ?? byIp.set(r.clientIp, []).get(r.clientIp)!;
    days.push(Date.parse(r.first));
  }
  return { history, users };
}

/** Sends still without a client address take the only address their account was used from just before. */
export function addressesFromSignIns(sends: Send[], src: CloudUseSource, users: Map<string, Set<string>>): number {
  let given = 0;
  for (const s of sends) {
    if (s.clientIp || !s.time || s.timeSource === 'date-header') continue;
    const names = users.get(s.account);
    if (!names) continue;
    const to = s.time;
    const from = new Date(Date.parse(to) - SIGN_IN_WINDOW_MS).toISOString();
    const uses = [...names].flatMap((u) => src.accountUses(u, from, to));
    const ips = new Set(uses.map((u) => u.clientIp));
    if (ips.size !== 1) continue;
    const last = uses.reduce((a, b) => (b.time > a.time ? b : a));
    s.clientIp = last.clientIp;
    s.seen.push(seenOf(last));
    given++;
  }
  return given;
}
