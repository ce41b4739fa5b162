// One file or attachment in, one InspectResult out: which container it is, whether it is
// encrypted, its VBA and Excel 4.0 macros, what they can do, and typed findings; one
// analyser per container. judge.ts then decides the verdict once from those facts.
// Containers are detected by content; the file name only serves to call a macro document
// "disguised" when its name claims a macro-free type, and to name payloads Windows runs by
// their extension.
import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { sniffType } from '../mail/sniff.js';
import { readBiffGlobals, type SheetInfo } from './biff.js';
import { triageSource, triageXlm, type KeywordHit } from './keywords.js';
import { findStream, isOle, openOle, type OleContainer } from './ole-container.js';
import { detectOleEncryption } from './ole-encryption.js';
import { analyseOoxml, isOoxml } from './ooxml.js';
import { decryptLegacyOffice } from './legacy-decrypt.js';
import { decryptAgilePackage, DEFAULT_EXCEL_PASSWORD } from './ooxml-decrypt.js';
import { decryptStandardPackage } from './ooxml-standard-decrypt.js';
import { oneNoteEmbeddedFiles } from './onenote.js';
import type { CodeFlags, Finding, Ground } from './findings.js';
import { judgeTree, SEVERITY } from './judge.js';
import { classifyPayload, nameDisguises, type PayloadFinding } from './payload.js';
import { pptEmbeddedStorages } from './ppt-vba.js';
import { findVbaStorages, readVbaProject, type VbaModule } from './vba-project.js';
import { readXlmFormulas } from './xlm-formulas.js';
import { isOtherArchive, readOtherArchive, type OtherArchiveKind } from './archives.js';
import type { Padding } from './member-sink.js';
import { extractEntry, readZipDirectory } from './zip-archive.js';

export const INSPECT_LIMITS = {
  /** Archives inside archives (and documents inside them) are opened this deep. */
  maxDepth: 5,
  /** Bytes of one object given to the analysers. */
  maxObjectBytes: 200 * 1024 * 1024,
  /** Children recorded per archive. */
  maxChildren: 1000,
  /**
   * Wall time for one root object with everything inside it. Checked between objects (an
   * archive's members, a document's embedded files), so a hostile archive of many slow
   * members stops here; one object's own work is bounded by the size limits.
   */
  maxMillisPerObject: 30_000,
};

export type Verdict = 'clean' | 'macro' | 'suspicious' | 'encrypted' | 'error';

export interface ModuleReport {
  name: string;
  stream: string;
  kind: VbaModule['kind'];
  source: string;
  pcodeBytes: number;
  sourceBytes: number;
  /** Source missing or empty while p-code is present: the VBA stomping signature. */
  stomped: boolean;
}

export interface InspectResult {
  file: string;
  container: string;
  size: number;
  sha256: string;
  encrypted: boolean;
  encryption: string | null;
  macros: { vba: boolean; xlm: boolean; modules: ModuleReport[]; macroSheets: SheetInfo[]; xlmFunctions: string[] };
  autoexec: string[];
  suspicious: { keyword: string; description: string }[];
  iocs: string[];
  dde: string[];
  externalRelationships: string[];
  /** Files embedded as OLE Package objects (Ole10Native), by their stored file name. */
  embedded: string[];
  /** Lure phrases in the document text ("Enable Content" …), set by addDocumentText. */
  lures: string[];
  /** Named type claims no macros (.docx/.xlsx/.pptx) while the content has them. */
  disguised: boolean;
  /** An encrypted Office 97–2003 document that a password opened: analysed from its decrypted streams. */
  decrypted: { method: string; password: string } | null;
  /** A program, script, shortcut or installer: runs when opened (payload.ts). */
  payload: PayloadFinding | null;
  /** For archives: whether encrypted, whether a password candidate opened it. */
  archive: { encrypted: boolean; passwordFound: boolean; opened: boolean; password?: string } | null;
  /** What runs in the object can: run by itself, write files, execute (mraptor's A, W, X). */
  flags: CodeFlags;
  /** What the analysers and the enrichment steps observed (findings.ts). */
  findings: Finding[];
  children: InspectResult[];
  /** Decided once by judge.ts from the facts above and the children's verdicts. */
  verdict: Verdict;
  /** What judge() drew from the facts, for telling people why (report/inspect-reasons.ts). */
  grounds: Ground[];
  errors: string[];
}

