// The case-wide analysis, as stages over typed records:
//   load facts (store/case-reader) → content verdicts per message, threads linked by index
//   (content-verdicts) → submission events and sends (submissions) → sessions (sessions) →
//   attribution (attribution) → account verdicts and figures (figures) → store.
// Memory: mailbox bodies are read a page at a time and dropped; what stays is one compact
// record per send of an org account (no bodies) and per session. Every figure keeps the
// sends, messages and log lines it was made of (tables sends and submission_sessions).
import type Database from 'better-sqlite3';
import { inOrg } from '../mail/direction.js';
import { CaseReader } from '../store/case-reader.js';
import { VerdictWriter } from '../store/verdict-store.js';
import { attribute, type AttributedSession, type SendTier } from './attribution.js';
import { addressesFromSignIns, seenOf, useHistory } from './cloud-use.js';
import { judgeContent, SYSTEM_ADDRESS, type ContentResult } from './content-verdicts.js';
import { figures, finalOutcomes, type Figures, type RecipientOutcome } from './figures.js';
import type { OrgFacts } from './hijack-signals.js';
import { AccountResolver } from './identity.js';
import { SendBuilder, type Send } from './submissions.js';
import type { IocList } from './verdicts.js';

export type AccountVerdictName = 'compromised' | 'impersonated' | 'compromised+impersonated' | 'clean';

export interface AccountVerdict {
  account: string;
  verdicts: ('compromised' | 'impersonated')[];
  verdict: AccountVerdictName;
  /** Sends attributed to the attacker (published). */
  maliciousSent: number;
  /** Sends left for review (a usual or shared address with attacker evidence) and suspected by behaviour alone: not published. */
  toReview: number;
  suspected: number;
  sends: number;
  impersonationMessages: number;
  recipientDeliveries: Record<string, number>;
  countsFrom: 'logs' | 'mailboxes' | 'logs+mailboxes' | 'none';
  first: string | null;
  last: string | null;
  /** Attacker client addresses used against this account. */
  attackerIps: string[];
  /** Typed facts behind the verdict; worded in report/. */
  evidence: AccountEvidence[];
}

export type AccountEvidence =
  | { kind: 'attacker-session'; sessionId: number; ips: string[]; sends: number; first: string | null; last: string | null }
  | { kind: 'impersonated-in'; messageRef: number; messageId: string | null; from: string; how: 'display-name' | 'org-address-not-submitted' };

export interface CaseCounts extends Figures {
  definitions: Record<string, string>;
  impersonationMessagesObserved: number;
  inboundMaliciousMessages: number;
  toReview: { sends: number; sessions: number };
  suspected: { sends: number; sessions: number };
}

export interface CaseAnalysis {
  messages: { total: number; malicious: number };
  accounts: AccountVerdict[];
  counts: CaseCounts;
  sessions: SessionSummary[];
}

export interface SessionSummary {
  id: number;
  account: string;
  tier: string;
  novelty: string;
  ips: string[];
  first: string | null;
  last: string | null;
  sends: number;
  contentMalicious: number;
}

export interface AnalysisInputs {
  orgDomains: string[];
  iocs: IocList | null;
  roster?: Map<string, string[]>;
  accountMap?: Map<string, string>;
}

export const DEFINITIONS: Record<string, string> = {
  maliciousOutboundMessages:
    "distinct messages the attacker submitted through the organisation's own systems with an org account's credentials: every send of a session attributed to the attacker (new address for the account, with a content-malicious mail, an IOC address or an address the attacker used for another account), plus content-malicious sends from the user's usual or shared addresses; log-only messages included",
  examinedInMailbox: 'of those, messages with a mailbox copy whose content was examined',
  logOnly: 'of those, messages known only from an MTA log (no mailbox copy)',
  attributedBySession: 'of those, messages counted because of the session that sent them, not their own content',
  maliciousOutboundRecipients: 'recipient deliveries of those messages: one per (message, recipient), by the last status the logs show for it, or "addressed" (To/Cc/Bcc of the mailbox copy) where no log holds the message',
  outsideDeliveries: 'the same, for recipients outside the organisation domains',
  internalDeliveries: 'the same, for recipients inside the organisation domains',
  period: "first and last of those messages' submission times: the server's time stamp (MTA log, or the authenticated Received hop) where one exists, else the Date header",
  notificationList: 'outside addresses that at least one of those messages reached (last status delivered, or addressed where no log exists), with how many',
  bouncedOnly: 'outside addresses every delivery of those messages to which bounced',
  unconfirmed: 'outside addresses with neither a delivery nor a bounce (deferred or still queued at the end of the log)',
  organisations: 'distinct registrable domains of the notification list, free-mail and consumer ISP domains excluded',
  individuals: 'notification-list addresses at free-mail and consumer ISP domains',
  impersonationMessagesObserved: "malicious messages that name an organisation member (display name or address) but were not submitted through the organisation's systems; a lower bound: only copies that reached us",
  inboundMaliciousMessages: 'malicious messages received from outside the organisation (forged organisation senders included, journal copies between outside parties not)',
  toReview: "sends from the account user's usual or shared addresses in a session with attacker evidence, not malicious by their own content: not in the published figures",
  suspected: 'sends of sessions new to the account that behave like the bot (burst, fan-out, replies to old threads) without other evidence: not in the published figures',
  sending: 'the last attacker submission, and for each log how long it goes on after it (quiet hours): evidence that sending stopped, up to the end of that log',
};

