// ThreatFox (abuse.ch) IOC exports, CSV and JSON (`/export/csv/…`, `/export/json/…`: recent,
// full, by type). The CSV has a "#" banner whose last line names the columns, commented and
// quoted, and puts a space after each comma of a row:
//   # "first_seen_utc","ioc_id","ioc_value","ioc_type","threat_type","fk_malware",
//     "malware_alias","malware_printable","last_seen_utc","confidence_level",
//     "is_compromised","reference","tags","anonymous","reporter"
// (`is_compromised` is a later addition; older exports have fourteen columns). An empty
// cell is written "None". The JSON export is an object of ioc_id → array of records with
// the same keys (less ioc_id); its tags and aliases are comma-separated strings or null.
// ioc_type is url, domain, ip:port, md5_hash or sha256_hash: hashes name files, not places
// on the network, so they are counted and passed over.
// Sources: https://threatfox.abuse.ch/export/ and https://threatfox.abuse.ch/api/.
import { cell, CsvLayout, tagList, utcStamp, type FeedRowReader, type RowOutcome } from './feed-row.js';
import { normaliseHost, normaliseUrl, parseIndicator } from './indicator.js';

export const THREATFOX_COLUMNS = [
  'first_seen_utc', 'ioc_id', 'ioc_value', 'ioc_type', 'threat_type', 'fk_malware', 'malware_alias', 'malware_printable',
  'last_seen_utc', 'confidence_level', 'is_compromised', 'reference', 'tags', 'anonymous', 'reporter',
] as const;
export const THREATFOX_COLUMNS_V1 = THREATFOX_COLUMNS.filter((c) => c !== 'is_compromised');

/** A ThreatFox header line, commented or not. */
export function isThreatfoxHeader(text: string): boolean {
  return /^#?\s*"?first_seen_utc"?\s*,\s*"?ioc_id"?\s*,\s*"?ioc_value"?/i.test(text.trim());
}

/** The cells of one ThreatFox record, by column key (see columnKey). */
export type ThreatfoxRecord = (key: string) => string | null;

/** One ThreatFox record as an entry, whatever export it came from. */
export function threatfoxEntry(get: ThreatfoxRecord, line: number, id: string | null): RowOutcome {
  const type = (get('ioctype') ?? '').toLowerCase();
  const raw = get('iocvalue');
  if (!raw) return { unreadable: 'no ioc_value' };
  if (/hash$/.test(type)) return { unmatchable: 'hash' };
  let kind: 'url' | 'domain' | 'ip' | 'ip-port';
  let value: string;
  let host: string | null;
  let port: number | null;
  if (type === 'url') {
    const u = normaliseUrl(raw);
    if (!u) return { unreadable: 'ioc_value is not a URL' };
    [kind, value, host, port] = ['url', u.url, u.host, u.port];
  } else if (type === 'domain') {
    const h = normaliseHost(raw);
    if (!h || !h.includes('.')) return { unreadable: 'ioc_value is not a domain' };
    [kind, value, host, port] = ['domain', h, h, null];
  } else if (type === 'ip:port') {
    const ind = parseIndicator(raw);
    if (!ind || ind.kind === 'unmatchable' || ind.kind === 'url') return { unreadable: 'ioc_value is not an address and port' };
    [kind, value, host, port] = [ind.kind, ind.value, ind.host, ind.port];
  } else {
    return { unreadable: `unknown ioc_type ${type || '(empty)'}` };
  }
  const printable = get('malwareprintable');
  return {
    source: 'threatfox',
    line,
    kind,
    value,
    host,
    port,
    id,
    dateAdded: utcStamp(get('firstseenutc') ?? get('firstseen') ?? undefined),
    threat: printable && !/^unknown malware$/i.test(printable) ? printable : get('threattype'),
    tags: tagList(get('tags')),
    status: null,
    reference: get('reference'),
  };
}

export class ThreatfoxCsvReader implements FeedRowReader {
  readonly source = 'threatfox' as const;
  readonly format = 'threatfox-csv';
  private readonly layout = new CsvLayout(isThreatfoxHeader, [THREATFOX_COLUMNS, THREATFOX_COLUMNS_V1]);

  row(text: string, line: number): RowOutcome {
    const cells = this.layout.read(text);
    if (typeof cells !== 'function') return cells;
    const get: ThreatfoxRecord = (k) => cell(cells(k));
    return threatfoxEntry(get, line, get('iocid'));
  }
}

/** A JSON value of the export as cell text: arrays (tags, aliases in some exports) joined with commas. */
function jsonCell(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(String).join(',');
  if (typeof v === 'object') return null;
  return cell(String(v));
}

/** A member of the JSON export bigger than this is not parsed (one ioc_id's records are a few KB). */
export const THREATFOX_JSON_MEMBER_CHARS = 4 * 1024 * 1024;