export interface InspectOptions {
  /** Passwords to try on encrypted archives (harvested from the mail). */
  passwords?: string[];
  depth?: number;
  /** Called with every object analysed (the file and each archive member), with its bytes, once its verdict is decided. */
  onObject?: (result: InspectResult, bytes: Buffer) => void;
  /** Epoch ms after which no further object is analysed (set from maxMillisPerObject at the root). */
  deadline?: number;
  /**
   * The SHA-256 (hex) of `bytes`, when the caller already has it (the mail parser hashed the
   * attachment): it is the root object's, and is not handed on to the objects inside.
   */
  sha256?: string;
}

const MACRO_FREE_EXTENSIONS = /\.(docx|dotx|xlsx|xltx|pptx|potx|ppsx)$/i;
export { SEVERITY };

/** Every object analysed in one tree, with its bytes, in the order analysed (for onObject and enrichment). */
export type Found = { r: InspectResult; bytes: Buffer }[];

function emptyResult(file: string, bytes: Buffer, container: string, knownSha256?: string): InspectResult {
  return {
    file,
    container,
    size: bytes.length,
    sha256: knownSha256 ?? createHash('sha256').update(bytes).digest('hex'),
    encrypted: false,
    encryption: null,
    macros: { vba: false, xlm: false, modules: [], macroSheets: [], xlmFunctions: [] },
    autoexec: [],
    suspicious: [],
    iocs: [],
    dde: [],
    externalRelationships: [],
    embedded: [],
    lures: [],
    disguised: false,
    decrypted: null,
    payload: null,
    archive: null,
    flags: { autoexec: false, write: false, execute: false },
    findings: [],
    children: [],
    verdict: 'clean',
    grounds: [],
    errors: [],
  };
}

function addHits(r: InspectResult, hits: KeywordHit[]): void {
  for (const h of hits) {
    for (const f of h.flags) setFlag(r, f);
    if (h.category === 'autoexec') {
      if (!r.autoexec.includes(h.keyword)) r.autoexec.push(h.keyword);
    } else if (h.category === 'ioc') {
      if (!r.iocs.includes(h.keyword)) r.iocs.push(h.keyword);
    } else if (!r.suspicious.some((s) => s.keyword.toLowerCase() === h.keyword.toLowerCase())) {
      r.suspicious.push({ keyword: h.keyword, description: h.description });
    }
  }
}

function setFlag(r: InspectResult, f: 'A' | 'W' | 'X'): void {
  if (f === 'A') r.flags.autoexec = true;
  else if (f === 'W') r.flags.write = true;
  else r.flags.execute = true;
}

function addVba(r: InspectResult, ole: ReturnType<typeof openOle>): void {
  for (const storage of findVbaStorages(ole)) {
    const p = readVbaProject(ole, storage);
    r.errors.push(...p.errors.map((e) => `${storage}: ${e}`));
    for (const m of p.modules) {
      const code = m.source
        .split(/\r?\n/)
        .filter((l) => l.trim() !== '' && !/^\s*Attribute\s/i.test(l))
        .join('\n');
      const stomped = code === '' && m.pcodeBytes > 2048;
      r.macros.modules.push({ name: m.name, stream: `${storage}/${m.stream}`, kind: m.kind, source: m.source, pcodeBytes: m.pcodeBytes, sourceBytes: m.sourceBytes, stomped });
      if (m.error) r.errors.push(`${storage}/${m.stream}: ${m.error}`);
      addHits(r, triageSource(m.source));
      if (stomped) r.findings.push({ kind: 'vba-stomping', module: m.name, pcodeBytes: m.pcodeBytes });
    }
    r.macros.vba = true;
  }
}

