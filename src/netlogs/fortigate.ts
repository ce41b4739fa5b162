// FortiGate (FortiOS) traffic and UTM logs: key=value pairs, values with blanks in double
// quotes ("FortiOS Log Message Reference"): date=2026-11-03 time=10:22:02 … srcip=… dstip=…
// dstport=… action="…" and, by log, srcname, user, hostname, url, qname. A syslog header may
// stand before "date=". The time is the FortiGate's local time: with tz="+0900" (FortiOS 6.2
// on) it is exact; without, `offsetMinutes` (0 by default) gives the zone.
import { blankOrComment, countUnreadable, digits, hostOfUrl, looksLikeIp, type NetLineParser, newNetLogStats, normaliseHost, orNull, parseClock, toPort, wallTimeToIso } from './common.js';
import type { NetEvent, NetLogStats } from './types.js';

type FortiFields = {
  date: string;
  time: string;
  tz: string;
  type: string;
  subtype: string;
  srcip: string;
  srcname: string;
  dstip: string;
  dstport: string;
  hostname: string;
  url: string;
  action: string;
  user: string;
  unauthuser: string;
  service: string;
  qname: string;
};

function emptyFields(): FortiFields {
  return { date: '', time: '', tz: '', type: '', subtype: '', srcip: '', srcname: '', dstip: '', dstport: '', hostname: '', url: '', action: '', user: '', unauthuser: '', service: '', qname: '' };
}

/** The pairs from `start` on; only the keys we use are kept. False when the text is not key=value. */
export function readFortiPairs(text: string, start: number, out: Record<string, string>): boolean {
  const n = text.length;
  let i = start;
  let pairs = 0;
  while (i < n) {
    while (i < n && text.charCodeAt(i) === 0x20) i++;
    if (i >= n) break;
    const eq = text.indexOf('=', i);
    if (eq < 0) return pairs > 0;
    const key = text.slice(i, eq);
    let value: string;
    if (text.charCodeAt(eq + 1) === 0x22) {
      // Quoted: up to the next quote not escaped by a backslash.
      let q = text.indexOf('"', eq + 2);
      while (q > 0 && text.charCodeAt(q - 1) === 0x5c) q = text.indexOf('"', q + 1);
      if (q < 0) q = n;
      value = text.slice(eq + 2, q);
      i = q + 1;
    } else {
      let sp = text.indexOf(' ', eq + 1);
      if (sp < 0) sp = n;
      value = text.slice(eq + 1, sp);
      i = sp;
    }
    if (key.indexOf(' ') >= 0) return false;
    pairs++;
    if (Object.hasOwn(out, key)) out[key] = value;
  }
  return pairs > 0;
}

/** tz="+0900" / "-0700" to minutes east of UTC; null when absent or not of that shape. */
function tzMinutes(tz: string): number | null {
  if (tz.length !== 5) return null;
  const sign = tz.charCodeAt(0) === 0x2d ? -1 : tz.charCodeAt(0) === 0x2b ? 1 : 0;
  const h = digits(tz, 1, 3);
  const m = digits(tz, 3, 5);
  if (!sign || Number.isNaN(h + m)) return null;
  return sign * (h * 60 + m);
}

export class FortiGateParser implements NetLineParser {
  readonly stats: NetLogStats = newNetLogStats();
  private lastKey = '';
  private lastIso: string | null = null;

  /** `offsetMinutes`: the FortiGate's zone, east of UTC, for logs that carry no tz=. */
  constructor(private readonly offsetMinutes = 0) {}

  line(lineNo: number, text: string): NetEvent | null {
    if (blankOrComment(this.stats, text)) return null;
    // A syslog header ("Nov  3 10:22:06 fw01 ") or priority ("<189>") may stand before date=.
    let start = 0;
    if (!text.startsWith('date=')) {
      const i = text.indexOf('date=');
      const before = i > 0 ? text.charCodeAt(i - 1) : 0;
      start = before === 0x20 || before === 0x3e ? i : -1;
    }
    const f = emptyFields();
    if (start < 0 || !readFortiPairs(text, start, f)) {
      countUnreadable(this.stats, lineNo, text);
      return null;
    }
    const time = this.time(f);
    if (time === null || f.type === '') {
      countUnreadable(this.stats, lineNo, text);
      return null;
    }
    this.stats.recognised++;
    if (f.type !== 'traffic' && f.type !== 'utm' && f.type !== 'dns') return null; // event logs: the box's own doings
    const dns = f.subtype === 'dns' || f.type === 'dns';
    const webish = f.hostname !== '' || f.url !== '';
    const dstPort = toPort(f.dstport);
    const url = dns ? null : this.url(f, dstPort);
    return {
      line: lineNo,
      time,
      kind: dns ? 'dns' : f.type === 'utm' && webish ? 'http' : 'conn',
      clientIp: looksLikeIp(f.srcip) ? f.srcip : null,
      clientName: normaliseHost(orNull(f.srcname)),
      user: orNull(f.user) ?? orNull(f.unauthuser),
      url,
      host: dns ? normaliseHost(orNull(f.qname)) : (normaliseHost(orNull(f.hostname)) ?? (url ? hostOfUrl(url) : null)),
      dstIp: looksLikeIp(f.dstip) ? f.dstip : null,
      dstPort,
      action: orNull(f.action),
    };
  }

  private time(f: FortiFields): string | null {
    const key = f.date + ' ' + f.time + ' ' + f.tz;
    if (key === this.lastKey) return this.lastIso;
    this.lastKey = key;
    this.lastIso = null;
    const d = f.date;
    const t = parseClock(f.time);
    if (d.length !== 10 || d.charCodeAt(4) !== 0x2d || d.charCodeAt(7) !== 0x2d || !t) return null;
    const y = digits(d, 0, 4);
    const mo = digits(d, 5, 7);
    const day = digits(d, 8, 10);
    if (Number.isNaN(y + mo + day)) return null;
    this.lastIso = wallTimeToIso(y, mo, day, t[0], t[1], t[2], t[3], tzMinutes(f.tz) ?? this.offsetMinutes);
    return this.lastIso;
  }

  /**
   * Web filter logs of older FortiOS write the path alone in url= beside hostname=; newer ones
   * the whole URL. A path is joined to its host, the scheme from service= or the port.
   */
  private url(f: FortiFields, port: number | null): string | null {
    const u = orNull(f.url);
    if (!u) return null;
    if (u.charCodeAt(0) !== 0x2f || f.hostname === '') return u;
    const svc = f.service.toLowerCase();
    const scheme = svc === 'https' || svc === 'http' ? svc : port === 443 ? 'https' : 'http';
    const portPart = port !== null && port !== (scheme === 'https' ? 443 : 80) ? `:${port}` : '';
    return `${scheme}://${f.hostname}${portPart}${u}`;
  }
}
