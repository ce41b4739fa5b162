// One file of evidence from a PC in, EndpointFindings out: recognise which tool wrote it
// (JPCERT/CC EmoCheck, Sysinternals Autoruns, Sophos Source of Infection) from its first
// lines, decode it (the three tools write UTF-8, UTF-16 with a BOM, or the ANSI code page
// of a Japanese Windows), and hand its lines to that tool's reader.
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import iconv from 'iconv-lite';
import { isAutorunsHeader, readAutoruns } from './autoruns.js';
import { looksLikeEmoCheckJson, looksLikeEmoCheckText, readEmoCheck } from './emocheck.js';
import { readSourceOfInfection, sourceOfInfectionHeader } from './source-of-infection.js';
import type { EndpointFinding, EndpointSource } from './types.js';

/**
 * The most of a file read. An EmoCheck report is under 2 KiB and an `autorunsc -a *` export
 * of a busy PC a few MiB (UTF-16); a Source of Infection log grows with the writes it
 * records but is capped by its own -logsize. A file larger than this is not one of them,
 * or is made to exhaust memory: it is refused, not read in part.
 */
export const MAX_EVIDENCE_BYTES = 64 * 1024 * 1024;

/** Unreadable lines kept as samples (all are counted): enough to see what went wrong, few enough that a hostile file cannot fill the case. */
export const MAX_SAMPLES = 20;

/** Characters of an unreadable line kept in a sample. */
const SAMPLE_CHARS = 300;

/** Lines of the file's head the detection looks at, as the input walker passes them. */
const HEAD_LINES = 50;

export interface EndpointReadResult {
  source: EndpointSource;
  findings: EndpointFinding[];
  /** Lines in the evidence that none of the reader's layouts explain. */
  unreadable: number;
  /** The first MAX_SAMPLES unreadable lines. */
  samples: { line: number; text: string }[];
}

export interface EndpointReadOptions {
  /**
   * Offset of the PC's local time from UTC, in minutes. EmoCheck writes its scan time and
   * Autoruns (without -t) its entry times in local time with no zone; they are taken as UTC
   * plus this offset (default 0: the times are stored as written). Set 540 for a PC in Japan.
   */
  offsetMinutes?: number;
}

/** What a tool's reader is told of a line it cannot explain. */
export type UnreadableSink = (line: number, text: string) => void;

/** Strip what a caller's decoding left in a head: NULs of UTF-16 read as 8-bit text, and any form of a BOM. */
function cleanHead(head: string): string[] {
  const text = head
    .replace(/\u0000/g, '')
    .replace(/^(?:\uFEFF|ï»¿|ÿþ|þÿ|\uFFFD{1,3})/, '');
  return text.split(/\r\n|\r|\n/).slice(0, HEAD_LINES);
}

/**
 * Which tool wrote a file, from its first lines (`head`, joined with '\n', maybe UTF-16 decoded
 * as 8-bit text) and, where the content alone is not decisive, its name. Null for anything
 * else: mail, MTA and proxy logs, threat feeds and plain text are never taken for evidence.
 */
export function detectEndpointEvidence(head: string, fileName: string): EndpointSource | null {
  const lines = cleanHead(head);
  const name = basename(fileName.replace(/\\/g, '/'));
  if (looksLikeEmoCheckJson(lines, name) || looksLikeEmoCheckText(lines, name)) return 'emocheck';
  if (lines.some(isAutorunsHeader)) return 'autoruns';
  if (sourceOfInfectionHeader(lines, name)) return 'source-of-infection';
  return null;
}