/** Ole10Native (MS-OLEDS 2.3.6 "Package" object): size, flags, then the file name as a C string. */
function addEmbedded(r: InspectResult, ole: ReturnType<typeof openOle>): void {
  for (const [path, s] of ole.streams) {
    if (!/\x01Ole10Native$/i.test(path) || s.content.length < 7) continue;
    const end = s.content.indexOf(0, 6);
    const name = s.content.subarray(6, end < 0 ? Math.min(s.content.length, 262) : end).toString('latin1');
    r.embedded.push(name || path);
    if (/\.(exe|dll|scr|lnk|js|jse|vbs|vbe|wsf|hta|bat|cmd|ps1|com|pif|jar)$/i.test(name)) r.findings.push({ kind: 'embedded-runnable', name });
  }
}

function analyseOle(r: InspectResult, bytes: Buffer, opts: InspectOptions, found: Found): void {
  const container = openOle(bytes);
  // An Outlook .msg is an OLE file of MAPI property streams; inspect-deep reads it as mail.
  if ([...container.streams.keys()].some((p) => p.startsWith('__substg1.0_'))) {
    r.container = 'outlook-msg';
    return;
  }
  addEmbedded(r, container);
  const enc = detectOleEncryption(container);
  if (enc.encrypted) {
    r.encrypted = true;
    r.encryption = enc.how;
  }
  // Office 97–2003 "password to open" (RC4, RC4 CryptoAPI, XOR): tried with Excel's default
  // password and the mail's candidates; an opened document is analysed from its decrypted
  // streams like any other (legacy-decrypt.ts). The VBA storage is never encrypted.
  const ole = withLegacyDecryption(r, container, opts);
  addVba(r, ole);
  const info = findStream(ole, 'EncryptionInfo');
  const pkg = findStream(ole, 'EncryptedPackage');
  if (info && pkg) {
    const candidates = [DEFAULT_EXCEL_PASSWORD, ...(opts.passwords ?? [])];
    const opened = decryptAgilePackage(info.content, pkg.content, candidates) ?? decryptStandardPackage(info.content, pkg.content, candidates);
    if (opened) {
      r.findings.push({ kind: 'decrypted', scope: 'package', method: null, password: opened.password, defaultPassword: opened.password === DEFAULT_EXCEL_PASSWORD });
      r.children.push(analyseBytes(opened.data, `${r.file} (decrypted)`, { ...opts, depth: (opts.depth ?? 0) + 1 }, found));
    }
  }
  const readable = !r.encrypted || r.decrypted !== null;
  const ppt = findStream(ole, 'PowerPoint Document');
  if (ppt && readable) {
    const found = pptEmbeddedStorages(ppt.content);
    r.errors.push(...found.errors.map((e) => `PowerPoint Document: ${e}`));
    for (const storage of found.storages) {
      try {
        const inner = openOle(storage);
        addVba(r, inner);
        addEmbedded(r, inner);
      } catch (e) {
        r.errors.push(`PowerPoint embedded storage: ${(e as Error).message}`);
      }
    }
  }
  const word = findStream(ole, 'WordDocument');
  if (word && readable) {
    // Field codes sit in the text between the field-begin (0x13) and separator (0x14)
    // characters, as 8-bit or UTF-16 text; DDE and DDEAUTO fields run commands on open.
    for (const text of [word.content.toString('latin1'), word.content.toString('utf16le'), word.content.subarray(1).toString('utf16le')]) {
      for (const m of text.matchAll(/\x13\s*(DDEAUTO|DDE)\b[^\x13\x14\x15]{0,300}/g)) {
        const link = m[0].slice(1).trim();
        if (!r.dde.includes(link)) r.dde.push(link);
      }
    }
  }
  const wb = findStream(ole, 'Workbook') ?? findStream(ole, 'Book');
  if (wb) {
    const biff = readBiffGlobals(wb.content);
    r.errors.push(...biff.errors.map((e) => `Workbook: ${e}`));
    if (biff.encrypted) {
      r.encrypted = true;
      r.encryption = `excel-filepass-${biff.encryption}`;
    }
    const macroSheets = biff.sheets.filter((s) => s.type === 'macro');
    if (macroSheets.length > 0) {
      r.macros.xlm = true;
      r.macros.macroSheets = macroSheets.map(({ offset: _offset, ...s }) => s);
      if (!biff.encrypted) {
        const xlm = readXlmFormulas(wb.content, macroSheets.map((s) => s.offset ?? -1).filter((o) => o >= 0), biff.biffVersion === 8);
        r.macros.xlmFunctions = xlm.functions;
        r.errors.push(...xlm.errors.map((e) => `macro sheet: ${e}`));
        addHits(r, triageXlm(xlm.functions.map((f) => `${f}(`).join(' ') + '\n' + xlm.strings.join('\n')));
      }
      for (const s of macroSheets) if (s.visibility !== 'visible') r.findings.push({ kind: 'hidden-macro-sheet', sheet: s.name, visibility: s.visibility });
    }
    for (const n of biff.autoOpenNames) if (!r.autoexec.includes(n)) r.autoexec.push(n);
    if (biff.autoOpenNames.length) r.flags.autoexec = true;
    for (const l of biff.ddeLinks) if (!r.dde.includes(l)) r.dde.push(l);
  }
}

