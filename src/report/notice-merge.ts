// The mail-merge file for the individual drafts: one row per draft, so a responder can send
// the letters from their own mail client or Word's mail merge. Same cell rules as the other
// CSV files (csv.ts): subjects are attacker-written and must not run as Excel formulas.
// Returned as text with a BOM: Excel reads UTF-8 Japanese correctly only then.
import { csvCell } from './csv.js';
import { csvJst } from './notice-dates.js';
import type { IndividualDraft } from './notice-individual.js';

export const MERGE_HEADER = ['address', 'display_name', 'organisation_domain', 'count', 'first_jst', 'last_jst', 'subjects'];

/** Subjects of one recipient's mails in one cell, in time order, each once. */
const SUBJECT_SEPARATOR = ' / ';

export function mergeCsv(drafts: IndividualDraft[]): string {
  const rows = drafts.map((d) => {
    const r = d.recipient;
    const subjects = [...new Set(r.mails.map((m) => m.subject ?? ''))].filter(Boolean).join(SUBJECT_SEPARATOR);
    return [r.address, d.displayName ?? '', r.organisation ?? '', r.mails.length, csvJst(r.first), csvJst(r.last), subjects];
  });
  return '\uFEFF' + [MERGE_HEADER, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
