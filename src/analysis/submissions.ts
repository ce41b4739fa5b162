// Stage: submission events and sends. A send is one message an organisation account handed
// to the organisation's own mail systems, whatever number of log records and mailbox copies
// show it. What proves a submission, strongest first:
//   1 a log record with an authenticated user: Postfix sasl_username, Exim A=…:user,
//     Sendmail AUTH (the client IP is the submitting client's);
//   2 a Microsoft 365 trace or Exchange tracking record of mail from an org sender to at
//     least one outside recipient (the tenant accepted it from that sender; the client IP
//     is the trace's FromIP / original-client-ip);
//   2 also: a Microsoft 365 audit record of the account sending the message (Send, SendAs,
//     SendOnBehalf; the client IP is the record's);
//   3 a mailbox copy from an org address whose Received chain has an authenticated hop
//     (ESMTPA/ESMTPSA, "Authenticated sender"); the client IP is that hop's.
// Other log records of the same message (a relay hop, the trace row of mail our Postfix
// relayed) add their deliveries but never its client or account. Records are the same
// message when they link to the same mailbox copy or carry the same Message-ID.
import { inOrg } from '../mail/direction.js';
import type { AccountActivity, LogRecord } from '../store/case-reader.js';
import type { ContentResult } from './content-verdicts.js';
import type { AccountResolver, ResolvedBy } from './identity.js';

/** Where a submission is seen: the trace back to the evidence. */
export type SubmissionSeen =
  | { kind: 'log'; logRef: number; format: string; path: string; line: number; user: string | null; clientIp: string | null; time: string | null }
  | { kind: 'received-hop'; messageRef: number; clientIp: string | null; time: string | null }
  /** A cloud account's sign-in or mailbox audit record (cloud-use.ts). */
  | { kind: 'cloud'; event: 'account-use' | 'mailbox-send'; path: string; line: number; user: string; clientIp: string; time: string; detail: string };

export interface Send {
  index: number;
  account: string;
  resolvedBy: ResolvedBy;
  messageRef: number | null;
  messageId: string | null;
  subject: string | null;
  /** Log records of this message (submission, relay hops, trace rows), whose deliveries count. */
  logRefs: number[];
  /** Server time of the submission where a log or a Received hop has it, else the Date header. */
  time: string | null;
  timeSource: 'log' | 'received-hop' | 'date-header';
  clientIp: string | null;
  /** 1–3 as in the header comment. */
  strength: 1 | 2 | 3;
  seen: SubmissionSeen[];
  /** Distinct recipients outside the org (from the log's deliveries, else the mailbox copy). */
  outsideRecipients: string[];
  /** From the mailbox copy's content analysis; null for log-only mail. */
  content: ContentResult | null;
}

const keyOf = (messageRef: number | null, messageId: string | null, logRef: number) =>
  messageRef !== null ? `m${messageRef}` : messageId ? `i${messageId}` : `l${logRef}`;

export class SendBuilder {
  private readonly sends: Send[] = [];
  private readonly byKey = new Map<string, Send>();
  /** Keys of a message's mailbox copy and Message-ID point at the same send. */
  private readonly alias = new Map<string, string>();
  /** Deliveries-only records (relay hops, trace rows without a submission) waiting for their send. */
  private readonly pending = new Map<string, { logRef: number; seen: SubmissionSeen }[]>();

  constructor(
    private readonly orgDomains: string[],
    private readonly resolver: AccountResolver,
    private readonly content: (ref: number) => ContentResult | undefined,
    private readonly mailboxRecipients: (ref: number) => string[],
  ) {}

  private find(messageRef: number | null, messageId: string | null, logRef: number): Send | undefined {
    const k = keyOf(messageRef, messageId, logRef);
    const direct = this.byKey.get(this.alias.get(k) ?? k);
    if (direct) return direct;
    if (messageRef !== null && messageId) return this.byKey.get(this.alias.get(`i${messageId}`) ?? `i${messageId}`);
    return undefined;
  }

