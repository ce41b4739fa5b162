// What report.html's first screen, its message table and the follow-up CSV columns say, as
// typed facts read from the analysed case (nothing worded here: report-words.ts words them).
// The same objects go into report.json, so a script reads what the manager reads.
import { isConsumerDomain, registrableDomain } from '../analysis/consumer-domains.js';
import type { CaseCounts } from '../analysis/analyze-case.js';
import type { SessionGround } from '../analysis/attribution.js';
import type { NotificationEntry } from '../analysis/figures.js';
import type { AccountRow, MessageRow, ReportQueries, SendRow, SessionRow } from '../store/report-queries.js';

/** The profile fields the report reads (src/profile.ts's OrgProfile fits). */
export interface ReportProfile {
  name?: string;
  nameEn?: string;
  domains?: string[];
  contact?: { department?: string; departmentEn?: string; email?: string; phone?: string };
}

export type ReportLang = 'ja' | 'en';

export interface LogCoverageFact {
  format: string;
  files: number;
  records: number;
  first: string | null;
  last: string | null;
}

export type SendingState =
  /** No attacker send at all. */
  | 'no-sends'
  /** A log goes on after the last attacker send for longer than any pause between the attacker's sends. */
  | 'quiet-longer-than-gaps'
  /** A log goes on after it, but less long than a pause the attacker already made. */
  | 'quiet-shorter-than-a-gap'
  /** No log goes on after the last attacker send: whether sending stopped cannot be told. */
  | 'no-log-after';

export interface SendingFacts {
  state: SendingState;
  lastAttackerSubmission: string | null;
  /** Hours from the last attacker send to the end of the log that runs longest after it. */
  quietHours: number | null;
  /** That log's last time stamp, path and format. */
  quietUntil: string | null;
  quietLog: { path: string; format: string } | null;
  /** The longest pause between two consecutive attacker sends, in hours (null with fewer than two). */
  longestGapHours: number | null;
}

export interface CompromisedAccountFact {
  address: string;
  attackerIps: string[];
  first: string | null;
  last: string | null;
  maliciousMessages: number;
  sessions: { id: number; ips: string[]; first: string | null; last: string | null; sends: number }[];
}

export interface OrganisationReached {
  /** Registrable domain of the organisation. */
  organisation: string;
  addresses: number;
  /** Mails that reached those addresses (one per message and address). */
  deliveries: number;
}

export type NextAction =
  | { kind: 'change-passwords'; accounts: string[] }
  | { kind: 'check-pcs-with-emocheck'; accounts: string[] }
  | { kind: 'notify-recipients'; addresses: number; organisations: number; individuals: number; file: 'recipients.csv' }
  | { kind: 'publish-notice'; maliciousMessages: number; impersonationMessages: number }
  | { kind: 'block-attacker-ips'; ips: string[] }
  | { kind: 'get-newer-logs'; after: string }
  | { kind: 'review-sends'; sends: number; sessions: number; file: 'sends.csv' };

export interface ReportOverview {
  organisation: { name: string | null; nameEn: string | null; domains: string[]; contact: ReportProfile['contact'] | null };
  lang: ReportLang;
  timeZone: string;
  /** When report.json was written. */
  generated: string;
  /** The time the facts hold at: the newest evidence (the case keeps no analysis time), and where it comes from. */
  asOf: { time: string | null; basis: 'newest-evidence'; source: 'logs' | 'mailboxes' | 'none' };
  coverage: { mailboxes: { files: number; messages: number }; logs: LogCoverageFact[] };
  conclusion: {
    compromisedAccounts: string[];
    attackerIps: string[];
    first: string | null;
    last: string | null;
    maliciousMessages: number;
    outsideAddressesReached: number;
    organisationsReached: number;
    individualsReached: number;
    bouncedOnlyAddresses: number;
    impersonationMessages: number;
    sending: SendingFacts;
  };
  compromisedAccounts: CompromisedAccountFact[];
  organisationsReached: OrganisationReached[];
  nextActions: NextAction[];
}

export type MessageEvidence = { kind: 'content'; rules: string[] } | { kind: 'session'; sessionId: number | null; grounds: SessionGround[] };

/** One row of the table of the attacker's mails. */
export interface AttackerMessage {
  sendId: number;
  time: string | null;
  timeSource: string;
  account: string;
  clientIp: string | null;
  messageId: string | null;
  subject: string | null;
  recipients: number;
  outsideRecipients: number;
  attachments: string[];
  /** Known from a log only: no mailbox copy was examined. */
  logOnly: boolean;
  evidence: MessageEvidence;
}

/** A notification-list (or bounced-only) address with what following it up needs. */
export interface RecipientFollowUp extends NotificationEntry {
  /** Display names our mails' To/Cc gave the address, most frequent first. */
  displayNames: string[];
  /** Registrable domain of an organisation; null for free-mail and consumer ISP addresses. */
  organisation: string | null;
  /** The final status of the address in the attacker's last mail to it. */
  lastStatus: string | null;
  /** Final statuses over all the attacker's mails to it. */
  statuses: Record<string, number>;
  /** Subjects and Message-IDs of the mails counted in `count`, in time order. */
  subjects: string[];
  messageIds: string[];
}

