// The notice's content, decided once from the case's facts and the profile, before any
// wording: which of JPCERT/CC's cases the evidence supports, which figures are published
// and how sure they are, what the reader is told to look for. The Japanese and English
// writers (notice-ja.ts, notice-en.ts) only word this object, so the two texts cannot
// disagree on a fact.
//
// JPCERT/CC's Emotet FAQ distinguishes: case A, our own PC infected and our mail data
// stolen (the mails can go out through our server with our accounts, or from outside
// servers); case B, a correspondent's PC infected and our names taken from their mailbox.
// Mail the attacker sent through our server with our accounts proves A. Display-name
// spoofing from outside servers alone fits A and B, so the notice then claims neither.
import { profileDate, type ProfileDate } from './notice-dates.js';
import type { NoticeFacts } from './notice-facts.js';

/** The profile fields the notice reads (all optional: a missing one becomes a to-be-confirmed mark). */
export interface NoticeProfile {
  name?: string;
  /** The organisation's name in English, for the English notice. */
  nameEn?: string;
  /** Mail domains of the organisation: the notice tells readers what our addresses end with. */
  domains?: string[];
  contact?: { department?: string; departmentEn?: string; email?: string; phone?: string };
  /** When the infection or the sends were found: an ISO date (YYYY-MM-DD) or free text. */
  discoveredOn?: string;
  /** Whether an internal PC was confirmed infected; unknown when absent. */
  pcInfectionConfirmed?: boolean;
  /** Measures taken, one sentence each, in the notice's language. */
  measures?: { ja?: string[]; en?: string[] };
  noticeDate?: string;
}

export interface NoticeOptions {
  lang: 'ja' | 'en';
  /** Name the misused accounts and keep addresses in quoted subjects (not for public text). */
  includeAddresses?: boolean;
  /** Quote subjects and attachment names as the mails had them (partners' topics: off by default). */
  verbatimSubjects?: boolean;
}

/**
 * sent-through-our-server: the attacker sent with our accounts through our server (case A).
 * outside-only: only impersonating mails from outside servers (A or B: neither is claimed).
 * nothing-found: neither in the case.
 */
export type Situation = 'sent-through-our-server' | 'outside-only' | 'nothing-found';

export interface SentFigures {
  /** Accounts the attacker used. */
  accounts: number;
  messages: number;
  /** From the server's logs (exact) or from mailbox copies only (a lower bound). */
  exact: boolean;
  first: string | null;
  last: string | null;
  /** Outside addresses reached: at organisations (registrable domains, and their addresses) and free-mail individuals. */
  organisations: number;
  organisationAddresses: number;
  individuals: number;
  /** Outside deliveries that got through ('sent'), or, without logs, outside recipients addressed. */
  outsideReached: number;
  reachedMeans: 'delivered' | 'addressed';
  outsideBounced: number;
  /** Outside addresses with neither a delivery nor a bounce yet. */
  unconfirmedAddresses: number;
}

export interface Recognition {
  /** Some mails came from our genuine addresses (through our server, or with a forged From). */
  fromOurAddresses: boolean;
  /** Some came from other addresses under a member's display name. */
  spoofedDisplayNames: boolean;
  displayNameHoldsOurAddress: boolean;
  replyPrefixes: string[];
  hijackedReplies: boolean;
  lureWords: string[];
  fileTypes: string[];
  passwordZip: boolean;
  downloadLinks: boolean;
  /** Verbatim subjects and file names, only when asked for (addresses masked unless includeAddresses). */
  subjects: string[] | null;
  fileNames: string[] | null;
}

/** Who the notice is from, read from the profile. */
export interface NoticeSender {
  orgName: { ja: string | null; en: string | null };
  contact: { department: string | null; departmentEn: string | null; email: string | null; phone: string | null } | null;
}

export interface NoticeContent extends NoticeSender {
  situation: Situation;
  noticeDate: ProfileDate | null;
  discoveredOn: ProfileDate | null;
  pcInfection: 'confirmed' | 'not-found' | 'unknown';
  /** PCs the case's host evidence confirms infected; null when the case holds no host evidence (to be confirmed). */
  infectedPcs: number | null;
  sent: SentFigures | null;
  /** Mails impersonating us from outside servers seen by us (a lower bound); 0 when none. */
  impersonationMessages: number;
  forgedOurAddress: boolean;
  logWindow: { first: string; last: string } | null;
  ownDomains: string[];
  recognise: Recognition;
  /** Our mail data was taken (case A proven, or the infected PC is ours). */
  ourDataTaken: boolean;
  measures: { ja: string[]; en: string[] };
  /** The misused accounts by address, only with includeAddresses. */
  misusedAccounts: string[] | null;
}

/**
 * What the notice says of the number of infected PCs: the count the host evidence confirms;
 * none found when the evidence found none (or the profile says so); to be confirmed when
 * the profile states an infection the case's evidence does not count, or nothing is known.
 */
