// Aggregates of the MTA log facts in a case, for `blastradius logs`: the server's own
// summary, counted the way pflogsumm and eximstats count (see analysis/log-summary.ts).
import type Database from 'better-sqlite3';

export interface LogTotalsRow {
  /** Records of mail a client handed in, as pflogsumm counts them (see PFLOGSUMM_RECEIVED). */
  received: number;
  /** Delivered status lines (pflogsumm's "delivered", eximstats's delivered addresses). */
  delivered: number;
  /** Records with at least one delivery (eximstats's delivered messages). */
  deliveredMessages: number;
  /** Records with at least one bounce (eximstats's "failed"). */
  bouncedMessages: number;
  deferredMessages: number;
  deferrals: number;
  bounced: number;
  rejected: number;
  /** One message, one record: records that entered from a client, content-filter copies not counted again. */
  messages: number;
}

/**
 * Where pflogsumm counts a message as received: smtpd and postscreen client= lines and pickup
 * lines of the instance it reads ("postfix", with the smtps and submission services). A
 * content filter's re-injection on another service ("10025/smtpd") it does not count again.
 */
const PFLOGSUMM_RECEIVED = "('smtpd', 'submission/smtpd', 'smtps/smtpd', 'postscreen', 'pickup')";
/** The reject lines pflogsumm counts: smtpd and postscreen rejects, cleanup's header and body rejects. */
const PFLOGSUMM_REJECT = `(program IN ('postfix/smtpd', 'postfix/submission/smtpd', 'postfix/smtps/smtpd', 'postfix/postscreen') AND (detail LIKE 'NOQUEUE: reject: %' OR detail LIKE 'reject: %'))
  OR (program = 'postfix/cleanup' AND (detail LIKE 'reject: header%' OR detail LIKE 'reject: body%' OR detail LIKE 'reject: END-OF-MESSAGE%'
      OR detail LIKE 'milter-reject: header%' OR detail LIKE 'milter-reject: body%' OR detail LIKE 'milter-reject: END-OF-MESSAGE%'))`;

export class LogQueries {
  constructor(private readonly db: Database.Database) {}

  /** Instances in the logs: Postfix syslog names, or the format for the others. */
  instances(): string[] {
    return (this.db.prepare('SELECT DISTINCT coalesce(instance, format) AS i FROM log_messages ORDER BY i').all() as { i: string }[]).map((r) => r.i);
  }

  /** The totals of one instance, counted as pflogsumm counts (Postfix) or by record (the others). */
  totals(instance: string): LogTotalsRow {
    const one = (sql: string, ...args: unknown[]) => (this.db.prepare(sql).get(...args) as { n: number }).n;
    const of = 'coalesce(lm.instance, lm.format) = ?';
    const postfix = one('SELECT count(*) AS n FROM log_messages lm WHERE ' + of + " AND lm.format = 'postfix'", instance) > 0;
    const deliveries = (status: string) => one(`SELECT count(*) AS n FROM log_deliveries d JOIN log_messages lm ON lm.id = d.log_message_ref WHERE ${of} AND d.status = '${status}'`, instance);
    return {
      // eximstats counts every arrival line, the server's own bounces included.
      received: postfix
        ? one(`SELECT count(*) AS n FROM log_messages lm WHERE ${of} AND lm.received = 1 AND lm.received_via IN ${PFLOGSUMM_RECEIVED}`, instance)
        : instance === 'exim'
          ? one(`SELECT count(*) AS n FROM log_messages lm WHERE ${of} AND lm.envelope_from IS NOT NULL`, instance)
          : one(`SELECT count(*) AS n FROM log_messages lm WHERE ${of} AND lm.received = 1`, instance),
      deliveredMessages: one(`SELECT count(DISTINCT d.log_message_ref) AS n FROM log_deliveries d JOIN log_messages lm ON lm.id = d.log_message_ref WHERE ${of} AND d.status = 'sent'`, instance),
      bouncedMessages: one(`SELECT count(DISTINCT d.log_message_ref) AS n FROM log_deliveries d JOIN log_messages lm ON lm.id = d.log_message_ref WHERE ${of} AND d.status = 'bounced'`, instance),
      messages: one(`SELECT count(*) AS n FROM log_messages lm WHERE ${of} AND lm.received = 1 AND lm.reinjected_from IS NULL`, instance),
      delivered: deliveries('sent'),
      deferredMessages: one(`SELECT count(DISTINCT d.log_message_ref) AS n FROM log_deliveries d JOIN log_messages lm ON lm.id = d.log_message_ref WHERE ${of} AND d.status = 'deferred'`, instance),
      deferrals: deliveries('deferred'),
      bounced: deliveries('bounced'),
      rejected: postfix
        ? one(`SELECT count(*) AS n FROM log_events WHERE kind = 'reject' AND (${PFLOGSUMM_REJECT}) AND program LIKE ? || '/%'`, instance)
        : one(`SELECT count(*) AS n FROM log_events e JOIN log_reads r ON r.input_ref = e.input_ref WHERE e.kind = 'reject' AND r.format = ?`, instance),
    };
  }

  /** Senders by message count: the envelope sender of every record received from a client ('' for the null sender), as pflogsumm counts them. */
  senders(instance: string): { sender: string; messages: number }[] {
    return this.db
      .prepare(
        `SELECT envelope_from AS sender, count(*) AS messages FROM log_messages lm
         WHERE coalesce(lm.instance, lm.format) = ? AND envelope_from IS NOT NULL AND received = 1
           AND (format <> 'postfix' OR received_via IN ${PFLOGSUMM_RECEIVED})
         GROUP BY envelope_from ORDER BY messages DESC, sender`,
      )
      .all(instance) as { sender: string; messages: number }[];
  }

