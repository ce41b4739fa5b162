// Zscaler Internet Access NSS web log, as the NSS feed writes it with its default CSV output
// format (help.zscaler.com, "NSS Feed Output Format: Web Logs"; the published sample line has
// these 34 quoted fields in this order):
//   time, login, proto, eurl, action, appname, appclass, reqsize, respsize, stime, ctime,
//   urlclass, urlsupercat, urlcat, malwarecat, threatname, riskscore, dlpeng, dlpdict,
//   location, dept, cip, sip, reqmethod, respcode, ua, ereferer, ruletype, rulelabel,
//   contenttype, unscannabletype, deviceowner, devicehostname, keyprotectiontype
// A feed with another field list is not this format: its lines are counted unreadable.
// %s{time} ("Mon Jun 20 15:29:11 2022") is in the feed's configured time zone, GMT unless the
// feed was set otherwise: `offsetMinutes` (0 by default) gives that zone, east of UTC.
import { blankOrComment, countUnreadable, hostOfUrl, looksLikeIp, type NetLineParser, newNetLogStats, parseClock, portOfUrl, splitCsv, wallTimeToIso } from './common.js';
import type { NetEvent, NetLogStats } from './types.js';

export const ZSCALER_WEB_FIELDS = 34;
const F = { time: 0, login: 1, proto: 2, eurl: 3, action: 4, location: 19, cip: 21, sip: 22, method: 23, status: 24, deviceHost: 32 } as const;

const MONTHS: Record<string, number> = { Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12 };

/** "Mon Jun 20 15:29:11 2022" (the day may be space-padded) to ISO UTC. */
export function nssTimeToIso(s: string, offsetMinutes: number): string | null {
  const p = s.split(' ').filter((x) => x !== '');
  if (p.length !== 5) return null;
  const mo = MONTHS[p[1]!];
  const d = Number(p[2]);
  const y = Number(p[4]);
  const t = parseClock(p[3]!);
  if (!mo || !Number.isInteger(d) || !Number.isInteger(y) || !t) return null;
  return wallTimeToIso(y, mo, d, t[0], t[1], t[2], t[3], offsetMinutes);
}

/** %s{proto} values that imply a port when eurl names none. */
const NSS_PROTO_PORTS: Record<string, number> = { HTTP: 80, HTTPS: 443, SSL: 443, FTP: 21 };

/** Zscaler writes "None", "NA" or "N/A" for a field with no value. */
function nss(v: string | undefined): string | null {
  if (v === undefined || v === '' || v === 'None' || v === 'NA' || v === 'N/A' || v === '-') return null;
  return v;
}

export class ZscalerParser implements NetLineParser {
  readonly stats: NetLogStats = newNetLogStats();
  private lastStamp = '';
  private lastIso: string | null = null;

  constructor(private readonly offsetMinutes = 0) {}

  line(lineNo: number, text: string): NetEvent | null {
    if (blankOrComment(this.stats, text)) return null;
    const f = splitCsv(text);
    if (f.length !== ZSCALER_WEB_FIELDS) {
      countUnreadable(this.stats, lineNo, text);
      return null;
    }
    const stamp = f[F.time]!;
    if (stamp !== this.lastStamp) {
      this.lastStamp = stamp;
      this.lastIso = nssTimeToIso(stamp, this.offsetMinutes);
    }
    const cip = f[F.cip]!;
    if (this.lastIso === null || !looksLikeIp(cip)) {
      countUnreadable(this.stats, lineNo, text);
      return null;
    }
    const url = nss(f[F.eurl]);
    const sip = f[F.sip]!;
    this.stats.recognised++;
    return {
      line: lineNo,
      time: this.lastIso,
      kind: 'http',
      clientIp: cip,
      clientName: nss(f[F.deviceHost])?.toLowerCase() ?? null,
      user: nss(f[F.login]),
      url,
      host: url ? hostOfUrl(url) : null,
      dstIp: looksLikeIp(sip) ? sip : null,
      // eurl carries no scheme: a port written into it, else the default port of the
      // protocol column (HTTP 80; HTTPS, and SSL for a tunnel not inspected, 443).
      dstPort: (url ? portOfUrl(url) : null) ?? NSS_PROTO_PORTS[f[F.proto]!.toUpperCase()] ?? null,
      action: nss(f[F.action]),
    };
  }
}
