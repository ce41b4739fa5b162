// A small incident of known truth for the host-evidence tests: PCs that reach a URLhaus-listed
// payload URL in full, the same URL with another query, a file under a listed folder, the
// listed site's home page only, a Feodo Tracker C2 (through the proxy and, seen by Zeek,
// directly), a listed URL the proxy blocked, and PCs that reach nothing listed; EmoCheck on
// two of them; a host map for all. writeHostIncident() writes the files and returns, per PC,
// the verdict and the evidence (strength, file, lines) the analysis must give.
// Addresses are private (the PCs) or from the documentation ranges; names are under .example.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emocheckReport, emocheckReportName } from './sample-emocheck.js';
import { FEODO_BANNER, urlhausBanner } from './urlhaus-generator.js';

export interface HostTruth {
  host: string;
  ip: string;
  user: string;
  /** undefined: no verdict (nothing points at the PC, and it is not called clean). */
  verdict?: 'infected' | 'suspected' | 'clean';
  /** Each piece of evidence: a feed match (strength, log file, first and last line, hits) or an EmoCheck finding. */
  evidence: ({ strength: string; log: string; firstLine: number; lastLine: number; hits: number } | { emocheck: 'emotet-process' | 'emocheck-clean' })[];
}

export const INCIDENT_FEED = {
  payload: 'http://wp.kaisha-example.net/wp-content/plugins/x7Qe/invoice.php?id=4471',
  folder: 'http://blog.hoken-example.org/wp-admin/css/Rt5Lm/',
  site: 'http://shop.denki-example.com/cgi-bin/k2Vw/',
  c2: { ip: '192.0.2.77', port: 7080 },
  directC2: { ip: '198.51.100.200', port: 443 },
};

const PCS = [
  { host: 'PC-A', ip: '10.1.0.11', user: 'a@corp.example' }, // full URL, then C2 via the proxy
  { host: 'PC-B', ip: '10.1.0.12', user: 'b@corp.example' }, // the same URL, another query
  { host: 'PC-C', ip: '10.1.0.13', user: 'c@corp.example' }, // a file under a listed folder
  { host: 'PC-D', ip: '10.1.0.14', user: 'd@corp.example' }, // the listed site's home page only
  { host: 'PC-E', ip: '10.1.0.15', user: 'e@corp.example' }, // a direct C2 connection (Zeek conn.log)
  { host: 'PC-F', ip: '10.1.0.16', user: 'f@corp.example' }, // the full URL, blocked by the proxy
  { host: 'PC-G', ip: '10.1.0.17', user: 'g@corp.example' }, // nothing listed; EmoCheck clean
  { host: 'PC-H', ip: '10.1.0.18', user: 'h@corp.example' }, // nothing listed, no EmoCheck
] as const;

const T0 = Date.parse('2026-11-10T00:00:00Z');

function squid(ms: number, ip: string, status: string, method: string, url: string, peer: string): string {
  return `${(ms / 1000).toFixed(3)}    120 ${ip} ${status} 4120 ${method} ${url} - ${peer} text/html`;
}

function zeekConn(ms: number, uid: string, src: string, dst: string, port: number): string {
  return [(ms / 1000).toFixed(6), uid, src, '49770', dst, String(port), 'tcp', 'ssl', '31.2', '1820', '5400', 'SF', '-', '-', '0', 'ShADadFf', '14', '2400', '12', '5900', '-'].join('\t');
}

