// One entry point for the "password to open" of Office 97–2003 binary documents: Excel
// (xls-decrypt), Word (doc-decrypt) and PowerPoint (ppt-decrypt). Excel's built-in default
// "VelvetSweatshop" is tried first — Excel opens such files without asking, which is why
// malware mails them — then the candidates from the mail. Each check is one or two hashes
// against the file's verifier; only the password that passes decrypts anything.
import { decryptWordDocument } from './doc-decrypt.js';
import { LEGACY_DECRYPT_LIMITS, type LegacyDecryptResult } from './legacy-decrypt-limits.js';
import { findStream, type OleContainer } from './ole-container.js';
import { DEFAULT_EXCEL_PASSWORD } from './ooxml-decrypt.js';
import { decryptPresentation } from './ppt-decrypt.js';
import { decryptWorkbook } from './xls-decrypt.js';

export { LEGACY_DECRYPT_LIMITS, type LegacyDecryption, type LegacyDecryptResult } from './legacy-decrypt-limits.js';

/** Excel's default first, then the candidates, each once, within the limits. */
export function legacyPasswordCandidates(passwords: string[]): string[] {
  const out: string[] = [];
  for (const p of [DEFAULT_EXCEL_PASSWORD, ...passwords]) {
    if (out.length >= LEGACY_DECRYPT_LIMITS.maxPasswords) break;
    if (typeof p === 'string' && p.length > 0 && p.length <= LEGACY_DECRYPT_LIMITS.maxPasswordLength && !out.includes(p)) out.push(p);
  }
  return out;
}

/**
 * Decrypt a legacy-encrypted Office document. null: it is not encrypted with a legacy scheme
 * (or is no Excel, Word or PowerPoint 97–2003 document); { error }: it is, and was not
 * opened (no password matched, an unsupported scheme, a broken header). Never throws on
 * hostile content: every size in the file is checked against the stream that holds it.
 */
export function decryptLegacyOffice(ole: OleContainer, passwords: string[]): LegacyDecryptResult {
  const candidates = legacyPasswordCandidates(passwords);
  try {
    const wb = findStream(ole, 'Workbook') ?? findStream(ole, 'Book');
    if (wb) {
      const r = decryptWorkbook(wb.content, candidates);
      if (r) return 'error' in r ? r : { streams: new Map([[wb.path, r.stream]]), password: r.password, method: `xls-${r.scheme}` };
    }
    const doc = decryptWordDocument(ole, candidates);
    if (doc) return doc;
    return decryptPresentation(ole, candidates);
  } catch (e) {
    // The readers check sizes before reading; this is the last guard, not the plan.
    return { error: `legacy decryption failed: ${(e as Error).message}` };
  }
}
