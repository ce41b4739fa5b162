// What the analysers of inspect.ts observe in one object, as typed data. Each analyser (one
// per container) adds findings; enrichment (archive members, mail inside archives, document
// text) adds its own; then judge.ts decides the verdict once from them. People read them as
// sentences written by report/inspect-reasons.ts.
import type { PayloadFinding } from './payload.js';

/** mraptor's flags over everything that runs in the object: something runs by itself, writes files, executes. */
export interface CodeFlags {
  autoexec: boolean;
  write: boolean;
  execute: boolean;
}

export type Finding =
  /** A VBA module with p-code but no source: the VBA stomping signature. */
  | { kind: 'vba-stomping'; module: string; pcodeBytes: number }
  /** An Excel 4.0 macro sheet that is hidden or very hidden. */
  | { kind: 'hidden-macro-sheet'; sheet: string; visibility: string }
  /** An OLE Package object holding a file Windows runs (.exe, .js, .lnk …). */
  | { kind: 'embedded-runnable'; name: string }
  /** An OOXML relationship to an outside template, OLE object, frame or sub-document: fetched when the document opens. */
  | { kind: 'remote-injection'; type: string; target: string }
  /** An encrypted document a password opened. `scope`: its streams (Office 97–2003) or its package (OOXML). */
  | { kind: 'decrypted'; scope: 'streams' | 'package'; method: string | null; password: string; defaultPassword: boolean }
  /** An encrypted Office 97–2003 document no password opened, and why. */
  | { kind: 'not-decrypted'; why: string }
  | { kind: 'rtf-objects'; count: number; classes: string[] }
  | { kind: 'pdf-javascript' }
  | { kind: 'pdf-launch' }
  | { kind: 'pdf-open-action' }
  | { kind: 'pdf-embedded-file' }
  /** A OneNote document (embedded files run on a click). */
  | { kind: 'onenote' }
  /** An ISO/UDF or FAT image: files inside lose the mark of the web. */
  | { kind: 'disk-image'; container: 'iso' | 'img' }
  /** A 7z or RAR archive the reader could not open at all. */
  | { kind: 'archive-unreadable'; container: string }
  /** An archive some of whose members are encrypted; `opened` when a password candidate opened them. */
  | { kind: 'archive-encrypted'; opened: boolean }
  /**
   * An archive member whose bytes were not analysed. `cause`: encrypted (no password opened
   * it), a symbolic link (not followed), or damaged / not extracted.
   */
  | { kind: 'member-not-read'; cause: 'encrypted' | 'link' | 'damaged'; why: string }
  /** End padding dropped before analysis (member-sink.ts). */
  | { kind: 'padded'; length: number; byte: number; fullSize: number }
  /** A program, script, shortcut or installer (payload.ts). */
  | { kind: 'payload'; payload: PayloadFinding }
  /** A trick in the name that hides what the file is (payload.ts nameDisguises), as it words it. */
  | { kind: 'name-disguise'; how: string }
  /** Lure phrases in the document text ("Enable Content" …). */
  | { kind: 'lure'; phrases: string[] }
  /** A mail message (an .eml, .msg or MHT inside an archive or attached). */
  | { kind: 'mail'; subject: string; from: string | null; attachments: number }
  /** The object was not analysed, or only in part: the limit or failure that stopped it. */
  | { kind: 'time-limit' }
  | { kind: 'too-large' }
  | { kind: 'nesting-limit' }
  | { kind: 'unreadable'; container: string; message: string };

export type FindingKind = Finding['kind'];

/**
 * What judge() drew from the findings and the macro analysis, in the order it weighs them.
 * `strong` grounds make an object suspicious by themselves.
 */
export type Ground =
  | { kind: 'runs-by-itself'; autoexec: string[]; write: boolean; execute: boolean }
  | { kind: 'xlm-on-open'; autoexec: string[] }
  | { kind: 'dde'; link: string }
  | { kind: 'disguised' }
  | { kind: 'macros'; vba: boolean; xlm: boolean }
  | { kind: 'sealed'; encryption: string | null };