/** The container with the decrypted streams in place when a password opens it; else as it is. */
function withLegacyDecryption(r: InspectResult, ole: OleContainer, opts: InspectOptions): OleContainer {
  const legacy = decryptLegacyOffice(ole, opts.passwords ?? []);
  if (legacy === null) return ole;
  r.encrypted = true;
  if ('error' in legacy) {
    r.findings.push({ kind: 'not-decrypted', why: legacy.error });
    return ole;
  }
  r.encryption = legacy.method;
  r.decrypted = { method: legacy.method, password: legacy.password };
  r.findings.push({ kind: 'decrypted', scope: 'streams', method: legacy.method, password: legacy.password, defaultPassword: legacy.password === DEFAULT_EXCEL_PASSWORD });
  const streams = new Map(ole.streams);
  for (const [path, content] of legacy.streams) streams.set(path, { path, content });
  return { ...ole, streams };
}

function analyseOoxmlPackage(r: InspectResult, bytes: Buffer, dir: ReturnType<typeof readZipDirectory>, file: string): void {
  const f = analyseOoxml(bytes, dir);
  r.errors.push(...f.errors);
  for (const part of f.vbaParts) {
    try {
      if (!isOle(part.data)) {
        r.errors.push(`${part.name}: not a compound file`);
        continue;
      }
      addVba(r, openOle(part.data));
      r.macros.vba = true;
    } catch (e) {
      r.errors.push(`${part.name}: ${(e as Error).message}`);
    }
  }
  if (f.macroSheets.length) {
    r.macros.xlm = true;
    r.macros.macroSheets = f.macroSheets.map((name) => ({ name, type: 'macro', visibility: 'visible' }));
    addHits(r, triageXlm(f.macroSheetFormulas));
  }
  for (const n of f.autoOpenNames) if (!r.autoexec.includes(n)) r.autoexec.push(n);
  if (f.autoOpenNames.length) r.flags.autoexec = true;
  for (const x of f.externalRelationships) {
    r.externalRelationships.push(`${x.type} → ${x.target}`);
    if (/attachedTemplate|oleObject|frame|subDocument/i.test(x.type)) r.findings.push({ kind: 'remote-injection', type: x.type, target: x.target });
  }
  r.dde.push(...f.dde);
  for (const part of f.embeddedParts) {
    try {
      if (isOle(part.data)) addEmbedded(r, openOle(part.data));
    } catch (e) {
      r.errors.push(`${part.name}: ${(e as Error).message}`);
    }
  }
  if ((r.macros.vba || r.macros.xlm) && MACRO_FREE_EXTENSIONS.test(file)) r.disguised = true;
  if (f.macroEnabledContentType && MACRO_FREE_EXTENSIONS.test(file)) r.disguised = true;
}

