// Reading a feed file: recognise it from its first lines, then stream it row by row and hand
// the entries over in batches (one per read chunk of the file, so memory stays flat on a
// URLhaus dump of a million rows). Plain or gzip-compressed; UTF-8, or UTF-16 as Windows
// tools save a pasted list. A ThreatFox JSON export streams too, one ioc_id member at a time.
import { basename } from 'node:path';
import { readLineBatches, type LineReadStats } from '../logs/line-reader.js';
import { detectFeed } from './detect-feed.js';
import type { FeedRowReader, RowOutcome } from './feed-row.js';
import { feedEncoding, firstBytes, lineBatches, textChunks, type FeedEncoding } from './feed-text.js';
import { FeodoCsvReader, FeodoTextReader } from './feodo.js';
import { IocListReader } from './ioc-list.js';
import { ThreatfoxCsvReader, threatfoxJsonRows } from './threatfox.js';
import type { FeedEntry, FeedReadResult } from './types.js';
import { UrlhausCsvReader, UrlhausTextReader } from './urlhaus.js';

export const FEED_LIMITS = {
  /** Lines the format is recognised from (the abuse.ch banners are under twenty lines). */
  headLines: 200,
  /** Unreadable rows kept as samples (all are counted). */
  samples: 20,
  /** Characters of an unreadable row kept in its sample. */
  sampleChars: 200,
  /** Entries of a JSON export handed over at once. */
  batchEntries: 5000,
};

export interface FeedReadOutcome extends FeedReadResult {
  /**
   * Indicators read but not turned into entries because no network log can match them:
   * file hashes (ThreatFox md5/sha256 IOCs, hashes in a list) and mail addresses.
   */
  unmatchable: { hashes: number; emails: number };
}

export interface ReadFeedOptions {
  /** Read a file that is no known feed as a plain list of indicators (--ioc). */
  asList?: boolean;
}

function readerFor(format: string): FeedRowReader | 'json' {
  switch (format) {
    case 'urlhaus-csv':
      return new UrlhausCsvReader();
    case 'urlhaus-text':
      return new UrlhausTextReader();
    case 'feodo-ipblocklist-csv':
      return new FeodoCsvReader();
    case 'feodo-ipblocklist-txt':
      return new FeodoTextReader();
    case 'threatfox-csv':
      return new ThreatfoxCsvReader();
    case 'threatfox-json':
      return 'json';
    default:
      throw new Error(`no reader for feed format ${format}`);
  }
}

/**
 * Read one feed file. Entries go to `onEntries` as they are read; the result says what the
 * file was and what could not be read. Throws when the file is no feed this reads (and
 * `asList` is not set) or cannot be read at all.
 */
export async function readFeed(path: string, onEntries: (e: FeedEntry[]) => void, opts: ReadFeedOptions = {}): Promise<FeedReadOutcome> {
  const head = await firstBytes(path, 4);
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    throw new Error('a ZIP archive: extract the export first (URLhaus csv.txt, ThreatFox full_*.csv or .json)');
  }
  const encoding = feedEncoding(head);
  const stats: LineReadStats = { nonUtf8Lines: 0, cutLines: 0 };
  const batches = encoding === 'utf-8' ? readLineBatches(path, stats) : lineBatches(textChunks(path, encoding));

  let reader: FeedRowReader | 'json' | null = null;
  const result: FeedReadOutcome = { source: 'list', format: 'list', entries: 0, unreadable: 0, samples: [], unmatchable: { hashes: 0, emails: 0 } };
  const note = (line: number, text: string, outcome: RowOutcome, out: FeedEntry[]): void => {
    if (outcome === 'ignore') return;
    if ('unreadable' in outcome) {
      result.unreadable++;
      if (result.samples.length < FEED_LIMITS.samples) result.samples.push({ line, text: text ? `${text.slice(0, FEED_LIMITS.sampleChars)} (${outcome.unreadable})` : outcome.unreadable });
    } else if ('unmatchable' in outcome) {
      if (outcome.unmatchable === 'hash') result.unmatchable.hashes++;
      else result.unmatchable.emails++;
    } else {
      out.push(outcome);
    }
  };
  let lineNo = 0;
  const consume = (r: FeedRowReader, lines: string[]): void => {
    const out: FeedEntry[] = [];
    for (const raw of lines) {
      lineNo++;
      const text = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      note(lineNo, text, r.row(text, lineNo), out);
    }
    if (out.length) {
      result.entries += out.length;
      onEntries(out);
    }
  };
  const choose = (sample: string[]): FeedRowReader | 'json' => {
    const found = detectFeed(sample, basename(path));
    const r = found ? readerFor(found.format) : opts.asList ? new IocListReader() : null;
    if (!r) throw new Error('not a feed this tool reads (URLhaus, Feodo Tracker or ThreatFox export); give a plain list of indicators with --ioc');
    result.source = found?.source ?? 'list';
    result.format = found?.format ?? 'list';
    return r;
  };

  const pending: string[] = [];
  let json = false;
  for await (const batch of batches) {
    if (reader === null) {
      for (const l of batch) pending.push(l);
      if (pending.length < FEED_LIMITS.headLines) continue;
      reader = choose(pending);
      if (reader === 'json') {
        json = true;
        break;
      }
      consume(reader, pending);
      pending.length = 0;
      continue;
    }
    consume(reader, batch);
  }
  if (reader === null) {
    reader = choose(pending);
    if (reader === 'json') json = true;
    else consume(reader, pending);
  }
  if (json) await readThreatfoxJson(path, encoding, result, note, onEntries);
  return result;
}

async function readThreatfoxJson(
  path: string,
  encoding: FeedEncoding,
  result: FeedReadOutcome,
  note: (line: number, text: string, o: RowOutcome, out: FeedEntry[]) => void,
  onEntries: (e: FeedEntry[]) => void,
): Promise<void> {
  let out: FeedEntry[] = [];
  const flush = (): void => {
    if (!out.length) return;
    result.entries += out.length;
    onEntries(out);
    out = [];
  };
  try {
    for await (const { line, outcome } of threatfoxJsonRows(textChunks(path, encoding))) {
      note(line, '', outcome, out);
      if (out.length >= FEED_LIMITS.batchEntries) flush();
    }
  } catch (e) {
    if (e instanceof SyntaxError) throw new Error(`ThreatFox JSON export cannot be parsed: ${e.message}`);
    throw e;
  } finally {
    flush();
  }
}