  private register(s: Send, messageRef: number | null, messageId: string | null, logRef: number): void {
    const k = keyOf(messageRef, messageId, logRef);
    this.byKey.set(k, s);
    if (messageRef !== null && messageId) this.alias.set(`i${messageId}`, k);
    if (messageRef !== null) this.alias.set(`m${messageRef}`, k);
  }

  /** Sends by the log records they hold, for a content filter's copy to find its message. */
  private readonly byLogRef = new Map<number, Send>();
  /** Copies whose message's record comes later in the case. */
  private readonly pendingCopies = new Map<number, { logRef: number; seen: SubmissionSeen }[]>();

  /** A log record of mail a client handed to a server. */
  addLogRecord(r: LogRecord): void {
    if (r.reinjectedFrom !== null) {
      // A content filter's re-injection (loopback client, no login): the same message on its
      // way on. Its deliveries are the last hop's; its client and sender are never the submission's.
      const seen: SubmissionSeen = { kind: 'log', logRef: r.id, format: r.format, path: r.path, line: r.firstLine, user: r.authUser, clientIp: r.clientIp, time: r.receivedAt };
      const parent = this.byLogRef.get(r.reinjectedFrom);
      if (parent) {
        parent.logRefs.push(r.id);
        parent.seen.push(seen);
        this.byLogRef.set(r.id, parent);
      } else (this.pendingCopies.get(r.reinjectedFrom) ?? this.pendingCopies.set(r.reinjectedFrom, []).get(r.reinjectedFrom)!).push({ logRef: r.id, seen });
      return;
    }
    const sender = (r.envelopeFrom ?? '').toLowerCase();
    const outside = [...new Set(r.deliveries.map((d) => d.recipient.toLowerCase()).filter((a) => !inOrg(a, this.orgDomains)))];
    const strength: 1 | 2 | null = r.authUser ? 1 : (r.format === 'm365' || r.format === 'exchange') && inOrg(sender, this.orgDomains) && outside.length > 0 ? 2 : null;
    const seen: SubmissionSeen = { kind: 'log', logRef: r.id, format: r.format, path: r.path, line: r.firstLine, user: r.authUser, clientIp: r.clientIp, time: r.receivedAt };
    const existing = this.find(r.messageRef, r.messageId, r.id);
    if (strength === null) {
      // Only mail from an org sender can be part of a send; the rest is inbound mail.
      if (!inOrg(sender, this.orgDomains) && !(r.messageRef !== null && this.content(r.messageRef)?.fromOrg)) return;
      if (existing) {
        existing.logRefs.push(r.id);
        existing.seen.push(seen);
        this.byLogRef.set(r.id, existing);
        return;
      }
      const k = keyOf(r.messageRef, r.messageId, r.id);
      const list = this.pending.get(k) ?? [];
      list.push({ logRef: r.id, seen });
      this.pending.set(k, list);
      return;
    }
    const { account, by } = this.resolver.resolve(r.authUser ?? sender);
    if (existing) {
      existing.logRefs.push(r.id);
      existing.seen.push(seen);
      this.byLogRef.set(r.id, existing);
      if (strength < existing.strength || (strength === existing.strength && existing.timeSource !== 'log')) {
        Object.assign(existing, { account, resolvedBy: by, strength, clientIp: r.clientIp, time: r.receivedAt ?? existing.time, timeSource: r.receivedAt ? 'log' : existing.timeSource });
      }
      for (const a of outside) if (!existing.outsideRecipients.includes(a)) existing.outsideRecipients.push(a);
      if (r.subject && !existing.subject) existing.subject = r.subject;
      return;
    }
    const content = r.messageRef !== null ? (this.content(r.messageRef) ?? null) : null;
    const s: Send = {
      index: this.sends.length,
      account,
      resolvedBy: by,
      messageRef: r.messageRef,
      messageId: r.messageId ?? content?.messageId ?? null,
      subject: content?.subject ?? r.subject,
      logRefs: [r.id],
      time: r.receivedAt ?? content?.date ?? null,
      timeSource: r.receivedAt ? 'log' : 'date-header',
      clientIp: r.clientIp,
      strength,
      seen: [seen],
      outsideRecipients: outside,
      content,
    };
    this.sends.push(s);
    this.register(s, r.messageRef, r.messageId, r.id);
    this.byLogRef.set(r.id, s);
  }