/** Read a file of at most MAX_EVIDENCE_BYTES; larger files are refused. */
async function readBounded(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    if (size > MAX_EVIDENCE_BYTES) {
      throw new Error(`${basename(path)} is ${size} bytes, more than the ${MAX_EVIDENCE_BYTES / 1024 / 1024} MiB an EmoCheck report, Autoruns export or Source of Infection log can be`);
    }
    const buf = Buffer.alloc(size);
    let at = 0;
    while (at < size) {
      const { bytesRead } = await fh.read(buf, at, size - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return buf.subarray(0, at);
  } finally {
    await fh.close();
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function validUtf8(b: Buffer): boolean {
  try {
    UTF8.decode(b);
    return true;
  } catch {
    return false;
  }
}

/** UTF-16LE without a BOM: NULs in most odd bytes of the start and few in the even ones (ASCII text in UTF-16). */
function looksUtf16le(b: Buffer): boolean {
  const n = Math.min(b.length, 512) & ~1;
  if (n < 8) return false;
  let odd = 0;
  let even = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) even++;
    if (b[i + 1] === 0) odd++;
  }
  return odd > n / 4 && even < n / 16;
}

function utf8OrCp932(b: Buffer): string {
  return validUtf8(b) ? b.toString('utf8') : iconv.decode(b, 'cp932');
}

/**
 * A line that is not all UTF-8. EmoCheck's lines are `<label> : <value>`, the label from the
 * program (UTF-8 or CP932) and the value from Windows through the OEM code page, so the two
 * halves, split at the first ": ", are decoded each on its own.
 */
function decodeMixedLine(line: Buffer): string {
  const colon = line.indexOf(': ');
  if (colon < 0) return utf8OrCp932(line);
  return utf8OrCp932(line.subarray(0, colon + 2)) + utf8OrCp932(line.subarray(colon + 2));
}

/**
 * The text of a file. A BOM names UTF-8 or UTF-16 (Autoruns writes UTF-16LE with a BOM).
 * Otherwise the bytes are UTF-8 where they are valid UTF-8, line by line, and CP932
 * elsewhere: EmoCheck's Japanese texts are UTF-8 in builds made with /utf-8 (the published
 * Visual Studio project) and CP932 in others, and the process name and image path it writes
 * are always converted with the OEM code page (utils.cpp WideCharToString, CP_OEMCP), so one
 * report can hold both.
 */
export function decodeEvidence(b: Buffer): string {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return b.subarray(3).toString('utf8');
  if (b[0] === 0xff && b[1] === 0xfe) return b.subarray(2).toString('utf16le');
  if (b[0] === 0xfe && b[1] === 0xff) return iconv.decode(b.subarray(2), 'utf16-be');
  if (looksUtf16le(b)) return b.toString('utf16le');
  if (validUtf8(b)) return b.toString('utf8');
  const out: string[] = [];
  let start = 0;
  while (start <= b.length) {
    let end = b.indexOf(0x0a, start);
    if (end < 0) end = b.length;
    out.push(decodeMixedLine(b.subarray(start, end)));
    start = end + 1;
  }
  return out.join('\n');
}

/**
 * Read one file of PC evidence. Throws (one line) when the file is none of the three tools'
 * formats or is too large to be one.
 */
export async function readEndpointEvidence(path: string, opts: EndpointReadOptions = {}): Promise<EndpointReadResult> {
  const text = decodeEvidence(await readBounded(path));
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const name = basename(path);
  const source = detectEndpointEvidence(lines.slice(0, HEAD_LINES).join('\n'), name);
  if (!source) throw new Error(`${name} is not an EmoCheck report, an Autoruns export or a Source of Infection log`);

  let unreadable = 0;
  const samples: { line: number; text: string }[] = [];
  const sink: UnreadableSink = (line, t) => {
    unreadable++;
    if (samples.length < MAX_SAMPLES) samples.push({ line, text: t.length > SAMPLE_CHARS ? `${t.slice(0, SAMPLE_CHARS)}…` : t });
  };
  const offsetMinutes = opts.offsetMinutes ?? 0;
  const findings =
    source === 'emocheck'
      ? readEmoCheck(lines, name, offsetMinutes, sink)
      : source === 'autoruns'
        ? readAutoruns(lines, name, offsetMinutes, sink)
        : readSourceOfInfection(lines, name, offsetMinutes, sink);
  return { source, findings, unreadable, samples };
}
