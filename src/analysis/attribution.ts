// Stage: which sessions, and so which sends, are the attacker's.
//
// A session is convicted (tier "attacker", every send in it counts as malicious) when its
// address is new to an account that was active before (new, known-block) and
//   - one of its sends is malicious by content (R1–R5, or R6: a fresh non-reply mail with an
//     auto-run macro document, an encrypted archive with its password in the body, or a
//     download link, sent from an address new for the account), or
//   - its address is on an IOC list, or
//   - its address is one the attacker used in a convicted session (of any account).
// An address the account's own user used before (usual), that other users use as theirs
// (shared: an office NAT, a gateway), or the account's first activity in the evidence
// (first-seen: no history to tell) is never convicted as a whole: the user and the bot can
// share it. There only the sends malicious by content count; the session's other sends that
// look like the bot's go to "review", shown in the report and left out of the published figures.
// A session that is new to the account and behaves like the bot (a burst, fan-out to many
// outside addresses, replies to many old threads) but has none of the grounds above is
// "suspected": also shown, also left out.
// Conviction spreads (an address convicted for one account is checked against all), and an
// address convicted stops being usual, so the rounds repeat until nothing changes.
import type { UseHistory } from './cloud-use.js';
import { buildSessions, WINDOW_MS, type Novelty, type Session } from './sessions.js';
import type { Send } from './submissions.js';
import type { IocList } from './verdicts.js';

/** A burst: this many sends within one 10-minute window. */
export const BURST_MIN = 10;
/** Fan-out: this many distinct outside recipients within one 10-minute window. */
export const FAN_OUT_MIN = 20;
/** Replies to threads older than two weeks, in one session. */
export const OLD_THREAD_REPLIES_MIN = 5;
/** Rounds of conviction before giving up on a fixed point (each round only adds). */
const MAX_ROUNDS = 8;

export type SessionTier = 'attacker' | 'review' | 'suspected' | 'user';
export type SendTier = 'attacker' | 'review' | 'suspected' | 'user';

export type SessionGround =
  | { kind: 'content'; sendIndex: number; messageRef: number; messageId: string | null; rules: string[] }
  | { kind: 'ioc-ip'; ip: string }
  | { kind: 'attacker-ip'; ip: string; account: string; sessionId: number }
  | { kind: 'burst'; sends: number }
  | { kind: 'fan-out'; outsideRecipients: number }
  | { kind: 'old-thread-replies'; replies: number };

export interface AttributedSession extends Session {
  tier: SessionTier;
  grounds: SessionGround[];
}

export interface SendAttribution {
  tier: SendTier;
  /** The send is malicious by its own content (rules of the message verdict, R6 included). */
  contentMalicious: boolean;
  contentRules: string[];
  session: AttributedSession;
}

export interface Attribution {
  sessions: AttributedSession[];
  /** By Send.index. */
  sends: SendAttribution[];
  rounds: number;
}

/**
 * Addresses whose whole session the attacker evidence convicts. The account's first activity
 * in the evidence is not among them: without history, the user's own office address looks the
 * same, and the infected PC itself may send from it.
 */
const NEW_TO_ACCOUNT: Novelty[] = ['new', 'known-block'];

/** R6 applies to a fresh mail from an address the account had not used: not to its first-ever session, which has no history. */
const R6_NOVELTY: Novelty[] = ['new', 'known-block'];

function contentRules(s: Send, novelty: Novelty): string[] {
  const c = s.content;
  if (!c) return [];
  const rules = c.malicious ? [...c.rules] : [];
  if (!c.reply && c.freshPayloads.length && R6_NOVELTY.includes(novelty) && !rules.includes('R6')) rules.push('R6');
  return rules;
}

/**
 * On an address the user shares with the bot, a send that is not malicious by content goes
 * to review only when it looks like the bot's own: a reply to a thread over two weeks old, a
 * fresh payload, or sent within ten minutes of a convicted send. The user's ordinary mail from
 * the office stays the user's.
 */
function looksLikeTheBot(send: Send, convictingTimes: number[]): boolean {
  if (send.content?.oldThread || (send.content?.freshPayloads.length ?? 0) > 0) return true;
  const t = Date.parse(send.time ?? '');
  return !Number.isNaN(t) && convictingTimes.some((c) => Math.abs(c - t) <= WINDOW_MS);
}

