// One proxy, DNS or firewall log file in, NetEvents out in batches: the format from the
// file's first lines (or the caller's word), then every line through that format's parser.
// Memory stays bounded whatever the file's size: one batch of lines (one read chunk, plain
// or gzip) is parsed, its events handed over and awaited, and only then is the next read.
import { readLineBatches, type LineReadStats } from '../logs/line-reader.js';
import type { NetLineParser } from './common.js';
import { DETECT_LINES, detectNetLogFormat } from './detect.js';
import { FortiGateParser } from './fortigate.js';
import { PanOsParser } from './paloalto.js';
import { SquidCommonParser, SquidNativeParser } from './squid.js';
import type { NetEvent, NetLogFormat, NetLogStats } from './types.js';
import { W3cParser } from './w3c.js';
import { WindowsDnsParser } from './windows-dns.js';
import { ZeekParser, zeekPathOf } from './zeek.js';
import { ZscalerParser } from './zscaler.js';

export const NET_LOG_FORMATS: NetLogFormat[] = ['squid', 'squid-common', 'w3c', 'zscaler', 'zeek-http', 'zeek-dns', 'zeek-conn', 'paloalto', 'fortigate', 'windows-dns'];

export interface NetLogReadOptions {
  /** Skip detection: read the file as this format. */
  format?: NetLogFormat;
  /**
   * Offset of the log's local time from UTC, in minutes east (+540 for Japan), for the formats
   * that write local time without a zone: PAN-OS, FortiGate logs without tz=, the Windows DNS
   * debug log, IIS date-local/time-local and a Zscaler feed set to a zone other than GMT.
   * 0 by default: such a log is read as if written in UTC. Epoch times (Squid, Zeek), W3C
   * date/time and times with their own zone are exact and never shifted.
   */
  offsetMinutes?: number;
  /**
   * Year for time stamps without one. None of the formats read here lacks a year (the syslog
   * header before a PAN-OS or FortiGate record is skipped, its record has full dates); the
   * option is accepted so that callers can pass the same options as for MTA logs.
   */
  year?: number;
  /** Called after each batch with the number of lines read so far. */
  onLine?: (n: number) => void;
}

export interface NetLogReadResult {
  format: NetLogFormat;
  stats: NetLogStats;
}

export function netLogParser(format: NetLogFormat, offsetMinutes = 0): NetLineParser {
  switch (format) {
    case 'squid':
      return new SquidNativeParser();
    case 'squid-common':
      return new SquidCommonParser();
    case 'w3c':
      return new W3cParser(offsetMinutes);
    case 'zscaler':
      return new ZscalerParser(offsetMinutes);
    case 'zeek-http':
    case 'zeek-dns':
    case 'zeek-conn':
      return new ZeekParser(zeekPathOf(format)!);
    case 'paloalto':
      return new PanOsParser(offsetMinutes);
    case 'fortigate':
      return new FortiGateParser(offsetMinutes);
    case 'windows-dns':
      return new WindowsDnsParser(offsetMinutes);
  }
}

/** The format of a file from its first lines (plain or gzip), or null when it is none of ours. */
export async function detectNetLogFile(path: string): Promise<NetLogFormat | null> {
  const gen = readLineBatches(path, { nonUtf8Lines: 0, cutLines: 0 });
  const head: string[] = [];
  try {
    for await (const batch of gen) {
      for (const l of batch) {
        head.push(l);
        if (head.length >= DETECT_LINES) break;
      }
      if (head.length >= DETECT_LINES) break;
    }
  } finally {
    await gen.return(undefined);
  }
  return detectNetLogFormat(head);
}

/**
 * Read one network log. `onBatch` gets the events of each batch of lines (batches with none
 * are not passed on) and is awaited before the next batch is read.
 */
export async function readNetLog(path: string, onBatch: (events: NetEvent[]) => void | Promise<void>, opts: NetLogReadOptions = {}): Promise<NetLogReadResult> {
  const lineStats: LineReadStats = { nonUtf8Lines: 0, cutLines: 0 };
  const gen = readLineBatches(path, lineStats);
  try {
    // Detection reads the first batches; they are kept and parsed first, not read again.
    const held: string[][] = [];
    let format = opts.format ?? null;
    if (!format) {
      const head: string[] = [];
      while (head.length < DETECT_LINES) {
        const r = await gen.next();
        if (r.done) break;
        held.push(r.value);
        for (const l of r.value) {
          if (head.length >= DETECT_LINES) break;
          head.push(l);
        }
      }
      format = detectNetLogFormat(head);
      if (!format) throw new Error('not a network log format blastradius reads');
    }
    const parser = netLogParser(format, opts.offsetMinutes ?? 0);
    let lineNo = 0;
    const feed = async (batch: string[]) => {
      const events: NetEvent[] = [];
      for (const l of batch) {
        const e = parser.line(++lineNo, l);
        if (e) events.push(e);
      }
      opts.onLine?.(lineNo);
      if (events.length > 0) await onBatch(events);
    };
    for (const batch of held) await feed(batch);
    held.length = 0;
    for (;;) {
      const r = await gen.next();
      if (r.done) break;
      await feed(r.value);
    }
    return { format, stats: parser.stats };
  } finally {
    await gen.return(undefined);
  }
}
