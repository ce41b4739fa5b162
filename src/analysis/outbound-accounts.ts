// Outbound accounting per organisation account, from the MTA logs in the case file.
// Definitions (also printed with the table):
// - account: the authenticated user (SASL/AUTH) when the log has one, else the envelope
//   sender when it is in an org domain; both are recorded.
// - messages: queue ids the server received from that account (not its own bounces).
// - out: those with at least one recipient outside the org domains.
// - deliveries: one per (message, recipient), by the last status the log shows for it
//   (sent, deferred, bounced, other); status lines counts every attempt.
// - times are UTC.
import type { AccountLogRow, DeliveryRecord } from '../store/case-reader.js';
import { domainOf } from '../mail/addresses.js';
import { inOrg } from '../mail/direction.js';
import { lastDeliveries } from './figures.js';

export interface ClientIpUse {
  ip: string;
  messages: number;
  first: string | null;
  last: string | null;
}

export interface AccountAnomaly {
  kind: 'new-client-ip' | 'burst' | 'many-recipients' | 'reply-burst';
  detail: string;
  /** Start of the window or first use, UTC. */
  at: string | null;
}

export interface AccountRow {
  account: string;
  authUsers: string[];
  senders: string[];
  messages: number;
  messagesOut: number;
  deliveries: Record<string, number>;
  externalDeliveries: Record<string, number>;
  statusLines: Record<string, number>;
  distinctRecipients: number;
  distinctExternalRecipients: number;
  externalDomains: string[];
  first: string | null;
  last: string | null;
  perDay: Record<string, number>;
  perHour: Record<string, number>;
  clientIps: ClientIpUse[];
  anomalies: AccountAnomaly[];
  /** Verdict of the last `analyze` (compromised, impersonated, …), null before one ran. */
  verdict?: string | null;
  /** log_messages ids behind the figures, for tracing. */
  logMessageIds: number[];
}

type Row = AccountLogRow;

/** What the table reads: the received log records in time order, and each one's deliveries. */
export interface AccountLogSource {
  accountLogRows(): AccountLogRow[];
  deliveriesThroughFilters(logRef: number): DeliveryRecord[];
}

/** Share of an account's active period that forms its baseline of usual client IPs. */
const BASELINE_SHARE = 0.25;
/** Window for bursts: ten minutes. */
const WINDOW_MS = 10 * 60_000;
/** A burst: at least this many messages from one account in one window… */
const BURST_MIN = 10;
/** …and at least this many distinct outside recipients in one window. */
const MANY_RECIPIENTS_MIN = 20;
/** A reply burst: at least this many "Re:" messages in one window. */
const REPLY_BURST_MIN = 5;

function windowKey(t: string): number {
  return Math.floor(Date.parse(t) / WINDOW_MS);
}

