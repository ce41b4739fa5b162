// The chart of malicious sends on a real time axis: one bin per local hour when the sends
// span up to three days, one per local day beyond, every bin between the first send and the
// last drawn (an hour or a day without sends is an empty slot, not skipped). Inline SVG with
// a viewBox and width 100%: it scales to the page, at 1280 px and on A4, whatever the span.
import { esc } from './report-markup.js';
import type { ZoneClock } from './report-time.js';
import type { Words } from './report-words.js';

export interface ChartSend {
  time: string | null;
  account: string;
}

export interface ChartBin {
  /** Start and end (exclusive) of the bin, ms since the epoch. */
  start: number;
  end: number;
  byAccount: Map<string, number>;
  total: number;
}

export interface ChartBins {
  unit: 'hour' | 'day';
  bins: ChartBin[];
  accounts: string[];
  /** Sends without a time, left out. */
  untimed: number;
}

/** Spans up to this long are drawn per hour. */
export const HOURLY_SPAN_MS = 72 * 3_600_000;
const HOUR = 3_600_000;

export function chartBins(sends: ChartSend[], clock: ZoneClock): ChartBins {
  const timed = sends
    .map((s) => ({ t: s.time ? Date.parse(s.time) : NaN, account: s.account }))
    .filter((s) => !Number.isNaN(s.t))
    .sort((a, b) => a.t - b.t);
  const accounts = [...new Set(timed.map((s) => s.account))];
  const untimed = sends.length - timed.length;
  if (!timed.length) return { unit: 'hour', bins: [], accounts, untimed };
  const first = timed[0]!.t;
  const last = timed[timed.length - 1]!.t;
  const unit = last - first <= HOURLY_SPAN_MS ? 'hour' : 'day';
  const bins: ChartBin[] = [];
  const bin = (start: number, end: number) => bins.push({ start, end, byAccount: new Map(), total: 0 });
  if (unit === 'hour') {
    for (let s = clock.hourStart(first); s <= last; s += HOUR) bin(s, s + HOUR);
  } else {
    const p = clock.partsAt(first);
    for (let day = Date.UTC(p.y, p.m - 1, p.d); ; day += 24 * HOUR) {
      const d = new Date(day);
      const start = clock.midnight(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
      if (start > last) break;
      const n = new Date(day + 24 * HOUR);
      bin(start, clock.midnight(n.getUTCFullYear(), n.getUTCMonth() + 1, n.getUTCDate()));
    }
  }
  let i = 0;
  for (const s of timed) {
    while (i < bins.length - 1 && s.t >= bins[i]!.end) i++;
    const b = bins[i]!;
    b.byAccount.set(s.account, (b.byAccount.get(s.account) ?? 0) + 1);
    b.total++;
  }
  return { unit, bins, accounts, untimed };
}

const COLOURS = ['#c0392b', '#2471a3', '#7d3c98', '#b9770e', '#117a65', '#566573', '#a04000', '#1e8449'];

const W = 1000;
const LEFT = 44;
const RIGHT = 12;
const TOP = 14;
const PLOT_H = 170;
const LEGEND_COLS = 3;

/** The chart's section: heading (saying per hour or per day), SVG and a note on the axis. */
export function chartSection(sends: ChartSend[], clock: ZoneClock, w: Words, zoneLabel: string): string {
  const c = chartBins(sends, clock);
  return `<section class="chart-section" id="chart"><h2>${esc(w.chartHeading(c.unit, zoneLabel))}</h2>\n${chartSvg(c, clock, w)}</section>`;
}

/** The chart's SVG and its note (or a sentence when there is nothing to draw). */
export function chartSvg(c: ChartBins, clock: ZoneClock, w: Words): string {
  if (!c.bins.length) return `<p>${esc(w.noSends)}</p>`;
  const n = c.bins.length;
  const plotW = W - LEFT - RIGHT;
  const bw = plotW / n;
  const max = Math.max(...c.bins.map((b) => b.total));
  const base = TOP + PLOT_H;
  const legendTop = base + 48;
  const legendRows = Math.ceil(c.accounts.length / LEGEND_COLS);
  const H = legendTop + legendRows * 20 + 4;
  const f = (v: number) => (Math.round(v * 10) / 10).toString();
  const colour = (a: string) => COLOURS[c.accounts.indexOf(a) % COLOURS.length]!;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${W} ${H}" width="100%" preserveAspectRatio="xMidYMin meet" role="img" aria-label="${esc(w.chartLabel)}" data-unit="${c.unit}" data-bins="${n}">`,
  ];
  // Y axis: 0, the middle and the maximum.
  for (const v of [...new Set([0, max >= 4 ? Math.round(max / 2) : 0, max])]) {
    const y = base - (v / max) * PLOT_H;
    out.push(`<line x1="${LEFT}" y1="${f(y)}" x2="${W - RIGHT}" y2="${f(y)}" stroke="${v ? '#e3e3e3' : '#888'}" stroke-width="1"/>`);
    out.push(`<text x="${LEFT - 6}" y="${f(y + 4)}" font-size="12" text-anchor="end">${v}</text>`);
  }
  // X axis ticks: each local midnight (a line and the date), hours every six in hourly mode.
  const every = c.unit === 'day' ? Math.max(1, Math.ceil(n / 16)) : 1;
  let lastDayLabel = -Infinity;
  c.bins.forEach((b, i) => {
    const x = LEFT + i * bw;
    const p = clock.partsAt(b.start);
    const midnight = c.unit === 'day' || p.h === 0;
    if (c.unit === 'hour') {
      if (p.h % 6 === 0) out.push(`<text x="${f(x)}" y="${base + 15}" font-size="11" text-anchor="middle" fill="#444">${esc(w.hourTick(p.h))}</text>`);
      if (midnight) out.push(`<line x1="${f(x)}" y1="${TOP}" x2="${f(x)}" y2="${base + 4}" stroke="#aaa" stroke-dasharray="3 3"/>`);
      if ((midnight || i === 0) && x - lastDayLabel > 40) {
        out.push(`<text x="${f(x)}" y="${base + 31}" font-size="12" text-anchor="${i === 0 ? 'start' : 'middle'}" font-weight="bold">${esc(w.dayTick(p.m, p.d))}</text>`);
        lastDayLabel = x;
      }
    } else {
      out.push(`<line x1="${f(x)}" y1="${base}" x2="${f(x)}" y2="${base + 4}" stroke="#888"/>`);
      if (i % every === 0) out.push(`<text x="${f(x + bw / 2)}" y="${base + 17}" font-size="12" text-anchor="middle">${esc(w.dayTick(p.m, p.d))}</text>`);
    }
    // The bin: a hit area with the count, and the bars stacked by account.
    const when = c.unit === 'hour' ? clock.minute(new Date(b.start).toISOString()) : clock.day(new Date(b.start).toISOString());
    out.push(`<g class="bin" data-start="${new Date(b.start).toISOString()}" data-n="${b.total}"><rect x="${f(x)}" y="${TOP}" width="${f(bw)}" height="${PLOT_H}" fill="transparent"><title>${esc(w.binTitle(when, null, b.total))}</title></rect>`);
    let y = base;
    for (const a of c.accounts) {
      const k = b.byAccount.get(a);
      if (!k) continue;
      const h = (k / max) * PLOT_H;
      y -= h;
      out.push(`<rect x="${f(x + bw * 0.1)}" y="${f(y)}" width="${f(Math.max(bw * 0.8, 0.5))}" height="${f(h)}" fill="${colour(a)}"><title>${esc(w.binTitle(when, a, k))}</title></rect>`);
    }
    out.push('</g>');
  });
  out.push(`<line x1="${W - RIGHT}" y1="${base}" x2="${W - RIGHT}" y2="${base + 4}" stroke="#888"/>`);
  c.accounts.forEach((a, i) => {
    const x = LEFT + (i % LEGEND_COLS) * ((W - LEFT) / LEGEND_COLS);
    const y = legendTop + Math.floor(i / LEGEND_COLS) * 20;
    out.push(`<rect x="${f(x)}" y="${y}" width="12" height="12" fill="${colour(a)}"/><text x="${f(x + 18)}" y="${y + 11}" font-size="13">${esc(a)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('')}<p class="note">${esc(w.chartNote(c.unit, n, c.untimed))}</p>`;
}