const earlier = (a: string | null, b: string | null) => (!a ? b : !b ? a : a < b ? a : b);
const later = (a: string | null, b: string | null) => (!a ? b : !b ? a : a > b ? a : b);

export function analyzeCase(db: Database.Database, input: AnalysisInputs): CaseAnalysis {
  const { orgDomains, iocs } = input;
  const reader = new CaseReader(db);
  const writer = new VerdictWriter(db);
  // Stage 1: members' display names (learned from the org's own mail, plus the roster).
  const names = new Map<string, Set<string>>();
  for (const r of reader.senderNames()) {
    const a = r.address.toLowerCase();
    if (!inOrg(a, orgDomains) || SYSTEM_ADDRESS.test(a)) continue;
    (names.get(a) ?? names.set(a, new Set()).get(a)!).add(r.name);
  }
  for (const [a, n] of input.roster ?? []) for (const x of n) (names.get(a) ?? names.set(a, new Set()).get(a)!).add(x);
  const org: OrgFacts = { domains: orgDomains, memberNames: new Map([...names].map(([a, s]) => [a, [...s]])) };

  return writer.inTransaction(() => {
    writer.clear();
    // Stage 2: content verdicts, a page of messages at a time. Org senders' results are kept
    // (compact) for the send stage; the rest are counted and dropped.
    const orgMessages = new Map<number, ContentResult>();
    let total = 0;
    let maliciousMessages = 0;
    const outsideMalicious: ContentResult[] = [];
    for (const page of reader.messagePages()) {
      const results = page.map((m) => judgeContent(m, reader, org, iocs));
      writer.messageVerdicts(results);
      for (const c of results) {
        total++;
        if (c.fromOrg) orgMessages.set(c.ref, slim(c));
        else if (c.malicious) outsideMalicious.push(slim(c));
      }
    }

    // Stage 3: sends, from the logs' submissions, then the mailbox copies.
    const resolver = new AccountResolver(orgDomains, input.accountMap, reader.loginSenderPairs());
    const builder = new SendBuilder(orgDomains, resolver, (ref) => orgMessages.get(ref), (ref) => reader.mailboxRecipients(ref));
    for (const r of reader.receivedLogRecords()) builder.addLogRecord(r);
    for (const a of reader.mailboxSends()) builder.addMailboxAudit(a, seenOf(a));
    for (const c of orgMessages.values()) builder.addMailboxMessage(c);
    const sends = builder.finish();
    // Cloud accounts: the address a send came from, and each account's history of use.
    const cloud = useHistory(reader, resolver);
    addressesFromSignIns(sends, reader, cloud.users);

    // Stage 4–5: sessions and attribution.
    const att = attribute(sends, iocs, cloud.history);

    // Stage 6: outcomes of the sends that count or are shown, and the figures.
    const outcomes = new Map<number, RecipientOutcome[]>();
    const shown = (t: SendTier) => t !== 'user';
    for (const s of sends) {
      if (!shown(att.sends[s.index]!.tier)) continue;
      outcomes.set(s.index, finalOutcomes(s, s.logRefs.map((l) => reader.deliveries(l)), s.messageRef !== null ? reader.mailboxRecipients(s.messageRef) : [], orgDomains));
    }
    const attackerSends = sends.filter((s) => att.sends[s.index]!.tier === 'attacker');
    const fig = figures(
      attackerSends.map((s) => ({ send: s, contentMalicious: att.sends[s.index]!.contentMalicious, outcomes: outcomes.get(s.index)! })),
      reader.logCoverage(),
    );

    // Messages: a send's mailbox copy went through our systems; an attacker send is malicious.
    writer.sessions(att.sessions);
    const sendOfMessage = new Map<number, Send>();
    for (const s of sends) if (s.messageRef !== null) sendOfMessage.set(s.messageRef, s);
    for (const s of sends) {
      const a = att.sends[s.index]!;
      if (s.messageRef === null) continue;
      writer.markSend(s.messageRef, a.tier === 'attacker', a.contentRules, a.tier === 'attacker' && !a.contentMalicious, a.session.id, a.tier);
    }

    // Accounts.
    const accounts = new Map<string, AccountVerdict>();
    const account = (a: string) => {
      let v = accounts.get(a);
      if (!v) {
        v = { account: a, verdicts: [], verdict: 'clean', maliciousSent: 0, toReview: 0, suspected: 0, sends: 0, impersonationMessages: 0, recipientDeliveries: {}, countsFrom: 'none', first: null, last: null, attackerIps: [], evidence: [] };
        accounts.set(a, v);
      }
      return v;
    };
    for (const a of org.memberNames.keys()) account(a);
    for (const a of reader.addresses()) if (inOrg(a, orgDomains) && !SYSTEM_ADDRESS.test(a)) account(a.toLowerCase());
    for (const s of sends) {
      const acc = account(s.account);
      const a = att.sends[s.index]!;
      acc.sends++;
      if (a.tier === 'review') acc.toReview++;
      if (a.tier === 'suspected') acc.suspected++;
      if (a.tier !== 'attacker') continue;
      acc.maliciousSent++;
      acc.first = earlier(acc.first, s.time);
      acc.last = later(acc.last, s.time);
      const fromLog = s.logRefs.length > 0 || s.seen.some((x) => x.kind === 'cloud');
      acc.countsFrom = acc.countsFrom === 'none' ? (fromLog ? 'logs' : 'mailboxes') : acc.countsFrom === (fromLog ? 'logs' : 'mailboxes') ? acc.countsFrom : 'logs+mailboxes';
      for (const o of outcomes.get(s.index)!) acc.recipientDeliveries[o.status] = (acc.recipientDeliveries[o.status] ?? 0) + 1;
      if (s.clientIp && !acc.attackerIps.includes(s.clientIp)) acc.attackerIps.push(s.clientIp);
    }
    for (const sess of att.sessions) {
      if (sess.tier !== 'attacker') continue;
      account(sess.account).evidence.push({ kind: 'attacker-session', sessionId: sess.id, ips: sess.ips, sends: sess.sends.length, first: sess.first, last: sess.last });
    }
    // Impersonation: malicious mail naming a member that was not submitted through our systems.
    let impersonation = 0;
    let inboundMalicious = 0;
    const impersonated = (c: ContentResult, named: string, how: 'display-name' | 'org-address-not-submitted') => {
      const acc = account(named);
      acc.impersonationMessages++;
      acc.evidence.push({ kind: 'impersonated-in', messageRef: c.ref, messageId: c.messageId, from: c.from, how });
    };
    for (const c of [...outsideMalicious, ...[...orgMessages.values()].filter((m) => m.malicious && !sendOfMessage.has(m.ref))]) {
      if (c.direction !== 'external-only') inboundMalicious++;
      if (c.spoofedAccount) {
        impersonation++;
        impersonated(c, c.spoofedAccount, 'display-name');
      } else if (c.fromOrg) {
        impersonation++;
        impersonated(c, c.from, 'org-address-not-submitted');
      }
    }
    for (const a of accounts.values()) {
      if (a.maliciousSent > 0) a.verdicts.push('compromised');
      if (a.impersonationMessages > 0) a.verdicts.push('impersonated');
      a.verdict = a.verdicts.length === 2 ? 'compromised+impersonated' : (a.verdicts[0] ?? 'clean');
      a.attackerIps.sort();
    }
    const tierCount = (t: SendTier) => ({
      sends: sends.filter((s) => att.sends[s.index]!.tier === t).length,
      sessions: att.sessions.filter((s) => s.sends.some((x) => att.sends[x.index]!.tier === t)).length,
    });
    const counts: CaseCounts = {
      definitions: DEFINITIONS,
      ...fig,
      impersonationMessagesObserved: impersonation,
      inboundMaliciousMessages: inboundMalicious,
      toReview: tierCount('review'),
      suspected: tierCount('suspected'),
    };
    writer.sends(sends, att.sends, outcomes);
    const accountList = [...accounts.values()].sort((a, b) => b.maliciousSent - a.maliciousSent || b.impersonationMessages - a.impersonationMessages || a.account.localeCompare(b.account));
    writer.accounts(accountList);
    writer.counts(counts);
    maliciousMessages = writer.maliciousMessageCount();
    return {
      messages: { total, malicious: maliciousMessages },
      accounts: accountList,
      counts,
      sessions: att.sessions.filter((s) => s.tier !== 'user').map(summary),
    };
  });
}

function summary(s: AttributedSession): SessionSummary {
  return { id: s.id, account: s.account, tier: s.tier, novelty: s.novelty, ips: s.ips, first: s.first, last: s.last, sends: s.sends.length, contentMalicious: s.contentMalicious };
}

/** What later stages need of a message: its signals and reasons are stored already and dropped here. */
function slim(c: ContentResult): ContentResult {
  return { ...c, signals: [], reasons: [] };
}
