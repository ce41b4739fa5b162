// Each network log fixture read end to end: the format detected, the line counts, and the
// exact events of chosen lines (tests/fixtures/netlogs/NOTICE.md says where each came from).
import { describe, expect, it } from 'vitest';
import { readNetLog } from '../../src/netlogs/read-netlog.js';
import type { NetEvent, NetLogFormat, NetLogStats } from '../../src/netlogs/types.js';

const FIXTURES = new URL('../fixtures/netlogs/', import.meta.url);

async function read(rel: string, opts: { offsetMinutes?: number; format?: NetLogFormat } = {}) {
  const events: NetEvent[] = [];
  const r = await readNetLog(new URL(rel, FIXTURES).pathname, (batch) => {
    events.push(...batch);
  }, opts);
  return { format: r.format, stats: r.stats, events, at: (line: number) => events.find((e) => e.line === line) };
}

function counts(s: NetLogStats) {
  return { lines: s.lines, recognised: s.recognised, unreadable: s.unreadable };
}

/** An event with every field given: the tests name all eleven so that none goes unchecked. */
function ev(e: NetEvent): NetEvent {
  return e;
}

describe('squid native access.log', () => {
  it('reads requests, CONNECT tunnels and the hierarchy server address', async () => {
    const r = await read('squid/access-native.log');
    expect(r.format).toBe('squid');
    expect(counts(r.stats)).toEqual({ lines: 12, recognised: 11, unreadable: 1 });
    expect(r.stats.samples).toEqual([{ line: 11, text: 'this is not a squid line' }]);
    expect(r.events).toHaveLength(11);
    expect(r.at(1)).toEqual(ev({ line: 1, time: '2026-11-03T01:22:02.123Z', kind: 'http', clientIp: '10.20.1.15', clientName: null, user: null, url: 'http://www.example.com/index.html', host: 'www.example.com', dstIp: '203.0.113.10', dstPort: 80, action: 'TCP_MISS/200' }));
    // CONNECT by name: host and port from "host:443", the server from HIER_DIRECT/….
    expect(r.at(2)).toEqual(ev({ line: 2, time: '2026-11-03T01:22:03.004Z', kind: 'http', clientIp: '10.20.1.15', clientName: null, user: 'tanaka', url: 'login.example.net:443', host: 'login.example.net', dstIp: '198.51.100.7', dstPort: 443, action: 'TCP_TUNNEL/200' }));
    // The URL as written (case, root dot); the host normalised; HIER_NONE/- names no server.
    expect(r.at(3)).toEqual(ev({ line: 3, time: '2026-11-03T01:22:04.500Z', kind: 'http', clientIp: '10.20.1.22', clientName: null, user: null, url: 'http://Malware.Example./dl/invoice.doc?id=7781', host: 'malware.example', dstIp: null, dstPort: 80, action: 'TCP_DENIED/403' }));
    // log_fqdn: a name where the client address would be.
    expect(r.at(4)).toMatchObject({ clientIp: null, clientName: 'pc-0042.corp.example', user: 'k.sato', dstIp: '203.0.113.99', dstPort: 8443 });
    expect(r.at(5)).toMatchObject({ clientIp: '2001:db8:20::15', dstIp: '2001:db8:ff::50', action: 'TCP_REFRESH_UNMODIFIED/304' });
    // CONNECT to an IP: C2 IP:port matching needs dstIp and dstPort.
    expect(r.at(7)).toEqual(ev({ line: 7, time: '2026-11-03T01:22:08.100Z', kind: 'http', clientIp: '10.20.1.40', clientName: null, user: null, url: '203.0.113.45:443', host: '203.0.113.45', dstIp: '203.0.113.45', dstPort: 443, action: 'TCP_TUNNEL/200' }));
    // Denied before any connection: the target IP still names the server.
    expect(r.at(8)).toEqual(ev({ line: 8, time: '2026-11-03T01:22:09.200Z', kind: 'http', clientIp: '10.20.1.40', clientName: null, user: null, url: '198.51.100.9:8443', host: '198.51.100.9', dstIp: '198.51.100.9', dstPort: 8443, action: 'TCP_DENIED/403' }));
    // Through a parent cache, %<a is the parent: not the server.
    expect(r.at(9)).toMatchObject({ url: 'http://news.example.com/', host: 'news.example.com', dstIp: null, dstPort: 80 });
    expect(r.at(10)).toMatchObject({ url: '[2001:db8:ff::77]:443', host: '2001:db8:ff::77', dstIp: '2001:db8:ff::77', dstPort: 443 });
    // Squid 2 wrote DIRECT without HIER_.
    expect(r.at(12)).toMatchObject({ host: 'old.example.org', dstIp: '192.0.2.80', dstPort: 80 });
  });

  it('reads the fail2ban squid sample, comments and blank lines included', async () => {
    const r = await read('squid/fail2ban-squid.log');
    expect(r.format).toBe('squid');
    expect(counts(r.stats)).toEqual({ lines: 13, recognised: 13, unreadable: 0 });
    expect(r.events.map((e) => e.line)).toEqual([4, 7, 10, 13]);
    // 1386543323 is 2013-12-08 23:55:23 in fail2ban's test zone (CET), 22:55:23 UTC.
    expect(r.at(4)).toEqual(ev({ line: 4, time: '2013-12-08T22:55:23.000Z', kind: 'http', clientIp: '91.188.124.227', clientName: null, user: null, url: 'http://www.proxy-listen.de/azenv.php', host: 'www.proxy-listen.de', dstIp: null, dstPort: 80, action: 'TCP_DENIED/403' }));
    expect(r.at(7)).toEqual(ev({ line: 7, time: '2013-12-08T22:58:20.000Z', kind: 'http', clientIp: '175.44.0.184', clientName: null, user: null, url: 'error:method-not-allowed', host: null, dstIp: null, dstPort: null, action: 'NONE/405' }));
  });

  it('reads common and combined log format with their own zones', async () => {
    const c = await read('squid/access-common.log');
    expect(c.format).toBe('squid-common');
    expect(counts(c.stats)).toEqual({ lines: 4, recognised: 4, unreadable: 0 });
    expect(c.at(2)).toEqual(ev({ line: 2, time: '2026-11-03T01:22:03.000Z', kind: 'http', clientIp: '10.20.1.15', clientName: null, user: 'tanaka', url: 'login.example.net:443', host: 'login.example.net', dstIp: null, dstPort: 443, action: 'TCP_TUNNEL:HIER_DIRECT' }));
    expect(c.at(4)).toEqual(ev({ line: 4, time: '2026-11-03T01:22:08.000Z', kind: 'http', clientIp: '10.20.1.40', clientName: null, user: null, url: '203.0.113.45:443', host: '203.0.113.45', dstIp: '203.0.113.45', dstPort: 443, action: 'TCP_TUNNEL:HIER_DIRECT' }));
    const m = await read('squid/access-combined.log');
    expect(m.format).toBe('squid-common');
    expect(counts(m.stats)).toEqual({ lines: 2, recognised: 2, unreadable: 0 });
    expect(m.at(2)).toEqual(ev({ line: 2, time: '2026-11-03T00:22:05.000Z', kind: 'http', clientIp: '10.20.1.30', clientName: null, user: 'k.sato', url: 'https://cdn.example.org:8443/x.zip', host: 'cdn.example.org', dstIp: null, dstPort: 8443, action: 'TCP_MISS:HIER_DIRECT' }));
  });
});

