// The detail after the first screen, the chart and the table of mails: what each figure
// counts, the accounts with a verdict, attachment names and subjects, the recipients to
// notify and those every mail to bounced, the logs after the last malicious send, the IOCs.
import type { CaseCounts } from '../analysis/analyze-case.js';
import type { HostVerdict } from '../analysis/host-verdicts.js';
import { evidenceText } from './hosts-text.js';
import type { AccountRow } from '../store/report-queries.js';
import type { AttackerMessage, RecipientFollowUp } from './report-facts.js';
import { esc, lines, table } from './report-markup.js';
import type { ZoneClock } from './report-time.js';
import { basename, type Words } from './report-words.js';

export interface DetailData {
  counts: CaseCounts;
  accounts: AccountRow[];
  messages: AttackerMessage[];
  recipients: RecipientFollowUp[];
  bouncedOnly: RecipientFollowUp[];
  iocs: { type: string; value: string; context: string }[];
  /** Host verdicts; null when the case holds no host evidence. */
  hosts: HostVerdict[] | null;
}

const TOP = 20;

function top(values: string[]): [string, number][] {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, TOP);
}

export function detail(d: DetailData, clock: ZoneClock, w: Words): string {
  const c = d.counts;
  const defs: Record<string, string> = { ...c.definitions, ...w.definitions };
  const value = (k: string): string => {
    const v = (c as unknown as Record<string, unknown>)[k];
    if (typeof v === 'number') return String(v);
    if (Array.isArray(v)) return String(v.length);
    if (k === 'period') return w.range(clock, c.period.first, c.period.last);
    if (k === 'sending') return w.dateTime(clock, c.sending?.lastAttackerSubmission ?? null);
    if (v && typeof v === 'object' && 'sends' in v) return String((v as { sends: number }).sends);
    if (v && typeof v === 'object') return w.statuses(v as Record<string, number>) || '0';
    return '';
  };
  const recipientRows = (list: RecipientFollowUp[]) =>
    list.map((r) => [r.address, lines(r.displayNames.slice(0, 1)), r.organisation ?? '—', r.count, r.lastStatus ? w.status(r.lastStatus) : '', clock.minute(r.first), clock.minute(r.last)]);
  const cls = { cls: 'detail', colClasses: ['addr', 'name', 'addr', 'num', 'status', 'when', 'when'] };
  const parts = [
    `<section class="detail" id="detail"><h2>${esc(w.detailHeading)}</h2>`,
    `<h3>${esc(w.definitionsHeading)}</h3>`,
    `<dl class="defs">${Object.keys(defs)
      .map((k) => `<dt>${esc(w.figureName[k] ?? k)}: <b>${esc(value(k))}</b></dt><dd>${esc(defs[k])}</dd>`)
      .join('')}</dl>`,
    `<h3>${esc(w.detailAccountsHeading)}</h3>`,
    table(
      w.detailAccountsHeader,
      d.accounts.filter((a) => a.verdict !== 'clean').map((a) => [a.address, w.verdict(a.verdict), a.maliciousMessagesSent, a.impersonationMessages, clock.minute(a.first), clock.minute(a.last), lines(a.attackerIps)]),
      { colClasses: ['addr', '', 'num', 'num', 'when', 'when', 'ip'] },
    ),
    `<h3>${esc(w.attachmentsHeading)}</h3>`,
    table([w.attachmentsHeading, w.countHeader[1]], top(d.messages.flatMap((m) => m.attachments)), { colClasses: ['file', 'num'] }),
    `<h3>${esc(w.subjectsHeading)}</h3>`,
    table([w.subjectsHeading, w.countHeader[1]], top(d.messages.map((m) => m.subject ?? '')), { colClasses: ['subject', 'num'] }),
    `<h3>${esc(w.recipientsHeading)}</h3>`,
    table(w.recipientsHeader, recipientRows(d.recipients), cls),
  ];
  if (d.bouncedOnly.length) parts.push(`<h3>${esc(w.bouncedHeading)}</h3>`, table(w.recipientsHeader, recipientRows(d.bouncedOnly), cls));
  if (c.sending?.logs.length) {
    parts.push(
      `<h3>${esc(w.sendingHeading)}</h3>`,
      table(w.sendingHeader, c.sending.logs.map((l) => [basename(l.path), l.format, clock.minute(l.first), clock.minute(l.last), w.hours(l.quietAfterLastSubmissionHours)]), { colClasses: ['file', '', 'when', 'when', 'num'] }),
    );
  }
  parts.push(`<h3>${esc(w.hostsHeading)}</h3>`);
  if (d.hosts === null) parts.push(`<p>${esc(w.noHostEvidence)}</p>`);
  else {
    parts.push(
      table(
        w.hostsHeader,
        d.hosts.map((h) => [h.key, w.hostVerdict[h.verdict], lines(h.ips), lines(h.accounts.map((a) => a.account)), clock.minute(h.timeline.firstC2), lines(h.evidence.map(evidenceText))]),
        { colClasses: ['addr', 'status', 'ip', 'addr', 'when', 'file'] },
      ),
    );
  }
  parts.push(`<h3>${esc(w.iocsHeading)}</h3>`, table(w.iocsHeader, d.iocs.map((i) => [i.type, i.value, i.context]), { colClasses: ['', 'file', ''] }), '</section>');
  return parts.join('\n');
}