function analyseArchive(r: InspectResult, bytes: Buffer, dir: ReturnType<typeof readZipDirectory>, opts: InspectOptions, found: Found): void {
  r.errors.push(...dir.errors);
  const depth = opts.depth ?? 0;
  const encrypted = dir.entries.some((e) => e.encryption !== 'none');
  r.archive = { encrypted, passwordFound: false, opened: true };
  for (const e of dir.entries) {
    if (e.name.endsWith('/')) continue;
    if (r.children.length >= INSPECT_LIMITS.maxChildren) {
      r.errors.push(`more than ${INSPECT_LIMITS.maxChildren} members; the rest not inspected`);
      break;
    }
    const x = extractEntry(bytes, e, opts.passwords ?? []);
    if (!x.ok) {
      if (x.reason === 'encrypted' || x.reason === 'wrong-password' || x.reason === 'unsupported') r.archive.opened = false;
      const encrypted = e.encryption !== 'none';
      r.children.push(unreadMember(e.name, e.size, '', encrypted ? `zip-${e.encryption}` : null, `${x.reason}: ${x.detail}`, x.detail, encrypted ? 'encrypted' : 'damaged'));
      continue;
    }
    if (x.password) {
      r.archive.passwordFound = true;
      r.archive.password = x.password;
    }
    r.children.push(withPadding(analyseBytes(x.data, e.name, { ...opts, depth: depth + 1 }, found), x.padding));
  }
  if (encrypted) r.findings.push({ kind: 'archive-encrypted', opened: r.archive.opened });
}

/**
 * A member whose end padding was dropped before analysis (member-sink.ts): it is judged on
 * its real content, and its size and hash are the member's as stored, padding included, the
 * figures other tools and feeds report for it.
 */
function withPadding(child: InspectResult, padding: Padding | undefined): InspectResult {
  if (!padding) return child;
  child.findings.push({ kind: 'padded', length: padding.length, byte: padding.byte, fullSize: padding.fullSize });
  child.size = padding.fullSize;
  child.sha256 = padding.fullSha256;
  return child;
}

/** 7z, RAR, ISO/UDF and FAT images, gzip (archives.ts): each member inspected as a child, as for ZIP. */
function analyseOtherArchive(r: InspectResult, bytes: Buffer, kind: OtherArchiveKind, opts: InspectOptions, found: Found): void {
  const depth = opts.depth ?? 0;
  r.container = kind;
  if (kind === 'iso' || kind === 'img') r.findings.push({ kind: 'disk-image', container: kind });
  if (depth >= INSPECT_LIMITS.maxDepth) {
    r.errors.push(`archive nested deeper than ${INSPECT_LIMITS.maxDepth}; not opened`);
    return;
  }
  const a = readOtherArchive(bytes, kind, opts.passwords ?? []);
  r.errors.push(...a.errors);
  r.archive = { encrypted: a.encrypted, passwordFound: a.password !== undefined, opened: a.opened, ...(a.password !== undefined ? { password: a.password } : {}) };
  for (const e of a.entries) {
    if (r.children.length >= INSPECT_LIMITS.maxChildren) {
      r.errors.push(`more than ${INSPECT_LIMITS.maxChildren} members; the rest not inspected`);
      break;
    }
    if (e.data) {
      const child = withPadding(analyseBytes(e.data, e.name, { ...opts, depth: depth + 1 }, found), e.padding);
      if (e.error) child.errors.push(e.error);
      r.children.push(child);
      continue;
    }
    const symbolic = e.link?.kind === 'symbolic';
    const why = symbolic ? `symbolic link to ${e.link!.target}, not followed` : (e.error ?? 'not extracted');
    r.children.push(unreadMember(e.name, e.size, e.sha256 ?? '', e.encrypted ? `${kind}-encrypted` : null, why, why, e.encrypted ? 'encrypted' : symbolic ? 'link' : 'damaged'));
  }
  if (a.encrypted) r.findings.push({ kind: 'archive-encrypted', opened: a.opened });
}

