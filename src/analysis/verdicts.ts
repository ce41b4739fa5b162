// Message verdicts from the hijack signals and the attachment analysis. The rules, in the
// order they are tried (the first that holds gives the reason; all that hold are listed):
//  R1 an encrypted archive opened with the password written in the same mail, holding a
//     macro or suspicious document;
//  R2 an attachment whose macros run by themselves and can execute or write (verdict
//     "suspicious") in an unsolicited reply or under a spoofed display name;
//  R3 a hijacked thread: score >= HIJACK_THRESHOLD with an Emotet-grade payload (suspicious
//     attachment, encrypted archive, download link), or with a plain macro document when an
//     Emotet-specific signal is present too (generic lead line, months-old thread, spoofed
//     name, sender outside the thread);
//  R4 a spoofed display name carrying any payload;
//  R5 a URL, attachment hash or sender on the IOC list given;
//  R7 a payload that runs when opened: a program, script, shortcut or installer in an
//     attachment or anywhere inside it (payload.ts), whatever thread the mail claims; and,
//     in mail from outside the organisation, a document whose macros run by themselves.
//     (R6, a fresh payload from a client new for the account, is judged per session.)
// A macro workbook alone (verdict "macro": macros without auto-run execute/write) never makes
// a message malicious: accounting's own workbooks look like that. What separates them is the
// reply form, the stolen quote, the generic lead line, the old thread and the sender.
import type { AttachmentRecord } from '../store/case-reader.js';
import { hijackScore, type HijackSignal } from './hijack-signals.js';

export const HIJACK_THRESHOLD = 5;

/** An attachment as the rules see it: the case's attachment record. */
export type AttachmentEvidence = AttachmentRecord;

export interface IocList {
  urls: Set<string>;
  hashes: Set<string>;
  senders: Set<string>;
  domains: Set<string>;
}

export interface MessageVerdict {
  malicious: boolean;
  score: number;
  rules: string[];
  reasons: string[];
}

// A client address new for the account is judged with the whole session (attribution.ts), not here.
const STRONG_EXTRA: HijackSignal['id'][] = ['generic-lead', 'old-thread', 'display-name-spoof', 'sender-not-in-thread'];

export function judgeMessage(
  signals: HijackSignal[],
  attachments: AttachmentEvidence[],
  urls: string[],
  fromAddress: string,
  iocs: IocList | null,
  /** The sender is outside the organisation's domains (false when no domains are known). */
  fromOutside = false,
): MessageVerdict {
  const score = hijackScore(signals);
  const has = (id: HijackSignal['id']) => signals.some((s) => s.id === id);
  const rules: string[] = [];
  const reasons: string[] = [];
  const unsolicitedReply = has('reply-subject') || has('quoted-conversation') || has('thread-reuse');

  for (const a of attachments) {
    if (a.encryptedArchive && a.archiveOpenedWithBodyPassword && a.innerVerdicts.some((v) => v === 'macro' || v === 'suspicious')) {
      rules.push('R1');
      reasons.push(`R1: encrypted archive ${a.filename} opens with the password in the body and holds a macro document`);
    }
  }
  const suspicious = attachments.filter((a) => a.verdict === 'suspicious' && !a.encryptedArchive);
  if (suspicious.length && (unsolicitedReply || has('display-name-spoof'))) {
    rules.push('R2');
    reasons.push(`R2: ${suspicious.map((a) => a.filename).join(', ')} runs macros by itself that can execute or write, sent as ${has('display-name-spoof') ? 'mail under a spoofed name' : 'a reply to an earlier conversation'}`);
  }
  const downloadLink = signals.some((s) => s.id === 'payload-added' && (s.links?.length ?? 0) > 0);
  const emotetPayload = attachments.some((a) => a.verdict === 'suspicious' || a.encryptedArchive) || downloadLink;
  const macroPayload = attachments.some((a) => a.verdict === 'macro');
  if (score >= HIJACK_THRESHOLD && has('payload-added') && (emotetPayload || (macroPayload && STRONG_EXTRA.some(has)))) {
    rules.push('R3');
    reasons.push(`R3: hijacked reply thread (score ${score}: ${signals.map((s) => s.id).join(', ')})`);
  }
  if (has('display-name-spoof') && (attachments.some((a) => a.verdict !== 'clean') || downloadLink)) {
    rules.push('R4');
    reasons.push(`R4: ${signals.find((s) => s.id === 'display-name-spoof')!.evidence}, with a payload`);
  }
  if (iocs) {
    const hits = [
      ...urls.filter((u) => iocs.urls.has(u) || iocs.domains.has(hostOf(u))).map((u) => `URL ${u}`),
      ...attachments.filter((a) => iocs.hashes.has(a.sha256)).map((a) => `hash of ${a.filename}`),
      ...(iocs.senders.has(fromAddress) ? [`sender ${fromAddress}`] : []),
    ];
    if (hits.length) {
      rules.push('R5');
      reasons.push(`R5: on the IOC list: ${hits.join(', ')}`);
    }
  }
  const payloads = attachments.flatMap((a) => a.payloads.map((p) => (p.name === a.filename ? `${a.filename} is a ${p.what}` : `${a.filename} holds ${p.name}, a ${p.what}`)));
  const autoRun = fromOutside ? attachments.flatMap((a) => a.autoRunMacros.map((n) => (n === a.filename ? a.filename : `${n} in ${a.filename}`))) : [];
  if (payloads.length || autoRun.length) {
    rules.push('R7');
    const parts = [...payloads, ...(autoRun.length ? [`${autoRun.join(', ')} runs macros by itself on opening, from outside the organisation`] : [])];
    reasons.push(`R7: ${parts.join('; ')}`);
  }
  return { malicious: rules.length > 0, score, rules, reasons };
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}
