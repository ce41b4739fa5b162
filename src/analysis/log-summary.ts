// The servers' own summary of a case's MTA logs, per server instance, as pflogsumm and
// eximstats count: received = records of mail a client handed in (smtpd client=, pickup on
// the instance's own services; Exim <= over SMTP),
// delivered / bounced = status lines of those outcomes, deferred = records with at least one
// deferral (and the deferral lines), rejected = reject lines (NOQUEUE and in-queue rejects).
// Accounts are one identity across logins and addresses (identity.ts).
import { inOrg } from '../mail/direction.js';
import type { LogQueries, LogTotalsRow } from '../store/log-queries.js';
import { AccountResolver } from './identity.js';
import { checkLogClock, type ClockCheck } from './log-clock.js';

export interface InstanceSummary {
  instance: string;
  totals: LogTotalsRow & { senders: number; recipients: number; recipientDomains: number };
  senders: { sender: string; messages: number }[];
  recipientDomains: { domain: string; delivered: number; deferrals: number; bounced: number }[];
}

export interface LogSummary {
  orgDomains: string[];
  files: { path: string; format: string; lines: number; unreadable: number }[];
  /** Per server instance (Postfix syslog name, or the log format), counted as pflogsumm and eximstats count. */
  instances: InstanceSummary[];
  accounts: { account: string; logins: string[]; messages: number; clients: { ip: string; messages: number; first: string | null; last: string | null }[] }[];
  /** Cloud accounts (Entra sign-ins, unified audit log): per client address, successful uses, mailbox sends and failed sign-ins. */
  cloudUse: { account: string; users: string[]; clients: { ip: string; uses: number; sends: number; failures: number; first: string | null; last: string | null }[] }[];
  perDay: { day: string; received: number; delivered: number; deferrals: number; bounced: number }[];
  perHour: { hour: string; received: number; delivered: number; deferrals: number; bounced: number }[];
  /** Zone-less log stamps against the mailbox copies' Received lines of the same host. */
  clock: ClockCheck;
}

export function summariseLogs(q: LogQueries, orgDomains: string[], pairs: { login: string; sender: string; records: number }[], accountMap?: Map<string, string>): LogSummary {
  const resolver = new AccountResolver(orgDomains, accountMap, pairs);
  const instances = q.instances().map((instance): InstanceSummary => {
    const senders = q.senders(instance);
    const domains = q.recipientDomains(instance);
    return {
      instance,
      totals: { ...q.totals(instance), senders: senders.filter((s) => s.sender !== '').length, recipients: q.distinctRecipients(instance), recipientDomains: domains.filter((d) => d.delivered > 0).length },
      senders,
      recipientDomains: domains,
    };
  });
  const accounts = new Map<string, LogSummary['accounts'][number]>();
  for (const c of q.clients()) {
    const who = c.authUser ?? (c.sender && inOrg(c.sender, orgDomains) ? c.sender : null);
    if (!who) continue;
    const { account } = resolver.resolve(who);
    const a = accounts.get(account) ?? accounts.set(account, { account, logins: [], messages: 0, clients: [] }).get(account)!;
    if (c.authUser && !a.logins.includes(c.authUser)) a.logins.push(c.authUser);
    a.messages += c.messages;
    const ip = c.clientIp ?? 'unknown';
    const u = a.clients.find((x) => x.ip === ip);
    if (!u) a.clients.push({ ip, messages: c.messages, first: c.first, last: c.last });
    else {
      u.messages += c.messages;
      if (c.first && (!u.first || c.first < u.first)) u.first = c.first;
      if (c.last && (!u.last || c.last > u.last)) u.last = c.last;
    }
  }
  const cloud = new Map<string, LogSummary['cloudUse'][number]>();
  for (const u of q.cloudUses()) {
    const { account } = resolver.resolve(u.user);
    const a = cloud.get(account) ?? cloud.set(account, { account, users: [], clients: [] }).get(account)!;
    if (!a.users.includes(u.user)) a.users.push(u.user);
    let c = a.clients.find((x) => x.ip === u.clientIp);
    if (!c) a.clients.push((c = { ip: u.clientIp, uses: 0, sends: 0, failures: 0, first: u.first, last: u.last }));
    if (u.kind === 'auth-failure') c.failures += u.events;
    else if (u.kind === 'mailbox-send') c.sends += u.events;
    else c.uses += u.events;
    if (u.first && (!c.first || u.first < c.first)) c.first = u.first;
    if (u.last && (!c.last || u.last > c.last)) c.last = u.last;
  }
  const perHour = q.perHour();
  const perDay = new Map<string, LogSummary['perDay'][number]>();
  for (const h of perHour) {
    const d = perDay.get(h.hour.slice(0, 10)) ?? perDay.set(h.hour.slice(0, 10), { day: h.hour.slice(0, 10), received: 0, delivered: 0, deferrals: 0, bounced: 0 }).get(h.hour.slice(0, 10))!;
    d.received += h.received;
    d.delivered += h.delivered;
    d.deferrals += h.deferrals;
    d.bounced += h.bounced;
  }
  return {
    orgDomains,
    files: q.files(),
    instances,
    accounts: [...accounts.values()].sort((a, b) => b.messages - a.messages || a.account.localeCompare(b.account)).map((a) => ({ ...a, clients: a.clients.sort((x, y) => (x.first ?? '').localeCompare(y.first ?? '')) })),
    cloudUse: [...cloud.values()].sort((a, b) => a.account.localeCompare(b.account)).map((a) => ({ ...a, clients: a.clients.sort((x, y) => (x.first ?? '').localeCompare(y.first ?? '')) })),
    perDay: [...perDay.values()],
    perHour: perHour.map((h) => ({ ...h, hour: `${h.hour}:00Z` })),
    clock: checkLogClock(q.clockPairs(5000)),
  };
}
