// The case-wide analysis: a verdict for every message (with its hijack signals), a verdict
// for every organisation account (JPCERT's two cases: compromised, impersonated), and the
// counts the notice will publish, each with its definition and the rows behind it.
import type Database from 'better-sqlite3';
import { domainOf } from '../mail/addresses.js';
import { inOrg } from '../mail/direction.js';
import { hijackScore, hijackSignals, type HijackSignal, type OrgFacts } from './hijack-signals.js';
import { accountTable } from './outbound-accounts.js';
import { judgeMessage, type AttachmentEvidence, type IocList, type MessageVerdict } from './verdicts.js';

export interface MessageResult extends MessageVerdict {
  ref: number;
  messageId: string | null;
  subject: string;
  from: string;
  direction: string;
  date: string | null;
  signals: HijackSignal[];
  /** Sent through the organisation's own systems (authenticated submission seen in Received or in the MTA log). */
  viaOurSystems: boolean;
}

export interface AccountVerdict {
  account: string;
  verdicts: ('compromised' | 'impersonated')[];
  /** clean when neither. */
  verdict: 'compromised' | 'impersonated' | 'compromised+impersonated' | 'clean';
  maliciousSent: number;
  impersonationMessages: number;
  recipientDeliveries: Record<string, number>;
  countsFrom: 'logs' | 'mailboxes' | 'none';
  first: string | null;
  last: string | null;
  evidence: string[];
}

export interface CaseCounts {
  definitions: Record<string, string>;
  maliciousOutboundMessages: number;
  maliciousOutboundRecipients: number;
  recipientDeliveries: Record<string, number>;
  countsFrom: 'logs' | 'mailboxes' | 'logs+mailboxes' | 'none';
  impersonationMessagesObserved: number;
  inboundMaliciousMessages: number;
  period: { first: string | null; last: string | null };
  notificationList: { address: string; domain: string; count: number; first: string | null; last: string | null }[];
}

export interface CaseAnalysis {
  messages: MessageResult[];
  accounts: AccountVerdict[];
  counts: CaseCounts;
}

interface MsgRow {
  id: number;
  message_id: string | null;
  in_reply_to: string | null;
  references_json: string;
  date_utc: string | null;
  subject: string;
  from_name: string | null;
  from_address: string | null;
  text_body: string;
  urls_json: string;
  direction: string;
  received_json: string;
  password_candidates_json: string;
}

const earlier = (a: string | null, b: string | null) => (!a ? b : !b ? a : a < b ? a : b);
const later = (a: string | null, b: string | null) => (!a ? b : !b ? a : a > b ? a : b);

/** The mail system's own senders: not accounts of people. */
const SYSTEM_ADDRESS = /^(mailer-daemon|postmaster|double-bounce)@/i;
const BOUNCE_SUBJECT = /^(Undelivered Mail Returned to Sender|Mail delivery failed|Delivery Status Notification|Returned mail|Undeliverable:|配信不能)/i;

export function learnMembers(db: Database.Database, orgDomains: string[]): Map<string, string[]> {
  const names = new Map<string, Set<string>>();
  const rows = db.prepare("SELECT from_address AS a, from_name AS n FROM messages WHERE from_address IS NOT NULL AND from_name IS NOT NULL AND from_name <> ''").all() as { a: string; n: string }[];
  for (const r of rows) {
    if (!inOrg(r.a, orgDomains) || SYSTEM_ADDRESS.test(r.a)) continue;
    const set = names.get(r.a) ?? new Set<string>();
    set.add(r.n);
    names.set(r.a, set);
  }
  return new Map([...names].map(([a, s]) => [a, [...s]]));
}