/**
 * The entries of a JSON export, read as it streams: the top-level object is scanned
 * character by character and each member (`"<ioc_id>": [ … ]`) is parsed alone, so memory
 * holds one member, never the export. Each entry carries the line of its ioc_id key. A file
 * cut short yields the members before the cut and one unreadable outcome for the rest.
 * Throws a SyntaxError when the file is no JSON object at all.
 */
export async function* threatfoxJsonRows(chunks: AsyncIterable<string>): AsyncGenerator<{ line: number; outcome: RowOutcome }> {
  for await (const m of jsonObjectMembers(chunks, THREATFOX_JSON_MEMBER_CHARS)) {
    if ('unreadable' in m) {
      yield { line: m.line, outcome: { unreadable: m.unreadable } };
      continue;
    }
    const { key: id, line, value: records } = m;
    if (!Array.isArray(records)) {
      yield { line, outcome: { unreadable: `ioc_id ${id}: not an array of records` } };
      continue;
    }
    for (const r of records) {
      if (!r || typeof r !== 'object' || Array.isArray(r)) {
        yield { line, outcome: { unreadable: `ioc_id ${id}: a record that is not an object` } };
        continue;
      }
      const rec = r as Record<string, unknown>;
      const byKey = new Map<string, string | null>();
      for (const [k, v] of Object.entries(rec)) byKey.set(k.toLowerCase().replace(/[^a-z0-9]/g, ''), jsonCell(v));
      yield { line, outcome: threatfoxEntry((k) => byKey.get(k) ?? null, line, jsonCell(rec.ioc_id) ?? id) };
    }
  }
}

type JsonMember = { key: string; line: number; value: unknown } | { line: number; unreadable: string };

/**
 * The members of a top-level JSON object, one at a time, from streamed text: a small scanner
 * that tracks strings, escapes and nesting depth, and hands each member's value text to
 * JSON.parse. Values longer than `maxChars` are skipped (reported unreadable), not buffered.
 */
export async function* jsonObjectMembers(chunks: AsyncIterable<string>, maxChars: number): AsyncGenerator<JsonMember> {
  let line = 1;
  let started = false;
  let ended = false;
  let depth = 0; // nesting inside the top-level object's values
  let inString = false;
  let escaped = false;
  // Between members: reading a key, waiting for its colon, or inside its value.
  let phase: 'key' | 'colon' | 'value' = 'key';
  let key = '';
  let keyLine = 1;
  let keyText = '';
  let value = '';
  let tooLong = false;
  const finish = (): JsonMember => {
    const text = value.trim();
    value = '';
    if (tooLong) {
      tooLong = false;
      return { line: keyLine, unreadable: `ioc_id ${key}: a member longer than ${maxChars} characters` };
    }
    try {
      return { key, line: keyLine, value: JSON.parse(text) as unknown };
    } catch (e) {
      return { line: keyLine, unreadable: `ioc_id ${key}: ${(e as Error).message}` };
    }
  };
  for await (const chunk of chunks) {
    let valueFrom = phase === 'value' ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 0x0a) line++;
      if (ended) {
        if (c > 0x20) throw new SyntaxError(`text after the end of the JSON object (line ${line})`);
        continue;
      }
      if (!started) {
        if (c === 0x7b /* { */) started = true;
        else if (c > 0x20 && c !== 0xfeff) throw new SyntaxError('not a JSON object');
        continue;
      }
      if (phase === 'key') {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === 0x5c) escaped = true;
          else if (c === 0x22) {
            inString = false;
            key = keyText;
            phase = 'colon';
            continue;
          }
          keyText += chunk[i];
        } else if (c === 0x22) {
          inString = true;
          keyText = '';
          keyLine = line;
        } else if (c === 0x7d /* } */) ended = true;
        else if (c !== 0x2c && c > 0x20) throw new SyntaxError(`unexpected ${chunk[i]} where a key should be (line ${line})`);
        continue;
      }
      if (phase === 'colon') {
        if (c === 0x3a) {
          phase = 'value';
          valueFrom = i + 1;
        } else if (c > 0x20) throw new SyntaxError(`missing ':' after key "${key}" (line ${line})`);
        continue;
      }
      // phase === 'value'
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) inString = false;
        continue;
      }
      if (c === 0x22) inString = true;
      else if (c === 0x5b || c === 0x7b) depth++;
      else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
      else if (depth === 0 && (c === 0x2c || c === 0x7d)) {
        if (!tooLong) value += chunk.slice(valueFrom, i);
        yield finish();
        phase = 'key';
        valueFrom = -1;
        if (c === 0x7d) ended = true;
      }
    }
    if (phase === 'value' && valueFrom >= 0 && !tooLong) {
      value += chunk.slice(valueFrom);
      if (value.length > maxChars) {
        tooLong = true;
        value = '';
      }
    }
  }
  if (!started) throw new SyntaxError('not a JSON object');
  if (!ended) {
    // Cut short: the member being read, if any, is damaged; those before it stand.
    yield { line: phase === 'key' && !inString ? line : keyLine, unreadable: 'the export ends before its closing brace (file cut short?)' };
  }
}