describe('W3C extended logs', () => {
  it('reads a Blue Coat main-format log across two #Fields directives', async () => {
    const r = await read('w3c/bluecoat-main.log');
    expect(r.format).toBe('w3c');
    expect(counts(r.stats)).toEqual({ lines: 15, recognised: 15, unreadable: 0 });
    expect(r.events.map((e) => e.line)).toEqual([7, 8, 9, 10, 15]);
    expect(r.at(8)).toEqual(ev({ line: 8, time: '2026-11-03T01:22:03.000Z', kind: 'http', clientIp: '10.20.1.15', clientName: null, user: 'tanaka', url: 'login.example.net:443', host: 'login.example.net', dstIp: null, dstPort: 443, action: 'TCP_TUNNELED' }));
    expect(r.at(9)).toEqual(ev({ line: 9, time: '2026-11-03T01:22:04.000Z', kind: 'http', clientIp: '10.20.1.22', clientName: null, user: null, url: 'http://malware.example/dl/invoice.doc?id=7781', host: 'malware.example', dstIp: null, dstPort: 80, action: 'TCP_DENIED' }));
    expect(r.at(10)).toMatchObject({ url: 'https://cdn.example.org:8443/x.zip', dstPort: 8443, user: 'k.sato' });
    // The second layout: cs-uri whole, the server from r-ip/r-port.
    expect(r.at(15)).toEqual(ev({ line: 15, time: '2026-11-03T02:00:00.000Z', kind: 'http', clientIp: '10.20.1.40', clientName: null, user: null, url: 'http://update.example.com/a.cab', host: 'update.example.com', dstIp: '203.0.113.50', dstPort: 80, action: 'TCP_HIT' }));
  });

  it('reads lnav\'s IIS, IIS Advanced Logging and Oracle Web Cache samples', async () => {
    const iis = await read('w3c/lnav-iis.log');
    expect(iis.format).toBe('w3c');
    expect(counts(iis.stats)).toEqual({ lines: 5, recognised: 5, unreadable: 0 });
    expect(iis.at(5)).toEqual(ev({ line: 5, time: '2002-05-02T17:42:15.000Z', kind: 'http', clientIp: '172.22.255.255', clientName: null, user: null, url: '/images/picture.jpg', host: null, dstIp: '172.30.255.255', dstPort: 80, action: '200' }));
    const adv = await read('w3c/lnav-iis-advanced.log', { offsetMinutes: 0 });
    expect(counts(adv.stats)).toEqual({ lines: 10, recognised: 10, unreadable: 0 });
    expect(adv.at(8)).toEqual(ev({ line: 8, time: '2012-08-15T17:00:00.363Z', kind: 'http', clientIp: '70.95.0.0', clientName: null, user: null, url: 'http://xzy.example.com/Products/theProduct', host: 'xzy.example.com', dstIp: '1.2.3.4', dstPort: 80, action: '200' }));
    // date-local/time-local take the server's zone.
    const tokyo = await read('w3c/lnav-iis-advanced.log', { offsetMinutes: 540 });
    expect(tokyo.at(8)?.time).toBe('2012-08-15T08:00:00.363Z');
    expect(adv.at(9)).toMatchObject({ clientIp: null, url: 'http://example.hello.com/Topic/hw43061', action: '301' });
    expect(adv.at(10)).toMatchObject({ clientIp: '173.5.0.0', url: 'http://hello.example.com/hello/world/6,681965', action: '404' });
    const ora = await read('w3c/lnav-oracle-webcache.log');
    expect(counts(ora.stats)).toEqual({ lines: 7, recognised: 7, unreadable: 0 });
    expect(ora.at(7)).toEqual(ev({ line: 7, time: '2001-10-31T00:00:18.000Z', kind: 'http', clientIp: '64.103.37.2', clientName: 'client_joaz7', user: 'DMS.user', url: '/admin/images/oc_bottomleft.gif', host: null, dstIp: null, dstPort: null, action: '200' }));
  });
});

