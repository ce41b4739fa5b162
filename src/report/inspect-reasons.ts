// The reasons of an inspection, for people: one sentence per finding and per ground the
// verdict stands on (office/findings.ts, office/judge.ts). The grounds that make an object
// suspicious come first, then what was observed, in the order it was found.
import { DEFAULT_EXCEL_PASSWORD } from '../office/ooxml-decrypt.js';
import type { Finding, Ground } from '../office/findings.js';

const IMAGE_NAMES = { iso: 'disk image (ISO/UDF)', img: 'disk image (FAT)' } as const;

function groundText(g: Ground): string {
  switch (g.kind) {
    case 'runs-by-itself':
      return `runs by itself (${g.autoexec.join(', ') || 'auto-exec'}) and can ${[g.write ? 'write files' : '', g.execute ? 'execute' : ''].filter(Boolean).join(' and ')}`;
    case 'xlm-on-open':
      return `Excel 4.0 macros that run on open (${g.autoexec.join(', ')})`;
    case 'dde':
      return `DDE link: ${g.link}`;
    case 'disguised':
      return 'macro content under a macro-free file name';
    case 'macros':
      return `has ${[g.vba ? 'VBA' : '', g.xlm ? 'Excel 4.0' : ''].filter(Boolean).join(' and ')} macros`;
    case 'sealed':
      return `encrypted (${g.encryption}): contents cannot be inspected`;
  }
}

function findingText(f: Finding): string {
  switch (f.kind) {
    case 'vba-stomping':
      return `module ${f.module}: no source but ${f.pcodeBytes} bytes of p-code (possible VBA stomping)`;
    case 'hidden-macro-sheet':
      return `Excel 4.0 macro sheet "${f.sheet}" is ${f.visibility}`;
    case 'embedded-runnable':
      return `embedded object ${f.name} can run code when opened`;
    case 'remote-injection':
      return `external ${f.type} relationship to ${f.target} (remote template or object injection)`;
    case 'decrypted':
      if (f.scope === 'package') return f.defaultPassword ? `encrypted with Excel's default password (${DEFAULT_EXCEL_PASSWORD}): opened` : `encrypted; opened with the password "${f.password}" from the mail`;
      return f.defaultPassword
        ? `encrypted (${f.method}) with Excel's default password ${DEFAULT_EXCEL_PASSWORD}, which opens it without asking: decrypted and analysed`
        : `encrypted (${f.method}); opened with the password "${f.password}" from the mail: decrypted and analysed`;
    case 'not-decrypted':
      return `encrypted (${f.why})`;
    case 'rtf-objects':
      return `RTF with ${f.count} embedded object(s)${f.classes.length ? ` of class ${f.classes.join(', ')}` : ''}`;
    case 'pdf-javascript':
      return 'PDF with JavaScript';
    case 'pdf-launch':
      return 'PDF with a Launch action';
    case 'pdf-open-action':
      return 'PDF with an action on open';
    case 'pdf-embedded-file':
      return 'PDF with an embedded file';
    case 'onenote':
      return 'OneNote document: can carry embedded files that run when clicked';
    case 'disk-image':
      return `${IMAGE_NAMES[f.container]}: used to deliver files past mark-of-the-web`;
    case 'archive-unreadable':
      return `${f.container} archive: not readable`;
    case 'archive-encrypted':
      return f.opened ? 'encrypted archive opened with a password from the mail' : 'encrypted archive, not opened';
    case 'member-not-read':
      return f.cause === 'encrypted' ? `encrypted archive member (${f.why})` : f.why;
    case 'padded':
      return `padded with ${f.length} bytes of 0x${f.byte.toString(16).padStart(2, '0')} to ${f.fullSize} bytes, a way to pass scanners' size limits; analysed without the padding`;
    case 'payload':
      return `${f.payload.what}: runs when opened (known by ${f.payload.by.replace('+', ' and ')})`;
    case 'name-disguise':
      return f.how;
    case 'lure':
      return `text asks the reader to act: "${f.phrases.join('", "')}"`;
    case 'mail':
      return `mail message "${f.subject}" from ${f.from ?? '(no sender)'} with ${f.attachments} attachment(s)`;
    case 'time-limit':
      return 'not analysed: time limit';
    case 'too-large':
      return 'too large to inspect';
    case 'nesting-limit':
      return 'archive nesting limit reached';
    case 'unreadable':
      return `unreadable ${f.container}: ${f.message}`;
  }
}

/** Grounds that make the object suspicious come before the observations; the rest after. */
const LEADING: ReadonlySet<Ground['kind']> = new Set(['runs-by-itself']);

export function inspectReasons(r: { findings: readonly Finding[]; grounds: readonly Ground[] }): string[] {
  return [
    ...r.grounds.filter((g) => LEADING.has(g.kind)).map(groundText),
    ...r.findings.map(findingText),
    ...r.grounds.filter((g) => !LEADING.has(g.kind)).map(groundText),
  ];
}