/** Statuses that mean the mail got to the address, as figures.ts counts them for the notification list. */
export const REACHED = new Set(['sent', 'addressed']);

const hours = (a: string, b: string) => Math.round(((Date.parse(b) - Date.parse(a)) / 3_600_000) * 10) / 10;
const realIp = (ip: string) => ip !== '' && ip !== 'unknown';

export function sendingFacts(counts: CaseCounts, attackerTimes: (string | null)[]): SendingFacts {
  const last = counts.sending?.lastAttackerSubmission ?? counts.period.last ?? null;
  const times = attackerTimes.filter((t): t is string => !!t).sort();
  let longestGapHours: number | null = null;
  for (let i = 1; i < times.length; i++) longestGapHours = Math.max(longestGapHours ?? 0, hours(times[i - 1]!, times[i]!));
  const logs = (counts.sending?.logs ?? []).filter((l) => l.quietAfterLastSubmissionHours !== null && l.last);
  const best = logs.sort((a, b) => (b.quietAfterLastSubmissionHours ?? 0) - (a.quietAfterLastSubmissionHours ?? 0))[0];
  const base = { lastAttackerSubmission: last, longestGapHours, quietHours: null, quietUntil: null, quietLog: null };
  if (!last || counts.maliciousOutboundMessages === 0) return { ...base, state: 'no-sends', lastAttackerSubmission: null };
  // Under six minutes of log after the last send says nothing.
  if (!best || (best.quietAfterLastSubmissionHours ?? 0) < 0.1) return { ...base, state: 'no-log-after' };
  const quiet = best.quietAfterLastSubmissionHours!;
  return {
    ...base,
    state: quiet > Math.max(longestGapHours ?? 0, 1) ? 'quiet-longer-than-gaps' : 'quiet-shorter-than-a-gap',
    quietHours: quiet,
    quietUntil: best.last,
    quietLog: { path: best.path, format: best.format },
  };
}

export function compromisedAccounts(accounts: AccountRow[], sessions: SessionRow[]): CompromisedAccountFact[] {
  return accounts
    .filter((a) => a.verdict.startsWith('compromised'))
    .map((a) => ({
      address: a.address,
      attackerIps: a.attackerIps.filter(realIp),
      first: a.first,
      last: a.last,
      maliciousMessages: a.maliciousMessagesSent,
      sessions: sessions.filter((s) => s.tier === 'attacker' && s.account === a.address).map((s) => ({ id: s.id, ips: s.ips, first: s.first, last: s.last, sends: s.sends })),
    }))
    .sort((a, b) => b.maliciousMessages - a.maliciousMessages || a.address.localeCompare(b.address));
}

export function organisationsReached(list: NotificationEntry[]): OrganisationReached[] {
  const by = new Map<string, OrganisationReached>();
  for (const n of list) {
    if (isConsumerDomain(n.domain)) continue;
    const o = registrableDomain(n.domain);
    const e = by.get(o) ?? by.set(o, { organisation: o, addresses: 0, deliveries: 0 }).get(o)!;
    e.addresses++;
    e.deliveries += n.count;
  }
  return [...by.values()].sort((a, b) => b.deliveries - a.deliveries || b.addresses - a.addresses || a.organisation.localeCompare(b.organisation));
}

export function nextActions(o: Omit<ReportOverview, 'nextActions'>, counts: CaseCounts): NextAction[] {
  const c = o.conclusion;
  const out: NextAction[] = [];
  if (c.compromisedAccounts.length) {
    out.push({ kind: 'change-passwords', accounts: c.compromisedAccounts });
    out.push({ kind: 'check-pcs-with-emocheck', accounts: c.compromisedAccounts });
  }
  if (c.outsideAddressesReached) out.push({ kind: 'notify-recipients', addresses: c.outsideAddressesReached, organisations: c.organisationsReached, individuals: c.individualsReached, file: 'recipients.csv' });
  if (c.maliciousMessages || c.impersonationMessages) out.push({ kind: 'publish-notice', maliciousMessages: c.maliciousMessages, impersonationMessages: c.impersonationMessages });
  if (c.attackerIps.length) out.push({ kind: 'block-attacker-ips', ips: c.attackerIps });
  if ((c.sending.state === 'no-log-after' || c.sending.state === 'quiet-shorter-than-a-gap') && c.sending.lastAttackerSubmission) out.push({ kind: 'get-newer-logs', after: c.sending.lastAttackerSubmission });
  const review = (counts.toReview?.sends ?? 0) + (counts.suspected?.sends ?? 0);
  if (review) out.push({ kind: 'review-sends', sends: review, sessions: (counts.toReview?.sessions ?? 0) + (counts.suspected?.sessions ?? 0), file: 'sends.csv' });
  return out;
}

