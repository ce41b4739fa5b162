// What the notice may say, read once from an analysed case: one typed object that both
// writers (Japanese, English) and the individual drafts render. Nothing here is worded.
// Which mails count: the attacker's sends through our systems and the impersonating mails
// (malicious, naming one of us, not sent through our systems). Other malicious mail the
// organisation merely received is not "in our name" and stays out of the notice.
import type Database from 'better-sqlite3';
import { isConsumerDomain, registrableDomain } from '../analysis/consumer-domains.js';
import type { NotificationEntry } from '../analysis/figures.js';
import { DOWNLOADABLE } from '../analysis/hijack-signals.js';
import type { HostVerdict } from '../analysis/host-verdicts.js';
import { HostQueries } from '../store/host-queries.js';
import { ReportQueries } from '../store/report-queries.js';
import { byFrequency, fileTypes, subjectPatterns, type SubjectPatterns } from './notice-patterns.js';

export { NotAnalysedError } from '../store/report-queries.js';

/** The figures of the case the notice uses (a subset of the stored CaseCounts). */
export interface NoticeCounts {
  maliciousOutboundMessages: number;
  maliciousOutboundRecipients: number;
  recipientDeliveries: Record<string, number>;
  outsideDeliveries: Record<string, number>;
  internalDeliveries: Record<string, number>;
  countsFrom: string;
  impersonationMessagesObserved: number;
  period: { first: string | null; last: string | null };
  notificationList: NotificationEntry[];
  bouncedOnly: NotificationEntry[];
  unconfirmed: NotificationEntry[];
  /** Registrable domains of the notification list that are organisations (free-mail excluded). */
  organisations: string[];
  /** Notification-list addresses at free-mail and consumer ISP domains. */
  individuals: number;
}

/** One mail the attacker sent to a reached recipient: when (the server's time) and under which subject. */
export interface MailToRecipient {
  time: string | null;
  subject: string | null;
}

/** A notification-list address with what a letter to it needs. */
export interface ReachedRecipient {
  address: string;
  domain: string;
  /** Registrable domain of an organisation; null for free-mail and consumer ISP addresses (individuals). */
  organisation: string | null;
  /** Display names our mail used for the address (To/Cc), most frequent first. */
  names: string[];
  count: number;
  first: string | null;
  last: string | null;
  mails: MailToRecipient[];
}

export interface ImpersonationFacts {
  /** Impersonating mails seen (a lower bound: only copies that reached us). */
  messages: number;
  /** Of those, sent under a member's display name from another address. */
  displayName: number;
  /** Of those, with one of our addresses written into the display name ("高橋 <keiri@ours>" <info@elsewhere>). */
  displayNameHoldsOurAddress: number;
  /** Of those, with our genuine address as From but not submitted through our systems (a forged From). */
  forgedOurAddress: number;
}

export interface NoticeFacts {
  counts: NoticeCounts;
  /** Accounts the attacker sent through our systems with (JPCERT case A is proven by these). */
  compromisedAccounts: string[];
  impersonatedAccounts: string[];
  impersonation: ImpersonationFacts;
  /** Subjects of the attacker's sends and the impersonating mails, verbatim, most frequent first. */
  subjects: string[];
  subjectPatterns: SubjectPatterns;
  /** Attachment names (archive members included), verbatim, most frequent first. */
  attachmentNames: string[];
  /** Extensions of those attachments ('.xls'), most frequent first. */
  attachmentTypes: string[];
  passwordZip: boolean;
  downloadLinks: boolean;
  /** Some are replies in a hijacked thread (rule R3). */
  hijackedReplies: boolean;
  /** The organisation domains the case was scanned with. */
  orgDomains: string[];
  /** First and last time stamp of the logs in the case; nulls when the case holds no logs. */
  logWindow: { first: string | null; last: string | null };
  /** The notification list with names and each mail: for the individual drafts. */
  reached: ReachedRecipient[];
  /** The PCs the host evidence judged (analysis/host-verdicts.ts); null when the case holds no host evidence at all. */
  hosts: { infected: HostVerdict[]; suspected: HostVerdict[]; clean: number } | null;
}

/** Statuses that mean the mail got to the address, as figures.ts counts them for the notification list. */
const REACHED = new Set(['sent', 'addressed']);

/** The definitions stored with the counts, and the Message-IDs the outbound count is made of. */
export function noticeEvidence(db: Database.Database): { definitions: Record<string, string>; messageIds: string[] } {
  const q = new ReportQueries(db);
  return { definitions: q.counts().definitions, messageIds: q.sends(['attacker']).map((s) => s.messageId ?? '(no Message-ID in the log)') };
}

