// Recognising and decoding PC evidence: every fixture is recognised from its head as the
// input walker passes it (8-bit or UTF-16 decoded, BOM left in), other files are not, and
// the reader's limits hold.
import { readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeEvidence, detectEndpointEvidence, MAX_EVIDENCE_BYTES, MAX_SAMPLES, readEndpointEvidence } from '../../src/endpoint/read-endpoint.js';
import { headLines } from '../../src/logs/read-log.js';
import { tempDir } from '../helpers.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const endpoint = join(fixtures, 'endpoint');
const made: string[] = [];
const tmp = () => {
  const d = tempDir('endpoint');
  made.push(d);
  return d;
};
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

const EXPECTED: Record<string, string> = {
  emocheck: 'emocheck',
  autoruns: 'autoruns',
  'source-of-infection': 'source-of-infection',
};

describe('detectEndpointEvidence', () => {
  for (const [folder, source] of Object.entries(EXPECTED)) {
    for (const name of readdirSync(join(endpoint, folder))) {
      it(`recognises ${folder}/${name} from its head`, async () => {
        const path = join(endpoint, folder, name);
        expect(detectEndpointEvidence((await headLines(path, 50)).join('\n'), name)).toBe(source);
        // The same bytes decoded as UTF-8 by a careless caller (UTF-16 leaves NULs and U+FFFD).
        const raw = readFileSync(path).toString('utf8').split(/\r?\n/).slice(0, 50).join('\n');
        expect(detectEndpointEvidence(raw, name)).toBe(source);
      });
    }
  }

  const others = [
    'mail/postal-mime/arf.eml',
    'mail/postal-mime/bounce.eml',
    'logs/fail2ban/postfix.log',
    'logs/fail2ban/exim.log',
    'logs/rig-postfix/maillog',
    'logs/rig-sendmail/mail.log',
    'logs/exchange-tracking/MSGTRK2026110701-1.LOG',
    'logs/m365-cloud/MessageTrace.csv',
    'logs/m365-cloud/AuditLog_2026-11-08.csv',
    'logs/m365-cloud/InteractiveSignIns_2026-11-01_2026-11-08.csv',
    'logs/m365-cloud/signins-graph.json',
    'logs/m365-cloud/iocs.txt',
    'netlogs/fortigate/fortigate.log',
    'netlogs/paloalto/export.csv',
    'netlogs/paloalto/syslog.log',
    'NOTICE.md',
    'endpoint/NOTICE.md',
    'endpoint/make-fixtures.py',
  ];
  for (const rel of others) {
    it(`does not take ${rel} for PC evidence`, async () => {
      const path = join(fixtures, rel);
      expect(detectEndpointEvidence((await headLines(path, 50)).join('\n'), rel.split('/').pop()!)).toBeNull();
    });
  }

  it('does not take threat feeds, proxy logs or text about the tools for PC evidence', () => {
    const urlhaus = '################################################################\n# abuse.ch URLhaus Database Dump (CSV)\n# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter\n"3000001","2026-11-07 10:00:00","http://203.0.113.5/a.exe","online","2026-11-07 10:00:00","malware_download","emotet","https://urlhaus.abuse.ch/url/3000001/","anonymous"';
    const feodo = '# first_seen_utc,dst_ip,dst_port,c2_status,last_online,malware\n"2026-11-01 10:00:00","203.0.113.9","8080","online","2026-11-07","Emotet"';
    const squid = '1762509600.123    150 192.168.10.21 TCP_MISS/200 5120 GET http://203.0.113.5/a.exe - HIER_DIRECT/203.0.113.5 application/octet-stream';
    const prose = 'Run EmoCheck and Autoruns on every PC.\nEntry Location is the column to read first.\n[Result]\nEmotet was not detected.';
    for (const [head, name] of [
      [urlhaus, 'csv.txt'],
      [feodo, 'ipblocklist.csv'],
      [squid, 'access.log'],
      [prose, 'notes_emocheck.txt'],
      ['', 'PC01_20261107093012_emocheck.txt'],
      ['{"scan_time":"2026-11-07 10:00:00","hostname":"PC01"}', 'report.json'],
      ['[EmoCheck v2.0]\nsomething else entirely', 'notes.txt'],
      ['Time,Client IP,File', 'export.csv'],
    ] as const) {
      expect(detectEndpointEvidence(head, name)).toBeNull();
    }
  });

  it('uses the file name only to settle a head cut short', () => {
    expect(detectEndpointEvidence('[EmoCheck v2.3.2]', 'PC01_20261107093012_emocheck.txt')).toBe('emocheck');
    expect(detectEndpointEvidence('[EmoCheck v2.3.2]', 'notes.txt')).toBeNull();
    expect(detectEndpointEvidence('{\n  "emocheck_version":"2.0",', 'PC01_20261107093012_emocheck.json')).toBe('emocheck');
  });
});

