// The table of the attacker's mails: one row per malicious send through our systems, in time
// order, with the local time, the account, the subject, how many outside recipients, the
// attachment names and the evidence (the content rules, or the session and its grounds).
import type { AttackerMessage } from './report-facts.js';
import { esc, lines, raw, table } from './report-markup.js';
import type { ZoneClock } from './report-time.js';
import type { Words } from './report-words.js';

export function messagesTable(rows: AttackerMessage[], clock: ZoneClock, w: Words): string {
  return `<section class="messages" id="messages"><h2>${esc(w.messagesHeading(rows.length))}</h2>${table(
    w.messagesHeader,
    rows.map((m) => [
      clock.minute(m.time),
      m.account,
      m.subject ?? '',
      m.outsideRecipients,
      m.logOnly ? raw(`<span class="muted">${esc(w.logOnly)}</span>`) : lines(m.attachments),
      w.evidence(m.evidence),
    ]),
    { cls: 'messages', colClasses: ['when', 'addr', 'subject', 'num', 'file', 'why'] },
  )}</section>`;
}