/**
 * An archive member whose bytes were not analysed (encrypted, damaged, a link), as a child
 * result. Its bytes are out of reach, its name is not: an encrypted .js is a script all the same.
 */
function unreadMember(name: string, size: number, sha256: string, encryption: string | null, error: string, why: string, cause: 'encrypted' | 'link' | 'damaged'): InspectResult {
  const child = emptyResult(name, Buffer.alloc(0), 'archive-member');
  child.size = size;
  child.sha256 = sha256;
  child.encrypted = encryption !== null;
  child.encryption = encryption;
  child.errors.push(error);
  child.findings.push({ kind: 'member-not-read', cause, why });
  markPayload(child, classifyPayload(Buffer.alloc(0), 'empty', name), nameDisguises(name));
  return child;
}

function analyseText(r: InspectResult, bytes: Buffer): void {
  const head = bytes.subarray(0, 4096).toString('latin1');
  const text = bytes.toString('latin1');
  if (/^ID;/.test(head)) {
    // SYLK: Excel 4.0 formulas sit in E fields of C records; names in NN records.
    r.container = 'sylk';
    const formulas = [...text.matchAll(/^C;[^\r\n]*?;E([^\r\n]*)/gm)].map((m) => m[1]!).join('\n');
    if (formulas) {
      r.macros.xlm = true;
      addHits(r, triageXlm(formulas));
    }
    for (const m of text.matchAll(/^NN;N(Auto_Open\w*)/gim)) if (!r.autoexec.includes(m[1]!)) r.autoexec.push(m[1]!), (r.flags.autoexec = true);
    return;
  }
  // Word 2003 XML / MHT: a base64 editdata.mso holds a zlib-compressed OLE file with the VBA.
  const bin = /<w:binData[^>]*w:name="editdata\.mso"[^>]*>([\s\S]*?)<\/w:binData>/i.exec(text);
  if (bin) {
    r.container = 'word2003-xml';
    const mso = Buffer.from(bin[1]!.replace(/\s+/g, ''), 'base64');
    const ole = inflateMso(mso);
    if (ole) addVba(r, openOle(ole)), (r.macros.vba = true);
    else r.errors.push('editdata.mso: no compressed OLE found');
  }
  // Flat OPC: package parts inline, vbaProject.bin as pkg:binaryData.
  const flat = /<pkg:part[^>]*pkg:name="[^"]*vbaProject\.bin"[^>]*>[\s\S]*?<pkg:binaryData>([\s\S]*?)<\/pkg:binaryData>/i.exec(text);
  if (flat) {
    r.container = 'flat-opc';
    const ole = Buffer.from(flat[1]!.replace(/\s+/g, ''), 'base64');
    if (isOle(ole)) addVba(r, openOle(ole)), (r.macros.vba = true);
  }
  // HTML / HTA attachments: script runs when the file is opened (HTA with full rights;
  // HTML smuggling builds a payload in the browser).
  if (/<script\b/i.test(text) && (r.container === 'html' || r.container === 'xml' || /<hta:application/i.test(text))) {
    const scripts = [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1]!).join('\n');
    r.autoexec.push(/<hta:application/i.test(text) ? 'HTA script' : 'HTML script');
    r.flags.autoexec = true;
    addHits(r, triageSource(scripts));
  }
  // DDE in text formats: Word XML field codes, SpreadsheetML and CSV formulas (=cmd|' /c …'!A0).
  for (const m of text.matchAll(/\b(DDEAUTO|DDE)\b\s+[^<\r\n]{0,300}/g)) r.dde.push(m[0].trim());
  for (const m of text.matchAll(/^[=+\-@][^|\r\n]{0,100}\|['"][^'"\r\n]{0,300}['"]![^\r\n,;]*/gm)) r.dde.push(m[0].trim());
  for (const m of text.matchAll(/ss:Formula="=([^"|]+\|[^"]*)"/g)) r.dde.push(m[1]!.replace(/&apos;/g, "'").replace(/&quot;/g, '"'));
}