describe('Zscaler NSS web feed', () => {
  it('reads the default 34-field CSV, the port from eurl or the protocol', async () => {
    const r = await read('zscaler/nss-web.csv');
    expect(r.format).toBe('zscaler');
    expect(counts(r.stats)).toEqual({ lines: 3, recognised: 3, unreadable: 0 });
    expect(r.at(1)).toEqual(ev({ line: 1, time: '2026-11-03T01:22:02.000Z', kind: 'http', clientIp: '10.20.1.15', clientName: 'pc-0042', user: 'k.tanaka@example.co.jp', url: 'www.example.com/index.html', host: 'www.example.com', dstIp: '203.0.113.10', dstPort: 80, action: 'Allowed' }));
    expect(r.at(2)).toMatchObject({ url: 'login.example.net:443', host: 'login.example.net', dstIp: '198.51.100.7', dstPort: 443 });
    // A quoted comma stays in the URL; "NA" is no device name.
    expect(r.at(3)).toEqual(ev({ line: 3, time: '2026-11-03T01:22:04.000Z', kind: 'http', clientIp: '10.20.1.22', clientName: null, user: 'h.ogawa@example.co.jp', url: 'malware.example/dl/invoice.doc?id=7781,2', host: 'malware.example', dstIp: '198.51.100.66', dstPort: 80, action: 'Blocked' }));
  });
});