export function noticeFacts(db: Database.Database): NoticeFacts {
  const q = new ReportQueries(db);
  const all = q.counts();
  // Cases analysed before bouncedOnly/unconfirmed existed get empty lists rather than a crash.
  const counts: NoticeCounts = {
    maliciousOutboundMessages: all.maliciousOutboundMessages,
    maliciousOutboundRecipients: all.maliciousOutboundRecipients,
    recipientDeliveries: all.recipientDeliveries,
    outsideDeliveries: all.outsideDeliveries,
    internalDeliveries: all.internalDeliveries,
    countsFrom: all.countsFrom,
    impersonationMessagesObserved: all.impersonationMessagesObserved,
    period: { first: all.period.first, last: all.period.last },
    notificationList: all.notificationList,
    bouncedOnly: all.bouncedOnly ?? [],
    unconfirmed: all.unconfirmed ?? [],
    organisations: all.organisations,
    individuals: all.individuals,
  };
  const accounts = q.accounts();
  const sends = q.sends(['attacker']);

  // The impersonating mails, from the account verdicts' evidence.
  const impersonationRefs = new Map<number, 'display-name' | 'org-address-not-submitted'>();
  for (const a of accounts) for (const e of a.evidence) if (e.kind === 'impersonated-in') impersonationRefs.set(e.messageRef, e.how);
  const orgDomains = q.orgDomains();
  const ours = (s: string) => orgDomains.some((d) => new RegExp(`@([\\w-]+\\.)*${d.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i').test(s));
  const senders = q.messageSenders([...impersonationRefs.keys()]);
  const impersonation: ImpersonationFacts = {
    messages: counts.impersonationMessagesObserved,
    displayName: [...impersonationRefs.values()].filter((h) => h === 'display-name').length,
    displayNameHoldsOurAddress: senders.filter((s) => impersonationRefs.get(s.ref) === 'display-name' && s.name !== null && ours(s.name)).length,
    forgedOurAddress: [...impersonationRefs.values()].filter((h) => h === 'org-address-not-submitted').length,
  };

  // Content of the mails in our name: the attacker's sends with a mailbox copy, and the impersonations.
  const content = q.contentOf([...sends.flatMap((s) => (s.messageRef !== null ? [s.messageRef] : [])), ...impersonationRefs.keys()]);
  const impersonationSubjects = content.filter((c) => impersonationRefs.has(c.ref)).map((c) => c.subject);
  const subjects = [...sends.map((s) => s.subject ?? '').filter(Boolean), ...impersonationSubjects];
  const attachmentNames = content.flatMap((c) => c.attachmentNames);

  return {
    counts,
    compromisedAccounts: accounts.filter((a) => a.verdict.startsWith('compromised')).map((a) => a.address),
    impersonatedAccounts: accounts.filter((a) => a.verdict.includes('impersonated')).map((a) => a.address),
    impersonation,
    subjects: byFrequency(subjects),
    subjectPatterns: subjectPatterns(subjects),
    attachmentNames: byFrequency(attachmentNames),
    attachmentTypes: fileTypes(attachmentNames),
    passwordZip: content.some((c) => c.rules.includes('R1')),
    downloadLinks: content.some((c) => c.urls.some((u) => DOWNLOADABLE.test(u))),
    hijackedReplies: content.some((c) => c.rules.includes('R3')),
    orgDomains,
    logWindow: q.logWindow(),
    reached: reachedRecipients(counts.notificationList, sends, q),
    hosts: hostFacts(db),
  };
}

function hostFacts(db: Database.Database): NoticeFacts['hosts'] {
  const hq = new HostQueries(db);
  if (!hq.hasEvidence()) return null;
  const { hosts } = hq.verdicts();
  return { infected: hosts.filter((h) => h.verdict === 'infected'), suspected: hosts.filter((h) => h.verdict === 'suspected'), clean: hosts.filter((h) => h.verdict === 'clean').length };
}

/**
 * Each notification-list address with the mails that reached it, from the same sends and
 * the same final statuses the figures were made of, so a letter's count equals the list's.
 */
function reachedRecipients(list: NotificationEntry[], sends: ReturnType<ReportQueries['sends']>, q: ReportQueries): ReachedRecipient[] {
  const names = q.recipientNames(list.map((e) => e.address));
  return list.map((e) => {
    const mails = sends
      .filter((s) => s.recipients.some((r) => r.outside && r.address.toLowerCase() === e.address.toLowerCase() && REACHED.has(r.status)))
      .map((s) => ({ time: s.time, subject: s.subject }));
    return {
      address: e.address,
      domain: e.domain,
      organisation: isConsumerDomain(e.domain) ? null : registrableDomain(e.domain),
      names: names.get(e.address.toLowerCase()) ?? [],
      count: e.count,
      first: e.first,
      last: e.last,
      mails,
    };
  });
}
