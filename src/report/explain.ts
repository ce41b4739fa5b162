// `blastradius explain`: everything behind one verdict, with its source locations, so a
// responder can open the mailbox at the byte offset or the log at the line and see it.
import { forTerminal } from './terminal.js';
import type Database from 'better-sqlite3';

export interface Explanation {
  kind: 'message' | 'account';
  text: string;
  data: Record<string, unknown>;
}

function messageLocations(db: Database.Database, ref: number) {
  const sightings = db
    .prepare('SELECT i.path, s.locator, s.byte_offset AS offset, s.byte_length AS length FROM sightings s JOIN inputs i ON i.id = s.input_ref WHERE s.message_ref = ? ORDER BY i.path')
    .all(ref) as { path: string; locator: string; offset: number | null; length: number | null }[];
  const logs = db
    .prepare(
      `SELECT i.path, lm.format, lm.queue_id AS queueId, lm.first_line AS firstLine, lm.last_line AS lastLine, lm.auth_user AS authUser, lm.client_ip AS clientIp
       FROM log_messages lm JOIN inputs i ON i.id = lm.input_ref WHERE lm.message_ref = ?`,
    )
    .all(ref) as { path: string; format: string; queueId: string; firstLine: number; lastLine: number; authUser: string | null; clientIp: string | null }[];
  return { sightings, logs };
}

export function explain(db: Database.Database, subject: string): Explanation | null {
  const id = subject.replace(/^<|>$/g, '');
  const msg = db
    .prepare(
      `SELECT m.id, m.message_id, m.subject, m.from_name, m.from_address, m.date_utc, m.direction, v.malicious, v.score, v.via_our_systems, v.reasons_json, v.signals_json
       FROM messages m LEFT JOIN message_verdicts v ON v.message_ref = m.id WHERE m.message_id = ? ORDER BY m.id`,
    )
    .all(id) as { id: number; message_id: string; subject: string; from_name: string | null; from_address: string | null; date_utc: string | null; direction: string; malicious: number | null; score: number | null; via_our_systems: number | null; reasons_json: string | null; signals_json: string | null }[];
  if (msg.length) {
    const lines: string[] = [];
    const data: Record<string, unknown>[] = [];
    for (const m of msg) {
      const loc = messageLocations(db, m.id);
      const attachments = db
        .prepare('SELECT a.filename, a.sha256, an.verdict, an.reasons_json AS reasons FROM attachments a LEFT JOIN analyses an ON an.id = a.analysis_ref WHERE a.message_ref = ? ORDER BY a.ordinal')
        .all(m.id) as { filename: string; sha256: string; verdict: string | null; reasons: string | null }[];
      const signals = m.signals_json ? (JSON.parse(m.signals_json) as { id: string; weight: number; evidence: string }[]) : [];
      const reasons = m.reasons_json ? (JSON.parse(m.reasons_json) as string[]) : [];
      lines.push(`message <${m.message_id}>: ${m.malicious === null ? 'not analysed yet' : m.malicious ? 'MALICIOUS' : 'benign'}${m.score !== null ? ` (hijack score ${m.score})` : ''}`);
      lines.push(`  subject: ${m.subject}`);
      lines.push(`  from: ${m.from_name ? `${m.from_name} ` : ''}<${m.from_address ?? ''}>, ${m.date_utc ?? 'no date'}, ${m.direction}${m.via_our_systems ? ', sent through our systems' : ''}`);
      for (const r of reasons) lines.push(`  reason: ${r}`);
      for (const s of signals) lines.push(`  signal ${s.id} (+${s.weight}): ${s.evidence}`);
      for (const a of attachments) lines.push(`  attachment ${a.filename}: ${a.verdict ?? 'not analysed'}${a.reasons ? ` — ${(JSON.parse(a.reasons) as string[]).join('; ')}` : ''} (sha256 ${a.sha256})`);
      for (const s of loc.sightings) lines.push(`  seen in ${s.path}${s.offset !== null ? ` at byte ${s.offset} (${s.length} bytes)` : ''}`);
      for (const l of loc.logs) lines.push(`  in ${l.format} log ${l.path}, queue id ${l.queueId}, lines ${l.firstLine}–${l.lastLine}${l.authUser ? `, authenticated as ${l.authUser}` : ''}${l.clientIp ? ` from ${l.clientIp}` : ''}`);
      data.push({ ...m, reasons, signals, attachments, ...loc });
    }
    return { kind: 'message', text: lines.map(forTerminal).join('\n'), data: { messages: data } };
  }
  const acc = db.prepare('SELECT * FROM account_verdicts WHERE account = ?').get(subject.toLowerCase()) as
    | { account: string; verdict: string; malicious_sent: number; impersonation_messages: number; recipient_deliveries_json: string; counts_from: string; first: string | null; last: string | null; evidence_json: string }
    | undefined;
  if (!acc) return null;
  const evidence = JSON.parse(acc.evidence_json) as string[];
  const lines = [
    `account ${acc.account}: ${acc.verdict}`,
    `  malicious messages sent through our systems: ${acc.malicious_sent}${acc.first ? ` (${acc.first} – ${acc.last})` : ''}; recipient deliveries ${acc.recipient_deliveries_json} (from ${acc.counts_from})`,
    `  impersonation messages naming it: ${acc.impersonation_messages}`,
    ...evidence.map((e) => `  - ${e}`),
    `  (blastradius explain <Message-ID> shows where each message was seen)`,
  ];
  return { kind: 'account', text: lines.map(forTerminal).join('\n'), data: { ...acc, evidence } };
}
