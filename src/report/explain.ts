// `blastradius explain`: everything behind one verdict, with its source locations, so a
// responder can open the mailbox at the byte offset or the log at the line and see it.
import type Database from 'better-sqlite3';
import type { SubmissionSeen } from '../analysis/submissions.js';
import { ReportQueries, type ExplainRow, type SessionRow } from '../store/report-queries.js';
import { accountEvidenceText, groundText, NOVELTY_TEXT, TIER_TEXT } from './attribution-text.js';
import { HostQueries } from '../store/host-queries.js';
import { hostLines } from './hosts-text.js';
import { inspectReasons } from './inspect-reasons.js';
import { forTerminal } from './terminal.js';

export interface Explanation {
  kind: 'message' | 'account' | 'host';
  text: string;
  data: Record<string, unknown>;
}

function sessionLines(s: SessionRow): string[] {
  return [
    `  session #${s.id} of ${s.account}: ${TIER_TEXT[s.tier] ?? s.tier}; from ${s.ips.join(', ')} (${NOVELTY_TEXT[s.novelty] ?? s.novelty}), ${s.first ?? '?'} – ${s.last ?? '?'}, ${s.sends} sends, ${s.contentMalicious} malicious by content`,
    ...s.grounds.map((g) => `    because: ${groundText(g)}`),
  ];
}

/**
 * The messages a subject names: a Message-ID (with or without <>), a case reference (#12, the
 * one the report and explain print, and the only handle of a mail without a Message-ID), or an
 * input file with an optional byte offset (journal.mbox@52311; an .eml alone).
 */
function findMessages(q: ReportQueries, subject: string): ExplainRow[] {
  const ref = /^#(\d+)$/.exec(subject.trim());
  if (ref) return q.messageByRef(Number(ref[1]));
  const byId = q.messagesById(subject.trim().replace(/^<|>$/g, ''));
  if (byId.length) return byId;
  const at = /^(.+?)(?:@(\d+))?$/.exec(subject.trim());
  if (at && /[\\/.]/.test(at[1]!) && !/^[^@\s]+@[^@\s]+\.[a-z]+$/i.test(subject.trim())) return q.messagesAt(at[1]!, at[2] !== undefined ? Number(at[2]) : null);
  return [];
}

