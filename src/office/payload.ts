// Payloads that run when opened: Windows executables, scripts, shortcuts, HTML applications
// and installers, found by content where the format has a signature and by name where
// Windows decides by the extension alone (a .js is run by Windows Script Host whatever it
// holds). Also the ways names hide them: a second extension ("請求書.pdf.exe"), a bidi
// control that shows the name reversed ("invoice\u202Efdp.exe" reads "invoiceexe.pdf"),
// a run of spaces that pushes the real extension out of view, and an executable under a
// document's name. The extension lists are data: one table per kind, with what runs them.
import { isText, type SniffedType } from '../mail/sniff.js';

export type PayloadKind = 'executable' | 'script' | 'shortcut' | 'html-application' | 'html-smuggling' | 'installer' | 'java';

export interface PayloadFinding {
  kind: PayloadKind;
  /** How it was known: the bytes, the name, or both agreeing. */
  by: 'content' | 'name' | 'content+name';
  /** What it is, for people: "Windows executable (PE, DLL)", "JScript (.js, run by Windows Script Host)". */
  what: string;
  /** Tricks in the name that hide what the file is. */
  disguise: string[];
}

/** Extensions Windows runs on a double-click, by kind, with what runs them. */
const RUNNABLE: Record<string, { kind: PayloadKind; what: string }> = {
  exe: { kind: 'executable', what: 'Windows program (.exe)' },
  scr: { kind: 'executable', what: 'screen saver, a Windows program (.scr)' },
  com: { kind: 'executable', what: 'DOS/Windows program (.com)' },
  pif: { kind: 'executable', what: 'program information file, runs a program (.pif)' },
  cpl: { kind: 'executable', what: 'Control Panel item, a DLL run by control.exe (.cpl)' },
  dll: { kind: 'executable', what: 'Windows library, run with rundll32/regsvr32 (.dll)' },
  ocx: { kind: 'executable', what: 'ActiveX control, a DLL (.ocx)' },
  msi: { kind: 'installer', what: 'Windows Installer package (.msi)' },
  msix: { kind: 'installer', what: 'app package (.msix)' },
  appx: { kind: 'installer', what: 'app package (.appx)' },
  js: { kind: 'script', what: 'JScript, run by Windows Script Host (.js)' },
  jse: { kind: 'script', what: 'encoded JScript, run by Windows Script Host (.jse)' },
  vbs: { kind: 'script', what: 'VBScript, run by Windows Script Host (.vbs)' },
  vbe: { kind: 'script', what: 'encoded VBScript, run by Windows Script Host (.vbe)' },
  wsf: { kind: 'script', what: 'Windows Script File (.wsf)' },
  wsh: { kind: 'script', what: 'Windows Script Host settings (.wsh)' },
  ws: { kind: 'script', what: 'Windows Script (.ws)' },
  bat: { kind: 'script', what: 'batch file, run by cmd.exe (.bat)' },
  cmd: { kind: 'script', what: 'batch file, run by cmd.exe (.cmd)' },
  ps1: { kind: 'script', what: 'PowerShell script (.ps1)' },
  psm1: { kind: 'script', what: 'PowerShell module (.psm1)' },
  sct: { kind: 'script', what: 'scriptlet, run by regsvr32/scrobj (.sct)' },
  wsc: { kind: 'script', what: 'Windows Script Component (.wsc)' },
  reg: { kind: 'script', what: 'registry file, imported by regedit (.reg)' },
  hta: { kind: 'html-application', what: 'HTML application, run by mshta.exe with full rights (.hta)' },
  lnk: { kind: 'shortcut', what: 'Windows shortcut, can run any command (.lnk)' },
  url: { kind: 'shortcut', what: 'Internet shortcut (.url)' },
  scf: { kind: 'shortcut', what: 'Explorer command file (.scf)' },
  library_ms: { kind: 'shortcut', what: 'search library pointing at a remote share (.library-ms)' },
  searchconnector_ms: { kind: 'shortcut', what: 'search connector pointing at a remote share (.searchConnector-ms)' },
  jar: { kind: 'java', what: 'Java archive, run by javaw.exe (.jar)' },
};

/** Extensions of documents and pictures that a second, runnable extension hides behind. */
const DOCUMENT_LIKE = /^(pdf|docx?|docm|xlsx?|xlsm|xlsb|pptx?|pptm|rtf|txt|csv|jpe?g|png|gif|bmp|tiff?|zip|rar|7z|html?|mp3|mp4|wav|avi)$/i;

/** Bidi controls: U+202A–U+202E and U+2066–U+2069. U+202E (RLO) is the classic one. */
const BIDI = /[\u202a-\u202e\u2066-\u2069]/;

function extensionKey(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase().replace(/[\s.]+$/, '').replace(/-/g, '_');
}

/** True when bytes open like a PE file: "MZ" and, where the header says, "PE\0\0" at e_lfanew. */
function isPe(bytes: Uint8Array): boolean {
  if (bytes.length < 0x40 || bytes[0] !== 0x4d || bytes[1] !== 0x5a) return false;
  const lfanew = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).readUInt32LE(0x3c);
  if (lfanew + 4 > bytes.length) return true; // a cut file: MZ is still what Windows looks at
  return bytes[lfanew] === 0x50 && bytes[lfanew + 1] === 0x45 && bytes[lfanew + 2] === 0 && bytes[lfanew + 3] === 0;
}