/** MS-OSHARED editdata.mso: an ActiveMime header, then zlib data holding an OLE file. */
function inflateMso(mso: Buffer): Buffer | null {
  for (let i = 0; i < Math.min(mso.length - 2, 0x400); i++) {
    if (mso[i] !== 0x78) continue;
    try {
      const out = inflateSync(mso.subarray(i), { maxOutputLength: INSPECT_LIMITS.maxObjectBytes });
      if (isOle(out)) return out;
    } catch {
      // not the start of the zlib stream; keep looking
    }
  }
  return null;
}

function analyseRtf(r: InspectResult, bytes: Buffer): void {
  const text = bytes.subarray(0, 20 * 1024 * 1024).toString('latin1');
  // A control word counts only when its backslash is not itself escaped ("\\\\object" is text).
  const objects = [...text.matchAll(/(?<!\\)\\objdata\b/g)].length;
  const classes = [...text.matchAll(/(?<!\\)\\objclass\s+([^}\\]+)/g)].map((m) => m[1]!.trim());
  if (objects > 0) r.findings.push({ kind: 'rtf-objects', count: objects, classes: [...new Set(classes)] });
  for (const m of text.matchAll(/\b(DDEAUTO|DDE)\b\s+[^}\\]{0,300}/g)) r.dde.push(m[0].trim());
}

function analysePdf(r: InspectResult, bytes: Buffer): void {
  const text = bytes.subarray(0, 50 * 1024 * 1024).toString('latin1');
  if (/\/(JavaScript|JS)\b/.test(text)) r.findings.push({ kind: 'pdf-javascript' });
  if (/\/Launch\b/.test(text)) r.findings.push({ kind: 'pdf-launch' });
  if (/\/OpenAction\b/.test(text) && /\/(JavaScript|JS|Launch|URI)\b/.test(text)) r.findings.push({ kind: 'pdf-open-action' });
  if (/\/EmbeddedFile\b/.test(text)) r.findings.push({ kind: 'pdf-embedded-file' });
  for (const m of text.matchAll(/\/URI\s*\(([^)]{1,500})\)/g)) if (!r.iocs.includes(m[1]!)) r.iocs.push(m[1]!);
}

/**
 * Analyses one object and everything inside it, without judging: the result carries the
 * facts (findings, macros, flags) and its children; `found` receives every object with its
 * bytes, for the enrichment steps of inspect-deep.ts and for onObject once judged.
 */
export function analyseBytes(bytes: Buffer, file: string, options: InspectOptions, found: Found): InspectResult {
  // The known hash is this object's only: every object inside is analysed with `opts`.
  const { sha256: knownSha256, ...rest } = options;
  const opts = rest.deadline ? rest : { ...rest, deadline: Date.now() + INSPECT_LIMITS.maxMillisPerObject };
  const type = sniffType(bytes);
  const r = emptyResult(file, bytes, type, knownSha256);
  if (Date.now() > opts.deadline!) {
    r.errors.push(`time limit of ${INSPECT_LIMITS.maxMillisPerObject} ms for the enclosing object reached; not analysed`);
    r.findings.push({ kind: 'time-limit' });
    return r;
  }
  if (bytes.length > INSPECT_LIMITS.maxObjectBytes) {
    r.errors.push(`object of ${bytes.length} bytes exceeds ${INSPECT_LIMITS.maxObjectBytes}`);
    r.findings.push({ kind: 'too-large' });
    return r;
  }
  found.push({ r, bytes });
  try {
    analyseContainer(r, bytes, type, file, opts, found);
  } catch (e) {
    r.errors.push((e as Error).message);
    r.findings.push({ kind: 'unreadable', container: r.container, message: (e as Error).message });
    return r;
  }
  if (r.findings.some((f) => f.kind === 'nesting-limit')) return r;
  if (type === 'onenote') r.findings.push({ kind: 'onenote' });
  else if (type === 'iso' && r.container === 'iso' && !r.findings.some((f) => f.kind === 'disk-image')) r.findings.push({ kind: 'disk-image', container: 'iso' });
  const payload = classifyPayload(bytes, type, file);
  markPayload(r, payload, payload ? payload.disguise : nameDisguises(file));
  return r;
}