export function explain(db: Database.Database, subject: string): Explanation | null {
  const q = new ReportQueries(db);
  const msg = findMessages(q, subject);
  if (msg.length) {
    const lines: string[] = [];
    const data: Record<string, unknown>[] = [];
    for (const m of msg) {
      const loc = q.messageLocations(m.id);
      const attachments = q.attachmentsOf(m.id).map(({ judged, legacyReasons, ...a }) => ({
        ...a,
        reasons: judged ? inspectReasons(judged) : legacyReasons,
        findings: judged?.findings ?? null,
      }));
      const signals = m.signals_json ? (JSON.parse(m.signals_json) as { id: string; weight: number; evidence: string }[]) : [];
      const reasons = m.reasons_json ? (JSON.parse(m.reasons_json) as string[]) : [];
      const session = m.session_ref !== null ? q.session(m.session_ref) : null;
      lines.push(`message ${m.message_id ? `<${m.message_id}>` : '(no Message-ID)'}, case reference #${m.id}: ${m.malicious === null ? 'not analysed yet' : m.malicious ? 'MALICIOUS' : 'benign'}${m.score !== null ? ` (hijack score ${m.score})` : ''}`);
      lines.push(`  subject: ${m.subject}`);
      lines.push(`  from: ${m.from_name ? `${m.from_name} ` : ''}<${m.from_address ?? ''}>, ${m.date_utc ?? 'no date'}, ${m.direction}${m.via_our_systems ? `, sent through our systems (send of ${TIER_TEXT[m.send_tier ?? ''] ?? m.send_tier})` : ''}`);
      for (const r of reasons) lines.push(`  reason: ${r}`);
      const rules = m.rules_json ? (JSON.parse(m.rules_json) as string[]) : [];
      if (session) lines.push(rules.includes('S') ? '  counted because of the session that sent it:' : '  sent in:', ...sessionLines(session));
      for (const s of signals) lines.push(`  signal ${s.id} (+${s.weight}): ${s.evidence}`);
      for (const a of attachments) lines.push(`  attachment ${a.filename}: ${a.verdict ?? 'not analysed'}${a.reasons.length ? ` — ${a.reasons.join('; ')}` : ''} (sha256 ${a.sha256})`);
      for (const s of loc.sightings) lines.push(`  seen in ${s.path}${s.offset !== null ? ` at byte ${s.offset} (${s.length} bytes)` : ''}`);
      for (const l of loc.logs) lines.push(`  in ${l.format} log ${l.path}, queue id ${l.queueId}, lines ${l.firstLine}–${l.lastLine}${l.authUser ? `, authenticated as ${l.authUser}` : ''}${l.clientIp ? ` from ${l.clientIp}` : ''}`);
      data.push({ ...m, reasons, signals, attachments, session, ...loc });
    }
    return { kind: 'message', text: lines.map(forTerminal).join('\n'), data: { messages: data } };
  }
  const acc = q.account(subject);
  if (!acc) return explainHost(db, subject);
  const sends = q.sends(['attacker', 'review', 'suspected']).filter((s) => s.account === acc.address);
  const lines = [
    `account ${acc.address}: ${acc.verdict}`,
    `  malicious messages the attacker sent through our systems: ${acc.maliciousMessagesSent}${acc.first ? ` (${acc.first} – ${acc.last})` : ''}; recipient deliveries ${JSON.stringify(acc.recipientDeliveries)} (from ${acc.countsFrom})`,
    `  sends in all: ${acc.sends}; to review: ${acc.toReview}; suspected: ${acc.suspected}; attacker addresses: ${acc.attackerIps.join(', ') || '-'}`,
    `  impersonation messages naming it: ${acc.impersonationMessages}`,
    ...acc.evidence.map((e) => `  - ${accountEvidenceText(e)}`),
    ...sends.map((s) => `  ${s.tier} send ${s.time ?? '?'} from ${s.clientIp ?? '?'}: ${s.messageId ? `<${s.messageId}>` : '(no Message-ID)'}${s.messageRef === null ? ' (log only)' : ''}; ${s.seen.map(seenText).join('; ')}`),
    `  (blastradius explain <Message-ID> shows where each message was seen)`,
  ];
  return { kind: 'account', text: lines.map(forTerminal).join('\n'), data: { ...acc, sends } };
}

/** Where a submission was seen, for the explain listing. */
function seenText(x: SubmissionSeen): string {
  if (x.kind === 'log') return `${x.path} line ${x.line}`;
  if (x.kind === 'cloud') return `${x.path} line ${x.line} (${x.event === 'mailbox-send' ? 'mailbox audit: sent' : 'used'} from ${x.clientIp} at ${x.time}: ${x.detail})`;
  return `Received hop of message #${x.messageRef}`;
}

/** A host by its name (any case) or one of its addresses: every piece of evidence, with each kept log line. */
function explainHost(db: Database.Database, subject: string): Explanation | null {
  const hq = new HostQueries(db);
  const want = subject.trim().toUpperCase();
  const h = hq.verdicts().hosts.find((x) => x.key.toUpperCase() === want || x.names.includes(want) || x.ips.includes(subject.trim()));
  if (!h) return null;
  const hits = new Map<number, ReturnType<HostQueries['hits']>>();
  const hitsOf = (ref: number) => hits.get(ref) ?? hits.set(ref, hq.hits(ref)).get(ref)!;
  const text = hostLines(h, hitsOf).map(forTerminal).join('\n');
  const evidence = h.evidence.map((e) => (e.kind === 'feed-match' ? { ...e, lines: hitsOf(e.groupRef) } : e));
  return { kind: 'host', text, data: { ...h, evidence } };
}
