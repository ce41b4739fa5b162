// The two recorded incidents (tests/fixtures/logs/rig-*): what our parsers read from the
// real Postfix and Exim logs against the rig's truth.json.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readLogFile } from '../../src/logs/read-log.js';
import type { LogEvent, LogMessage } from '../../src/logs/types.js';

const FIX = new URL('../fixtures/logs/', import.meta.url);

async function read(path: string) {
  const messages: LogMessage[] = [];
  const events: LogEvent[] = [];
  const r = await readLogFile(new URL(path, FIX).pathname, { message: (m) => messages.push(m), event: (e) => events.push(e) }, { year: 2026 });
  return { r, messages, events };
}

function statusCounts(ms: LogMessage[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of ms) for (const d of m.deliveries) out[d.status] = (out[d.status] ?? 0) + 1;
  return out;
}

function finalCounts(ms: LogMessage[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of ms) {
    const last = new Map<string, string>();
    for (const d of m.deliveries) last.set(d.recipient, d.status);
    for (const s of last.values()) out[s] = (out[s] ?? 0) + 1;
  }
  return out;
}

interface UserTruth {
  messages: number;
  recipients: number;
  client_ips: Record<string, number>;
  status_lines: Record<string, number>;
  final: Record<string, number>;
  bounce_notifications: number;
}

function perUser(ms: LogMessage[], user: string) {
  const mine = ms.filter((m) => m.authUser === user);
  const ips: Record<string, number> = {};
  for (const m of mine) ips[m.clientIp!] = (ips[m.clientIp!] ?? 0) + 1;
  const notified = new Set(ms.filter((m) => m.notificationOf).map((m) => m.notificationOf));
  return {
    messages: mine.length,
    recipients: mine.reduce((n, m) => n + new Set(m.deliveries.map((d) => d.recipient)).size, 0),
    client_ips: ips,
    status_lines: statusCounts(mine),
    final: finalCounts(mine),
    bounce_notifications: mine.filter((m) => m.notifications.length > 0 || notified.has(m.queueId)).length,
  };
}

describe('rig-postfix: a real Postfix 3.7.11 log', async () => {
  const truth = JSON.parse(readFileSync(new URL('rig-postfix/truth.json', FIX), 'utf8'));
  const { r, messages, events } = await read('rig-postfix/maillog');

  it('reads every line', () => {
    expect(r.format).toBe('postfix');
    expect(r.stats).toMatchObject({ lines: truth.log.lines, recognised: truth.log.lines, unreadable: 0, foreign: 0 });
  });

  it('finds the queue ids, status lines, notifications and the messages still queued', () => {
    expect(messages).toHaveLength(truth.log.queue_ids);
    expect(messages.filter((m) => m.authUser)).toHaveLength(truth.log.sasl_chains);
    expect(statusCounts(messages)).toEqual(truth.log.status_lines);
    expect(messages.reduce((n, m) => n + m.notifications.length, 0)).toBe(truth.log.bounce_notifications);
    expect(r.unfinished).toBe(truth.log.still_queued_at_stop);
    expect(events.filter((e) => e.kind === 'auth-failure')).toHaveLength(truth.log.sasl_auth_failures);
    expect(events.filter((e) => e.kind === 'reject' && e.detail.startsWith('NOQUEUE'))).toHaveLength(truth.log.noqueue_rejects);
  });

  it('matches the truth for every SASL user', () => {
    for (const [user, t] of Object.entries(truth.per_sasl_user_log as Record<string, UserTruth>)) {
      expect(perUser(messages, user), user).toEqual({
        messages: t.messages,
        recipients: t.recipients,
        client_ips: t.client_ips,
        status_lines: t.status_lines,
        final: t.final,
        bounce_notifications: t.bounce_notifications,
      });
    }
  });

  it('joins each submitted message to its queue id and Message-ID, with the outcome the log shows', () => {
    const byQid = new Map(messages.map((m) => [m.queueId, m]));
    for (const t of truth.messages as { queue_id: string | null; message_id: string; sasl_user: string | null; client_ip: string; log_final: Record<string, string> }[]) {
      if (!t.queue_id) continue;
      const m = byQid.get(t.queue_id)!;
      expect(m.messageId).toBe(t.message_id.replace(/^<|>$/g, ''));
      expect(m.authUser).toBe(t.sasl_user);
      expect(m.clientIp).toBe(t.client_ip);
      expect(Object.fromEntries(finalFor(m))).toEqual(t.log_final);
    }
  });
});

function finalFor(m: LogMessage): Map<string, string> {
  const last = new Map<string, string>();
  for (const d of m.deliveries) last.set(d.recipient, d.status);
  return last;
}

describe('rig-exim: a real Exim 4.96 mainlog', async () => {
  const truth = JSON.parse(readFileSync(new URL('rig-exim/truth.json', FIX), 'utf8'));
  const { r, messages, events } = await read('rig-exim/mainlog');

  it('reads every line and finds the messages, status lines and bounces', () => {
    expect(r.format).toBe('exim');
    expect(r.stats).toMatchObject({ lines: truth.log.lines, recognised: truth.log.lines, unreadable: 0, foreign: 0 });
    expect(messages).toHaveLength(truth.log.messages);
    expect(messages.filter((m) => m.authUser)).toHaveLength(truth.log.authenticated_messages);
    expect(messages.filter((m) => m.envelopeFrom === '')).toHaveLength(truth.log.bounce_messages);
    expect(messages.filter((m) => m.received && !m.authUser)).toHaveLength(truth.log.inbound_messages);
    expect(statusCounts(messages)).toEqual(truth.log.status_lines);
    expect(events.filter((e) => e.kind === 'auth-failure').map((e) => [e.clientIp, e.user])).toEqual(
      (truth.log.auth_failures as { client_ip: string; set_id: string }[]).map((a) => [a.client_ip, a.set_id]),
    );
    expect(events.filter((e) => e.kind === 'reject').map((e) => e.recipient)).toEqual((truth.log.rejected_rcpt as { rcpt: string }[]).map((x) => x.rcpt));
  });

  it('matches the truth for every authenticated user', () => {
    for (const [user, t] of Object.entries(truth.per_user_log as Record<string, UserTruth>)) {
      const got = perUser(messages, user);
      expect({ ...got, bounce_notifications: undefined }, user).toEqual({
        messages: t.messages,
        recipients: t.recipients,
        client_ips: t.client_ips,
        status_lines: t.status_lines,
        final: t.final,
        bounce_notifications: undefined,
      });
      expect(got.bounce_notifications, `${user} bounce notifications`).toBe(t.bounce_notifications);
    }
  });

  it('decodes the octal-escaped Japanese subjects', () => {
    expect(messages[0]!.subject).toBe('定例会議の議事録');
  });
});
