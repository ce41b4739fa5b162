// A large Squid access.log (native format) shaped like a company proxy's, for `npm run bench`:
// a few thousand internal PCs, a few busy ones and many quiet ones, most lines CONNECT tunnels
// (HTTPS is not bumped), the rest plain HTTP to realistic hosts and paths, some cache hits and
// denials. Among them a known, small number of lines that hit the feed the bench lists beside
// it (PLANTED_FEED: the payload URL in full, the same URL with another query, another file in a
// listed folder, a listed host alone, and the Emotet C2 through a CONNECT), from three infected
// PCs; their counts per match strength are returned as the truth the scan must find.
// Deterministic for a seed; written as a stream, so 10 million lines cost no memory.
//
// No background host or server address can be in the generated feed (urlhaus-generator.ts):
// the background names carry no digits and feed hosts always do, and the address ranges are
// disjoint. Real proxies see shared hosters that URLhaus lists too (cdn.discordapp.com,
// raw.githubusercontent.com); they are left out so that every match is a planted one.
//
// writeSampleNetLog below writes every other network log format with fixed-pattern lines,
// for the parsers' throughput alone (no feed, no truth).
import type { MatchStrength } from '../analysis/feed-index.js';
import type { NetLogFormat } from '../netlogs/types.js';
import { prng } from './incident.js';
import { LineFile } from './line-file.js';

export interface ProxyLogOptions {
  path: string;
  /** Exactly this many lines (at least 1,000: room for the planted ones). */
  lines: number;
  seed?: number;
  /** Internal PCs (10.x addresses) in the log. */
  clients?: number;
}

/** Planted lines per match strength the feed index gives them. */
export type PlantedTruth = Record<Exclude<MatchStrength, 'ip'>, number>;

export interface ProxyLogResult {
  lines: number;
  bytes: number;
  clients: number;
  /** Lines that hit PLANTED_FEED, per strength: what a scan must find, no more. */
  planted: PlantedTruth;
  /** The infected PCs the planted lines come from. */
  infected: string[];
}

/**
 * What the planted lines hit: URLs the URLhaus export must list (urlhaus-generator.ts takes
 * them as `include`) and the C2 the Feodo Tracker list must hold. Emotet epoch 5 shapes: a
 * document macro fetching from a compromised WordPress site, then the C2 over TLS on 8080.
 */
export const PLANTED_FEED = {
  /** Listed with its query: requested as is (url) and with another query (url-no-query). */
  payloadUrl: 'http://hoken-clinic1988.jp/wp-content/uploads/2026/11/invoice.php?n=5531',
  /** A listed folder: another file under it is a path-prefix match. */
  folderUrl: 'http://suzuki-seitai7731.com/wp-admin/Kx9dQ2/',
  /** A listed URL whose host alone is requested (the site's home page, a CONNECT to it). */
  hostUrl: 'http://tanaka-koumuten5150.net/cgi-bin/Mx8vLq/',
  c2: { ip: '185.148.168.220', port: 8080, malware: 'Emotet' },
  tags: 'emotet,epoch5,heodo',
} as const;