describe('Zeek logs', () => {
  it('reads the http-connect baseline: a CONNECT through a proxy', async () => {
    const r = await read('zeek/http-connect.http.log');
    expect(r.format).toBe('zeek-http');
    expect(counts(r.stats)).toEqual({ lines: 10, recognised: 10, unreadable: 0 });
    expect(r.events).toEqual([ev({ line: 9, time: '2004-03-02T12:57:32.284Z', kind: 'http', clientIp: '79.26.245.236', clientName: null, user: null, url: 'mailin03.sul.t-online.de:25 /', host: 'mailin03.sul.t-online.de', dstIp: '254.228.86.79', dstPort: 8240, action: null })]);
  });

  it('reads the http-pipelining baseline', async () => {
    const r = await read('zeek/http-pipelining.http.log');
    expect(counts(r.stats)).toEqual({ lines: 14, recognised: 14, unreadable: 0 });
    expect(r.events).toHaveLength(5);
    expect(r.at(13)).toEqual(ev({ line: 13, time: '2009-11-18T20:58:05.394Z', kind: 'http', clientIp: '192.168.1.104', clientName: null, user: null, url: 'http://www.mozilla.org/projects/calendar/images/header-sunbird.png', host: 'www.mozilla.org', dstIp: '63.245.209.11', dstPort: 80, action: null }));
  });

  it('reads dns and conn baselines (ICMP has no port; masked times are null)', async () => {
    const dns = await read('zeek/ipv6-frag.dns.log');
    expect(dns.format).toBe('zeek-dns');
    expect(counts(dns.stats)).toEqual({ lines: 11, recognised: 11, unreadable: 0 });
    expect(dns.at(10)).toEqual(ev({ line: 10, time: '2012-03-07T01:38:13.592Z', kind: 'dns', clientIp: '2001:470:1f11:81f:d138:5f55:6d4:1fe2', clientName: null, user: null, url: null, host: 'txtpadding_3230.n1.netalyzr.icsi.berkeley.edu', dstIp: '2607:f740:b::f93', dstPort: 53, action: 'NOERROR' }));
    const teredo = await read('zeek/teredo.conn.log');
    expect(teredo.format).toBe('zeek-conn');
    expect(counts(teredo.stats)).toEqual({ lines: 30, recognised: 30, unreadable: 0 });
    expect(teredo.events).toHaveLength(21);
    expect(teredo.at(23)).toEqual(ev({ line: 23, time: '2008-05-16T15:51:00.829Z', kind: 'conn', clientIp: '192.168.2.16', clientName: null, user: null, url: null, host: null, dstIp: '83.170.1.38', dstPort: 32900, action: null }));
    expect(teredo.at(29)).toMatchObject({ clientIp: 'fe80::8000:ffff:ffff:fffd', dstIp: 'ff02::2', dstPort: null });
    const erspan = await read('zeek/erspanII.conn.log');
    expect(counts(erspan.stats)).toEqual({ lines: 11, recognised: 11, unreadable: 0 });
    expect(erspan.events).toEqual([ev({ line: 10, time: null, kind: 'conn', clientIp: '23.0.0.2', clientName: null, user: null, url: null, host: null, dstIp: '23.0.0.3', dstPort: null, action: null })]);
  });

  it('reads the JSON writer\'s http, dns and conn logs', async () => {
    const http = await read('zeek/json-http.log');
    expect(http.format).toBe('zeek-http');
    expect(counts(http.stats)).toEqual({ lines: 3, recognised: 3, unreadable: 0 });
    expect(http.at(2)).toEqual(ev({ line: 2, time: '2026-11-03T01:22:04.250Z', kind: 'http', clientIp: '10.20.1.22', clientName: null, user: 'ogawa', url: 'http://Malware.Example:8080/dl/invoice.doc?id=7781', host: 'malware.example', dstIp: '198.51.100.66', dstPort: 8080, action: null }));
    expect(http.at(3)).toMatchObject({ url: 'login.example.net:443', host: 'login.example.net', dstPort: 3128 });
    const dns = await read('zeek/json-dns.log');
    expect(dns.format).toBe('zeek-dns');
    expect(dns.at(2)).toEqual(ev({ line: 2, time: '2026-11-03T01:22:06.250Z', kind: 'dns', clientIp: '10.20.1.40', clientName: null, user: null, url: null, host: 'c2.example.net', dstIp: '10.20.0.53', dstPort: 53, action: 'NXDOMAIN' }));
    const conn = await read('zeek/json-conn.log');
    expect(conn.format).toBe('zeek-conn');
    expect(conn.at(2)).toMatchObject({ kind: 'conn', dstPort: null, clientIp: 'fe80::8000:f227:bec8:61af' });
  });
});