export function writeHostIncident(dir: string): { truth: HostTruth[]; files: { proxy: string; conn: string; urlhaus: string; feodo: string; hostMap: string; emocheck: string[] } } {
  mkdirSync(dir, { recursive: true });
  const f = INCIDENT_FEED;
  const [a, b, c, d, e, fpc, g, h] = PCS;
  // The proxy log: ordinary browsing by everyone, the planted requests at known lines.
  const lines: string[] = [];
  const at = (i: number) => T0 + i * 60_000;
  const browse = (i: number, pc: (typeof PCS)[number]) =>
    lines.push(squid(at(i), pc.ip, 'TCP_MISS/200', 'GET', `http://www.example.com/news/${i}.html`, 'HIER_DIRECT/192.0.2.10'));
  const plant = (text: string) => {
    lines.push(text);
    return lines.length;
  };
  PCS.forEach((pc, i) => browse(i, pc));
  const aUrl = plant(squid(at(10), a.ip, 'TCP_MISS/200', 'GET', f.payload, 'HIER_DIRECT/198.51.100.31'));
  const bUrl = plant(squid(at(11), b.ip, 'TCP_MISS/200', 'GET', f.payload.replace('id=4471', 'id=9090'), 'HIER_DIRECT/198.51.100.31'));
  const cPre = plant(squid(at(12), c.ip, 'TCP_MISS/200', 'GET', `${f.folder}Zx81.dll`, 'HIER_DIRECT/198.51.100.32'));
  const dDom = plant(squid(at(13), d.ip, 'TCP_MISS/200', 'GET', 'http://shop.denki-example.com/', 'HIER_DIRECT/198.51.100.33'));
  const fBlk = plant(squid(at(14), fpc.ip, 'TCP_DENIED/403', 'GET', f.payload, 'HIER_NONE/-'));
  PCS.forEach((pc, i) => browse(20 + i, pc));
  const aC2: number[] = [];
  for (let k = 0; k < 3; k++) aC2.push(plant(squid(at(30 + k * 30), a.ip, 'TCP_TUNNEL/200', 'CONNECT', `${f.c2.ip}:${f.c2.port}`, `HIER_DIRECT/${f.c2.ip}`)));
  PCS.forEach((pc, i) => browse(200 + i, pc));
  const proxy = join(dir, 'access.log');
  writeFileSync(proxy, lines.join('\n') + '\n');

  // Zeek conn.log: PC-E connects to a C2 directly (no proxy in the way), twice.
  const conn = join(dir, 'conn.log');
  const head = [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    '#unset_field\t-',
    '#path\tconn',
    '#open\t2026-11-10-00-00-00',
    '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents',
    '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]',
  ];
  const connRows = [
    zeekConn(at(40), 'CbA1x01', h.ip, '192.0.2.10', 443),
    zeekConn(at(41), 'CbA1x02', e.ip, f.directC2.ip, f.directC2.port),
    zeekConn(at(42), 'CbA1x03', g.ip, '192.0.2.10', 443),
    zeekConn(at(43), 'CbA1x04', e.ip, f.directC2.ip, f.directC2.port),
  ];
  writeFileSync(conn, [...head, ...connRows, '#close\t2026-11-10-23-59-59'].join('\n') + '\n');

  const q = (s: string) => `"${s}"`;
  const urlhaus = join(dir, 'csv.txt');
  const uRows = [
    ['4100003', '2026-11-09 21:00:00', f.payload, 'online', '2026-11-10 02:00:00', 'malware_download', 'emotet,epoch5,heodo', 'https://urlhaus.abuse.ch/url/4100003/', 'Cryptolaemus1'],
    ['4100002', '2026-11-09 20:10:00', f.folder, 'online', '2026-11-10 02:00:00', 'malware_download', 'emotet,epoch5', 'https://urlhaus.abuse.ch/url/4100002/', 'Cryptolaemus1'],
    ['4100001', '2026-11-09 19:30:00', f.site, 'offline', '2026-11-09 23:00:00', 'malware_download', 'emotet', 'https://urlhaus.abuse.ch/url/4100001/', 'Cryptolaemus1'],
  ];
  writeFileSync(
    urlhaus,
    [...urlhausBanner('CSV'), ...uRows.map((r) => r.map(q).join(','))].join('\n') + '\n',
  );
  const feodo = join(dir, 'ipblocklist.csv');
  writeFileSync(
    feodo,
    [
      ...FEODO_BANNER,
      '"first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"',
      `"2026-11-08 10:00:00","${f.c2.ip}","${f.c2.port}","online","2026-11-10","Emotet"`,
      `"2026-11-08 11:00:00","${f.directC2.ip}","${f.directC2.port}","online","2026-11-10","Emotet"`,
      '# END 2 entries',
    ].join('\n') + '\n',
  );
  const hostMap = join(dir, 'hosts.csv');
  writeFileSync(hostMap, ['host,ip,user', ...PCS.map((p) => `${p.host},${p.ip},${p.user}`)].join('\n') + '\n');
  const when = new Date('2026-11-11T01:00:00Z');
  const emocheck = [
    { host: 'PC-A', processes: [{ name: 'rundll32.exe', pid: 4412, path: 'C:\\Users\\a\\AppData\\Local\\Qwzkxe\\pqmrtv.kkl' }] },
    { host: 'PC-G', processes: [] },
  ].map((r) => {
    const p = join(dir, emocheckReportName(r.host, when));
    writeFileSync(p, emocheckReport({ host: r.host, time: when, processes: r.processes, lang: 'en', version: '2.0' }));
    return p;
  });

  const m = (strength: string, log: string, first: number, last = first, hits = 1) => ({ strength, log, firstLine: first, lastLine: last, hits });
  const truth: HostTruth[] = [
    { ...a, verdict: 'infected', evidence: [m('url', proxy, aUrl), m('c2', proxy, aC2[0]!, aC2[2]!, 3), { emocheck: 'emotet-process' }] },
    { ...b, verdict: 'infected', evidence: [m('url-no-query', proxy, bUrl)] },
    { ...c, verdict: 'suspected', evidence: [m('path-prefix', proxy, cPre)] },
    { ...d, verdict: 'suspected', evidence: [m('domain', proxy, dDom)] },
    // Zeek's lines: 8 header lines, then the rows.
    { ...e, verdict: 'infected', evidence: [m('c2', conn, 10, 12, 2)] },
    { ...fpc, verdict: 'suspected', evidence: [m('url', proxy, fBlk)] },
    { ...g, verdict: 'clean', evidence: [{ emocheck: 'emocheck-clean' }] },
    { ...h, evidence: [] },
  ];
  return { truth, files: { proxy, conn, urlhaus, feodo, hostMap, emocheck } };
}
