// One MTA log file in, LogMessages and LogEvents out through a sink: detect the format from
// the first lines (or take --log-format), then stream every line through its parser.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { cloudActivityFormat, readCloudActivity } from './cloud-activity.js';
import { csvLogFormat, readCsvLog } from './csv-logs.js';
import { EximParser } from './exim.js';
import { readLineBatches, type LineReadStats } from './line-reader.js';
import { PostfixParser } from './postfix.js';
import { SendmailParser } from './sendmail.js';
import { parseSyslogLine, startYearFor, SyslogClock } from './syslog.js';
import type { LogSink, LogStats } from './types.js';

export type LogFormat = 'postfix' | 'exim' | 'sendmail' | 'exchange' | 'm365' | 'entra-signin' | 'm365-audit';
export const LOG_FORMATS: LogFormat[] = ['postfix', 'exim', 'sendmail', 'exchange', 'm365', 'entra-signin', 'm365-audit'];

export interface LogReadOptions {
  format?: LogFormat;
  /** Year of the first line of classic syslog files (default: from the file's modification time). */
  year?: number;
  /** Offset of the log's local time from UTC, in minutes (classic syslog and Exim write local time without a zone). */
  offsetMinutes?: number;
  onLine?: (lineNo: number) => void;
  /** Awaited after each batch of lines: a reader on another thread waits here for its writer to catch up. */
  pause?: () => Promise<void> | void;
}

export interface LogReadResult {
  format: LogFormat;
  stats: LogStats;
  lineStats: LineReadStats;
  /** Messages still in the queue at the end of the file (emitted as incomplete). */
  unfinished: number;
}

const SAMPLE_LINES = 500;

export async function headLines(path: string, n: number): Promise<string[]> {
  const first = await new Promise<Buffer>((res, rej) => {
    const s = createReadStream(path, { start: 0, end: 1 });
    const c: Buffer[] = [];
    s.on('data', (d) => c.push(d as Buffer)).on('end', () => res(Buffer.concat(c))).on('error', rej);
  });
  const chunks: Buffer[] = [];
  let size = 0;
  const src = createReadStream(path, first[0] === 0x1f && first[1] === 0x8b ? {} : { end: 256 * 1024 });
  const stream = first[0] === 0x1f && first[1] === 0x8b ? src.pipe(createGunzip()) : src;
  for await (const c of stream as AsyncIterable<Buffer>) {
    chunks.push(c);
    size += c.length;
    if (size >= 256 * 1024) break;
  }
  src.destroy();
  const all = Buffer.concat(chunks);
  // UTF-16LE (Microsoft 365 exports): BOM, or NULs in every other byte.
  const utf16 = (all[0] === 0xff && all[1] === 0xfe) || (all.length > 4 && all[1] === 0 && all[3] === 0);
  return (utf16 ? all.toString('utf16le') : all.toString('latin1')).split(/\r?\n/).slice(0, n);
}

/** The log format of a file, from its first lines; null when it is none we read. */
export async function detectLogFormat(path: string): Promise<LogFormat | null> {
  const lines = await headLines(path, SAMPLE_LINES);
  const clock = new SyslogClock(2000);
  let postfix = 0;
  let sendmail = 0;
  let exim = 0;
  for (const l of lines) {
    if (EximParser.looksLikeExim(l)) exim++;
    const s = parseSyslogLine(l, clock);
    if (!s) continue;
    if (PostfixParser.isPostfixProgram(s.program)) postfix++;
    else if (SendmailParser.isSendmailProgram(s.program)) sendmail++;
  }
  const csv = csvLogFormat(lines) ?? cloudActivityFormat(lines);
  if (csv) return csv;
  const best = Math.max(postfix, sendmail, exim);
  if (best === 0) return null;
  return best === postfix ? 'postfix' : best === exim ? 'exim' : 'sendmail';
}

export async function readLogFile(path: string, sink: LogSink, opts: LogReadOptions = {}): Promise<LogReadResult> {
  const format = opts.format ?? (await detectLogFormat(path));
  if (!format) throw new Error('not a log format blastradius reads');
  const lineStats: LineReadStats = { nonUtf8Lines: 0, cutLines: 0 };
  const offset = opts.offsetMinutes ?? 0;
  let lineNo = 0;
  if (format === 'entra-signin' || format === 'm365-audit') {
    const r = await readCloudActivity(path, format, sink);
    return { format, stats: r.stats, lineStats, unfinished: 0 };
  }
  if (format === 'exchange' || format === 'm365') {
    const r = await readCsvLog(path, format, sink);
    return { format, stats: r.stats, lineStats, unfinished: r.unfinished };
  }
  if (format === 'exim') {
    const p = new EximParser(sink, 'exim', offset);
    try {
      for await (const batch of readLineBatches(path, lineStats)) {
        for (const l of batch) p.line(++lineNo, l);
        opts.onLine?.(lineNo);
        await opts.pause?.();
      }
    } catch (e) {
      // A read that breaks (a cut gzip stream): the messages begun before the break are facts too.
      p.end();
      throw e;
    }
    const unfinished = p.end();
    return { format, stats: p.stats, lineStats, unfinished };
  }
  const mtime = (await stat(path)).mtime;
  const firstMonth = /^([A-Z][a-z]{2}) /.exec((await headLines(path, 1))[0] ?? '')?.[1];
  const clock = new SyslogClock(opts.year ?? startYearFor(firstMonth, mtime), offset);
  const postfix = new PostfixParser(sink);
  const sendmail = new SendmailParser(sink);
  const primary = format === 'postfix' ? postfix : sendmail;
  try {
    for await (const batch of readLineBatches(path, lineStats)) {
      const terminatorFree = batch.terminatorFree === true;
      for (const l of batch) {
        lineNo++;
        const s = parseSyslogLine(l, clock, true, terminatorFree);
        if (!s) {
          primary.stats.lines++;
          primary.stats.foreign++;
          continue;
        }
        if (format === 'postfix') postfix.line(lineNo, s, true);
        else sendmail.line(lineNo, s, /\[(\d+)\]:/.exec(l)?.[1] ?? null);
      }
      opts.onLine?.(lineNo);
      await opts.pause?.();
    }
  } catch (e) {
    // A read that breaks (a cut gzip stream): the messages begun before the break are facts too.
    primary.end();
    throw e;
  }
  const unfinished = primary.end();
  return { format, stats: primary.stats, lineStats, unfinished };
}