const START = Date.UTC(2026, 10, 4, 0, 0, 0);
const POPULAR = [
  'www.google.com', 'www.google.co.jp', 'fonts.gstatic.com', 'fonts.googleapis.com', 'www.gstatic.com', 'apis.google.com', 'accounts.google.com',
  'www.yahoo.co.jp', 'news.yahoo.co.jp', 's.yimg.jp', 'www.youtube.com', 'i.ytimg.com', 'outlook.office365.com', 'login.microsoftonline.com',
  'www.office.com', 'teams.microsoft.com', 'graph.microsoft.com', 'settings-win.data.microsoft.com', 'ctldl.windowsupdate.com',
  'www.msftconnecttest.com', 'edge.microsoft.com', 'www.bing.com', 'clients.google.com', 'safebrowsing.googleapis.com',
  'update.googleapis.com', 'www.amazon.co.jp', 'images-fe.ssl-images-amazon.com', 'www.rakuten.co.jp', 'www.nikkei.com', 'www.nhk.or.jp',
  'www.asahi.com', 'mainichi.jp', 'www.jma.go.jp', 'www.e-gov.go.jp', 'www.nta.go.jp', 'www.slack.com', 'app.slack.com', 'zoom.us',
  'www.dropbox.com', 'www.box.com', 'github.com', 'api.github.com', 'www.salesforce.com', 'cdn.jsdelivr.net', 'cdnjs.cloudflare.com',
  'ajax.googleapis.com', 'connect.facebook.net', 'www.googletagmanager.com', 'www.google-analytics.com', 'ocsp.digicert.com',
  'ocsp.pki.goog', 'crl.microsoft.com', 'www.adobe.com', 'acroipm.adobe.com', 'www.mhlw.go.jp', 'www.jetro.go.jp', 'weather.yahoo.co.jp',
  'tenki.jp', 'www.kantei.go.jp', 'www.jpcert.or.jp',
];
const WORDS = [
  'sakura', 'fuji', 'kaisha', 'shoji', 'kogyo', 'denki', 'unyu', 'kensetsu', 'shokuhin', 'bussan', 'seimitsu', 'kagaku', 'ginko', 'hoken', 'travel',
  'hotel', 'clinic', 'dental', 'school', 'garden', 'coffee', 'bakery', 'books', 'music', 'sports', 'outdoor', 'fashion', 'kitchen', 'design',
  'print', 'office', 'support', 'portal', 'market', 'news', 'media', 'photo', 'studio', 'estate', 'auto', 'parts', 'energy', 'green', 'tokyo',
  'osaka', 'nagoya', 'fukuoka', 'sendai', 'kyoto', 'kobe',
];
const TLDS = ['co.jp', 'jp', 'com', 'net', 'or.jp', 'ne.jp', 'org'];
const PAGES = ['/', '/index.html', '/news/', '/products/', '/company/about.html', '/contact/', '/recruit/', '/ir/library/', '/blog/', '/faq/'];
const ASSETS = ['/favicon.ico', '/css/style.css', '/js/main.js', '/js/jquery.min.js', '/images/logo.png', '/images/top/main.jpg', '/wp-content/themes/theme/style.css', '/wp-includes/js/wp-emoji-release.min.js'];
const TYPES: Record<string, string> = { '.css': 'text/css', '.js': 'application/javascript', '.png': 'image/png', '.jpg': 'image/jpeg', '.ico': 'image/x-icon' };
/** Origin servers of the background traffic: first octets no generated feed entry uses. */
const SERVER_NETS = [13, 23, 34, 52, 104, 142, 151, 160, 172, 202];
const USERS = ['tanaka', 'suzuki', 'sato', 'keiri', 'soumu', 'yamada', 'ito', 'watanabe', 'nakamura', 'kobayashi', 'kato', 'yoshida'];

interface Planted {
  client: number;
  method: 'GET' | 'CONNECT';
  url: string;
  server: string;
  strength: keyof PlantedTruth;
}

/** The planted requests in the order they happen: the download, the folder, the site, then beaconing. */
function plantedRequests(infected: number[]): Planted[] {
  const f = PLANTED_FEED;
  const [a, b, c] = infected as [number, number, number];
  const payload = f.payloadUrl;
  const base = payload.slice(0, payload.indexOf('?'));
  const siteHost = new URL(f.hostUrl).host;
  const out: Planted[] = [];
  const add = (client: number, method: Planted['method'], url: string, server: string, strength: Planted['strength'], times = 1) => {
    for (let i = 0; i < times; i++) out.push({ client, method, url, server, strength });
  };
  add(a, 'GET', payload, '160.16.201.17', 'url', 2);
  add(b, 'GET', payload, '160.16.201.17', 'url');
  add(c, 'GET', `${base}?n=9012`, '160.16.201.17', 'url-no-query', 2);
  add(a, 'GET', `${f.folderUrl}Zr81pT.dll`, '160.16.88.4', 'path-prefix', 3);
  add(c, 'GET', `${f.folderUrl}w/index.php`, '160.16.88.4', 'path-prefix');
  add(b, 'CONNECT', `${siteHost}:443`, '160.16.50.9', 'domain', 3);
  add(b, 'GET', `http://${siteHost}/`, '160.16.50.9', 'domain', 2);
  add(a, 'GET', `http://${siteHost}/index.html`, '160.16.50.9', 'domain');
  const c2 = `${f.c2.ip}:${f.c2.port}`;
  add(a, 'CONNECT', c2, f.c2.ip, 'c2', 30);
  add(b, 'CONNECT', c2, f.c2.ip, 'c2', 12);
  add(c, 'CONNECT', c2, f.c2.ip, 'c2', 6);
  return out;
}

