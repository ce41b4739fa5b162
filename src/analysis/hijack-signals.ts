// Signals that a message is a hijacked reply thread (Emotet's spam module) rather than a
// person's own reply: the reply form, a quoted earlier conversation, reuse of a real (often
// old) thread, a payload the thread never had, a short generic lead line over the quote,
// and a sender that does not fit. Each signal carries its evidence and a weight; the score
// is their sum. Pure functions over plain facts, so each signal is tested on its own.

export interface HijackSignal {
  id:
    | 'reply-subject'
    | 'quoted-conversation'
    | 'thread-reuse'
    | 'old-thread'
    | 'payload-added'
    | 'password-in-body'
    | 'generic-lead'
    | 'display-name-spoof'
    | 'sender-not-in-thread';
  weight: number;
  evidence: string;
  /** Download links a payload-added signal found (typed, so no later stage reads the evidence text). */
  links?: string[];
  /** The org account a display-name-spoof signal names. */
  account?: string;
}

export interface MessageFacts {
  subject: string;
  text: string;
  date: string | null;
  fromName: string;
  fromAddress: string;
  inReplyTo: string | null;
  references: string[];
  /** Verdicts of the message's attachments ("macro", "suspicious", "encrypted" …). */
  attachmentVerdicts: { filename: string; verdict: string; archiveOpenedWithBodyPassword: boolean; encryptedArchive: boolean }[];
  urls: string[];
  passwordCandidates: string[];
}

export interface ThreadFacts {
  /** The earlier message the reply points at, when the case holds it. */
  referenced: { messageId: string; date: string | null; hadPayload: boolean; participants: string[] } | null;
}

export interface OrgFacts {
  domains: string[];
  /** Display names of org members by address (learned from the org's own mail, or a roster). */
  memberNames: Map<string, string[]>;
}

