// report.html: one self-contained page (no script, no network, no CDN) for management and
// responders, in the profile's language (Japanese by default) and the readers' time zone
// (Japan time by default): the first screen (report-first-screen.ts), the chart of malicious
// sends on a real time axis (report-chart.ts), the table of the attacker's mails
// (report-messages.ts), then the detail (report-detail.ts). Laid out for a 1280 px screen and
// for A4 print (the tables may break across pages, their header repeats). Every value is
// HTML-escaped: subjects and file names are written by attackers.
import { chartSection } from './report-chart.js';
import { detail, type DetailData } from './report-detail.js';
import type { AttackerMessage, ReportOverview } from './report-facts.js';
import { firstScreen, organisationName } from './report-first-screen.js';
import { esc } from './report-markup.js';
import { messagesTable } from './report-messages.js';
import { ZoneClock } from './report-time.js';
import { WORDS } from './report-words.js';

export { esc } from './report-markup.js';

export interface HtmlReportData {
  overview: ReportOverview;
  /** The attacker's mails, one per send, in time order. */
  messages: AttackerMessage[];
  detail: Omit<DetailData, 'messages'>;
}

const CSS = `*{box-sizing:border-box}
html{font-family:"Noto Sans CJK JP","Noto Sans JP","Hiragino Sans","Hiragino Kaku Gothic ProN","Yu Gothic","Meiryo",sans-serif;color:#1d1d1d;background:#fff}
body{margin:0 auto;padding:16px 24px 32px;max-width:1200px;font-size:14px;line-height:1.5}
h1{font-size:22px;margin:0 0 2px}h1 .org{margin-left:.6em;color:#333}
h2{font-size:17px;margin:16px 0 6px;padding-bottom:2px;border-bottom:2px solid #ddd}
h3{font-size:15px;margin:14px 0 4px}
.meta{margin:0 0 8px;color:#555;font-size:13px}.meta span{display:inline-block;margin-right:1.4em}
.conclusion{border-left:6px solid #c0392b;background:#fdf2f0;padding:6px 14px;margin:8px 0;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.conclusion h2{border:0;margin:0;padding:0;font-size:14px;color:#c0392b}
.conclusion p{margin:4px 0}.lead{font-size:16px;font-weight:bold}
.figs{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:10px;margin:10px 0}
.fig{border:1px solid #ddd;border-radius:6px;padding:4px 10px}
.fig .n{font-size:28px;font-weight:bold;line-height:1.2}.fig.bad .n{color:#c0392b}
.fig .l{font-weight:bold}.fig .s{color:#666;font-size:12px}
.cols{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:24px}
.cols h2:first-child{margin-top:6px}
ol.actions{margin:4px 0;padding-left:1.6em}ol.actions li{margin:3px 0}
.coverage ul{margin:4px 0;padding-left:1.4em;color:#333;font-size:13px}
table{border-collapse:collapse;width:100%;margin:4px 0 12px}
td,th{border:1px solid #ccc;padding:3px 6px;font-size:13px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f2f2f2}
.num{text-align:right}td.num{white-space:nowrap}.when{white-space:nowrap}
table.compact,table.messages{table-layout:fixed}
table.compact td.when{white-space:normal}
table.compact th.addr{width:38%}table.compact th.ip{width:22%}table.compact th.num{width:5em}
table.messages th.when{width:8.8em}table.messages th.addr{width:17%}table.messages th.subject{width:20%}table.messages th.num{width:4.6em}table.messages th.file{width:15%}
.muted{color:#777}.note{color:#555;font-size:12px;margin:2px 0 8px}
svg.chart{display:block;width:100%;height:auto}
svg.chart text{font-family:inherit}
dl.defs{margin:4px 0;font-size:13px}dl.defs dt{margin-top:6px}dl.defs dd{margin:0 0 0 1.5em;color:#555;font-size:12px}
@page{size:A4;margin:12mm}
@media print{
body{max-width:none;padding:0;font-size:10pt}
h1{font-size:16pt}h2{font-size:12.5pt}h3{font-size:11pt}
td,th,table.compact td,table.compact th{font-size:8.5pt;padding:2px 4px}
.lead{font-size:11.5pt}.fig .n{font-size:18pt}
thead{display:table-header-group}
tr,.fig,svg.chart{break-inside:avoid}
h2,h3{break-after:avoid}
.first-screen{break-after:page}
.cols{grid-template-columns:minmax(0,2fr) minmax(0,3fr);gap:14px}
table.compact th.addr{width:34%}table.compact th.ip{width:21%}table.compact th.num{width:3.6em}
}`;

export function renderHtmlReport(d: HtmlReportData): string {
  const o = d.overview;
  const w = WORDS[o.lang];
  const clock = new ZoneClock(o.timeZone);
  const zoneLabel = clock.label([o.asOf.time, o.generated, o.conclusion.first, o.conclusion.last, ...o.coverage.logs.flatMap((l) => [l.first, l.last])]);
  const title = `${w.title} — ${organisationName(o)}`;
  return `<!doctype html>
<html lang="${o.lang}"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head><body>
${firstScreen(o, clock, w, zoneLabel)}
${chartSection(d.messages.map((m) => ({ time: m.time, account: m.account })), clock, w, zoneLabel)}
${messagesTable(d.messages, clock, w)}
${detail({ ...d.detail, messages: d.messages }, clock, w)}
</body></html>
`;
}