const hex = (rnd: () => number, n: number) => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(rnd() * 16)];
  return s;
};

export async function generateProxyLog(o: ProxyLogOptions): Promise<ProxyLogResult> {
  if (o.lines < 1000) throw new Error('generateProxyLog: at least 1,000 lines');
  const rnd = prng(o.seed ?? 18);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const nClients = o.clients ?? 3000;
  const clients: string[] = [];
  const seen = new Set<string>();
  while (clients.length < nClients) {
    const ip = `10.${1 + Math.floor(rnd() * 8)}.${Math.floor(rnd() * 64)}.${1 + Math.floor(rnd() * 254)}`;
    if (!seen.has(ip)) clients.push(ip), seen.add(ip);
  }
  // About a third of the PCs authenticate to the proxy with a user name.
  const userOf = clients.map((_, i) => (i % 3 === 0 ? `${USERS[i % USERS.length]}${i}` : '-'));
  // A long tail of sites beside the popular ones: names of words only, never a digit.
  const hosts = [...POPULAR];
  for (let i = 0; i < 4000; i++) {
    const name = `${pick(WORDS)}-${pick(WORDS)}.${pick(TLDS)}`;
    hosts.push(rnd() < 0.6 ? `www.${name}` : name);
  }
  const serverOf = hosts.map((_, i) => `${SERVER_NETS[i % SERVER_NETS.length]}.${(i >> 4) % 250}.${(i * 7) % 250}.${1 + (i % 253)}`);

  const infected = [17 % nClients, 1203 % nClients, (nClients - 1) % nClients];
  const planted = plantedRequests(infected);
  // The planted lines fall after the first 30% of the log (the infection is not day one), in order.
  const at = new Set<number>();
  const from = Math.floor(o.lines * 0.3);
  while (at.size < planted.length) at.add(from + Math.floor(rnd() * (o.lines - from)));
  const positions = [...at].sort((x, y) => x - y);
  const truth: PlantedTruth = { url: 0, 'url-no-query': 0, 'path-prefix': 0, c2: 0, domain: 0 };
  let next = 0;

  const out = new LineFile(o.path, { chunkLines: 10_000 });
  let t = START;
  for (let i = 0; i < o.lines; i++) {
    t += Math.floor(rnd() * 20); // about a hundred lines a second
    const stamp = `${Math.floor(t / 1000)}.${String(t % 1000).padStart(3, '0')}`;
    const elapsed = String(Math.floor(rnd() * rnd() * 2000)).padStart(6);
    if (next < positions.length && positions[next] === i) {
      const p = planted[next++]!;
      truth[p.strength]++;
      const connect = p.method === 'CONNECT';
      const bytes = connect ? 3000 + Math.floor(rnd() * 9000) : 180_000 + Math.floor(rnd() * 300_000);
      await out.write(`${stamp} ${elapsed} ${clients[p.client]} ${connect ? 'TCP_TUNNEL' : 'TCP_MISS'}/200 ${bytes} ${p.method} ${p.url} ${userOf[p.client]} HIER_DIRECT/${p.server} ${connect ? '-' : 'application/octet-stream'}`);
      continue;
    }
    // A few PCs make most of the traffic: the square skews the pick towards the first ones.
    const ci = Math.floor(rnd() * rnd() * nClients);
    const r = rnd();
    // Popular sites most of the time, the long tail the rest.
    const hi = r < 0.7 ? Math.floor(rnd() * POPULAR.length) : POPULAR.length + Math.floor(rnd() * (hosts.length - POPULAR.length));
    const host = hosts[hi]!;
    const server = serverOf[hi]!;
    const client = clients[ci]!;
    const user = userOf[ci]!;
    const kind = rnd();
    let line: string;
    if (kind < 0.62) {
      line = `${stamp} ${elapsed} ${client} TCP_TUNNEL/200 ${500 + Math.floor(rnd() * 90_000)} CONNECT ${host}:443 ${user} HIER_DIRECT/${server} -`;
    } else if (kind < 0.635) {
      // Denied by the proxy's policy: no server was reached.
      const connect = rnd() < 0.5;
      line = `${stamp} ${elapsed} ${client} TCP_DENIED/403 3920 ${connect ? `CONNECT ${host}:443` : `GET http://${host}/`} ${user} HIER_NONE/- text/html`;
    } else {
      const asset = rnd() < 0.55;
      let path = asset ? pick(ASSETS) : pick(PAGES);
      if (!asset && rnd() < 0.25) path += `?${pick(['p', 'id', 'q', 'page', 'utm_source'])}=${rnd() < 0.5 ? Math.floor(rnd() * 10000) : hex(rnd, 8)}`;
      const ext = path.slice(path.lastIndexOf('.'));
      const type = TYPES[ext] ?? 'text/html';
      const hit = rnd() < 0.2;
      const status = rnd() < 0.04 ? 304 : rnd() < 0.02 ? 404 : 200;
      const code = hit ? (rnd() < 0.5 ? 'TCP_MEM_HIT' : 'TCP_HIT') : status === 304 ? 'TCP_REFRESH_UNMODIFIED' : 'TCP_MISS';
      const bytes = status === 200 ? 300 + Math.floor(rnd() * (asset ? 120_000 : 60_000)) : 250;
      line = `${stamp} ${elapsed} ${client} ${code}/${status} ${bytes} ${rnd() < 0.08 ? 'POST' : 'GET'} http://${host}${path} ${user} ${hit ? 'HIER_NONE/-' : `HIER_DIRECT/${server}`} ${type}`;
    }
    await out.write(line);
  }
  await out.close();
  return { lines: out.lines, bytes: out.bytes, clients: nClients, planted: truth, infected: infected.map((i) => clients[i]!) };
}

