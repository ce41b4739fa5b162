// `npm run samples`: write the sample incident into samples/ (deterministic; checked in).
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ACCOUNTS, buildIncident, FREE_MAIL_DOMAINS, MEMBERS, ORG, registrableDomain, renderMessage, type SampleMessage } from './incident.js';
import { mboxrdQuote, mboxSeparator } from './mime-build.js';
import { expectedHosts, writeSampleHosts } from './sample-hosts.js';
import { loggedStatus, sampleMaillog, sampleMessageTrace, submittedAt } from './sample-logs.js';

const ASSETS = new URL('../../src/samples/assets/', import.meta.url);

function toLf(b: Buffer): Buffer {
  return Buffer.from(b.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
}

/** Mail goes under `<outDir>/mail/`; the profile and the expected figures sit beside it. */
export function writeSamples(sampleDir: string): void {
  const msgs = buildIncident(ASSETS);
  const outDir = join(sampleDir, 'mail');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  // The journal: every message that passed the server, in time order, mboxrd, LF line ends.
  const journal = msgs.filter((m) => m.places.includes('journal')).sort((a, b) => a.time - b.time);
  const chunks: Buffer[] = [];
  for (const m of journal) {
    chunks.push(Buffer.from(mboxSeparator(m.envelopeFrom || 'MAILER-DAEMON', m.time) + '\n', 'latin1'));
    chunks.push(mboxrdQuote(toLf(renderMessage(m, 'journal'))));
    chunks.push(Buffer.from('\n'));
  }
  writeFileSync(join(outDir, 'journal.mbox'), Buffer.concat(chunks));

  // keiri's Sent folder as exported .eml files (CRLF, no Received fields).
  const sent = msgs.filter((m) => m.places.includes('sent')).sort((a, b) => a.time - b.time);
  mkdirSync(join(outDir, 'sent'), { recursive: true });
  sent.forEach((m, i) => writeFileSync(join(outDir, 'sent', `${String(i + 1).padStart(3, '0')}.eml`), renderMessage(m, 'sent')));

  // Japanese mail; the last file has no extension, as mail saved by some tools does.
  const ja = msgs.filter((m) => m.places.includes('ja'));
  mkdirSync(join(outDir, 'ja'), { recursive: true });
  ja.forEach((m, i) => writeFileSync(join(outDir, 'ja', i === ja.length - 1 ? `message-${i + 1}` : `${String(i + 1).padStart(2, '0')}-${m.charset}.eml`), renderMessage(m, 'ja')));

  // soumu's Maildir: one message read (cur/), one new (new/).
  const md = msgs.filter((m) => m.places.includes('maildir')).sort((a, b) => a.time - b.time);
  for (const d of ['cur', 'new', 'tmp']) mkdirSync(join(outDir, 'maildir', 'soumu', d), { recursive: true });
  md.forEach((m, i) => {
    const name = `${Math.floor(m.time / 1000)}.M${i}P100.mx1.sample-shoji.example`;
    const file = i === 0 ? join(outDir, 'maildir', 'soumu', 'cur', `${name}:2,S`) : join(outDir, 'maildir', 'soumu', 'new', name);
    writeFileSync(file, toLf(renderMessage(m, 'maildir')));
  });

  // The server's logs, from the same model.
  mkdirSync(join(outDir, 'logs'), { recursive: true });
  writeFileSync(join(outDir, 'logs', 'maillog'), sampleMaillog(msgs));
  writeFileSync(join(outDir, 'logs', 'MessageTrace.csv'), sampleMessageTrace(msgs));

  writeSampleHosts(sampleDir);

  const profile = {
    name: ORG.name,
    domains: [ORG.domain],
    contact: { department: '総務部 情報システム課', email: MEMBERS.soumu.address, phone: '03-0000-0000' },
    nameEn: 'Sample Shoji Co., Ltd.',
    discoveredOn: '2026-11-07',
    noticeDate: '2026-11-09',
    measures: {
      ja: ['感染したパソコンをネットワークから隔離し、ウイルススキャンを実施しました。', '全従業員のメールアカウントのパスワードを変更しました。', 'メールサーバーの送信状況の監視を強化しました。'],
      en: ['We isolated the infected PC from the network and scanned it.', 'We changed the passwords of all employees\' mail accounts.', 'We are monitoring our mail server\'s outbound traffic more closely.'],
    },
  };
  writeFileSync(join(sampleDir, 'blastradius.json'), JSON.stringify(profile, null, 2) + '\n');
  writeFileSync(join(sampleDir, 'expected.json'), JSON.stringify({ ...expectedFigures(msgs), hosts: expectedHosts() }, null, 2) + '\n');
}

/** Code-unit order, as SQLite's ORDER BY on text gives it. */
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The verdicts and counts the attribution analysis must reach, from the story: who sent what,
 * who was named. A send is a message an organisation account submitted through the
 * organisation's systems (mx1 with SMTP AUTH, or Microsoft 365), one per message whatever
 * number of log lines and copies show it; the attacker's sends are malicious whatever they
 * carry, including those only a log shows.
 */
function expectedAnalysis(msgs: SampleMessage[]) {
  const inOrg = (a: string) => a.endsWith('@' + ORG.domain);
  const domainOf = (a: string) => a.split('@')[1]!;
  const free = (a: string) => FREE_MAIL_DOMAINS.includes(domainOf(a));
  const sends = msgs.filter((m) => m.submission);
  const attacker = sends.filter((m) => m.attacker).sort((a, b) => submittedAt(a) - submittedAt(b));
  const iso = (ms: number) => new Date(ms).toISOString();

  type Tally = Record<string, number>;
  const tally = (t: Tally, k: string) => (t[k] = (t[k] ?? 0) + 1);
  const sorted = (t: Tally) => Object.fromEntries(Object.entries(t).sort());
  const deliveries: Tally = {};
  const outside: Tally = {};
  const internal: Tally = {};
  const reached = new Map<string, { address: string; domain: string; count: number; first: string; last: string }>();
  const statuses = new Map<string, string[]>();
  const times = new Map<string, string[]>();
  for (const m of attacker) {
    const at = iso(submittedAt(m));
    for (const r of [...m.to, ...m.cc]) {
      const status = loggedStatus(m, r.address);
      tally(deliveries, status);
      if (inOrg(r.address)) {
        tally(internal, status);
        continue;
      }
      tally(outside, status);
      statuses.set(r.address, [...(statuses.get(r.address) ?? []), status]);
      times.set(r.address, [...(times.get(r.address) ?? []), at]);
      if (status !== 'sent' && status !== 'addressed') continue;
      const n = reached.get(r.address) ?? { address: r.address, domain: domainOf(r.address), count: 0, first: at, last: at };
      n.count++;
      n.last = at;
      reached.set(r.address, n);
    }
  }
  const byDomain = <T extends { domain: string; address: string }>(a: T, b: T) => byCodeUnit(a.domain, b.domain) || byCodeUnit(a.address, b.address);
  const notificationList = [...reached.values()].sort(byDomain);
  const bouncedOnly = [...statuses]
    .filter(([, s]) => s.every((x) => x === 'bounced'))
    .map(([address, s]) => ({ address, domain: domainOf(address), count: s.length, first: times.get(address)![0]!, last: times.get(address)!.at(-1)! }))
    .sort(byDomain);

  const spoofs = msgs.filter((m) => m.malicious && m.role === 'spoof');
  const compromised = new Set(attacker.map((m) => m.submission!.account));
  // Spoofs name keiri (its address in the display name) and yamada (its display name).
  const impersonated = new Set(spoofs.map((m) => (/<([^>]+)>/.exec(m.from.name)?.[1] ?? ACCOUNTS.find((p) => p.name === m.from.name)?.address)!));
  const accounts = ACCOUNTS.map((p) => ({
    account: p.address,
    verdict: compromised.has(p.address) && impersonated.has(p.address) ? 'compromised+impersonated' : compromised.has(p.address) ? 'compromised' : impersonated.has(p.address) ? 'impersonated' : 'clean',
    maliciousSent: attacker.filter((m) => m.submission!.account === p.address).length,
  })).sort((a, b) => byCodeUnit(a.account, b.account));

  return {
    maliciousMessages: msgs.filter((m) => m.places.length > 0 && m.malicious).length,
    accounts,
    sends: sends
      .map((m) => ({ messageId: m.messageId, account: m.submission!.account, attacker: m.attacker ?? false, logOnly: m.places.length === 0 }))
      .sort((a, b) => byCodeUnit(a.messageId, b.messageId)),
    counts: {
      maliciousOutboundMessages: attacker.length,
      examinedInMailbox: attacker.filter((m) => m.places.length > 0).length,
      logOnly: attacker.filter((m) => m.places.length === 0).length,
      attributedBySession: attacker.filter((m) => !m.contentMalicious).length,
      recipientDeliveries: sorted(deliveries),
      outsideDeliveries: sorted(outside),
      internalDeliveries: sorted(internal),
      maliciousOutboundRecipients: Object.values(deliveries).reduce((a, b) => a + b, 0),
      period: { first: iso(submittedAt(attacker[0]!)), last: iso(submittedAt(attacker[attacker.length - 1]!)) },
      notificationList,
      bouncedOnly,
      organisations: [...new Set(notificationList.filter((n) => !free(n.address)).map((n) => registrableDomain(n.domain)))].sort(byCodeUnit),
      individuals: notificationList.filter((n) => free(n.address)).length,
      impersonationMessagesObserved: spoofs.length,
      inboundMaliciousMessages: spoofs.filter((m) => m.intent === 'inbound').length,
    },
  };
}

function countVerdicts(msgs: SampleMessage[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of msgs) for (const a of [...m.attachments, ...(m.nested ?? [])]) if (a.verdict) out[a.verdict] = (out[a.verdict] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort());
}

/**
 * Figures counted from the model, for the tests to compare a scan against. The messages are
 * those some mailbox holds (a scan of the mail finds them); the mail only the logs show is
 * counted in the analysis.
 */
export function expectedFigures(all: SampleMessage[]) {
  const msgs = all.filter((m) => m.places.length > 0);
  const directions: Record<string, number> = {};
  for (const m of msgs) directions[m.intent] = (directions[m.intent] ?? 0) + 1;
  return {
    description: 'Counted from the sample incident model (src/samples/incident.ts), not from a scan: list and top-level figures cover the messages some mailbox holds; analysis covers every send, those only the logs show included.',
    orgDomains: [ORG.domain],
    messages: msgs.length,
    sightings: msgs.reduce((s, m) => s + m.places.length, 0),
    attachments: msgs.reduce((s, m) => s + m.attachments.length + (m.nested?.length ?? 0), 0),
    attachmentVerdicts: countVerdicts(msgs),
    errors: 0,
    directions: Object.fromEntries(Object.entries(directions).sort()),
    places: {
      journal: msgs.filter((m) => m.places.includes('journal')).length,
      sent: msgs.filter((m) => m.places.includes('sent')).length,
      ja: msgs.filter((m) => m.places.includes('ja')).length,
      maildir: msgs.filter((m) => m.places.includes('maildir')).length,
    },
    analysis: expectedAnalysis(all),
    list: msgs.map((m) => ({
      key: m.key,
      role: m.role,
      messageId: m.messageId,
      date: new Date(m.time).toISOString(),
      subject: m.subject,
      from: { name: m.from.name, address: m.from.address },
      to: m.to.map((p) => p.address),
      direction: m.intent,
      places: m.places,
      malicious: m.malicious ?? false,
      attachments: [...m.attachments, ...(m.nested ?? [])].map((a) => ({ filename: a.filename, size: a.content.length, sha256: createHash('sha256').update(a.content).digest('hex'), verdict: a.verdict })),
    })),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = resolve(process.argv[2] ?? 'samples');
  writeSamples(out);
  process.stdout.write(`samples written to ${out}\n`);
}
