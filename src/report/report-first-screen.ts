// The first screen of report.html, for a manager with a minute: who we are and as of when,
// the conclusion in one paragraph, four figures, the compromised accounts with the
// attacker's addresses and windows, the organisations reached, what to do next and what
// data it all rests on. Words from report-words.ts, facts from report-facts.ts.
import type { ReportOverview } from './report-facts.js';
import { esc, lines, table } from './report-markup.js';
import type { ZoneClock } from './report-time.js';
import type { Words } from './report-words.js';

/** Organisations shown on the first screen; the rest are counted (all are in recipients.csv). */
const TOP_ORGANISATIONS = 8;

export function organisationName(o: ReportOverview): string {
  const n = o.organisation;
  return (o.lang === 'en' ? (n.nameEn ?? n.name) : (n.name ?? n.nameEn)) ?? n.domains.join(', ');
}

export function firstScreen(o: ReportOverview, clock: ZoneClock, w: Words, zoneLabel: string): string {
  const k = o.conclusion;
  const meta = [w.asOf(w.dateTime(clock, o.asOf.time), o.asOf.source), w.zone(zoneLabel), w.generated(w.dateTime(clock, o.generated))];
  if (o.organisation.contact && Object.values(o.organisation.contact).some(Boolean)) meta.push(w.contact(o.organisation.contact));
  const fig = (value: number, label: string, sub: string, cls = '') => `<div class="fig${cls}"><div class="n">${esc(value)}</div><div class="l">${esc(label)}</div><div class="s">${esc(sub)}</div></div>`;
  const accounts = o.compromisedAccounts.length
    ? table(
        w.accountsHeader,
        o.compromisedAccounts.map((a) => [a.address, lines(a.attackerIps.length ? a.attackerIps : ['—']), w.range(clock, a.first, a.last), w.sessionsCell(a.maliciousMessages)]),
        { cls: 'compact', colClasses: ['addr', 'ip', 'when', 'num'] },
      )
    : `<p>${esc(w.none)}</p>`;
  const orgs = o.organisationsReached;
  const orgRows: unknown[][] = orgs.slice(0, TOP_ORGANISATIONS).map((r) => [r.organisation, r.addresses, r.deliveries]);
  if (orgs.length > TOP_ORGANISATIONS) orgRows.push([w.moreOrganisations(orgs.length - TOP_ORGANISATIONS), orgs.slice(TOP_ORGANISATIONS).reduce((a, r) => a + r.addresses, 0), orgs.slice(TOP_ORGANISATIONS).reduce((a, r) => a + r.deliveries, 0)]);
  if (k.individualsReached) orgRows.push([w.individualsRow, k.individualsReached, '']);
  const reached = k.outsideAddressesReached ? table(w.organisationsHeader, orgRows, { cls: 'compact', colClasses: ['addr', 'num', 'num'] }) : `<p>${esc(w.nothingReached)}</p>`;
  const actions = o.nextActions.length ? `<ol class="actions">${o.nextActions.map((a) => `<li data-action="${esc(a.kind)}">${esc(w.action(a, clock))}</li>`).join('')}</ol>` : `<p>${esc(w.noActions)}</p>`;
  const coverage = [
    w.mailboxes(o.coverage.mailboxes.files, o.coverage.mailboxes.messages),
    ...(o.coverage.logs.length ? o.coverage.logs.map((l) => w.log(l.format, l.files, l.records, w.range(clock, l.first, l.last))) : [w.noLogs]),
  ];
  return `<section class="first-screen" id="summary">
<h1>${esc(w.title)} <span class="org">${esc(organisationName(o))}</span></h1>
<p class="meta">${meta.map((m) => `<span>${esc(m)}</span>`).join('')}</p>
<div class="conclusion"><h2>${esc(w.conclusionHeading)}</h2><p class="lead">${esc(w.conclusion(o, clock))}</p>${k.sending.state !== 'no-sends' ? `<p class="sending" data-state="${esc(k.sending.state)}">${esc(w.sending(k.sending, clock))}</p>` : ''}</div>
<div class="figs">${fig(k.maliciousMessages, w.figures.malicious, w.figures.maliciousSub, ' bad')}${fig(k.outsideAddressesReached, w.figures.reached, w.figures.reachedSub(k.organisationsReached, k.individualsReached))}${fig(k.compromisedAccounts.length, w.figures.accounts, w.figures.accountsSub)}${fig(k.impersonationMessages, w.figures.impersonation, w.figures.impersonationSub)}</div>
<div class="cols">
<div class="col actions-col"><h2>${esc(w.actionsHeading)}</h2>${actions}</div>
<div class="col"><h2>${esc(w.accountsHeading)}</h2>${accounts}<h2>${esc(w.organisationsHeading)}</h2>${reached}</div>
</div>
<div class="coverage"><h2>${esc(w.coverageHeading)}</h2><ul>${coverage.map((c) => `<li>${esc(c)}</li>`).join('')}</ul></div>
</section>`;
}