const REPLY_PREFIX = /^\s*(?:(?:re|fw|fwd|aw|wg|sv|vs|tr|rif|antw)\s*(?:\[\d+\])?\s*[:：]|(?:返信|転送|回复|转发)\s*[:：])/i;
const QUOTE_MARKERS: [RegExp, string][] = [
  [/^-{2,}\s*(?:Original Message|Forwarded message)\s*-{2,}/im, 'an "Original Message" block'],
  [/^-{2,}\s*元のメッセージ\s*-{2,}/m, 'a 「元のメッセージ」 block'],
  [/^(?:差出人|送信者)\s*[:：].*\n(?:.*\n){0,3}?(?:送信日時|日時)\s*[:：]/m, 'a 差出人/送信日時 header block'],
  [/^(?:From|差出人)\s*[:：].*\n(?:.*\n){0,3}?(?:Sent|Date|送信日時)\s*[:：].*\n(?:.*\n){0,3}?(?:To|宛先)\s*[:：]/im, 'a From/Sent/To header block'],
  [/^On .{5,120} wrote:\s*$/m, 'an "On … wrote:" line'],
  [/^.{0,80}(?:さんは書きました|のメッセージ)[:：]\s*$/m, 'a 「…は書きました」 line'],
];
/** Lead lines Emotet put over the stolen quote: short, generic, in both languages. */
const GENERIC_LEADS = [
  /ご確認(?:を)?(?:ください|下さい|お願い)/,
  /ご査収/,
  /添付ファイル(?:を|の)?(?:ご確認|確認)/,
  /請求書を?(?:送付|お送り)/,
  /please\s+(?:see|find|check|review)\s+(?:the\s+)?attach/i,
  /see\s+attached/i,
  /^\s*(?:attached|invoice|document)\.?\s*$/im,
];
export const DOWNLOADABLE = /\.(?:zip|rar|7z|iso|img|doc|docm|xls|xlsm|xlsb|one|lnk|exe|js|vbs|hta)(?:$|[?#])/i;
/** Threads older than this are "old": Emotet replies to conversations weeks or months old. */
const OLD_THREAD_DAYS = 14;

function quotedPart(text: string): { lead: string; quoted: boolean; marker: string | null } {
  let first = text.length;
  let marker: string | null = null;
  for (const [re, label] of QUOTE_MARKERS) {
    const m = re.exec(text);
    if (m && m.index < first) {
      first = m.index;
      marker = label;
    }
  }
  const lines = text.split(/\r?\n/);
  const firstQuoted = lines.findIndex((l) => /^\s*>/.test(l));
  const quotedLines = lines.filter((l) => /^\s*>/.test(l)).length;
  if (firstQuoted >= 0 && quotedLines >= 2) {
    const offset = lines.slice(0, firstQuoted).join('\n').length;
    if (offset < first) {
      first = offset;
      marker = `${quotedLines} lines quoted with ">"`;
    }
  }
  return { lead: text.slice(0, first), quoted: marker !== null, marker };
}

export function hijackSignals(m: MessageFacts, thread: ThreadFacts, org: OrgFacts): HijackSignal[] {
  const out: HijackSignal[] = [];
  const reply = REPLY_PREFIX.test(m.subject);
  if (reply) out.push({ id: 'reply-subject', weight: 1, evidence: `subject "${m.subject}" has a reply/forward prefix${m.inReplyTo || m.references.length ? '' : ' but no In-Reply-To or References'}` });
  const q = quotedPart(m.text);
  if (q.quoted) out.push({ id: 'quoted-conversation', weight: 1, evidence: `body quotes an earlier conversation (${q.marker})` });
  if (thread.referenced) {
    out.push({ id: 'thread-reuse', weight: 1, evidence: `replies to ${thread.referenced.messageId}, a message in the case` });
    if (m.date && thread.referenced.date) {
      const days = (Date.parse(m.date) - Date.parse(thread.referenced.date)) / 86_400_000;
      if (days >= OLD_THREAD_DAYS) out.push({ id: 'old-thread', weight: 1, evidence: `the referenced message is ${Math.floor(days)} days older` });
    }
  }
  const payloads = m.attachmentVerdicts.filter((a) => a.verdict === 'macro' || a.verdict === 'suspicious' || a.encryptedArchive);
  const links = m.urls.filter((u) => DOWNLOADABLE.test(u));
  if ((reply || q.quoted || thread.referenced) && (payloads.length || links.length) && !(thread.referenced?.hadPayload ?? false)) {
    const what = [...payloads.map((a) => `${a.filename} (${a.verdict}${a.encryptedArchive ? ', encrypted archive' : ''})`), ...links.map((u) => `link ${u}`)];
    out.push({ id: 'payload-added', weight: 2, evidence: `a reply adds ${what.join(', ')}${thread.referenced ? ' to a thread that had none' : ''}`, links });
  }
  const opened = m.attachmentVerdicts.filter((a) => a.encryptedArchive && a.archiveOpenedWithBodyPassword);
  if (opened.length) out.push({ id: 'password-in-body', weight: 2, evidence: `encrypted archive ${opened.map((a) => a.filename).join(', ')} opens with the password given in the body (${m.passwordCandidates.join(', ')})` });
  if (q.quoted) {
    const lead = q.lead.replace(/\s+/g, ' ').trim();
    if (lead.length <= 120 && GENERIC_LEADS.some((re) => re.test(lead))) out.push({ id: 'generic-lead', weight: 1, evidence: `short generic line over the quote: "${lead.slice(0, 80)}"` });
  }
  // Display-name spoofing: an org member's name (or an org address in the name) on an outside address.
  const fromDomainInOrg = org.domains.some((d) => m.fromAddress.endsWith('@' + d) || m.fromAddress.endsWith('.' + d));
  if (!fromDomainInOrg && m.fromName) {
    const name = m.fromName.replace(/\s+/g, '');
    const orgAddressInName = /[\w.+-]+@([\w-]+\.)+[\w-]+/.exec(m.fromName)?.[0]?.toLowerCase();
    if (orgAddressInName && org.domains.some((d) => orgAddressInName.endsWith('@' + d))) {
      out.push({ id: 'display-name-spoof', weight: 3, evidence: `display name "${m.fromName}" shows the org address ${orgAddressInName}; the mail came from ${m.fromAddress}`, account: orgAddressInName });
    } else {
      for (const [address, names] of org.memberNames) {
        if (names.some((n) => n.replace(/\s+/g, '') === name && name.length >= 2)) {
          out.push({ id: 'display-name-spoof', weight: 3, evidence: `display name "${m.fromName}" is that of ${address}; the mail came from ${m.fromAddress}`, account: address });
          break;
        }
      }
    }
  }
  if (thread.referenced && thread.referenced.participants.length && !thread.referenced.participants.includes(m.fromAddress)) {
    out.push({ id: 'sender-not-in-thread', weight: 1, evidence: `${m.fromAddress} was not a participant of the referenced message (${thread.referenced.participants.join(', ')})` });
  }
  return out;
}

export function hijackScore(signals: HijackSignal[]): number {
  return signals.reduce((s, x) => s + x.weight, 0);
}
