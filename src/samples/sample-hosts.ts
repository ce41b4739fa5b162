// The host evidence of the sample incident, from the same story as the mail: keiri's PC
// (PC-KEIRI, 10.0.1.14) opened a macro attachment on the morning of 5 November (JST), the
// macro fetched the Emotet DLL from a compromised WordPress site listed on URLhaus, and the PC
// then reached its C2 (listed on Feodo Tracker) through the proxy every 30 minutes until it
// was isolated on 7 November; the attacker's sends with keiri's and eigyo's passwords ran in
// between. yamada's PC opened the compromised site's home page only (a listed domain, no
// payload: suspected). EmoCheck was run on PC-KEIRI (detected) and PC-SOUMU (nothing found).
// Every address is from documentation ranges or private, every name under .example.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emocheckReport, emocheckReportName } from './sample-emocheck.js';
import { FEODO_BANNER, urlhausBanner } from './urlhaus-generator.js';

/** The PCs of the sample organisation: name, address, user. */
export const SAMPLE_PCS = [
  { host: 'PC-KEIRI', ip: '10.0.1.14', user: 'keiri@sample-shoji.example' },
  { host: 'PC-SOUMU', ip: '10.0.1.15', user: 'soumu@sample-shoji.example' },
  { host: 'PC-SATO', ip: '10.0.1.20', user: 'sato@sample-shoji.example' },
  { host: 'PC-SUZUKI', ip: '10.0.1.21', user: 'suzuki@sample-shoji.example' },
  { host: 'PC-YAMADA', ip: '10.0.1.22', user: 'yamada@sample-shoji.example' },
];

export const PAYLOAD_URL = 'http://shop.garden-example.net/wp-content/uploads/2026/11/Pp3qW/';
export const C2 = { ip: '203.0.113.45', port: 8080 };
const PAYLOAD_SERVER = '198.51.100.161';

const INFECTED_AT = Date.parse('2026-11-04T23:40:12Z');
const ISOLATED_AT = Date.parse('2026-11-07T01:00:00Z');

/** Deterministic pseudo-random numbers (mulberry32), so the samples are the same on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ORDINARY = [
  ['http://www.example.com/', '192.0.2.10', 'text/html'],
  ['http://news.example.jp/economy/20261105.html', '192.0.2.80', 'text/html'],
  ['http://intranet.sample-shoji.example/portal/', '10.0.0.5', 'text/html'],
  ['http://cdn.example.net/lib/app.js', '192.0.2.90', 'application/javascript'],
  ['http://weather.example.org/tokyo', '192.0.2.95', 'application/json'],
] as const;

interface ProxyLine {
  ms: number;
  text: string;
}

/** Squid's native access.log: time elapsed client code/status bytes method URL user hierarchy/peer type. */
function squid(ms: number, client: string, status: string, bytes: number, method: string, url: string, peer: string, type: string, elapsed: number): ProxyLine {
  const t = (ms / 1000).toFixed(3);
  return { ms, text: `${t} ${String(elapsed).padStart(6)} ${client} ${status} ${bytes} ${method} ${url} - ${peer} ${type}` };
}

export function sampleProxyLog(): string {
  const r = rng(20261104);
  const lines: ProxyLine[] = [];
  // Ordinary browsing by every PC, office hours (JST 09:00–18:00 = 00:00–09:00 UTC), 4–7 November.
  for (let day = 4; day <= 7; day++) {
    for (const pc of SAMPLE_PCS) {
      for (let i = 0; i < 12; i++) {
        const ms = Date.parse(`2026-11-0${day}T00:00:00Z`) + Math.floor(r() * 9 * 3600_000);
        if (ms > ISOLATED_AT && pc.host === 'PC-KEIRI') continue;
        const [url, ip, type] = ORDINARY[Math.floor(r() * ORDINARY.length)]!;
        lines.push(squid(ms, pc.ip, 'TCP_MISS/200', 2000 + Math.floor(r() * 60000), 'GET', url, `HIER_DIRECT/${ip}`, type, 20 + Math.floor(r() * 400)));
      }
    }
  }
  // The macro fetches the DLL: the full listed URL.
  lines.push(squid(INFECTED_AT, '10.0.1.14', 'TCP_MISS/200', 412_672, 'GET', PAYLOAD_URL, `HIER_DIRECT/${PAYLOAD_SERVER}`, 'application/octet-stream', 1830));
  // The bot reaches its C2 through the proxy every 30 minutes until the PC is isolated.
  for (let ms = INFECTED_AT + 95_000; ms < ISOLATED_AT; ms += 30 * 60_000) {
    lines.push(squid(ms, '10.0.1.14', 'TCP_TUNNEL/200', 5000 + Math.floor(r() * 3000), 'CONNECT', `${C2.ip}:${C2.port}`, `HIER_DIRECT/${C2.ip}`, '-', 60_000 + Math.floor(r() * 30_000)));
  }
  // yamada opens the compromised site's home page: the domain is listed, the page is not.
  lines.push(squid(Date.parse('2026-11-05T03:02:41Z'), '10.0.1.22', 'TCP_MISS/200', 18_233, 'GET', 'http://shop.garden-example.net/', `HIER_DIRECT/${PAYLOAD_SERVER}`, 'text/html', 240));
  lines.sort((a, b) => a.ms - b.ms);
  return lines.map((l) => l.text).join('\n') + '\n';
}

