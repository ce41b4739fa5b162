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

export function toCsv(header: string[], rows: unknown[][]): Buffer {
  const text = [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}