function behaviour(s: Session): SessionGround[] {
  const out: SessionGround[] = [];
  if (s.maxPerWindow >= BURST_MIN) out.push({ kind: 'burst', sends: s.maxPerWindow });
  if (s.maxOutsidePerWindow >= FAN_OUT_MIN) out.push({ kind: 'fan-out', outsideRecipients: s.maxOutsidePerWindow });
  if (s.oldThreadReplies >= OLD_THREAD_REPLIES_MIN) out.push({ kind: 'old-thread-replies', replies: s.oldThreadReplies });
  return out;
}

export function attribute(sends: Send[], iocs: IocList | null, history: UseHistory = new Map()): Attribution {
  let attackerRuns = new Set<string>();
  let result: Attribution | null = null;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const sessions = buildSessions(sends, attackerRuns, history);
    // Grounds that do not depend on other sessions: content and IOC addresses.
    const grounds = new Map<Session, SessionGround[]>();
    for (const s of sessions) {
      const g: SessionGround[] = [];
      for (const send of s.sends) {
        const rules = contentRules(send, s.novelty);
        if (rules.length && send.messageRef !== null) g.push({ kind: 'content', sendIndex: send.index, messageRef: send.messageRef, messageId: send.messageId, rules });
      }
      for (const ip of s.ips) if (iocs?.domains.has(ip)) g.push({ kind: 'ioc-ip', ip });
      grounds.set(s, g);
    }
    // Addresses of convicted sessions, checked against every other session.
    const convictedIps = new Map<string, Session>();
    const convicted = (s: Session) => NEW_TO_ACCOUNT.includes(s.novelty) && grounds.get(s)!.length > 0;
    let changed = true;
    while (changed) {
      changed = false;
      for (const s of sessions) {
        if (convicted(s)) for (const ip of s.ips) if (ip !== 'unknown' && !convictedIps.has(ip)) (convictedIps.set(ip, s), (changed = true));
      }
      for (const s of sessions) {
        const g = grounds.get(s)!;
        for (const ip of s.ips) {
          const by = convictedIps.get(ip);
          if (by && by !== s && !g.some((x) => x.kind === 'attacker-ip' && x.ip === ip)) {
            g.push({ kind: 'attacker-ip', ip, account: by.account, sessionId: by.id });
            if (convicted(s)) changed = true;
          }
        }
      }
    }
    const attributed: AttributedSession[] = sessions.map((s) => {
      const g = grounds.get(s)!;
      const b = behaviour(s);
      let tier: SessionTier = 'user';
      // The account's first activity is convicted whole only on evidence from outside its own
      // mail: an IOC address, or an address the attacker used where it was new. (Were it an
      // office NAT, other users' usual use would have made it "shared".)
      const wholeOnOutsideEvidence = s.novelty === 'first-seen' && g.some((x) => x.kind === 'ioc-ip' || x.kind === 'attacker-ip');
      if (g.length && (NEW_TO_ACCOUNT.includes(s.novelty) || wholeOnOutsideEvidence)) tier = 'attacker';
      else if (g.length) tier = 'review';
      else if (b.length && (s.novelty === 'new' || s.novelty === 'known-block')) tier = 'suspected';
      return Object.assign(s, { tier, grounds: [...g, ...b] });
    });
    const bySend: SendAttribution[] = new Array(sends.length);
    for (const s of attributed) {
      const convictingTimes = s.tier === 'review' ? s.sends.filter((x) => contentRules(x, s.novelty).length).map((x) => Date.parse(x.time ?? '')) : [];
      for (const send of s.sends) {
        const rules = contentRules(send, s.novelty);
        let tier: SendTier = s.tier;
        if (s.tier === 'review') tier = rules.length ? 'attacker' : looksLikeTheBot(send, convictingTimes) ? 'review' : 'user';
        bySend[send.index] = { tier, contentMalicious: rules.length > 0, contentRules: rules, session: s };
      }
    }
    result = { sessions: attributed, sends: bySend, rounds: round };
    const next = new Set(attributed.filter((s) => s.tier === 'attacker').flatMap((s) => s.runKeys));
    if (next.size === attackerRuns.size && [...next].every((k) => attackerRuns.has(k))) break;
    attackerRuns = next;
  }
  return result!;
}