describe('PAN-OS', () => {
  it('reads forwarded TRAFFIC and THREAT url records, skips SYSTEM', async () => {
    const r = await read('paloalto/syslog.log');
    expect(r.format).toBe('paloalto');
    expect(counts(r.stats)).toEqual({ lines: 5, recognised: 5, unreadable: 0 });
    expect(r.events.map((e) => e.line)).toEqual([1, 2, 3, 5]);
    expect(r.at(1)).toEqual(ev({ line: 1, time: '2026-11-03T10:22:02.000Z', kind: 'conn', clientIp: '10.20.1.15', clientName: 'pc-0042', user: 'example\\tanaka', url: null, host: null, dstIp: '198.51.100.7', dstPort: 443, action: 'allow' }));
    expect(r.at(2)).toEqual(ev({ line: 2, time: '2026-11-03T10:22:04.000Z', kind: 'http', clientIp: '10.20.1.22', clientName: null, user: 'example\\ogawa', url: 'malware.example/dl/invoice.doc?id=7781,2', host: 'malware.example', dstIp: '198.51.100.66', dstPort: 80, action: 'block-url' }));
    expect(r.at(3)).toMatchObject({ kind: 'conn', dstIp: '203.0.113.77', dstPort: 8080, action: 'deny', clientName: null });
    // The firewall's local time: Tokyo.
    const tokyo = await read('paloalto/syslog.log', { offsetMinutes: 540 });
    expect(tokyo.at(1)?.time).toBe('2026-11-03T01:22:02.000Z');
  });

  it('reads the web interface export with its header row', async () => {
    const r = await read('paloalto/export.csv');
    expect(r.format).toBe('paloalto');
    expect(counts(r.stats)).toEqual({ lines: 3, recognised: 3, unreadable: 0 });
    expect(r.at(2)).toEqual(ev({ line: 2, time: '2026-11-03T10:29:59.000Z', kind: 'conn', clientIp: '10.20.1.30', clientName: null, user: 'example\\sato', url: null, host: null, dstIp: '203.0.113.99', dstPort: 8443, action: 'allow' }));
  });
});

