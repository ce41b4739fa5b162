// EmoCheck reports: the text layouts of v0.0.2, v1.2 and v2.0 (English and Japanese, UTF-8,
// CP932 and both in one file) and the JSON report, each finding checked in full.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hostFromReportName } from '../../src/endpoint/emocheck.js';
import { readEndpointEvidence } from '../../src/endpoint/read-endpoint.js';
import type { EndpointFinding } from '../../src/endpoint/types.js';

const dir = fileURLToPath(new URL('../fixtures/endpoint/emocheck/', import.meta.url));
const read = (name: string, offsetMinutes?: number) => readEndpointEvidence(dir + name, { offsetMinutes });

function process(line: number, host: string, time: string, subject: string, user: string | null): EndpointFinding {
  return { source: 'emocheck', line, host, time, kind: 'emotet-process', weight: 'infected', subject, rule: 'emocheck-process', remote: null, user };
}

function clean(line: number, host: string, time: string, subject: string): EndpointFinding {
  return { source: 'emocheck', line, host, time, kind: 'emocheck-clean', weight: 'clean', subject, rule: 'emocheck-clean', remote: null, user: null };
}

describe('EmoCheck text reports', () => {
  it('v1.2 English, infected: one process, host from the file name', async () => {
    const r = await read('PC-KEIRI01_20261107093012_emocheck.txt');
    expect(r.source).toBe('emocheck');
    expect(r.unreadable).toBe(0);
    expect(r.findings).toEqual([
      process(9, 'PC-KEIRI01', '2026-11-07T09:30:12.000Z', 'C:\\Users\\taro\\AppData\\Local\\wlanext\\wlanext.exe (wlanext.exe, pid 3288)', 'taro'),
    ]);
  });

  it('v2.0 English, infected: two processes with their Registry Key lines', async () => {
    const r = await read('PC-KEIRI02_20261107101544_emocheck.txt');
    expect(r.unreadable).toBe(0);
    expect(r.findings).toEqual([
      process(9, 'PC-KEIRI02', '2026-11-07T10:15:44.000Z', 'C:\\Users\\taro\\AppData\\Local\\Qwmxyz\\zhtqkw.dll (rundll32.exe, pid 4242)', 'taro'),
      process(14, 'PC-KEIRI02', '2026-11-07T10:15:44.000Z', 'C:\\Users\\taro\\AppData\\Local\\Xkvbdjrqn\\pqhwzmfx.dll (regsvr32.exe, pid 5150)', 'taro'),
    ]);
  });

  it('v2.3.2 Japanese in CP932, infected: the kanji user folder survives', async () => {
    const r = await read('PC-SOUMU01_20261107102210_emocheck.txt');
    expect(r.unreadable).toBe(0);
    expect(r.findings).toEqual([
      process(9, 'PC-SOUMU01', '2026-11-07T10:22:10.000Z', 'C:\\Users\\鈴木\\AppData\\Local\\Wxqfzbnkt\\hjqkvwz.dll (regsvr32.exe, pid 6012)', '鈴木'),
    ]);
  });

  it('v2.0 Japanese, UTF-8 texts with a CP932 image path (the published build)', async () => {
    const r = await read('PC-SOUMU02_20261107104005_emocheck.txt');
    expect(r.unreadable).toBe(0);
    expect(r.findings).toEqual([
      process(9, 'PC-SOUMU02', '2026-11-07T10:40:05.000Z', 'C:\\Users\\佐藤\\AppData\\Local\\Rtbhjkqz\\rtbhjk.dll (rundll32.exe, pid 7020)', '佐藤'),
    ]);
  });

  it('clean PCs: v2.3.2 English, v2.0 Japanese, v0.0.2 "No detection."', async () => {
    expect((await read('PC-JINJI01_20261107104500_emocheck.txt')).findings).toEqual([
      clean(6, 'PC-JINJI01', '2026-11-07T10:45:00.000Z', 'EmoCheck v2.3.2: Emotet was not detected.'),
    ]);
    expect((await read('PC-JINJI02_20261107105012_emocheck.txt')).findings).toEqual([
      clean(6, 'PC-JINJI02', '2026-11-07T10:50:12.000Z', 'EmoCheck v2.0: 検知しませんでした。'),
    ]);
    const old = await read('PC-EIGYO01_20200210130620_emocheck.txt');
    expect(old.unreadable).toBe(0);
    expect(old.findings).toEqual([clean(6, 'PC-EIGYO01', '2020-02-10T13:06:20.000Z', 'EmoCheck v0.0.2: No detection.')]);
  });

  it('converts the local scan time with the PC offset when one is given (JST: +540)', async () => {
    const r = await read('PC-KEIRI01_20261107093012_emocheck.txt', 540);
    expect(r.findings[0]!.time).toBe('2026-11-07T00:30:12.000Z');
  });
});

describe('EmoCheck JSON reports', () => {
  it('infected: host from "hostname", line 1', async () => {
    const r = await read('PC-KEIRI02_20261107101600_emocheck.json');
    expect(r.source).toBe('emocheck');
    expect(r.unreadable).toBe(0);
    expect(r.findings).toEqual([
      process(1, 'PC-KEIRI02', '2026-11-07T10:16:00.000Z', 'C:\\Users\\taro\\AppData\\Local\\Xkvbdjrqn\\pqhwzmfx.dll (regsvr32.exe, pid 5150)', 'taro'),
    ]);
  });

  it('clean', async () => {
    const r = await read('PC-JINJI01_20261107104530_emocheck.json');
    expect(r.unreadable).toBe(0);
    expect(r.findings).toEqual([clean(1, 'PC-JINJI01', '2026-11-07T10:45:30.000Z', 'EmoCheck v2.3.2: is_infected: no')]);
  });
});

describe('EmoCheck report file names', () => {
  it('gives the host of <host>_<yyyymmddhhmmss>_emocheck.txt and nothing for v0.0.1 names', () => {
    expect(hostFromReportName('PC-01_20200210130620_emocheck.txt')).toBe('PC-01');
    expect(hostFromReportName('PC_WITH_UNDERSCORE_20200210130620_emocheck.json')).toBe('PC_WITH_UNDERSCORE');
    expect(hostFromReportName('20200203101010_emocheck.txt')).toBeNull();
    expect(hostFromReportName('report.txt')).toBeNull();
  });
});
