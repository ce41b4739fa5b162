// `npm run samples`: write the sample incident into samples/ (deterministic; checked in).
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildIncident, MEMBERS, ORG, renderMessage, type SampleMessage } from './incident.js';
import { mboxrdQuote, mboxSeparator } from './mime-build.js';
import { outcome, sampleMaillog, sampleMessageTrace } from './sample-logs.js';

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

  const profile = {
    name: ORG.name,
    domains: [ORG.domain],
    contact: { department: '総務部 情報システム課', email: MEMBERS.soumu.address, phone: '03-0000-0000' },
    nameEn: 'Sample Shoji Co., Ltd.',
    discoveredOn: '2026-11-07',
    pcInfectionConfirmed: true,
    noticeDate: '2026-11-09',
    measures: {
      ja: ['感染したパソコンをネットワークから隔離し、ウイルススキャンを実施しました。', '全従業員のメールアカウントのパスワードを変更しました。', 'メールサーバーの送信状況の監視を強化しました。'],
      en: ['We isolated the infected PC from the network and scanned it.', 'We changed the passwords of all employees\' mail accounts.', 'We are monitoring our mail server\'s outbound traffic more closely.'],
    },
  };
  writeFileSync(join(sampleDir, 'blastradius.json'), JSON.stringify(profile, null, 2) + '\n');
  writeFileSync(join(sampleDir, 'expected.json'), JSON.stringify(expectedFigures(msgs), null, 2) + '\n');
}

/** The verdicts and counts the analysis must reach, from the story: who sent what, who was named. */
function expectedAnalysis(msgs: SampleMessage[]) {
  const inOrg = (a: string) => a.endsWith('@' + ORG.domain);
  const sent = msgs.filter((m) => m.malicious && m.role === 'hijack').sort((a, b) => a.time - b.time);
  const deliveries: Record<string, number> = {};
  const notify = new Map<string, { address: string; domain: string; count: number; first: string; last: string }>();
  for (const m of sent) {
    for (const r of [...m.to, ...m.cc]) {
      const status = outcome(m, r.address);
      deliveries[status] = (deliveries[status] ?? 0) + 1;
      if (inOrg(r.address)) continue;
      const at = new Date(m.time).toISOString();
      const n = notify.get(r.address) ?? { address: r.address, domain: r.address.split('@')[1]!, count: 0, first: at, last: at };
      n.count++;
      n.last = at;
      notify.set(r.address, n);
    }
  }
  const spoofs = msgs.filter((m) => m.malicious && m.role === 'spoof');
  const compromised = new Set(sent.map((m) => m.from.address));
  // Spoofs name keiri (its address in the display name) and yamada (its display name).
  const impersonated = new Set(spoofs.map((m) => (/<([^>]+)>/.exec(m.from.name)?.[1] ?? Object.values(MEMBERS).find((p) => p.name === m.from.name)?.address)!));
  const accounts = Object.values(MEMBERS)
    .map((p) => ({
      account: p.address,
      verdict: compromised.has(p.address) && impersonated.has(p.address) ? 'compromised+impersonated' : compromised.has(p.address) ? 'compromised' : impersonated.has(p.address) ? 'impersonated' : 'clean',
      maliciousSent: sent.filter((m) => m.from.address === p.address).length,
    }))
    .sort((a, b) => a.account.localeCompare(b.account));
  return {
    description: 'Ground truth of the sample incident: malicious sends are the hijacked replies (attachments, encrypted ZIPs, a link), impersonation the spoofed mails; bounces and accounting workbooks are benign.',
    maliciousMessages: msgs.filter((m) => m.malicious).length,
    accounts,
    counts: {
      maliciousOutboundMessages: sent.length,
      maliciousOutboundRecipients: Object.values(deliveries).reduce((a, b) => a + b, 0),
      recipientDeliveries: Object.fromEntries(Object.entries(deliveries).sort()),
      countsFrom: 'logs',
      impersonationMessagesObserved: spoofs.length,
      inboundMaliciousMessages: spoofs.filter((m) => m.intent === 'inbound').length,
      period: { first: new Date(sent[0]!.time).toISOString(), last: new Date(sent[sent.length - 1]!.time).toISOString() },
      notificationList: [...notify.values()].sort((a, b) => a.domain.localeCompare(b.domain) || a.address.localeCompare(b.address)),
    },
  };
}

function countVerdicts(msgs: SampleMessage[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of msgs) for (const a of [...m.attachments, ...(m.nested ?? [])]) if (a.verdict) out[a.verdict] = (out[a.verdict] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort());
}

/** Figures counted from the model, for the tests to compare a scan against. */
export function expectedFigures(msgs: SampleMessage[]) {
  const directions: Record<string, number> = {};
  for (const m of msgs) directions[m.intent] = (directions[m.intent] ?? 0) + 1;
  return {
    description: 'Counted from the sample incident model (src/samples/incident.ts), not from a scan.',
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
    analysis: expectedAnalysis(msgs),
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