  /**
   * The mailbox audit saw the account send a message (after the log records, before the
   * mailbox copies). Its client address is where the send was made from; a message no log
   * holds becomes a send of its own, its recipients unknown until a mailbox copy names them.
   */
  addMailboxAudit(a: AccountActivity, seen: SubmissionSeen): void {
    if (!a.messageId) return;
    const existing = this.find(null, a.messageId, -1);
    if (existing) {
      existing.seen.push(seen);
      if (!existing.clientIp) existing.clientIp = a.clientIp;
      return;
    }
    const { account, by } = this.resolver.resolve(a.user);
    const s: Send = {
      index: this.sends.length,
      account,
      resolvedBy: by,
      messageRef: null,
      messageId: a.messageId,
      subject: null,
      logRefs: [],
      time: a.time,
      timeSource: 'log',
      clientIp: a.clientIp,
      strength: 2,
      seen: [seen],
      outsideRecipients: [],
      content: null,
    };
    this.sends.push(s);
    this.register(s, null, a.messageId, -1);
  }

  /** A mailbox message from an org address; a send when an authenticated hop shows its submission and no log did. */
  addMailboxMessage(c: ContentResult): void {
    if (!c.fromOrg || c.bounce) return;
    const existing = this.find(c.ref, c.messageId, -1);
    if (existing) {
      if (!existing.content) existing.content = c;
      if (existing.messageRef === null) {
        // A send only the audit log showed: the copy gives its content and recipients.
        existing.messageRef = c.ref;
        existing.subject ??= c.subject;
        if (existing.outsideRecipients.length === 0) existing.outsideRecipients = this.mailboxRecipients(c.ref).filter((x) => !inOrg(x, this.orgDomains));
        this.alias.set(`m${c.ref}`, keyOf(null, c.messageId, -1));
      }
      return;
    }
    if (!c.authHop) return;
    const { account, by } = this.resolver.resolve(c.from);
    const s: Send = {
      index: this.sends.length,
      account,
      resolvedBy: by,
      messageRef: c.ref,
      messageId: c.messageId,
      subject: c.subject,
      logRefs: [],
      time: c.authHop.date ?? c.date,
      timeSource: c.authHop.date ? 'received-hop' : 'date-header',
      clientIp: c.authHop.ip,
      strength: 3,
      seen: [{ kind: 'received-hop', messageRef: c.ref, clientIp: c.authHop.ip, time: c.authHop.date }],
      outsideRecipients: this.mailboxRecipients(c.ref).filter((a) => !inOrg(a, this.orgDomains)),
      content: c,
    };
    this.sends.push(s);
    this.register(s, c.ref, c.messageId, -1);
  }

  /** The sends, with the deliveries-only records of their messages attached. */
  finish(): Send[] {
    for (const [parentRef, list] of this.pendingCopies) {
      const s = this.byLogRef.get(parentRef);
      if (!s) continue;
      for (const p of list) {
        s.logRefs.push(p.logRef);
        s.seen.push(p.seen);
      }
    }
    this.pendingCopies.clear();
    for (const [k, list] of this.pending) {
      const s = this.byKey.get(this.alias.get(k) ?? k);
      if (!s) continue;
      for (const p of list) {
        s.logRefs.push(p.logRef);
        s.seen.push(p.seen);
      }
    }
    this.pending.clear();
    return this.sends;
  }
}