/** One analyser per container, chosen by content. */
function analyseContainer(r: InspectResult, bytes: Buffer, type: ReturnType<typeof sniffType>, file: string, opts: InspectOptions, found: Found): void {
  const depth = opts.depth ?? 0;
  if (type === 'ole') analyseOle(r, bytes, opts, found);
  else if (type === 'zip') {
    const dir = readZipDirectory(bytes);
    if (isOoxml(dir)) {
      r.container = 'ooxml';
      analyseOoxmlPackage(r, bytes, dir, file);
    } else if (depth >= INSPECT_LIMITS.maxDepth) {
      r.errors.push(`archive nested deeper than ${INSPECT_LIMITS.maxDepth}; not opened`);
      r.findings.push({ kind: 'nesting-limit' });
    } else {
      r.container = 'zip';
      analyseArchive(r, bytes, dir, opts, found);
    }
  } else if (type === 'rtf') analyseRtf(r, bytes);
  else if (type === 'pdf') analysePdf(r, bytes);
  else if (type === 'onenote') {
    oneNoteEmbeddedFiles(bytes).forEach((f, i) => {
      if (depth < INSPECT_LIMITS.maxDepth) r.children.push(analyseBytes(f, `${file} [embedded file ${i + 1}]`, { ...opts, depth: depth + 1 }, found));
    });
  } else if (type === 'iso' || type === 'rar' || type === '7z' || type === 'gzip' || type === 'binary') {
    // sniffType does not know FAT images or pure UDF: the archive reader decides for 'binary'.
    const kind = isOtherArchive(bytes);
    if (kind) analyseOtherArchive(r, bytes, kind, opts, found);
    else if (type === 'rar' || type === '7z') r.findings.push({ kind: 'archive-unreadable', container: type });
  } else if (bytes.subarray(0, 10).toString('latin1') === 'ActiveMime') {
    // editdata.mso from an MHT or Word 2003 XML document, saved as its own part.
    r.container = 'activemime';
    const ole = inflateMso(bytes);
    if (ole) addVba(r, openOle(ole));
    else r.errors.push('ActiveMime: no compressed OLE found');
  } else if (type === 'text' || type === 'xml' || type === 'html' || type === 'mail') analyseText(r, bytes);
}

/** The result for a file that could not be read at all: no bytes, no digest (the empty input's would name a file never hashed). */
export function unreadFile(file: string, error: string): InspectResult {
  const r = emptyResult(file, Buffer.alloc(0), 'file');
  r.sha256 = '';
  r.errors.push(error);
  r.findings.push({ kind: 'unreadable', container: 'file', message: error });
  judgeTree(r);
  return r;
}

/** Analyses and judges one object (no enrichment: inspect-deep.ts adds mail and document text). */
export function inspectBytes(bytes: Buffer, file: string, options: InspectOptions = {}): InspectResult {
  const found: Found = [];
  const r = analyseBytes(bytes, file, options, found);
  judgeTree(r);
  if (options.onObject) for (const f of found) options.onObject(f.r, f.bytes);
  return r;
}

/**
 * A payload (or a name that hides what a file is) makes the object suspicious, whatever it
 * holds: nothing in mail needs to be a program, and nothing honest needs a bidi control in
 * its name.
 */
function markPayload(r: InspectResult, payload: PayloadFinding | null, disguise: string[]): void {
  if (payload) {
    r.payload = payload;
    r.findings.push({ kind: 'payload', payload });
  }
  for (const how of disguise) r.findings.push({ kind: 'name-disguise', how });
}

/** mraptor-like exit codes: 0 no macro, 2 macros, 9 encrypted seen, 10 error, 20 suspicious; the highest wins. */
export function exitCodeFor(results: InspectResult[]): number {
  const code: Record<Verdict, number> = { clean: 0, macro: 2, encrypted: 9, error: 10, suspicious: 20 };
  return results.reduce((max, r) => Math.max(max, code[r.verdict]), 0);
}