describe('FortiGate', () => {
  it('reads traffic, webfilter and DNS records; tz= is exact, event logs give none', async () => {
    const r = await read('fortigate/fortigate.log');
    expect(r.format).toBe('fortigate');
    expect(counts(r.stats)).toEqual({ lines: 6, recognised: 6, unreadable: 0 });
    expect(r.events.map((e) => e.line)).toEqual([1, 2, 3, 4, 5]);
    expect(r.at(1)).toEqual(ev({ line: 1, time: '2026-11-03T01:22:02.000Z', kind: 'conn', clientIp: '10.20.1.15', clientName: 'pc-0042', user: 'tanaka', url: null, host: null, dstIp: '198.51.100.7', dstPort: 443, action: 'close' }));
    // Older webfilter logs: the path in url= beside hostname=.
    expect(r.at(2)).toEqual(ev({ line: 2, time: '2026-11-03T01:22:04.000Z', kind: 'http', clientIp: '10.20.1.22', clientName: null, user: null, url: 'http://Malware.Example/dl/invoice.doc?id=7781', host: 'malware.example', dstIp: '198.51.100.66', dstPort: 80, action: 'blocked' }));
    expect(r.at(3)).toMatchObject({ url: 'https://cdn.example.org:8443/x.zip', user: 'sato', clientName: 'pc-0077' });
    // No tz=: read in the zone given (UTC by default).
    expect(r.at(4)).toEqual(ev({ line: 4, time: '2026-11-03T10:22:06.000Z', kind: 'dns', clientIp: '10.20.1.40', clientName: null, user: null, url: null, host: 'c2.example.net', dstIp: '10.20.0.53', dstPort: 53, action: 'block' }));
    expect(r.at(5)).toMatchObject({ time: '2026-11-03T01:22:07.000Z', dstIp: '203.0.113.77', dstPort: 8080, action: 'deny' });
    const tokyo = await read('fortigate/fortigate.log', { offsetMinutes: 540 });
    expect(tokyo.at(4)?.time).toBe('2026-11-03T01:22:06.000Z');
    expect(tokyo.at(1)?.time).toBe('2026-11-03T01:22:02.000Z');
  });
});

describe('Windows DNS debug log', () => {
  it('reads client queries and responses, not the server\'s own forwarding', async () => {
    const r = await read('windows-dns/dns-debug.log');
    expect(r.format).toBe('windows-dns');
    expect(counts(r.stats)).toEqual({ lines: 38, recognised: 38, unreadable: 0 });
    expect(r.events.map((e) => e.line)).toEqual([31, 34, 35, 36, 37]);
    expect(r.at(31)).toEqual(ev({ line: 31, time: '2026-11-03T10:22:02.000Z', kind: 'dns', clientIp: '10.20.1.15', clientName: null, user: null, url: null, host: 'www.example.com', dstIp: null, dstPort: null, action: null }));
    expect(r.at(36)).toEqual(ev({ line: 36, time: '2026-11-03T22:22:06.000Z', kind: 'dns', clientIp: '10.20.1.40', clientName: null, user: null, url: null, host: 'c2.example.net', dstIp: null, dstPort: null, action: 'NXDOMAIN' }));
    expect(r.at(37)).toMatchObject({ clientIp: 'fe80::c1d2:3e4f:5a6b:7c8d', host: 'example.co.jp' });
  });

  it('reads the ja-JP date, 24-hour and 12-hour (午前/午後 in CP932)', async () => {
    const r = await read('windows-dns/dns-debug-ja.log', { offsetMinutes: 540 });
    expect(r.format).toBe('windows-dns');
    expect(counts(r.stats)).toEqual({ lines: 3, recognised: 3, unreadable: 0 });
    expect(r.at(3)).toEqual(ev({ line: 3, time: '2026-11-03T13:22:06.000Z', kind: 'dns', clientIp: '10.20.1.40', clientName: null, user: null, url: null, host: 'c2.example.net', dstIp: null, dstPort: null, action: 'NXDOMAIN' }));
    const h12 = await read('windows-dns/dns-debug-ja-12h.log', { offsetMinutes: 540 });
    expect(h12.format).toBe('windows-dns');
    expect(counts(h12.stats)).toEqual({ lines: 3, recognised: 3, unreadable: 0 });
    expect(h12.events.map((e) => [e.line, e.time, e.host])).toEqual([
      [1, '2026-11-03T00:05:02.000Z', 'www.example.com'],
      [2, '2026-11-03T13:22:06.000Z', 'c2.example.net'],
      [3, '2026-11-03T03:00:00.000Z', 'noon.example.net'],
    ]);
  });
});