export function analyzeCase(db: Database.Database, orgDomains: string[], iocs: IocList | null = null, roster?: Map<string, string[]>): CaseAnalysis {
  const members = learnMembers(db, orgDomains);
  for (const [a, n] of roster ?? []) members.set(a, [...new Set([...(members.get(a) ?? []), ...n])]);
  const org: OrgFacts = { domains: orgDomains, memberNames: members };
  const rows = db
    .prepare(
      `SELECT id, message_id, in_reply_to, references_json, date_utc, subject, from_name, from_address, text_body, urls_json, direction,
              received_json, password_candidates_json FROM messages ORDER BY date_utc, id`,
    )
    .all() as MsgRow[];
  const byMessageId = new Map<string, MsgRow>();
  for (const r of rows) if (r.message_id && !byMessageId.has(r.message_id)) byMessageId.set(r.message_id, r);
  const attachmentsOf = db.prepare<[number], { filename: string; sha256: string; verdict: string | null; archive_json: string | null; analysis_ref: number | null }>(
    `SELECT a.filename, a.sha256, an.verdict, an.archive_json, a.analysis_ref FROM attachments a LEFT JOIN analyses an ON an.id = a.analysis_ref
     WHERE a.message_ref = ? AND a.nest_path = '' ORDER BY a.ordinal`,
  );
  const innerOf = db.prepare<[number], { verdict: string }>('SELECT verdict FROM analyses WHERE parent_ref = ?');
  const participantsOf = db.prepare<[number], { address: string }>("SELECT address FROM message_addresses WHERE message_ref = ? AND role IN ('from','to','cc')");
  // An MTA log record proves the message went through our systems when it shows an
  // authenticated submission, or comes from our own Exchange / Microsoft 365 tenant.
  const logAuthOf = db.prepare<[number], { n: number }>(
    "SELECT count(*) AS n FROM log_messages WHERE message_ref = ? AND received = 1 AND (auth_user IS NOT NULL OR format IN ('exchange', 'm365'))",
  );
  const logClientsOf = db.prepare<[number], { auth_user: string | null; envelope_from: string | null; client_ip: string | null; path: string; first_line: number }>(
    'SELECT lm.auth_user, lm.envelope_from, lm.client_ip, i.path, lm.first_line FROM log_messages lm JOIN inputs i ON i.id = lm.input_ref WHERE lm.message_ref = ? AND lm.client_ip IS NOT NULL',
  );
  // Client IPs that the accounting flags as new for an account (sending pattern).
  const newIps = new Set<string>();
  for (const a of accountTable(db, orgDomains)) {
    for (const x of a.anomalies) if (x.kind === 'new-client-ip') newIps.add(`${a.account}|${/client IP (\S+)/.exec(x.detail)?.[1]}`);
  }

  const evidenceFor = (r: MsgRow): AttachmentEvidence[] =>
    attachmentsOf.all(r.id).map((a) => {
      const archive = a.archive_json ? (JSON.parse(a.archive_json) as { encrypted: boolean; opened: boolean; password?: string }) : null;
      const pw = JSON.parse(r.password_candidates_json) as string[];
      return {
        filename: a.filename,
        sha256: a.sha256,
        verdict: a.verdict ?? 'clean',
        encryptedArchive: archive?.encrypted === true,
        archiveOpenedWithBodyPassword: archive?.opened === true && !!archive.password && pw.includes(archive.password),
        innerVerdicts: a.analysis_ref ? innerOf.all(a.analysis_ref).map((x) => x.verdict) : [],
      };
    });

  const messages: MessageResult[] = [];
  for (const r of rows) {
    const refs = JSON.parse(r.references_json) as string[];
    const target = (r.in_reply_to && byMessageId.get(r.in_reply_to)) || (refs.length ? byMessageId.get(refs[refs.length - 1]!) : undefined);
    const referenced =
      target && target.id !== r.id
        ? {
            messageId: target.message_id!,
            date: target.date_utc,
            hadPayload: evidenceFor(target).some((a) => a.verdict === 'macro' || a.verdict === 'suspicious' || a.encryptedArchive),
            participants: participantsOf.all(target.id).map((p) => p.address),
          }
        : null;
    const attachments = evidenceFor(r);
    const urls = JSON.parse(r.urls_json) as string[];
    const signals = hijackSignals(
      {
        subject: r.subject,
        text: r.text_body,
        date: r.date_utc,
        fromName: r.from_name ?? '',
        fromAddress: r.from_address ?? '',
        inReplyTo: r.in_reply_to,
        references: refs,
        attachmentVerdicts: attachments,
        urls,
        passwordCandidates: JSON.parse(r.password_candidates_json) as string[],
      },
      { referenced },
      org,
    );
    for (const l of logClientsOf.all(r.id)) {
      const acct = (l.auth_user ?? l.envelope_from ?? '').toLowerCase();
      if (newIps.has(`${acct}|${l.client_ip}`)) {
        signals.push({ id: 'new-client-ip', weight: 2, evidence: `sent by ${acct} from client IP ${l.client_ip}, not used in the first quarter of the account's activity (${l.path} line ${l.first_line})` });
        break;
      }
    }
    // A delivery status notification carries the failed message, payload included, but is
    // the mail system's report, not a send: it is never judged malicious itself.
    const bounce = SYSTEM_ADDRESS.test(r.from_address ?? '') || BOUNCE_SUBJECT.test(r.subject);
    const verdict = bounce
      ? { malicious: false, score: hijackScore(signals), rules: [], reasons: ['delivery status notification: the mail system reporting a failed delivery'] }
      : judgeMessage(signals, attachments, urls, r.from_address ?? '', iocs);
    const fromOrg = inOrg(r.from_address, orgDomains);
    // Through our systems: an MTA log record of its submission, or an authenticated
    // submission in its Received chain (ESMTPA/ESMTPSA, "Authenticated sender").
    const hops = JSON.parse(r.received_json) as { authenticated?: boolean }[];
    const viaOurSystems = fromOrg && (logAuthOf.get(r.id)!.n > 0 || hops.some((h) => h.authenticated === true));
    messages.push({ ref: r.id, messageId: r.message_id, subject: r.subject, from: r.from_address ?? '', direction: r.direction, date: r.date_utc, signals, viaOurSystems, ...verdict });
  }

  // Accounts: the org addresses seen, by what malicious mail did with them.
  const logDeliveries = db.prepare<[number], { recipient: string; status: string; line: number }>(
    'SELECT d.recipient, d.status, d.line FROM log_deliveries d JOIN log_messages lm ON lm.id = d.log_message_ref WHERE lm.message_ref = ? ORDER BY d.line',
  );
  const mailboxRecipients = db.prepare<[number], { address: string }>("SELECT DISTINCT address FROM message_addresses WHERE message_ref = ? AND role IN ('to','cc','bcc')");
  const accounts = new Map<string, AccountVerdict>();
  const account = (a: string) => {
    let v = accounts.get(a);
    if (!v) {
      v = { account: a, verdicts: [], verdict: 'clean', maliciousSent: 0, impersonationMessages: 0, recipientDeliveries: {}, countsFrom: 'none', first: null, last: null, evidence: [] };
      accounts.set(a, v);
    }
    return v;
  };
  // Every organisation address the case has seen gets a verdict, clean ones included.
  for (const a of members.keys()) account(a);
  for (const r of db.prepare('SELECT DISTINCT address FROM message_addresses').all() as { address: string }[]) if (inOrg(r.address, orgDomains) && !SYSTEM_ADDRESS.test(r.address)) account(r.address);
  const notification = new Map<string, { address: string; domain: string; count: number; first: string | null; last: string | null }>();
  const totals: Record<string, number> = {};
  let fromLogs = 0;
  let fromMailboxes = 0;
  let first: string | null = null;
  let last: string | null = null;
  let impersonation = 0;
  let inboundMalicious = 0;
  for (const m of messages) {
    if (!m.malicious) continue;
    // Received from outside: not sent through our systems, and delivered to us (a journal
    // copy of mail between two outside parties is not counted).
    if (!m.viaOurSystems && m.direction !== 'external-only') inboundMalicious++;
    const spoof = m.signals.find((s) => s.id === 'display-name-spoof');
    const fromOrg = inOrg(m.from, orgDomains);
    if (fromOrg && m.viaOurSystems) {
      const acc = account(m.from);
      acc.maliciousSent++;
      acc.first = earlier(acc.first, m.date);
      acc.last = later(acc.last, m.date);
      first = earlier(first, m.date);
      last = later(last, m.date);
      acc.evidence.push(`sent malicious message ${m.messageId} (${m.reasons[0]})`);
      const logged = logDeliveries.all(m.ref);
      const final = new Map<string, string>();
      if (logged.length) {
        for (const d of logged) final.set(d.recipient, d.status);
        acc.countsFrom = 'logs';
        fromLogs++;
      } else {
        for (const r of mailboxRecipients.all(m.ref)) final.set(r.address, 'addressed');
        if (acc.countsFrom === 'none') acc.countsFrom = 'mailboxes';
        fromMailboxes++;
      }
      for (const [rcpt, status] of final) {
        acc.recipientDeliveries[status] = (acc.recipientDeliveries[status] ?? 0) + 1;
        totals[status] = (totals[status] ?? 0) + 1;
        if (!inOrg(rcpt, orgDomains)) {
          const n = notification.get(rcpt) ?? { address: rcpt, domain: domainOf(rcpt), count: 0, first: m.date, last: m.date };
          n.count++;
          n.first = earlier(n.first, m.date);
          n.last = later(n.last, m.date);
          notification.set(rcpt, n);
        }
      }
    } else if (spoof || fromOrg) {
      impersonation++;
      const named = spoof ? /(?:is that of|shows the org address) (\S+?)[;:]?(?:;|$| )/.exec(spoof.evidence)?.[1] : m.from;
      if (named) {
        const acc = account(named.replace(/[;,]$/, ''));
        acc.impersonationMessages++;
        acc.evidence.push(`impersonated in ${m.messageId} from ${m.from}${spoof ? '' : ' (org address, not sent through our systems)'}`);
      }
    }
  }
  for (const a of accounts.values()) {
    if (a.maliciousSent > 0) a.verdicts.push('compromised');
    if (a.impersonationMessages > 0) a.verdicts.push('impersonated');
    a.verdict = a.verdicts.length === 2 ? 'compromised+impersonated' : (a.verdicts[0] ?? 'clean');
  }
  const maliciousOutbound = messages.filter((m) => m.malicious && m.viaOurSystems && inOrg(m.from, orgDomains));
  return {
    messages,
    accounts: [...accounts.values()].sort((a, b) => b.maliciousSent - a.maliciousSent || b.impersonationMessages - a.impersonationMessages || a.account.localeCompare(b.account)),
    counts: {
      definitions: {
        maliciousOutboundMessages: 'distinct malicious messages whose sender is an organisation address and that went through its own systems (an authenticated submission in the Received chain, or an MTA log record)',
        maliciousOutboundRecipients: 'recipient deliveries of those messages: from the MTA log (last status per recipient) where the message is in a log, else the To/Cc/Bcc addresses of the mailbox copy ("addressed")',
        impersonationMessagesObserved: "malicious messages that name an organisation member (display name or address) but did not go through the organisation's systems; a lower bound: only copies that reached us",
        inboundMaliciousMessages: "malicious messages received from outside the organisation (not sent through its systems; forged organisation senders included, journal copies between outside parties not)",
        notificationList: 'outside recipient addresses of malicious outbound messages, with how many such messages each received',
      },
      maliciousOutboundMessages: maliciousOutbound.length,
      maliciousOutboundRecipients: Object.values(totals).reduce((a, b) => a + b, 0),
      recipientDeliveries: totals,
      countsFrom: fromLogs && fromMailboxes ? 'logs+mailboxes' : fromLogs ? 'logs' : fromMailboxes ? 'mailboxes' : 'none',
      impersonationMessagesObserved: impersonation,
      inboundMaliciousMessages: inboundMalicious,
      period: { first, last },
      notificationList: [...notification.values()].sort((a, b) => a.domain.localeCompare(b.domain) || a.address.localeCompare(b.address)),
    },
  };
}
