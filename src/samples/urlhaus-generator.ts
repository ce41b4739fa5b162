// abuse.ch exports for `npm run bench`, in their published layouts: a URLhaus database dump
// (`csv.txt`: the "#" banner, the commented column line, one quoted row per URL, newest
// first) of any size, and a small Feodo Tracker IP blocklist (CSV). The URLhaus rows are the
// shapes the dump is made of: Emotet epoch 4/5 folders on compromised WordPress sites, Qakbot
// and IcedID archives, AgentTesla executables, Mirai and Mozi binaries on bare IP addresses
// with a port. The URLs and C2 a generated proxy log plants (proxy-log-generator.ts) are
// listed among them at random rows. Deterministic for a seed; written as a stream.
//
// Every generated host name has digits in it (the proxy generator's names never do) and every
// address starts with an octet the proxy generator's background traffic never uses, so that
// only the planted lines of a generated log hit this feed.
import { prng } from './incident.js';
import { LineFile } from './line-file.js';

export interface UrlhausDumpOptions {
  path: string;
  /** Data rows, `include` among them. */
  rows: number;
  seed?: number;
  /** URLs to list besides the generated ones (the planted ones), with their tags. */
  include?: readonly { url: string; tags: string }[];
}

/** The comment block a URLhaus CSV dump opens with; `title` is "CSV" or "CSV - recent URLs only". */
export function urlhausBanner(title: string): string[] {
  const line = (text: string) => `# ${text}`.padEnd(63) + '#';
  return [
    '#'.repeat(64),
    line(`abuse.ch URLhaus Database Dump (${title})`),
    line('Last updated: 2026-11-07 00:05:07 (UTC)'),
    line(''),
    line('Terms Of Use: https://urlhaus.abuse.ch/api/'),
    line('For questions please contact urlhaus [at] abuse.ch'),
    '#'.repeat(64),
    '#',
    '# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter',
  ];
}

const BANNER = urlhausBanner('CSV');

const WORDS = [
  'blue', 'green', 'sun', 'star', 'river', 'stone', 'lake', 'hill', 'oak', 'pine', 'gold', 'silver', 'north', 'east', 'west', 'south', 'cargo',
  'trade', 'farm', 'dental', 'clinic', 'hotel', 'travel', 'photo', 'design', 'studio', 'tech', 'soft', 'web', 'media', 'market', 'shop',
  'build', 'home', 'auto', 'motor', 'food', 'cafe', 'music', 'sport', 'school', 'edu', 'agro', 'pharma', 'energy', 'solar', 'logistic',
  'consult', 'legal', 'finance',
];
const TLDS = ['com', 'com', 'com', 'net', 'org', 'in', 'com.br', 'co.id', 'vn', 'com.tr', 'ru', 'pl', 'co.za', 'mx', 'it', 'de', 'info', 'xyz', 'online', 'jp'];
/** First octets of the generated bare-address hosts (none is the background's or a C2's). */
const IP_NETS = [27, 36, 42, 45, 49, 59, 61, 91, 103, 110, 112, 115, 117, 119, 121, 125, 175, 182, 183, 222];
const REPORTERS = ['abuse_ch', 'Cryptolaemus1', 'geenensp', 'lrz_urlhaus', 'pr0xylife', 'switchcert', 'JAMESWT_MHT', 'zbetcheckin', 'Gandylyan1', 'anonymous'];
const ARCHES = ['arm', 'arm5', 'arm6', 'arm7', 'mips', 'mpsl', 'x86', 'm68k', 'ppc', 'sh4', 'spc'];
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** When the dump was written (its banner's "Last updated"). */
const DUMPED = Date.UTC(2026, 10, 7, 0, 5, 7);
const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
const pad2 = (n: number) => String(n).padStart(2, '0');
const stamp = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
};

