// HTML building blocks of report.html. Every value goes through esc(): subjects, file names
// and display names are written by attackers; control and bidi characters are shown as \u
// escapes (terminal.ts) before the HTML escaping.
import { visibleControls } from './terminal.js';

export function esc(v: unknown): string {
  return visibleControls(String(v ?? ''))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A cell that holds markup already built from escaped parts. */
export interface Raw {
  html: string;
}

export const raw = (html: string): Raw => ({ html });

const cell = (c: unknown) => (typeof c === 'object' && c !== null && 'html' in c ? (c as Raw).html : esc(c));

/** A table whose header repeats on each printed page; `cls` names the columns for the style sheet. */
export function table(header: string[], rows: unknown[][], opts: { cls?: string; colClasses?: string[] } = {}): string {
  const cc = (i: number) => (opts.colClasses?.[i] ? ` class="${esc(opts.colClasses[i])}"` : '');
  return (
    `<table${opts.cls ? ` class="${esc(opts.cls)}"` : ''}><thead><tr>${header.map((h, i) => `<th${cc(i)}>${esc(h)}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${r.map((c, i) => `<td${cc(i)}>${cell(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`
  );
}

/** Items joined with line breaks, each escaped. */
export function lines(items: unknown[]): Raw {
  return raw(items.map(esc).join('<br>'));
}
