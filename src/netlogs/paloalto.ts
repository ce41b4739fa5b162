// Palo Alto Networks PAN-OS logs in their CSV form, as the firewall sends them over syslog
// ("<14>Oct 30 09:46:12 fw01 1,2012/10/30 09:46:12,001606001116,THREAT,url,…") or as the web
// interface exports them (a header row, then the same columns). Field positions are those of
// the PAN-OS administrator's guide, "Syslog Field Descriptions":
//   0 FUTURE_USE, 1 Receive Time, 2 Serial, 3 Type, 4 Subtype, 5 FUTURE_USE, 6 Generated Time,
//   7 Source Address, 8 Destination Address, 9 NAT Source IP, 10 NAT Destination IP, 11 Rule,
//   12 Source User, 13 Destination User, 14 Application, … 24 Source Port, 25 Destination Port,
//   … 29 Protocol, 30 Action; TRAFFIC then has bytes and counters (82 Source Hostname from
//   PAN-OS 10.0 on), THREAT has 31 URL/Filename (the URL of a "url" subtype log).
// Times are the firewall's local time without a zone: `offsetMinutes` (0 by default) gives it.
import { blankOrComment, countUnreadable, DateTimeClock, hostOfUrl, looksLikeIp, type NetLineParser, newNetLogStats, normaliseHost, orNull, portOfUrl, splitCsv, toPort } from './common.js';
import type { NetEvent, NetLogStats } from './types.js';

const P = { receiveTime: 1, type: 3, subtype: 4, generatedTime: 6, src: 7, dst: 8, srcUser: 12, dport: 25, proto: 29, action: 30, misc: 31, trafficSrcHost: 82 } as const;

/** Log types PAN-OS writes; those other than TRAFFIC and THREAT carry no request of a host. */
export const PANOS_TYPES = new Set(['TRAFFIC', 'THREAT', 'SYSTEM', 'CONFIG', 'HIPMATCH', 'GLOBALPROTECT', 'USERID', 'AUTHENTICATION', 'DECRYPTION', 'CORRELATION', 'GTP', 'SCTP', 'TUNNEL', 'IPTAG', 'AUDIT']);

/**
 * Where the CSV record starts in a line: at its start for an export, after the syslog header
 * for a forwarded log. Found from the type field (index 3): three commas back, then back to
 * the blank that ends the syslog header. -1 when the line has no known type there.
 */
export function panosRecordStart(line: string): number {
  // The earliest of the two common types: a URL further on may contain either word.
  const traffic = line.indexOf(',TRAFFIC,');
  const threat = line.indexOf(',THREAT,');
  let at = traffic < 0 ? threat : threat < 0 ? traffic : Math.min(traffic, threat);
  if (at < 0) {
    for (const t of PANOS_TYPES) {
      const i = line.indexOf(',' + t + ',');
      if (i > 0 && (at < 0 || i < at)) at = i;
    }
  }
  return at > 0 ? startBefore(line, at) : -1;
}

function startBefore(line: string, typeComma: number): number {
  const serialComma = line.lastIndexOf(',', typeComma - 1);
  const timeComma = serialComma <= 0 ? -1 : line.lastIndexOf(',', serialComma - 1);
  if (timeComma < 0) return -1;
  const blank = line.lastIndexOf(' ', timeComma);
  return blank + 1;
}

export class PanOsParser implements NetLineParser {
  readonly stats: NetLogStats = newNetLogStats();
  private readonly clock: DateTimeClock;
  /** The export header's Source Hostname column; undefined until a header is read (syslog). */
  private hostColumn: number | undefined;

  /** `offsetMinutes`: the firewall's zone, east of UTC (PAN-OS writes local time). */
  constructor(offsetMinutes = 0) {
    this.clock = new DateTimeClock(offsetMinutes);
  }

  line(lineNo: number, text: string): NetEvent | null {
    if (blankOrComment(this.stats, text)) return null;
    const start = panosRecordStart(text);
    if (start < 0) {
      // The web interface's export begins with its column names. Its columns past Action
      // differ from the syslog order by PAN-OS version: the host name is found by its name.
      if (text.startsWith('Domain,Receive Time,')) {
        this.stats.recognised++;
        this.hostColumn = splitCsv(text).findIndex((c) => c.trim().toLowerCase() === 'source hostname');
      } else countUnreadable(this.stats, lineNo, text);
      return null;
    }
    const f = splitCsv(text, start);
    const type = f[P.type]!;
    if (type !== 'TRAFFIC' && type !== 'THREAT') {
      this.stats.recognised++;
      return null;
    }
    if (f.length <= P.action) {
      countUnreadable(this.stats, lineNo, text);
      return null;
    }
    const time = this.time(f[P.generatedTime]!) ?? this.time(f[P.receiveTime]!);
    const src = f[P.src]!;
    if (time === null || !looksLikeIp(src)) {
      countUnreadable(this.stats, lineNo, text);
      return null;
    }
    const dst = f[P.dst]!;
    const subtype = f[P.subtype]!;
    const isUrl = type === 'THREAT' && subtype === 'url';
    const url = isUrl ? orNull(f[P.misc]) : null;
    const dport = f[P.proto] === 'icmp' ? null : toPort(f[P.dport]);
    this.stats.recognised++;
    return {
      line: lineNo,
      time,
      kind: isUrl ? 'http' : 'conn',
      clientIp: src,
      clientName: this.clientName(f, type),
      user: orNull(f[P.srcUser]),
      url,
      host: url ? hostOfUrl(url) : null,
      dstIp: looksLikeIp(dst) ? dst : null,
      dstPort: dport ?? (url ? portOfUrl(url) : null),
      action: orNull(f[P.action]),
    };
  }

  /**
   * Source Hostname (PAN-OS 10.0 on): a syslog TRAFFIC record's field 82; in an export, the
   * column its header names (none when the header has no such column).
   */
  private clientName(f: string[], type: string): string | null {
    const at = this.hostColumn === undefined ? (type === 'TRAFFIC' ? P.trafficSrcHost : -1) : this.hostColumn;
    return at >= 0 ? normaliseHost(orNull(f[at])) : null;
  }

  /** "2012/04/10 04:39:58" local, or an ISO 8601 stamp with its zone (Strata Logging Service). */
  private time(s: string): string | null {
    if (s.length === 19 && s.charCodeAt(10) === 0x20) return this.clock.iso(s.slice(0, 10), s.slice(11));
    if (s.length > 19 && s.charCodeAt(10) === 0x54 /* T */) {
      const t = Date.parse(s);
      return Number.isNaN(t) ? null : new Date(t).toISOString();
    }
    return null;
  }
}
