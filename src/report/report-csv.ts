// The CSV files of `blastradius report`, for the responders who follow up in Excel. The
// columns of earlier versions stay as they were (first, in their order: scripts and tests
// read them); new columns come after them. Times: the UTC columns are kept, and each time
// is also given in the report's zone, the offset written in the column name
// ("first_jst(+09:00)", see report-time.ts). Lists inside a cell: addresses and Message-IDs
// separated by spaces (they hold none), free text written by others (subjects, file names)
// one per line.
import { groundText, NOVELTY_TEXT } from './attribution-text.js';
import { toCsv } from './csv.js';
import type { RecipientFollowUp } from './report-facts.js';
import { CsvClock, type ZoneClock } from './report-time.js';
import type { AccountRow, MessageRow, SendRow, SessionRow } from '../store/report-queries.js';

export interface CsvInput {
  /** Named after the offsets of every time the files hold (csvClock). */
  t: CsvClock;
  accounts: AccountRow[];
  sends: SendRow[];
  sessions: SessionRow[];
  recipients: RecipientFollowUp[];
  bouncedOnly: RecipientFollowUp[];
  iocs: { type: string; value: string; context: string }[];
}

const yesNo = (b: boolean | null) => (b ? 'yes' : 'no');
const where = (s: { path: string; locator: string; offset: number | null }) => `${s.path}${s.offset !== null ? ` @ ${s.offset}` : s.locator ? ` ${s.locator}` : ''}`;
const statusCounts = (r: Record<string, number>) =>
  Object.entries(r)
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([k, v]) => `${k}:${v}`)
    .join(' ');

/** One zone suffix for every file of the report: the offset(s) of all the times written. */
export function csvClock(clock: ZoneClock, x: { messageDates: Iterable<string | null>; sends: SendRow[]; accounts: AccountRow[]; sessions: SessionRow[]; recipients: RecipientFollowUp[]; bouncedOnly: RecipientFollowUp[] }): CsvClock {
  const others = [
    ...x.sends.map((s) => s.time),
    ...x.accounts.flatMap((a) => [a.first, a.last]),
    ...x.sessions.flatMap((s) => [s.first, s.last]),
    ...[...x.recipients, ...x.bouncedOnly].flatMap((r) => [r.first, r.last]),
  ];
  return new CsvClock(clock, (function* () {
    yield* x.messageDates;
    yield* others;
  })());
}

/** What a row of messages.csv says of a message besides its row: its recipients, attachments and sightings. */
export interface MessageExtras {
  recipients: { address: string }[];
  attachments: string[];
  sightings: { path: string; locator: string; offset: number | null }[];
}

/** messages.csv, written a page of messages at a time (a case holds millions): its header line, then rows. */
export function messagesCsvHeader(t: CsvClock): string[] {
  return ['message_id', 'date_utc', 'direction', 'sender', 'subject', 'malicious', 'via_our_systems', 'hijack_score', 'rules', 'session', 'reasons', t.column('date'), 'recipients', 'attachments', 'source_file', 'byte_offset', 'more_sightings'];
}

export function messagesCsvRow(t: CsvClock, m: MessageRow, e: MessageExtras): unknown[] {
  const seen = e.sightings;
  return [
    m.messageId, m.date, m.direction, m.sender, m.subject, yesNo(m.malicious), yesNo(m.viaOurSystems), m.score, m.rules.join(' '), m.sessionRef, m.reasons.join(' / '),
    t.cell(m.date), e.recipients.map((r) => r.address).join(' '), e.attachments.join('\n'),
    seen[0]?.path ?? '', seen[0]?.offset ?? '', seen.slice(1).map(where).join('\n'),
  ];
}

/** The report's other CSV files, whole (each is as long as the incident, not the case). */
export function csvFiles(x: CsvInput): [string, Buffer][] {
  const t = x.t;
  const recipientHeader = ['address', 'domain', 'count', 'first_utc', 'last_utc', 'display_name', 'other_display_names', 'organisation', 'last_status', 'statuses', 'subjects', 'message_ids', t.column('first'), t.column('last')];
  const recipientRow = (r: RecipientFollowUp) => [
    r.address, r.domain, r.count, r.first, r.last,
    r.displayNames[0] ?? '', r.displayNames.slice(1).join(' / '), r.organisation ?? '', r.lastStatus ?? '', statusCounts(r.statuses), r.subjects.join('\n'), r.messageIds.join(' '), t.cell(r.first), t.cell(r.last),
  ];
  return [
    [
      'accounts.csv',
      toCsv(
        ['address', 'verdict', 'malicious_sent', 'sent', 'bounced', 'deferred', 'counts_from', 'impersonation_messages', 'first_utc', 'last_utc', 'to_review', 'suspected', 'attacker_ips', t.column('first'), t.column('last')],
        x.accounts.map((a) => [a.address, a.verdict, a.maliciousMessagesSent, a.recipientDeliveries.sent ?? 0, a.recipientDeliveries.bounced ?? 0, a.recipientDeliveries.deferred ?? 0, a.countsFrom, a.impersonationMessages, a.first, a.last, a.toReview, a.suspected, a.attackerIps.join(' '), t.cell(a.first), t.cell(a.last)]),
      ),
    ],
    [
      'sends.csv',
      toCsv(
        ['tier', 'account', 'time_utc', 'time_source', 'client_ip', 'session', 'malicious_by_content', 'message_id', 'subject', 'mailbox_copy', 'recipients', 'statuses', t.column('time')],
        x.sends.map((s) => [s.tier, s.account, s.time, s.timeSource, s.clientIp, s.sessionRef, yesNo(s.contentMalicious), s.messageId, s.subject, yesNo(s.messageRef !== null), s.recipients.map((r) => r.address).join(' '), s.recipients.map((r) => r.status).join(' '), t.cell(s.time)]),
      ),
    ],
    [
      'sessions.csv',
      toCsv(
        ['session', 'tier', 'account', 'addresses', 'novelty', 'first_utc', 'last_utc', 'sends', 'malicious_by_content', 'replies', 'old_thread_replies', 'outside_recipients', 'max_sends_10min', 'grounds', t.column('first'), t.column('last')],
        x.sessions.map((s) => [s.id, s.tier, s.account, s.ips.join(' '), NOVELTY_TEXT[s.novelty] ?? s.novelty, s.first, s.last, s.sends, s.contentMalicious, s.replies, s.oldThreadReplies, s.outsideRecipients, s.maxPerWindow, s.grounds.map(groundText).join(' / '), t.cell(s.first), t.cell(s.last)]),
      ),
    ],
    ['recipients.csv', toCsv(recipientHeader, x.recipients.map(recipientRow))],
    ['recipients-bounced.csv', toCsv(recipientHeader, x.bouncedOnly.map(recipientRow))],
    ['iocs.csv', toCsv(['type', 'value', 'context'], x.iocs.map((i) => [i.type, i.value, i.context]))],
  ];
}