export function accountTable(source: AccountLogSource, orgDomains: string[]): AccountRow[] {
  const rows = source.accountLogRows();
  // A content filter's copy is the same message: its deliveries are the message's last hop.
  const deliveriesOf = { all: (id: number) => source.deliveriesThroughFilters(id) };
  const byAccount = new Map<string, Row[]>();
  for (const r of rows) {
    const account = r.auth_user ? r.auth_user.toLowerCase() : r.envelope_from && inOrg(r.envelope_from, orgDomains) ? r.envelope_from : null;
    if (!account) continue;
    const list = byAccount.get(account) ?? [];
    list.push(r);
    byAccount.set(account, list);
  }
  const out: AccountRow[] = [];
  for (const [account, list] of byAccount) {
    const row: AccountRow = {
      account,
      authUsers: [...new Set(list.map((r) => r.auth_user).filter((x): x is string => !!x))],
      senders: [...new Set(list.map((r) => r.envelope_from).filter((x): x is string => !!x))],
      messages: list.length,
      messagesOut: 0,
      deliveries: {},
      externalDeliveries: {},
      statusLines: {},
      distinctRecipients: 0,
      distinctExternalRecipients: 0,
      externalDomains: [],
      first: list[0]?.received_at ?? null,
      last: list[list.length - 1]?.received_at ?? null,
      perDay: {},
      perHour: {},
      clientIps: [],
      anomalies: [],
      logMessageIds: list.map((r) => r.id),
    };
    const recipients = new Set<string>();
    const external = new Set<string>();
    const domains = new Set<string>();
    const ips = new Map<string, ClientIpUse>();
    const windows = new Map<number, { messages: number; external: Set<string>; replies: number; at: string }>();
    for (const r of list) {
      const lines = deliveriesOf.all(r.id);
      for (const d of lines) row.statusLines[d.status] = (row.statusLines[d.status] ?? 0) + 1;
      const final = new Map([...lastDeliveries([lines])].map(([rcpt, d]) => [rcpt, d.status]));
      let out = false;
      for (const [rcpt, status] of final) {
        recipients.add(rcpt);
        row.deliveries[status] = (row.deliveries[status] ?? 0) + 1;
        if (!inOrg(rcpt, orgDomains)) {
          out = true;
          external.add(rcpt);
          domains.add(domainOf(rcpt));
          row.externalDeliveries[status] = (row.externalDeliveries[status] ?? 0) + 1;
        }
      }
      if (out) row.messagesOut++;
      if (r.received_at) {
        const day = r.received_at.slice(0, 10);
        const hour = r.received_at.slice(0, 13) + ':00Z';
        row.perDay[day] = (row.perDay[day] ?? 0) + 1;
        row.perHour[hour] = (row.perHour[hour] ?? 0) + 1;
        const w = windowKey(r.received_at);
        const win = windows.get(w) ?? { messages: 0, external: new Set<string>(), replies: 0, at: new Date(w * WINDOW_MS).toISOString() };
        win.messages++;
        for (const [rcpt] of final) if (!inOrg(rcpt, orgDomains)) win.external.add(rcpt);
        if (/^\s*(re|aw|sv|返信)\s*[:：]/i.test(r.subject ?? r.mailbox_subject ?? '')) win.replies++;
        windows.set(w, win);
      }
      if (r.client_ip) {
        const u = ips.get(r.client_ip) ?? { ip: r.client_ip, messages: 0, first: r.received_at, last: r.received_at };
        u.messages++;
        u.last = r.received_at ?? u.last;
        ips.set(r.client_ip, u);
      }
    }
    row.distinctRecipients = recipients.size;
    row.distinctExternalRecipients = external.size;
    row.externalDomains = [...domains].sort();
    row.clientIps = [...ips.values()].sort((a, b) => (a.first ?? '').localeCompare(b.first ?? ''));

    // A client IP that the account did not use in the first quarter of its active period
    // (the baseline): the account's history, not a fixed date, decides what is usual.
    const t0 = row.first ? Date.parse(row.first) : NaN;
    const t1 = row.last ? Date.parse(row.last) : NaN;
    if (!Number.isNaN(t0) && !Number.isNaN(t1) && t1 > t0) {
      const cut = t0 + (t1 - t0) * BASELINE_SHARE;
      const baseline = new Set(list.filter((r) => r.received_at && Date.parse(r.received_at) <= cut).map((r) => r.client_ip));
      for (const u of row.clientIps) {
        if (!baseline.has(u.ip)) {
          row.anomalies.push({ kind: 'new-client-ip', detail: `client IP ${u.ip} first used after the first quarter of the account's activity (${new Date(cut).toISOString()}); ${u.messages} messages from it`, at: u.first });
        }
      }
    }
    for (const w of windows.values()) {
      if (w.messages >= BURST_MIN) row.anomalies.push({ kind: 'burst', detail: `${w.messages} messages within 10 minutes`, at: w.at });
      if (w.external.size >= MANY_RECIPIENTS_MIN) row.anomalies.push({ kind: 'many-recipients', detail: `${w.external.size} distinct outside recipients within 10 minutes`, at: w.at });
      if (w.replies >= REPLY_BURST_MIN) row.anomalies.push({ kind: 'reply-burst', detail: `${w.replies} replies (Re:) within 10 minutes`, at: w.at });
    }
    out.push(row);
  }
  return out.sort((a, b) => b.messages - a.messages || a.account.localeCompare(b.account));
}
