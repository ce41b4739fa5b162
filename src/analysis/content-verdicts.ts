// Stage: each mailbox message on its own content. Hijack signals from the message and the
// thread it answers, the attachment evidence, then the content rules R1–R5 (verdicts.ts).
// What later stages need of a message travels on as a typed ContentResult; the body does not.
import { inOrg } from '../mail/direction.js';
import type { AttachmentRecord, MessageRecord } from '../store/case-reader.js';
import { DOWNLOADABLE, hijackScore, hijackSignals, type HijackSignal, type OrgFacts, type ThreadFacts } from './hijack-signals.js';
import { judgeMessage, type IocList, type MessageVerdict } from './verdicts.js';

/** The mail system's own senders: not accounts of people. */
export const SYSTEM_ADDRESS = /^(mailer-daemon|postmaster|double-bounce)@/i;
const BOUNCE_SUBJECT = /^(Undelivered Mail Returned to Sender|Mail delivery failed|Delivery Status Notification|Returned mail|Undeliverable:|配信不能)/i;

/** A payload that makes a fresh (non-reply) mail malicious when it comes from a client new for the account (rule R6). */
export type FreshPayload =
  | { kind: 'auto-run-macro'; file: string }
  | { kind: 'password-archive'; file: string }
  | { kind: 'download-link'; url: string };

export interface ContentResult extends MessageVerdict {
  ref: number;
  messageId: string | null;
  subject: string;
  from: string;
  direction: string;
  date: string | null;
  signals: HijackSignal[];
  fromOrg: boolean;
  /** A delivery status notification: the mail system's report, never a send or a malicious mail itself. */
  bounce: boolean;
  /** Reply form: reply prefix, quoted conversation, or a reference to a message in the case. */
  reply: boolean;
  oldThread: boolean;
  freshPayloads: FreshPayload[];
  /** The last authenticated submission hop of the Received chain (ESMTPA/ESMTPSA, "Authenticated sender"). */
  authHop: { ip: string | null; date: string | null } | null;
  /** The org account a display-name-spoof signal names. */
  spoofedAccount: string | null;
}

export interface ThreadLookup {
  messageByMessageId(messageId: string): { ref: number; messageId: string; date: string | null } | null;
  attachments(ref: number, passwordCandidates: string[]): AttachmentRecord[];
  participants(ref: number): string[];
}

function threadOf(m: MessageRecord, look: ThreadLookup): ThreadFacts {
  const targetId = m.inReplyTo ?? m.references[m.references.length - 1] ?? null;
  const target = targetId ? look.messageByMessageId(targetId) : null;
  if (!target || target.ref === m.ref) return { referenced: null };
  return {
    referenced: {
      messageId: target.messageId,
      date: target.date,
      hadPayload: look.attachments(target.ref, []).some((a) => a.verdict === 'macro' || a.verdict === 'suspicious' || a.encryptedArchive),
      participants: look.participants(target.ref),
    },
  };
}

export function judgeContent(m: MessageRecord, look: ThreadLookup, org: OrgFacts, iocs: IocList | null): ContentResult {
  const attachments = look.attachments(m.ref, m.passwordCandidates);
  const from = (m.fromAddress ?? '').toLowerCase();
  const signals = hijackSignals(
    {
      subject: m.subject,
      text: m.text,
      date: m.date,
      fromName: m.fromName ?? '',
      fromAddress: from,
      inReplyTo: m.inReplyTo,
      references: m.references,
      attachmentVerdicts: attachments,
      urls: m.urls,
      passwordCandidates: m.passwordCandidates,
    },
    threadOf(m, look),
    org,
  );
  const bounce = SYSTEM_ADDRESS.test(from) || BOUNCE_SUBJECT.test(m.subject);
  const verdict: MessageVerdict = bounce
    ? { malicious: false, score: hijackScore(signals), rules: [], reasons: ['delivery status notification: the mail system reporting a failed delivery'] }
    : judgeMessage(signals, attachments, m.urls, from, iocs, org.domains.length > 0 && from !== '' && !inOrg(from, org.domains));
  const has = (id: HijackSignal['id']) => signals.some((s) => s.id === id);
  const freshPayloads: FreshPayload[] = [
    ...attachments.filter((a) => a.verdict === 'suspicious' && !a.encryptedArchive).map((a) => ({ kind: 'auto-run-macro' as const, file: a.filename })),
    ...attachments.filter((a) => a.encryptedArchive && a.archiveOpenedWithBodyPassword).map((a) => ({ kind: 'password-archive' as const, file: a.filename })),
    ...m.urls.filter((u) => DOWNLOADABLE.test(u)).map((url) => ({ kind: 'download-link' as const, url })),
  ];
  const hop = [...m.received].reverse().find((h) => h.authenticated) ?? null;
  return {
    ...verdict,
    ref: m.ref,
    messageId: m.messageId,
    subject: m.subject,
    from,
    direction: m.direction,
    date: m.date,
    signals,
    fromOrg: inOrg(from, org.domains) && !SYSTEM_ADDRESS.test(from),
    bounce,
    reply: has('reply-subject') || has('quoted-conversation') || has('thread-reuse'),
    oldThread: has('old-thread'),
    freshPayloads: bounce ? [] : freshPayloads,
    authHop: hop ? { ip: hop.fromIp, date: hop.date } : null,
    spoofedAccount: signals.find((s) => s.id === 'display-name-spoof')?.account ?? null,
  };
}
