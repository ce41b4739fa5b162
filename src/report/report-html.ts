// report.html: one self-contained page (no script, no network, no CDN) for management and
// responders: the headline figures with their definitions, a timeline of malicious sends per
// hour and account drawn as inline SVG, the accounts with their verdicts, attachment names,
// subjects, the notification list and the IOCs. Every value is HTML-escaped: subjects and
// file names are written by attackers; control and bidi characters are shown as \u escapes.
import { visibleControls } from './terminal.js';

export function esc(v: unknown): string {
  return visibleControls(String(v ?? ''))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export interface HtmlReportData {
  title: string;
  totals: Record<string, unknown> & { definitions: Record<string, string>; period: { first: string | null; last: string | null }; recipientDeliveries: Record<string, number> };
  accounts: { address: string; verdict: string; maliciousMessagesSent: number; impersonationMessages: number; first: string | null; last: string | null }[];
  maliciousSends: { date: string | null; sender: string | null; subject: string; attachments: string[] }[];
  recipients: { address: string; domain: string; count: number; first: string | null; last: string | null }[];
  iocs: { type: string; value: string; context: string }[];
}

const COLOURS = ['#c0392b', '#2471a3', '#7d3c98', '#b9770e', '#117a65', '#566573'];

/** Bars of malicious sends per hour (UTC), stacked by account. */
export function timelineSvg(sends: HtmlReportData['maliciousSends']): string {
  const hours = new Map<string, Map<string, number>>();
  const senders = [...new Set(sends.map((s) => s.sender ?? '?'))];
  for (const s of sends) {
    if (!s.date) continue;
    const h = s.date.slice(0, 13);
    const m = hours.get(h) ?? new Map<string, number>();
    m.set(s.sender ?? '?', (m.get(s.sender ?? '?') ?? 0) + 1);
    hours.set(h, m);
  }
  const keys = [...hours.keys()].sort();
  if (keys.length === 0) return '<p>No malicious sends.</p>';
  const max = Math.max(...keys.map((k) => [...hours.get(k)!.values()].reduce((a, b) => a + b, 0)));
  const bw = 28;
  const height = 160;
  const width = Math.max(300, keys.length * (bw + 8) + 60);
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 70}" role="img" aria-label="malicious sends per hour">`];
  keys.forEach((k, i) => {
    let y = height;
    const x = 40 + i * (bw + 8);
    for (const [sender, n] of hours.get(k)!) {
      const h = (n / max) * (height - 10);
      y -= h;
      parts.push(`<rect x="${x}" y="${y.toFixed(1)}" width="${bw}" height="${h.toFixed(1)}" fill="${COLOURS[senders.indexOf(sender) % COLOURS.length]}"><title>${esc(`${k}:00Z ${sender}: ${n}`)}</title></rect>`);
    }
    parts.push(`<text x="${x + bw / 2}" y="${height + 14}" font-size="9" text-anchor="middle">${esc(k.slice(5, 10))}</text><text x="${x + bw / 2}" y="${height + 25}" font-size="9" text-anchor="middle">${esc(k.slice(11))}h</text>`);
  });
  parts.push(`<text x="4" y="12" font-size="10">${max}</text><line x1="36" y1="${height}" x2="${width}" y2="${height}" stroke="#999"/>`);
  senders.forEach((s, i) => parts.push(`<rect x="40" y="${height + 38 + i * 0}" width="10" height="10" fill="${COLOURS[i % COLOURS.length]}" transform="translate(${i * 220},0)"/><text x="${54 + i * 220}" y="${height + 47}" font-size="11">${esc(s)}</text>`));
  parts.push('</svg>');
  return parts.join('');
}

function table(header: string[], rows: unknown[][]): string {
  return `<table><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

export function renderHtmlReport(d: HtmlReportData): string {
  const t = d.totals;
  const count = (v: Map<string, number>, x: string) => v.set(x, (v.get(x) ?? 0) + 1);
  const subjects = new Map<string, number>();
  const names = new Map<string, number>();
  for (const s of d.maliciousSends) {
    count(subjects, s.subject);
    for (const a of s.attachments) count(names, a);
  }
  const top = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 20);
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(d.title)}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;text-align:left;vertical-align:top}th{background:#f2f2f2}.fig{font-size:28px;font-weight:bold}.def{color:#555;font-size:12px}.grid{display:grid;grid-template-columns:repeat(3,1fr);gap:1em}</style>
</head><body>
<h1>${esc(d.title)}</h1>
<div class="grid">
<div><div class="fig">${esc(t.maliciousOutboundMessages)}</div>malicious messages sent through our systems<div class="def">${esc(t.definitions.maliciousOutboundMessages)}</div></div>
<div><div class="fig">${esc(t.maliciousOutboundRecipients)}</div>recipient deliveries (${esc(Object.entries(t.recipientDeliveries).map(([k, v]) => `${k} ${v}`).join(', '))}; from ${esc(t.countsFrom)})<div class="def">${esc(t.definitions.maliciousOutboundRecipients)}</div></div>
<div><div class="fig">${esc(t.impersonationMessagesObserved)}</div>impersonation mails observed<div class="def">${esc(t.definitions.impersonationMessagesObserved)}</div></div>
</div>
<p>Period (UTC): ${esc(t.period.first ?? '-')} – ${esc(t.period.last ?? '-')}. Malicious mails received from outside: ${esc(t.inboundMaliciousMessages)}.</p>
<h2>Malicious sends per hour (UTC)</h2>
${timelineSvg(d.maliciousSends)}
<h2>Accounts</h2>
${table(['account', 'verdict', 'malicious sent', 'impersonated in', 'first (UTC)', 'last (UTC)'], d.accounts.filter((a) => a.verdict !== 'clean').map((a) => [a.address, a.verdict, a.maliciousMessagesSent, a.impersonationMessages, a.first, a.last]))}
<h2>Attachment names</h2>
${table(['file name', 'messages'], top(names))}
<h2>Subjects</h2>
${table(['subject', 'messages'], top(subjects))}
<h2>Recipients to notify</h2>
${table(['address', 'domain', 'messages', 'first (UTC)', 'last (UTC)'], d.recipients.map((r) => [r.address, r.domain, r.count, r.first, r.last]))}
<h2>Indicators</h2>
${table(['type', 'value', 'context'], d.iocs.map((i) => [i.type, i.value, i.context]))}
</body></html>
`;
}