  /** Distinct recipients and, per recipient domain, the delivered status lines. */
  recipientDomains(instance: string): { domain: string; delivered: number; deferrals: number; bounced: number }[] {
    return this.db
      .prepare(
        `SELECT lower(substr(d.recipient, instr(d.recipient, '@') + 1)) AS domain,
                sum(d.status = 'sent') AS delivered, sum(d.status = 'deferred') AS deferrals, sum(d.status = 'bounced') AS bounced
         FROM log_deliveries d JOIN log_messages lm ON lm.id = d.log_message_ref
         WHERE coalesce(lm.instance, lm.format) = ? AND instr(d.recipient, '@') > 0 GROUP BY domain ORDER BY delivered DESC, domain`,
      )
      .all(instance) as { domain: string; delivered: number; deferrals: number; bounced: number }[];
  }

  distinctRecipients(instance: string): number {
    return (
      this.db
        .prepare("SELECT count(DISTINCT d.recipient) AS n FROM log_deliveries d JOIN log_messages lm ON lm.id = d.log_message_ref WHERE coalesce(lm.instance, lm.format) = ? AND d.status = 'sent'")
        .get(instance) as { n: number }
    ).n;
  }

  /** Per (login or sender, client address): records, first and last time, for received mail. */
  clients(): { authUser: string | null; sender: string | null; clientIp: string | null; messages: number; first: string | null; last: string | null }[] {
    return this.db
      .prepare(
        `SELECT auth_user AS authUser, envelope_from AS sender, client_ip AS clientIp, count(*) AS messages, min(received_at) AS first, max(received_at) AS last
         FROM log_messages WHERE received = 1 AND reinjected_from IS NULL GROUP BY auth_user, envelope_from, client_ip ORDER BY first`,
      )
      .all() as { authUser: string | null; sender: string | null; clientIp: string | null; messages: number; first: string | null; last: string | null }[];
  }

  /** Cloud account events (Entra sign-ins, unified audit log) per user, client address and kind. */
  cloudUses(): { user: string; clientIp: string; kind: string; events: number; first: string | null; last: string | null }[] {
    return this.db
      .prepare(
        `SELECT user, client_ip AS clientIp, kind, count(*) AS events, min(time) AS first, max(time) AS last FROM log_events
         WHERE program IN ('entra-signin', 'm365-audit') AND user IS NOT NULL AND client_ip IS NOT NULL
         GROUP BY user, client_ip, kind ORDER BY user, first`,
      )
      .all() as { user: string; clientIp: string; kind: string; events: number; first: string | null; last: string | null }[];
  }

  /** Received records and delivered, deferred and bounced status lines per hour (UTC, 'YYYY-MM-DDTHH'). */
  perHour(): { hour: string; received: number; delivered: number; deferrals: number; bounced: number }[] {
    const received = this.db.prepare('SELECT substr(received_at, 1, 13) AS hour, count(*) AS n FROM log_messages WHERE received = 1 AND reinjected_from IS NULL AND received_at IS NOT NULL GROUP BY hour').all() as { hour: string; n: number }[];
    const lines = this.db
      .prepare("SELECT substr(time, 1, 13) AS hour, sum(status = 'sent') AS delivered, sum(status = 'deferred') AS deferrals, sum(status = 'bounced') AS bounced FROM log_deliveries WHERE time IS NOT NULL GROUP BY hour")
      .all() as { hour: string; delivered: number; deferrals: number; bounced: number }[];
    const out = new Map<string, { hour: string; received: number; delivered: number; deferrals: number; bounced: number }>();
    const row = (h: string) => out.get(h) ?? out.set(h, { hour: h, received: 0, delivered: 0, deferrals: 0, bounced: 0 }).get(h)!;
    for (const r of received) row(r.hour).received = r.n;
    for (const l of lines) Object.assign(row(l.hour), { delivered: l.delivered, deferrals: l.deferrals, bounced: l.bounced });
    return [...out.values()].sort((a, b) => a.hour.localeCompare(b.hour));
  }

  /**
   * Records whose time stamps came without a zone (classic syslog) and that are linked to a
   * mailbox copy: their time, host, and the copy's Received chain. At most `limit`, spread over the case.
   */
  clockPairs(limit: number): { logTime: string; host: string; receivedJson: string; offsetMinutes: number }[] {
    return this.db
      .prepare(
        `SELECT lm.received_at AS logTime, lm.host, m.received_json AS receivedJson, coalesce(r.utc_offset_minutes, 0) AS offsetMinutes
         FROM log_messages lm JOIN messages m ON m.id = lm.message_ref JOIN log_reads r ON r.input_ref = lm.input_ref
         WHERE lm.received_at IS NOT NULL AND lm.format IN ('postfix', 'sendmail', 'exim') ORDER BY lm.id LIMIT ?`,
      )
      .all(limit) as { logTime: string; host: string; receivedJson: string; offsetMinutes: number }[];
  }

  /** Log files read, with their format and line counts. */
  files(): { path: string; format: string; lines: number; unreadable: number }[] {
    return this.db.prepare('SELECT i.path, r.format, r.lines, r.unreadable FROM log_reads r JOIN inputs i ON i.id = r.input_ref ORDER BY i.path').all() as { path: string; format: string; lines: number; unreadable: number }[];
  }
}