export async function generateUrlhausDump(o: UrlhausDumpOptions): Promise<{ rows: number; bytes: number; included: number }> {
  const rnd = prng(o.seed ?? 7);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const word = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += ALNUM[Math.floor(rnd() * ALNUM.length)];
    return s;
  };
  // Compromised sites serve several URLs each: a pool of about one host for three rows.
  const hosts: string[] = [];
  for (let i = 0; i < Math.max(10, Math.ceil(o.rows / 3)); i++) {
    const name = `${pick(WORDS)}${pick(WORDS)}${Math.floor(rnd() * 10000)}.${pick(TLDS)}`;
    hosts.push(rnd() < 0.3 ? `www.${name}` : name);
  }
  const ips: string[] = [];
  for (let i = 0; i < Math.max(10, Math.ceil(o.rows / 20)); i++) ips.push(`${pick(IP_NETS)}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}.${1 + Math.floor(rnd() * 254)}`);

  const generated = (): { url: string; threat: string; tags: string } => {
    const r = rnd();
    if (r < 0.35) {
      const dir = pick(['wp-admin', 'wp-content', 'wp-includes', 'cgi-bin', 'wp-content/uploads', 'images', 'assets', 'css']);
      return { url: `${rnd() < 0.6 ? 'http' : 'https'}://${pick(hosts)}/${dir}/${word(4 + Math.floor(rnd() * 8))}/`, threat: 'malware_download', tags: pick(['emotet,epoch5,heodo', 'emotet,epoch4,heodo', 'doc,emotet,epoch5', 'Emotet,xls']) };
    }
    if (r < 0.5) return { url: `https://${pick(hosts)}/${word(5)}/${word(8)}.zip`, threat: 'malware_download', tags: pick(['Qakbot', 'qakbot,qbot,zip', 'IcedID,zip', 'BokBot,IcedID']) };
    if (r < 0.58) return { url: `http://${pick(hosts)}/${word(6)}/${pick(['invoice', 'order', 'scan', 'payment', 'doc'])}_${Math.floor(rnd() * 100000)}.exe`, threat: 'malware_download', tags: pick(['exe,AgentTesla', 'exe,Formbook', 'exe,RemcosRAT']) };
    if (r < 0.64) return { url: `http://${pick(hosts)}/index.php?${word(3)}=${Math.floor(rnd() * 1e6)}`, threat: 'malware_download', tags: pick(['emotet,epoch5,heodo', 'SmokeLoader']) };
    const ip = pick(ips);
    const port = pick([0, 0, 80, 8080, 8088, 33621, 41923, 50372]);
    const host = port ? `${ip}:${port}` : ip;
    const path = pick([`/bins/${pick(ARCHES)}`, `/Mozi.m`, `/Mozi.a`, `/i`, `/bins.sh`, `/${word(4)}.sh`, `/x86_64`]);
    return { url: `http://${host}${path}`, threat: 'malware_download', tags: path.startsWith('/Mozi') || path === '/i' ? '32-bit,elf,mips,Mozi' : pick(['elf,mirai', 'elf,mirai,ua-wget', 'sh,mirai', '32-bit,arm,elf,mirai']) };
  };

  const include = o.include ?? [];
  if (include.length > o.rows) throw new Error('generateUrlhausDump: more URLs to include than rows');
  // Rows the included URLs take, chosen up front so the file streams in one pass.
  const at = new Map<number, { url: string; tags: string }>();
  for (const u of include) {
    let row: number;
    do row = Math.floor(rnd() * o.rows);
    while (at.has(row));
    at.set(row, u);
  }

  const out = new LineFile(o.path, { chunkLines: 10_000 });
  for (const l of BANNER) await out.write(l);
  // Newest first, as the dump is written: ids and dates go down row by row.
  let id = 3_400_000;
  let t = Date.UTC(2026, 10, 6, 23, 50);
  for (let i = 0; i < o.rows; i++) {
    const planted = at.get(i);
    const g = planted ? { url: planted.url, threat: 'malware_download', tags: planted.tags } : generated();
    const online = rnd() < 0.08;
    // Seen online last between its addition and the dump (or never checked since).
    const last = online || rnd() < 0.5 ? stamp(t + Math.floor(rnd() * (DUMPED - t))) : '';
    const row = [String(id), stamp(t), g.url, online ? 'online' : 'offline', last, g.threat, g.tags, `https://urlhaus.abuse.ch/url/${id}/`, pick(REPORTERS)];
    await out.write(row.map(q).join(','));
    id -= 1 + Math.floor(rnd() * 3);
    t -= Math.floor(rnd() * 600_000);
  }
  await out.close();
  return { rows: o.rows, bytes: out.bytes, included: include.length };
}

export interface FeodoC2 {
  ip: string;
  port: number;
  malware: string;
}

/** The comment block a Feodo Tracker CSV blocklist opens with. */
export const FEODO_BANNER = [
  '################################################################',
  '# abuse.ch Feodo Tracker Botnet C2 IP Blocklist (CSV)          #',
  '# Last updated: 2026-11-07 00:00:10 UTC                        #',
  '#                                                              #',
  '# Terms Of Use: https://feodotracker.abuse.ch/blocklist/       #',
  '# For questions please contact feodotracker [at] abuse.ch      #',
  '################################################################',
  '#',
] as const;

/** A Feodo Tracker IP blocklist (CSV, current layout): `c2` among a score of others. */
export async function writeFeodoBlocklist(path: string, c2: readonly FeodoC2[], seed = 3): Promise<{ rows: number }> {
  const rnd = prng(seed);
  const rows: FeodoC2[] = [...c2];
  // First octets no proxy-generator server and no URLhaus bare address uses.
  const nets = [5, 51, 66, 80, 94, 178, 195, 209];
  for (let i = 0; i < 24; i++) {
    rows.push({ ip: `${nets[i % nets.length]}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}.${1 + Math.floor(rnd() * 254)}`, port: [443, 8080, 7080, 2222, 995, 4143][i % 6]!, malware: ['Emotet', 'QakBot', 'Dridex', 'BumbleBee', 'Pikabot'][i % 5]! });
  }
  const out = new LineFile(path);
  for (const l of [...FEODO_BANNER, '"first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"']) await out.write(l);
  let t = Date.UTC(2026, 10, 6, 12);
  for (const r of rows) {
    await out.write([stamp(t), r.ip, String(r.port), rnd() < 0.7 ? 'online' : 'offline', stamp(t).slice(0, 10), r.malware].map(q).join(','));
    t -= Math.floor(rnd() * 86_400_000);
  }
  await out.write(`# END ${rows.length} entries`);
  await out.close();
  return { rows: rows.length };
}