describe('decodeEvidence', () => {
  const report = '[EmoCheck v2.0]\r\nプログラム実行時刻: 2026-11-07 10:00:00\r\n';
  it('decodes UTF-8 with and without a BOM, UTF-16LE/BE with a BOM, UTF-16LE without, and CP932', () => {
    expect(decodeEvidence(Buffer.from(report, 'utf8'))).toBe(report);
    expect(decodeEvidence(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(report, 'utf8')]))).toBe(report);
    expect(decodeEvidence(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(report, 'utf16le')]))).toBe(report);
    expect(decodeEvidence(Buffer.from(report, 'utf16le'))).toBe(report);
    expect(decodeEvidence(Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(report, 'utf16-be')]))).toBe(report);
    expect(decodeEvidence(iconv.encode(report, 'cp932'))).toBe(report);
  });
});

describe('readEndpointEvidence', () => {
  it('reads a UTF-16BE report with a BOM', async () => {
    const d = tmp();
    const text = '[EmoCheck v2.0]\r\nScan time: 2026-11-07 10:00:00\r\n' + '_'.repeat(52) + '\r\n\r\n[Result] \r\nEmotet was not detected.\r\n';
    const path = join(d, 'PC-BE_20261107100000_emocheck.txt');
    writeFileSync(path, Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf16-be')]));
    const r = await readEndpointEvidence(path);
    expect(r.findings.map((f) => [f.kind, f.host, f.line])).toEqual([['emocheck-clean', 'PC-BE', 6]]);
  });

  it('throws one line for a file that is not PC evidence', async () => {
    await expect(readEndpointEvidence(join(fixtures, 'logs/fail2ban/postfix.log'))).rejects.toThrow(/^postfix\.log is not an EmoCheck report, an Autoruns export or a Source of Infection log$/);
  });

  it('refuses a file larger than the limit without reading it', async () => {
    const d = tmp();
    const path = join(d, 'PC-BIG_20261107100000_emocheck.txt');
    writeFileSync(path, '[EmoCheck v2.0]\r\n');
    truncateSync(path, MAX_EVIDENCE_BYTES + 1);
    await expect(readEndpointEvidence(path)).rejects.toThrow(/is 67108865 bytes, more than the 64 MiB/);
  });

  it('counts every unreadable line and keeps the first MAX_SAMPLES, each cut short', async () => {
    const d = tmp();
    const path = join(d, 'autoruns-PC-X.csv');
    const rows = Array.from({ length: 30 }, (_, i) => `"${'x'.repeat(i === 0 ? 500 : 3)},HKCU\\Run,a`);
    writeFileSync(path, ['Time,Entry Location,Entry,Enabled,Category,Profile,Description,Signer,Company,Image Path,Version,Launch String', ...rows].join('\r\n'));
    const r = await readEndpointEvidence(path);
    expect(r.unreadable).toBe(30);
    expect(r.samples.length).toBe(MAX_SAMPLES);
    expect(r.samples[0]!.line).toBe(2);
    expect(r.samples[0]!.text.length).toBe(301);
    expect(r.samples[19]!.line).toBe(21);
  });

  it('flags a report whose result and processes disagree, or that has no result', async () => {
    const d = tmp();
    const p1 = join(d, 'PC-A_20261107100000_emocheck.txt');
    writeFileSync(p1, '[EmoCheck v2.0]\r\nScan time: 2026-11-07 10:00:00\r\n' + '_'.repeat(52) + '\r\n\r\n[Result] \r\nDetected Emotet process.\r\n');
    const r1 = await readEndpointEvidence(p1);
    expect(r1.findings).toEqual([]);
    expect(r1.samples).toEqual([{ line: 6, text: 'Detected Emotet process. (but the report lists no process)' }]);
    const p2 = join(d, 'PC-B_20261107100000_emocheck.txt');
    writeFileSync(p2, '[EmoCheck v2.0]\r\nScan time: 2026-11-07 10:00:00\r\n' + '_'.repeat(52) + '\r\n');
    const r2 = await readEndpointEvidence(p2);
    expect(r2.findings).toEqual([]);
    expect(r2.samples).toEqual([{ line: 3, text: 'the report ends without its [Result]' }]);
  });

  it('reads a JSON report EmoCheck broke with an unescaped quote, field by field', async () => {
    const d = tmp();
    const p = join(d, 'PC-Q_20261107100000_emocheck.json');
    writeFileSync(
      p,
      '{\r\n  "scan_time":"2026-11-07 10:00:00",\r\n  "hostname":"PC-Q",\r\n  "emocheck_version":"2.0",\r\n  "is_infected":"yes",\r\n  "emotet_processes":[\r\n    {\r\n      "process_name":"a"b.exe",\r\n      "process_id":"12",\r\n      "image_path":"C:\\\\Users\\\\q\\\\AppData\\\\Local\\\\Qwmxyz\\\\zhtqkw.dll",\r\n      "registry_key":""\r\n    }\r\n  ]\r\n}\r\n',
    );
    const r = await readEndpointEvidence(p);
    expect(r.unreadable).toBe(0);
    expect(r.findings.map((f) => [f.subject, f.host, f.user, f.time])).toEqual([['C:\\Users\\q\\AppData\\Local\\Qwmxyz\\zhtqkw.dll (a"b.exe, pid 12)', 'PC-Q', 'q', '2026-11-07T10:00:00.000Z']]);
  });
});