// Fixed-pattern lines in every network log format (varied clients, hosts, URLs and times,
// about ten lines a second), for timing a parser alone.

const HOSTS = ['www.example.com', 'cdn.example.org', 'login.example.net', 'update.example.com', 'malware.example', 'static.example.co.jp', 'api.example.io', 'mail.example.jp'];
const PATHS = ['/', '/index.html', '/dl/invoice.doc?id=7781', '/static/app.js', '/images/logo.png', '/api/v1/items?page=2&sort=asc', '/x.zip'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** One generated line of the format, for line i. */
export function sampleNetLogLine(format: NetLogFormat, i: number): string {
  const t = Date.UTC(2026, 10, 3) + Math.floor(i / 10) * 1000 + (i % 10) * 97;
  const d = new Date(t);
  const ymd = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const hms = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const client = `10.${20 + (i % 3)}.${(i >> 3) % 250}.${(i % 250) + 1}`;
  const server = `203.0.113.${(i % 200) + 1}`;
  const host = HOSTS[i % HOSTS.length]!;
  const path = PATHS[i % PATHS.length]!;
  const user = i % 4 === 0 ? `user${i % 97}` : '-';
  const connect = i % 5 === 0;
  switch (format) {
    case 'squid': {
      const url = connect ? `${host}:443` : `http://${host}${path}`;
      return `${(t / 1000).toFixed(3)} ${String(i % 60000).padStart(6)} ${client} ${connect ? 'TCP_TUNNEL' : 'TCP_MISS'}/200 ${1000 + (i % 90000)} ${connect ? 'CONNECT' : 'GET'} ${url} ${user} HIER_DIRECT/${server} ${connect ? '-' : 'text/html'}`;
    }
    case 'squid-common': {
      const url = connect ? `${host}:443` : `http://${host}${path}`;
      return `${client} - ${user} [${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]!}/${d.getUTCFullYear()}:${hms} +0000] "${connect ? 'CONNECT' : 'GET'} ${url} HTTP/1.1" 200 ${1000 + (i % 90000)} "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" TCP_MISS:HIER_DIRECT`;
    }
    case 'w3c':
      return `${ymd} ${hms} ${i % 900} ${client} ${user} - - OBSERVED "Technology/Internet" - 200 TCP_NC_MISS ${connect ? 'CONNECT' : 'GET'} text/html ${connect ? 'tcp' : 'http'} ${host} ${connect ? 443 : 80} ${connect ? '/' : path.split('?')[0]} ${path.includes('?') ? '?' + path.split('?')[1] : '-'} - "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" 10.20.0.5 ${1000 + (i % 90000)} 412 -`;
    case 'zscaler': {
      const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()]!;
      return `"${day} ${MONTHS[d.getUTCMonth()]!} ${String(d.getUTCDate()).padStart(2)} ${hms} ${d.getUTCFullYear()}","user${i % 97}@example.co.jp","${connect ? 'SSL' : 'HTTP'}","${host}${connect ? ':443' : path}","Allowed","General Browsing","General Browsing","412","${1000 + (i % 90000)}","35","12","Business Use","Information Technology","Web Search","None","None","0","None","None","Tokyo-HQ","Sales","${client}","${server}","GET","200","Mozilla/5.0 (Windows NT 10.0; Win64; x64)","None","None","None","text/html","None","user${i % 97}","PC-${pad(i % 1000, 4)}","N/A"`;
    }
    case 'zeek-http':
      return `${(t / 1000).toFixed(6)}\tC${i.toString(36)}x\t${client}\t${40000 + (i % 20000)}\t${server}\t80\t1\tGET\t${host}\t${path}\t-\t1.1\tMozilla/5.0\t-\t0\t${1000 + (i % 90000)}\t200\tOK\t-\t-\t(empty)\t-\t-\t-\t-\t-\t-\tF${i.toString(36)}\t-\ttext/html`;
    case 'zeek-dns':
      return `${(t / 1000).toFixed(6)}\tC${i.toString(36)}x\t${client}\t${40000 + (i % 20000)}\t10.20.0.53\t53\tudp\t${i % 65536}\t${host}\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t${server}\t300.000000\tF`;
    case 'zeek-conn':
      return `${(t / 1000).toFixed(6)}\tC${i.toString(36)}x\t${client}\t${40000 + (i % 20000)}\t${server}\t443\ttcp\tssl\t0.407908\t790\t${1000 + (i % 90000)}\tSF\tT\tF\t0\tShADadFf\t6\t1038\t4\t335\t(empty)`;
    case 'paloalto': {
      const ts = `${ymd.replace(/-/g, '/')} ${hms}`;
      return `<14>Nov  3 ${hms} PA-3220 1,${ts},013201031064,TRAFFIC,end,2817,${ts},${client},${server},203.0.113.1,${server},allow-web,${user === '-' ? '' : 'example\\' + user},,ssl,vsys1,trust,untrust,ethernet1/2,ethernet1/1,Forward-Syslog,${ts},${i},1,${40000 + (i % 20000)},443,40122,443,0x400053,tcp,allow,5732,1200,4532,14,${ts},3,computer-and-internet-info,0,${i},0x8000000000000000,10.0.0.0-10.255.255.255,Japan,0,6,8,tcp-fin,0,0,0,0,,PA-3220,from-policy,,,0,,0,,N/A,0,0,0,0,90431d13-81da-4129-8bc5-ce968fa06b76,0,0,,,,,,,,,PC,,,,Windows,,PC-${pad(i % 1000, 4)},00:11:22:33:44:55,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,2026-11-03T${hms}.123+09:00`;
    }
    case 'fortigate':
      return `date=${ymd} time=${hms} devname="FGT60F" devid="FGT60FTK20000001" eventtime=${t}000000 tz="+0900" logid="0316013056" type="utm" subtype="webfilter" eventtype="ftgd_allow" level="notice" vd="root" policyid=1 sessionid=${i} srcip=${client} srcname="PC-${pad(i % 1000, 4)}" srcport=${40000 + (i % 20000)} srcintf="internal" srcintfrole="lan" dstip=${server} dstport=80 dstintf="wan1" dstintfrole="wan" proto=6 service="HTTP" hostname="${host}" profile="default" action="passthrough" reqtype="direct" url="${path}" sentbyte=380 rcvdbyte=${1000 + (i % 90000)} direction="outgoing" msg="URL belongs to an allowed category in policy" cat=52 catdesc="Information Technology"`;
    case 'windows-dns': {
      const h12 = d.getUTCHours() % 12 || 12;
      const name = host
        .split('.')
        .map((l) => `(${l.length})${l}`)
        .join('');
      const resp = i % 2 === 1;
      return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCHours() < 12 ? 'AM' : 'PM'} 0A3C PACKET  000000A1B2C3D4E0 UDP ${resp ? 'Snd' : 'Rcv'} ${client.padEnd(15)} ${(i % 65536).toString(16).padStart(4, '0')} ${resp ? 'R' : ' '} Q [${resp ? '8081   DR ' : '0001   D  '} NOERROR] A      ${name}(0)`;
    }
  }
}

/** The header lines a file of the format starts with. */
function sampleNetLogHeader(format: NetLogFormat): string[] {
  const zeek = (path: string, fields: string) => ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', `#path\t${path}`, `#fields\t${fields.split(' ').join('\t')}`];
  switch (format) {
    case 'w3c':
      return ['#Software: SGOS 6.7.4.1', '#Version: 1.0', '#Fields: date time time-taken c-ip cs-username cs-auth-group x-exception-id sc-filter-result cs-categories cs(Referer) sc-status s-action cs-method rs(Content-Type) cs-uri-scheme cs-host cs-uri-port cs-uri-path cs-uri-query cs-uri-extension cs(User-Agent) s-ip sc-bytes cs-bytes x-virus-id'];
    case 'zeek-http':
      return zeek('http', 'ts uid id.orig_h id.orig_p id.resp_h id.resp_p trans_depth method host uri referrer version user_agent origin request_body_len response_body_len status_code status_msg info_code info_msg tags username password proxied orig_fuids orig_filenames orig_mime_types resp_fuids resp_filenames resp_mime_types');
    case 'zeek-dns':
      return zeek('dns', 'ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto trans_id query qclass qclass_name qtype qtype_name rcode rcode_name AA TC RD RA Z answers TTLs rejected');
    case 'zeek-conn':
      return zeek('conn', 'ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto service duration orig_bytes resp_bytes conn_state local_orig local_resp missed_bytes history orig_pkts orig_ip_bytes resp_pkts resp_ip_bytes tunnel_parents');
    case 'windows-dns':
      return ['DNS Server log file creation at 11/3/2026 12:00:00 AM', ''];
    default:
      return [];
  }
}

/** A file of the format, `lines` lines in all (header included), of sampleNetLogLine lines. */
export async function writeSampleNetLog(format: NetLogFormat, path: string, lines: number): Promise<{ lines: number; bytes: number }> {
  const out = new LineFile(path, { chunkLines: 10_000 });
  const head = sampleNetLogHeader(format);
  for (const h of head) await out.write(h);
  for (let i = 0; i < lines - head.length; i++) await out.write(sampleNetLogLine(format, i));
  await out.close();
  return { lines: out.lines, bytes: out.bytes };
}
