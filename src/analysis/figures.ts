// Stage: the figures the notice publishes, from the attacker's sends and their recipients.
// Each recipient of a send has one final status: the last delivery status the logs show for
// it (by time, then line; relay hops and trace rows of the same message included), or
// "addressed" when no log holds the send and the mailbox copy is all there is.
import { domainOf } from '../mail/addresses.js';
import { inOrg } from '../mail/direction.js';
import type { DeliveryRecord, LogCoverage } from '../store/case-reader.js';
import { isConsumerDomain, registrableDomain } from './consumer-domains.js';
import type { Send } from './submissions.js';

export interface RecipientOutcome {
  address: string;
  status: string;
  /** Time of the status (the log line), or the send's time for "addressed". */
  time: string | null;
  outside: boolean;
}

export interface NotificationEntry {
  address: string;
  domain: string;
  count: number;
  first: string | null;
  last: string | null;
}

export interface Figures {
  maliciousOutboundMessages: number;
  examinedInMailbox: number;
  logOnly: number;
  attributedBySession: number;
  maliciousOutboundRecipients: number;
  recipientDeliveries: Record<string, number>;
  outsideDeliveries: Record<string, number>;
  internalDeliveries: Record<string, number>;
  countsFrom: 'logs' | 'mailboxes' | 'logs+mailboxes' | 'none';
  period: { first: string | null; last: string | null; source: 'server' | 'server+date-header' | 'date-header' | 'none' };
  notificationList: NotificationEntry[];
  bouncedOnly: NotificationEntry[];
  /** Outside addresses with neither a delivery nor a bounce (deferred, still queued). */
  unconfirmed: NotificationEntry[];
  organisations: string[];
  individuals: number;
  sending: {
    lastAttackerSubmission: string | null;
    logs: { path: string; format: string; first: string | null; last: string | null; quietAfterLastSubmissionHours: number | null }[];
  };
}

/**
 * The last delivery of each recipient, by time and then line. A hand-over to a content filter
 * counts only for a recipient with nothing else: the filter's copy carries the real outcome,
 * and its lines can come before the hand-over's.
 */
export function lastDeliveries(lists: DeliveryRecord[][]): Map<string, DeliveryRecord> {
  const last = new Map<string, DeliveryRecord>();
  const later = (d: DeliveryRecord, cur: DeliveryRecord) => (d.time ?? '') > (cur.time ?? '') || ((d.time ?? '') === (cur.time ?? '') && d.line >= cur.line);
  for (const list of lists) {
    for (const d of list) {
      const a = d.recipient.toLowerCase();
      const cur = last.get(a);
      if (!cur || (cur.filterHop && !d.filterHop) || (cur.filterHop === d.filterHop && later(d, cur))) last.set(a, d);
    }
  }
  return last;
}

/** The final status of each recipient of a send: its last delivery line in any of its log records. */
export function finalOutcomes(s: Send, deliveries: DeliveryRecord[][], mailboxRecipients: string[], orgDomains: string[]): RecipientOutcome[] {
  const last = lastDeliveries(deliveries);
  if (last.size) return [...last].map(([address, d]) => ({ address, status: d.status, time: d.time ?? s.time, outside: !inOrg(address, orgDomains) })).sort((a, b) => a.address.localeCompare(b.address));
  return mailboxRecipients.map((address) => ({ address, status: 'addressed', time: s.time, outside: !inOrg(address, orgDomains) }));
}

const REACHED = new Set(['sent', 'addressed']);
const inc = (r: Record<string, number>, k: string) => (r[k] = (r[k] ?? 0) + 1);
const earlier = (a: string | null, b: string | null) => (!a ? b : !b ? a : a < b ? a : b);
const later = (a: string | null, b: string | null) => (!a ? b : !b ? a : a > b ? a : b);

export function figures(attackerSends: { send: Send; contentMalicious: boolean; outcomes: RecipientOutcome[] }[], coverage: LogCoverage[]): Figures {
  const recipientDeliveries: Record<string, number> = {};
  const outsideDeliveries: Record<string, number> = {};
  const internalDeliveries: Record<string, number> = {};
  const perAddress = new Map<string, { statuses: Set<string>; reached: NotificationEntry; all: NotificationEntry }>();
  let first: string | null = null;
  let last: string | null = null;
  let fromLogs = 0;
  let fromMailboxes = 0;
  let serverTimes = 0;
  let headerTimes = 0;
  for (const { send, outcomes } of attackerSends) {
    first = earlier(first, send.time);
    last = later(last, send.time);
    if (send.timeSource === 'date-header') headerTimes++;
    else serverTimes++;
    if (send.logRefs.length) fromLogs++;
    else fromMailboxes++;
    for (const o of outcomes) {
      inc(recipientDeliveries, o.status);
      inc(o.outside ? outsideDeliveries : internalDeliveries, o.status);
      if (!o.outside) continue;
      let e = perAddress.get(o.address);
      if (!e) {
        const blank = (): NotificationEntry => ({ address: o.address, domain: domainOf(o.address), count: 0, first: null, last: null });
        e = { statuses: new Set(), reached: blank(), all: blank() };
        perAddress.set(o.address, e);
      }
      e.statuses.add(o.status);
      const add = (n: NotificationEntry) => {
        n.count++;
        n.first = earlier(n.first, send.time);
        n.last = later(n.last, send.time);
      };
      add(e.all);
      if (REACHED.has(o.status)) add(e.reached);
    }
  }
  const byDomain = (a: NotificationEntry, b: NotificationEntry) => a.domain.localeCompare(b.domain) || a.address.localeCompare(b.address);
  const entries = [...perAddress.values()];
  const notificationList = entries.filter((e) => e.reached.count > 0).map((e) => e.reached).sort(byDomain);
  const bouncedOnly = entries.filter((e) => e.reached.count === 0 && e.statuses.size === 1 && e.statuses.has('bounced')).map((e) => e.all).sort(byDomain);
  const unconfirmed = entries.filter((e) => e.reached.count === 0 && !(e.statuses.size === 1 && e.statuses.has('bounced'))).map((e) => e.all).sort(byDomain);
  const organisations = [...new Set(notificationList.filter((n) => !isConsumerDomain(n.domain)).map((n) => registrableDomain(n.domain)))].sort();
  return {
    maliciousOutboundMessages: attackerSends.length,
    examinedInMailbox: attackerSends.filter((a) => a.send.content !== null).length,
    logOnly: attackerSends.filter((a) => a.send.content === null).length,
    attributedBySession: attackerSends.filter((a) => !a.contentMalicious).length,
    maliciousOutboundRecipients: Object.values(recipientDeliveries).reduce((a, b) => a + b, 0),
    recipientDeliveries,
    outsideDeliveries,
    internalDeliveries,
    countsFrom: fromLogs && fromMailboxes ? 'logs+mailboxes' : fromLogs ? 'logs' : fromMailboxes ? 'mailboxes' : 'none',
    period: { first, last, source: serverTimes && headerTimes ? 'server+date-header' : serverTimes ? 'server' : headerTimes ? 'date-header' : 'none' },
    notificationList,
    bouncedOnly,
    unconfirmed,
    organisations,
    individuals: notificationList.filter((n) => isConsumerDomain(n.domain)).length,
    sending: {
      lastAttackerSubmission: last,
      logs: coverage.map((c) => ({
        ...c,
        quietAfterLastSubmissionHours: last && c.last && c.last > last ? Math.round(((Date.parse(c.last) - Date.parse(last)) / 3_600_000) * 10) / 10 : null,
      })),
    },
  };
}