export function pcFigure(c: Pick<NoticeContent, 'infectedPcs' | 'pcInfection'>): 'count' | 'none-found' | 'tbc' {
  if (c.infectedPcs) return 'count';
  if (c.pcInfection === 'confirmed') return 'tbc';
  if (c.pcInfection === 'not-found' || c.infectedPcs === 0) return 'none-found';
  return 'tbc';
}

/** Mail addresses are masked in public text: partners' and employees' addresses are personal data. */
export function maskAddresses(s: string): string {
  return s.replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '＊＊＊');
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : []);

export function noticeContent(f: NoticeFacts, p: NoticeProfile, o: Omit<NoticeOptions, 'lang'>): NoticeContent {
  const c = f.counts;
  const sentThroughUs = f.compromisedAccounts.length > 0 && c.maliciousOutboundMessages > 0;
  const impersonation = c.impersonationMessagesObserved;
  const situation: Situation = sentThroughUs ? 'sent-through-our-server' : impersonation > 0 ? 'outside-only' : 'nothing-found';
  // Host evidence that a PC was infected confirms it, whatever the profile says; else the
  // profile decides. The profile is hand-written JSON: a value of the wrong type counts as absent.
  const infectedPcs = f.hosts ? f.hosts.infected.length : null;
  const pcInfection = (infectedPcs ?? 0) > 0 || p.pcInfectionConfirmed === true ? 'confirmed' : p.pcInfectionConfirmed === false ? 'not-found' : 'unknown';
  const pub = (s: string) => (o.includeAddresses ? s : maskAddresses(s));
  const sent: SentFigures | null = sentThroughUs
    ? {
        accounts: f.compromisedAccounts.length,
        messages: c.maliciousOutboundMessages,
        exact: c.countsFrom === 'logs',
        first: c.period.first,
        last: c.period.last,
        organisations: c.organisations.length,
        organisationAddresses: c.notificationList.length - c.individuals,
        individuals: c.individuals,
        // Outside deliveries only: internal recipients are our own staff, not the public's concern.
        outsideReached: (c.outsideDeliveries.sent ?? 0) + (c.outsideDeliveries.addressed ?? 0),
        // "Delivered" only when every count comes from the server's logs; a mailbox copy shows whom the mail was addressed to.
        reachedMeans: c.countsFrom === 'logs' ? 'delivered' : 'addressed',
        outsideBounced: c.outsideDeliveries.bounced ?? 0,
        unconfirmedAddresses: c.unconfirmed.length,
      }
    : null;
  const profileDomains = strings(p.domains);
  const sender = senderOf(p);
  return {
    situation,
    orgName: sender.orgName,
    noticeDate: profileDate(p.noticeDate),
    discoveredOn: profileDate(p.discoveredOn),
    pcInfection,
    infectedPcs,
    sent,
    impersonationMessages: impersonation,
    forgedOurAddress: f.impersonation.forgedOurAddress > 0,
    logWindow: f.logWindow.first && f.logWindow.last ? { first: f.logWindow.first, last: f.logWindow.last } : null,
    ownDomains: profileDomains.length ? profileDomains : f.orgDomains,
    recognise: {
      fromOurAddresses: sentThroughUs || f.impersonation.forgedOurAddress > 0,
      spoofedDisplayNames: f.impersonation.displayName > 0,
      displayNameHoldsOurAddress: f.impersonation.displayNameHoldsOurAddress > 0,
      replyPrefixes: f.subjectPatterns.replyPrefixes,
      hijackedReplies: f.hijackedReplies,
      lureWords: f.subjectPatterns.lureWords.slice(0, 5),
      fileTypes: f.attachmentTypes,
      passwordZip: f.passwordZip,
      downloadLinks: f.downloadLinks,
      subjects: o.verbatimSubjects ? f.subjects.slice(0, 10).map(pub) : null,
      fileNames: o.verbatimSubjects ? f.attachmentNames.slice(0, 10).map(pub) : null,
    },
    ourDataTaken: sentThroughUs || pcInfection === 'confirmed',
    measures: { ja: strings(p.measures?.ja), en: strings(p.measures?.en) },
    contact: sender.contact,
    misusedAccounts: o.includeAddresses && f.compromisedAccounts.length ? f.compromisedAccounts : null,
  };
}

/** The sender's name and contact from the profile; a value of the wrong type counts as absent. */
export function senderOf(p: NoticeProfile): NoticeSender {
  const ct = p.contact;
  const contact = ct && typeof ct === 'object' ? { department: str(ct.department), departmentEn: str(ct.departmentEn), email: str(ct.email), phone: str(ct.phone) } : null;
  return {
    orgName: { ja: str(p.name), en: str(p.nameEn) },
    contact: contact && (contact.department || contact.departmentEn || contact.email || contact.phone) ? contact : null,
  };
}