/** A URLhaus CSV export (csv_recent) in the published layout: the payload URL among others. */
export function sampleUrlhaus(): string {
  const head = urlhausBanner('CSV - recent URLs only');
  const rows: string[][] = [
    ['3301452', '2026-11-04 21:10:05', PAYLOAD_URL, 'offline', '2026-11-06 03:00:00', 'malware_download', 'Emotet,epoch5,heodo', 'https://urlhaus.abuse.ch/url/3301452/', 'Cryptolaemus1'],
    ['3301460', '2026-11-04 21:14:51', 'http://blog.tea-example.org/wp-admin/css/colors/ocean/', 'offline', '2026-11-05 10:00:00', 'malware_download', 'Emotet,epoch5,heodo', 'https://urlhaus.abuse.ch/url/3301460/', 'Cryptolaemus1'],
    ['3301471', '2026-11-05 02:03:17', 'http://192.0.2.200/bins/mips', 'online', '2026-11-06 23:10:00', 'malware_download', 'elf,mirai', 'https://urlhaus.abuse.ch/url/3301471/', 'geenensp'],
    ['3301488', '2026-11-05 08:30:44', 'https://files.example-share.net/d/8a7f2/Invoice_Nov.zip', 'online', '2026-11-06 22:00:00', 'malware_download', 'zip,Qakbot', 'https://urlhaus.abuse.ch/url/3301488/', 'pr0xylife'],
  ];
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return [...head, ...rows.map((r) => r.map(q).join(','))].join('\n') + '\n';
}

/** A Feodo Tracker IP blocklist (CSV) in the published layout: the C2 among others. */
export function sampleFeodo(): string {
  return [
    ...FEODO_BANNER,
    '# "first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"',
    `"2026-10-30 12:04:11","${C2.ip}","${C2.port}","online","2026-11-06","Emotet"`,
    '"2026-10-31 08:15:40","192.0.2.150","443","online","2026-11-06","Emotet"',
    '"2026-11-01 19:22:03","198.51.100.240","2222","offline","2026-11-02","QakBot"',
  ].join('\n') + '\n';
}

export function sampleHostMap(): string {
  return ['host,ip,user', ...SAMPLE_PCS.map((p) => `${p.host},${p.ip},${p.user}`)].join('\n') + '\n';
}

/** When EmoCheck was run on the PCs (the morning after the alert, UTC). */
const EMOCHECK_AT = new Date('2026-11-07T01:20:31Z');

/** The EmoCheck reports of PC-KEIRI (detected: the DLL the proxy log shows it fetch) and PC-SOUMU (nothing). */
export function sampleEmocheckReports(): { name: string; text: string }[] {
  const keiri = {
    name: 'regsvr32.exe',
    pid: 6412,
    path: 'C:\\Users\\keiri\\AppData\\Local\\Xfzkqwe\\jnbtmqv.dll',
    runKey: 'HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\jnbtmqv.dll',
  };
  const soumuAt = new Date(EMOCHECK_AT.getTime() + 14 * 60_000);
  return [
    { name: emocheckReportName('PC-KEIRI', EMOCHECK_AT), text: emocheckReport({ host: 'PC-KEIRI', time: EMOCHECK_AT, processes: [keiri], lang: 'ja', version: '2.0' }) },
    { name: emocheckReportName('PC-SOUMU', soumuAt), text: emocheckReport({ host: 'PC-SOUMU', time: soumuAt, processes: [], lang: 'ja', version: '2.0' }) },
  ];
}

/**
 * What the host evidence must show, from the story: PC-KEIRI infected (the listed payload
 * URL in full, the C2 on Feodo Tracker, EmoCheck's detection), PC-YAMADA suspected (the
 * listed domain only), PC-SOUMU clean by EmoCheck; the other PCs browsed and have no verdict.
 */
export function expectedHosts() {
  const c2 = [];
  for (let ms = INFECTED_AT + 95_000; ms < ISOLATED_AT; ms += 30 * 60_000) c2.push(ms);
  return {
    infected: ['PC-KEIRI'],
    suspected: ['PC-YAMADA'],
    clean: ['PC-SOUMU'],
    keiri: { firstPayload: new Date(INFECTED_AT).toISOString(), c2Connections: c2.length, firstC2: new Date(c2[0]!).toISOString(), lastC2: new Date(c2.at(-1)!).toISOString() },
  };
}

/** Writes `<sampleDir>/hosts/` (proxy log, feeds, EmoCheck reports) and `<sampleDir>/host-map.csv`. */
export function writeSampleHosts(sampleDir: string): void {
  const dir = join(sampleDir, 'hosts');
  rmSync(dir, { recursive: true, force: true });
  for (const d of ['proxy', 'feeds', 'emocheck']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'proxy', 'access.log'), sampleProxyLog());
  writeFileSync(join(dir, 'feeds', 'urlhaus-csv_recent.txt'), sampleUrlhaus());
  writeFileSync(join(dir, 'feeds', 'ipblocklist.csv'), sampleFeodo());
  for (const r of sampleEmocheckReports()) writeFileSync(join(dir, 'emocheck', r.name), r.text);
  writeFileSync(join(sampleDir, 'host-map.csv'), sampleHostMap());
}
