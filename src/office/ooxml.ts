// OOXML packages (.docx/.xlsm/.pptm/.xlsb …): where macros and their relatives live in a
// ZIP package. vbaProject.bin anywhere, Excel 4.0 macro sheets (xl/macrosheets/, XML or
// binary), the _xlnm.Auto_Open defined name, macro-enabled content types, external
// relationships (remote template injection) and DDE fields.
import { extractEntry, type ZipDirectory } from './zip-archive.js';

export interface OoxmlFindings {
  /** Package parts that are VBA projects (OLE files to open). */
  vbaParts: { name: string; data: Buffer }[];
  /** OLE objects embedded in the package (…/embeddings/*.bin). */
  embeddedParts: { name: string; data: Buffer }[];
  macroSheets: string[];
  /** Formula text of XML macro sheets, for XLM triage. */
  macroSheetFormulas: string;
  autoOpenNames: string[];
  macroEnabledContentType: string | null;
  externalRelationships: { part: string; type: string; target: string }[];
  dde: string[];
  errors: string[];
}

/** Parts larger than this are not searched for DDE or relationships (they are media). */
const MAX_XML_PART = 20 * 1024 * 1024;

function decodeXmlEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');
}

/**
 * BIFF12 external link part (.xlsb): the first record is BrtBeginSupBook (type 0x0168,
 * MS-XLSB 2.4.21): sbt 0x0001 marks a DDE link, followed by the service and topic as
 * XLWideStrings (u32 length + UTF-16LE).
 */
function ddeFromSupBook(b: Buffer): string | null {
  let p = 0;
  const varint = (max: number): number => {
    let v = 0;
    for (let i = 0; i < max && p < b.length; i++) {
      const byte = b[p++]!;
      v |= (byte & 0x7f) << (7 * i);
      if (!(byte & 0x80)) break;
    }
    return v;
  };
  const type = varint(2);
  const size = varint(4);
  if (type !== 0x0168 || p + size > b.length || size < 2) return null;
  if (b.readUInt16LE(p) !== 0x0001) return null;
  let q = p + 2;
  const str = (): string | null => {
    if (q + 4 > p + size) return null;
    const n = b.readUInt32LE(q);
    q += 4;
    if (q + n * 2 > p + size) return null;
    const s = b.subarray(q, q + n * 2).toString('utf16le');
    q += n * 2;
    return s;
  };
  const service = str();
  const topic = str();
  return service === null ? null : `${service} ${topic ?? ''}`.trim();
}

export function isOoxml(dir: ZipDirectory): boolean {
  return dir.entries.some((e) => e.name === '[Content_Types].xml');
}

