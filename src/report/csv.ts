// CSV for people who open it in Excel: UTF-8 with BOM (Excel reads Japanese correctly only
// then), CRLF, RFC 4180 quoting, and cells that Excel would run as formulas (starting with
// = + - @, tab or CR) neutralised with a leading apostrophe: subjects and file names are
// written by attackers. Control and bidi characters are shown as \u escapes (terminal.ts),
// line breaks inside a cell excepted.
import { visibleControls } from './terminal.js';

export function csvCell(v: unknown): string {
  // A CRLF inside a cell is a line break (LF); a lone CR is a control like the others.
  let s = v === null || v === undefined ? '' : visibleControls(String(v).replace(/\r\n/g, '\n'));
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The byte order mark a CSV file starts with. */
export const CSV_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** One row with its line end (for a file written row by row). */
export function csvLine(row: unknown[]): string {
  return row.map(csvCell).join(',') + '\r\n';
}

export function toCsv(header: string[], rows: unknown[][]): Buffer {
  const text = [header, ...rows].map(csvLine).join('');
  return Buffer.concat([CSV_BOM, Buffer.from(text, 'utf8')]);
}