export interface OverviewInput {
  q: ReportQueries;
  counts: CaseCounts;
  accounts: AccountRow[];
  sessions: SessionRow[];
  attackerSends: SendRow[];
  profile: ReportProfile | null;
  lang: ReportLang;
  timeZone: string;
  generated: string;
}

export function overview(i: OverviewInput): ReportOverview {
  const { q, counts } = i;
  const newest = q.newestEvidence(i.generated);
  const asOfTime = [newest.logs, newest.mailboxes].filter((t): t is string => !!t).sort().pop() ?? null;
  const source = !asOfTime ? 'none' : asOfTime === newest.logs ? 'logs' : 'mailboxes';
  const accounts = compromisedAccounts(i.accounts, i.sessions);
  const ips = [...new Set(accounts.flatMap((a) => a.attackerIps))].sort();
  const reached = counts.notificationList;
  const orgs = organisationsReached(reached);
  const base: Omit<ReportOverview, 'nextActions'> = {
    organisation: { name: i.profile?.name ?? null, nameEn: i.profile?.nameEn ?? null, domains: i.profile?.domains?.length ? i.profile.domains : q.orgDomains(), contact: i.profile?.contact ?? null },
    lang: i.lang,
    timeZone: i.timeZone,
    generated: i.generated,
    asOf: { time: asOfTime, basis: 'newest-evidence', source },
    coverage: { mailboxes: q.mailboxCoverage(), logs: q.logCoverageByFormat() },
    conclusion: {
      compromisedAccounts: accounts.map((a) => a.address),
      attackerIps: ips,
      first: counts.period.first,
      last: counts.period.last,
      maliciousMessages: counts.maliciousOutboundMessages,
      outsideAddressesReached: reached.length,
      organisationsReached: orgs.length,
      individualsReached: reached.filter((n) => isConsumerDomain(n.domain)).length,
      bouncedOnlyAddresses: (counts.bouncedOnly ?? []).length,
      impersonationMessages: counts.impersonationMessagesObserved,
      sending: sendingFacts(counts, i.attackerSends.map((s) => s.time)),
    },
    compromisedAccounts: accounts,
    organisationsReached: orgs,
  };
  return { ...base, nextActions: nextActions(base, counts) };
}

/** The rows of the table of the attacker's mails: one per attacker send, in time order. */
export function attackerMessages(sends: SendRow[], messages: Map<number, MessageRow>, sessions: Map<number, SessionRow>): AttackerMessage[] {
  return sends
    .filter((s) => s.tier === 'attacker')
    .map((s) => {
      const rules = s.messageRef !== null ? (messages.get(s.messageRef)?.rules ?? []) : [];
      const session = s.sessionRef !== null ? sessions.get(s.sessionRef) : undefined;
      const evidence: MessageEvidence = s.contentMalicious && rules.length ? { kind: 'content', rules } : { kind: 'session', sessionId: s.sessionRef, grounds: session?.grounds ?? [] };
      return {
        sendId: s.id,
        time: s.time,
        timeSource: s.timeSource,
        account: s.account,
        clientIp: s.clientIp,
        messageId: s.messageId,
        subject: s.subject,
        recipients: s.recipients.length,
        outsideRecipients: s.recipients.filter((r) => r.outside).length,
        attachments: s.attachments,
        logOnly: s.messageRef === null,
        evidence,
      };
    });
}

/**
 * The notification list (or the bounced-only list) with names, statuses, subjects and
 * Message-IDs, from the same attacker sends and final statuses the figures were made of:
 * `reachedOnly` lists the mails that reached the address (the notification list's count),
 * otherwise every mail to it (the bounced-only list's count).
 */
export function recipientFollowUps(list: NotificationEntry[], attackerSends: SendRow[], names: Map<string, string[]>, reachedOnly: boolean): RecipientFollowUp[] {
  const mails = new Map<string, { send: SendRow; status: string; time: string | null }[]>();
  for (const s of attackerSends) {
    for (const r of s.recipients) {
      if (!r.outside) continue;
      const a = r.address.toLowerCase();
      (mails.get(a) ?? mails.set(a, []).get(a)!).push({ send: s, status: r.status, time: r.time });
    }
  }
  return list.map((e) => {
    const all = (mails.get(e.address.toLowerCase()) ?? []).sort((x, y) => (x.send.time ?? '').localeCompare(y.send.time ?? '') || (x.time ?? '').localeCompare(y.time ?? '') || x.send.id - y.send.id);
    const statuses: Record<string, number> = {};
    for (const m of all) statuses[m.status] = (statuses[m.status] ?? 0) + 1;
    const counted = all.filter((m) => !reachedOnly || REACHED.has(m.status));
    return {
      ...e,
      displayNames: names.get(e.address.toLowerCase()) ?? [],
      organisation: isConsumerDomain(e.domain) ? null : registrableDomain(e.domain),
      lastStatus: all.length ? all[all.length - 1]!.status : null,
      statuses,
      subjects: counted.map((m) => m.send.subject ?? ''),
      messageIds: counted.map((m) => m.send.messageId ?? ''),
    };
  });
}