/** How much of a page is searched for smuggling: the scripts that do it are small, the blob they decode is not. */
const SMUGGLING_SCAN_BYTES = 8 * 1024 * 1024;

/**
 * HTML smuggling (Qakbot, IcedID, and Emotet's 2022 ISO waves): the page's script decodes an
 * embedded blob (atob, a byte array, fromCharCode) into a Blob and saves it (msSaveOrOpenBlob,
 * or createObjectURL on a link with a download attribute that the script clicks). All three
 * steps must be there: an ordinary page may build a Blob, or decode base64, but not both and
 * then offer the result as a download.
 */
function smuggles(bytes: Uint8Array): boolean {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, SMUGGLING_SCAN_BYTES)).toString('latin1');
  if (!/<script\b/i.test(text)) return false;
  const builds = /new\s+(window\.)?Blob\s*\(|new\s+File\s*\(\s*\[/i.test(text);
  const decodes = /\batob\s*\(|new\s+Uint8Array\s*\(|String\.fromCharCode|base64,/i.test(text);
  const saves = /msSaveOrOpenBlob|msSaveBlob|\.download\s*=|setAttribute\s*\(\s*['"]download['"]|\bdownload\s*=\s*['"]/i.test(text) && /createObjectURL|msSaveOrOpenBlob|msSaveBlob/i.test(text);
  return builds && decodes && saves;
}

/** The tricks in a file name that hide what it is. */
export function nameDisguises(name: string): string[] {
  const out: string[] = [];
  const base = name.replace(/^.*[\\/]/, '');
  if (BIDI.test(base)) {
    const shown = base.replace(/\u202e(.*)$/u, (_m, rest: string) => [...rest].reverse().join('')).replace(/[\u202a-\u202e\u2066-\u2069]/g, '');
    out.push(`bidi control character in the name: it shows as "${shown}"`);
  }
  const parts = base.replace(/[\u202a-\u202e\u2066-\u2069]/g, '').split('.');
  if (parts.length >= 3) {
    const last = extensionKey(base.replace(/[\u202a-\u202e\u2066-\u2069]/g, ''));
    const before = parts[parts.length - 2]!.trim();
    if (RUNNABLE[last] && DOCUMENT_LIKE.test(before)) out.push(`double extension: ".${before}.${last}" shows as a .${before} where extensions are hidden`);
  }
  if (/\S {8,}\.[A-Za-z0-9]+$/.test(base) || /\S_{15,}\.[A-Za-z0-9]+$/.test(base)) out.push('a long run of blanks before the extension pushes it out of view');
  return out;
}

/**
 * The payload `bytes` named `name` carries, or null when it is not one. `sniffed` is the
 * type sniffType found (pe, lnk, …), so content decides first; the name decides where
 * Windows goes by the name alone.
 */
export function classifyPayload(bytes: Uint8Array, sniffed: SniffedType, name: string): PayloadFinding | null {
  const ext = extensionKey(name.replace(/[\u202a-\u202e\u2066-\u2069]/g, ''));
  const byName = RUNNABLE[ext] ?? null;
  const disguise = nameDisguises(name);
  let byContent: { kind: PayloadKind; what: string } | null = null;
  if (sniffed === 'pe' && isPe(bytes)) byContent = { kind: 'executable', what: 'Windows executable (PE)' };
  // "MZ" without a PE header: a DOS program, or a PE whose header was cut or mangled to slip
  // past scanners. Text that happens to start with "MZ" is not one.
  else if (sniffed === 'pe' && !isText(bytes)) byContent = { kind: 'executable', what: 'DOS/Windows executable (MZ header, no PE header)' };
  else if (sniffed === 'lnk') byContent = { kind: 'shortcut', what: 'Windows shortcut (.lnk), can run any command' };
  else if (sniffed === 'text' || sniffed === 'html' || sniffed === 'xml') {
    const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 4096)).toString('latin1');
    if (/<hta:application\b/i.test(head)) byContent = { kind: 'html-application', what: 'HTML application (HTA)' };
    else if (smuggles(bytes)) byContent = { kind: 'html-smuggling', what: 'HTML page whose script builds a file and hands it to the browser to save (HTML smuggling)' };
  }
  if (!byContent && !byName) return null;
  if (byContent && byName) return { kind: byContent.kind, by: 'content+name', what: byContent.what, disguise };
  if (byContent) {
    // Executable bytes under a name Windows does not run still reach a user who renames them;
    // under a document's name they are a disguise.
    if (ext && !RUNNABLE[ext]) disguise.push(`${byContent.what} under the name of a .${ext} file`);
    return { kind: byContent.kind, by: 'content', what: byContent.what, disguise };
  }
  // By name only: a .exe that is not a PE is still named to be run (a cut or packed file).
  return { kind: byName!.kind, by: 'name', what: byName!.what, disguise };
}