export function analyseOoxml(zip: Buffer, dir: ZipDirectory): OoxmlFindings {
  const f: OoxmlFindings = {
    vbaParts: [],
    embeddedParts: [],
    macroSheets: [],
    macroSheetFormulas: '',
    autoOpenNames: [],
    macroEnabledContentType: null,
    externalRelationships: [],
    dde: [],
    errors: [...dir.errors],
  };
  const read = (name: string): Buffer | null => {
    const e = dir.entries.find((x) => x.name === name);
    if (!e) return null;
    const r = extractEntry(zip, e);
    if (!r.ok) {
      f.errors.push(`${name}: ${r.detail}`);
      return null;
    }
    return r.data;
  };
  for (const e of dir.entries) {
    const lower = e.name.toLowerCase();
    if (lower.endsWith('.bin') && /vbaproject/i.test(lower) && !/signature/i.test(lower)) {
      const data = read(e.name);
      if (data) f.vbaParts.push({ name: e.name, data });
    } else if (/(^|\/)embeddings\/[^/]+\.bin$/i.test(lower) && e.size <= MAX_XML_PART) {
      const data = read(e.name);
      if (data) f.embeddedParts.push({ name: e.name, data });
    } else if (/(^|\/)macrosheets\/[^/]+\.(xml|bin)$/i.test(lower)) {
      f.macroSheets.push(e.name);
      if (lower.endsWith('.xml') && e.size <= MAX_XML_PART) {
        const x = read(e.name);
        if (x) f.macroSheetFormulas += [...x.toString('utf8').matchAll(/<f[^>]*>([\s\S]*?)<\/f>/g)].map((m) => decodeXmlEntities(m[1]!)).join('\n') + '\n';
      } else if (lower.endsWith('.bin') && e.size <= MAX_XML_PART) {
        // BIFF12 formulas are parsed expressions, not text; the function table is not
        // decoded yet, so only the sheet's presence is reported for .xlsb.
      }
    } else if (lower === '[content_types].xml') {
      const ct = read(e.name)?.toString('utf8') ?? '';
      const m = /ContentType="([^"]*macroEnabled[^"]*)"/i.exec(ct) ?? /ContentType="(application\/vnd\.ms-office\.vbaProject)"/i.exec(ct);
      if (m) f.macroEnabledContentType = m[1]!;
    } else if (lower.endsWith('.rels') && e.size <= MAX_XML_PART) {
      const rels = read(e.name)?.toString('utf8') ?? '';
      for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
        const tag = m[0];
        if (!/TargetMode\s*=\s*"External"/i.test(tag)) continue;
        const type = /Type\s*=\s*"([^"]*)"/.exec(tag)?.[1] ?? '';
        const target = decodeXmlEntities(/Target\s*=\s*"([^"]*)"/.exec(tag)?.[1] ?? '');
        f.externalRelationships.push({ part: e.name, type: type.slice(type.lastIndexOf('/') + 1), target });
      }
    } else if (/^(xl\/workbook\.xml)$/i.test(lower)) {
      const wb = read(e.name)?.toString('utf8') ?? '';
      for (const m of wb.matchAll(/<definedName\b[^>]*name="([^"]*)"/g)) if (/auto_open/i.test(m[1]!)) f.autoOpenNames.push(m[1]!);
    } else if (/^xl\/workbook\.bin$/i.test(lower)) {
      // BIFF12 defined names are UTF-16 strings inside BrtName records.
      const wb = read(e.name);
      // The strings may start at an odd offset: read both alignments.
      if (wb) for (const text of [wb.toString('utf16le'), wb.subarray(1).toString('utf16le')]) for (const m of text.matchAll(/_xlnm\.Auto_Open\w*|Auto_Open\w*/gi)) f.autoOpenNames.push(m[0]);
    } else if (/^(word\/(document|header\d*|footer\d*|footnotes|endnotes)\.xml)$/i.test(lower) && e.size <= MAX_XML_PART) {
      const xml = read(e.name)?.toString('utf8') ?? '';
      // Field codes are split over runs: join the instrText runs and fldSimple instructions.
      const instr = [...xml.matchAll(/<w:instrText[^>]*>([\s\S]*?)<\/w:instrText>/g)].map((m) => decodeXmlEntities(m[1]!)).join('');
      const simple = [...xml.matchAll(/<w:fldSimple[^>]*w:instr="([^"]*)"/g)].map((m) => decodeXmlEntities(m[1]!));
      for (const s of [instr, ...simple]) {
        for (const m of s.matchAll(/\b(DDEAUTO|DDE)\b[^\\]*/g)) f.dde.push(m[0].trim());
      }
    } else if (/^xl\/externallinks\/[^/]+\.bin$/i.test(lower)) {
      const bin = read(e.name);
      const link = bin ? ddeFromSupBook(bin) : null;
      if (link) f.dde.push(link);
    } else if (/^xl\/externallinks\/[^/]+\.xml$/i.test(lower)) {
      const xml = read(e.name)?.toString('utf8') ?? '';
      const link = /<ddeLink\b[^>]*ddeService="([^"]*)"[^>]*ddeTopic="([^"]*)"/.exec(xml);
      if (link) f.dde.push(`${decodeXmlEntities(link[1]!)} ${decodeXmlEntities(link[2]!)}`);
    }
  }
  f.autoOpenNames = [...new Set(f.autoOpenNames)];
  return f;
}
