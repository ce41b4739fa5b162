// The scan summary for people (the --json summary is the same facts as one object).
import type { ScanSummary } from '../scan/run-scan.js';
import { forTerminal } from './terminal.js';

export function printScanSummary(s: ScanSummary): void {
  const errorRows = s.errorSamples;
  const out = process.stdout;
  out.write(`case file: ${s.case}\n`);
  out.write(`org domains: ${s.orgDomains.length ? s.orgDomains.join(', ') : '(none: directions are "unknown")'}\n`);
  out.write(`inputs: ${s.inputs.length} files`);
  const unchanged = s.inputs.filter((i) => i.skipped).length;
  if (unchanged) out.write(` (${unchanged} unchanged since the last run, not re-read)`);
  out.write('\n');
  out.write(`messages: ${s.messages} (${s.added.messages} new)  sightings: ${s.sightings} (${s.added.sightings} new)  attachments: ${s.attachments}  errors: ${s.errors}\n`);
  out.write(`directions: ${Object.entries(s.directions).map(([d, n]) => `${d} ${n}`).join(', ') || '-'}\n`);
  if (s.logs.messages > 0) out.write(`MTA logs: ${s.logs.messages} queued messages, ${s.logs.deliveries} recipient status lines, ${s.logs.linkedToMailbox} linked to a mailbox copy\n`);
  for (const i of s.inputs) {
    if (i.log) out.write(`  ${i.path}: ${i.log.format}, ${i.log.lines} lines (${i.log.recognised} read, ${i.log.unreadable} unreadable, ${i.log.foreign} not ${i.log.format}), ${i.log.messages} messages, ${i.log.unfinished} still queued at the end\n`);
    const h = i.hosts;
    if (h?.feed) out.write(`  ${i.path}: ${h.feed.format} feed, ${h.feed.entries} entries${h.feed.unreadable ? `, ${h.feed.unreadable} unreadable rows` : ''}\n`);
    if (h?.net) out.write(`  ${i.path}: ${h.net.format}, ${h.net.lines} lines, ${h.net.events} events from ${h.net.clients} clients, ${h.net.matches} matching a feed${h.net.unreadable ? `, ${h.net.unreadable} unreadable` : ''}\n`);
    if (h?.endpoint) out.write(`  ${i.path}: ${h.endpoint.source}, ${h.endpoint.findings} finding${h.endpoint.findings === 1 ? '' : 's'}${h.endpoint.unreadable ? `, ${h.endpoint.unreadable} unreadable lines` : ''}\n`);
    if (h?.hostMap) out.write(`  ${i.path}: host map, ${h.hostMap.rows} row${h.hostMap.rows === 1 ? '' : 's'}\n`);
  }
  out.write(`attachments by verdict: ${Object.entries(s.attachmentVerdicts).map(([d, n]) => `${d} ${n}`).join(', ') || '-'}\n`);
  if (errorRows.length) {
    out.write(`read errors for these inputs (${s.inputErrors}):\n`);
    for (const e of errorRows.slice(0, 20)) out.write(forTerminal(`  ${e.source_path}${e.locator ? ' ' + e.locator : ''}: ${e.reason}`) + '\n');
    if (s.inputErrors > 20) out.write(`  … ${s.inputErrors - 20} more in the case file (table errors)\n`);
  }
}

/** The analysis in one line, after the scan summary. */
export function scanAnalysisLine(a: { counts: unknown; accounts: { account: string; verdict: string }[]; hosts?: { infected: number; suspected: number; clean: number } }): string {
  const n = (a.counts as { maliciousOutboundMessages: number }).maliciousOutboundMessages;
  const accounts = a.accounts.map((x) => `${x.account} ${x.verdict}`).join(', ') || 'none compromised or impersonated';
  const h = a.hosts;
  const hosts = h && h.infected + h.suspected + h.clean > 0 ? `; PCs: ${h.infected} infected, ${h.suspected} suspected, ${h.clean} clean (blastradius hosts)` : '';
  return `analysis: ${n} malicious messages sent through our systems; accounts: ${accounts}${hosts} (details: blastradius analyze)`;
}
