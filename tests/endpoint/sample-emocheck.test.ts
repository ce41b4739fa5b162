// The sample incident's EmoCheck reports, read back with the reader.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readEndpointEvidence } from '../../src/endpoint/read-endpoint.js';
import { emocheckReport, emocheckReportName } from '../../src/samples/sample-emocheck.js';
import { tempDir } from '../helpers.js';

const time = new Date('2026-11-07T09:15:30Z');
const processes = [
  { name: 'rundll32.exe', pid: 4242, path: 'C:\\Users\\taro\\AppData\\Local\\Qwmxyz\\zhtqkw.dll', runKey: 'Software\\Microsoft\\Windows\\CurrentVersion\\Run\\zhtqkw.dll' },
  { name: 'regsvr32.exe', pid: 5150, path: 'C:\\Users\\taro\\AppData\\Local\\Xkvbdjrqn\\pqhwzmfx.dll' },
];

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

async function roundTrip(text: string, host: string) {
  const d = tempDir('sample-emocheck');
  made.push(d);
  const path = join(d, emocheckReportName(host, time));
  writeFileSync(path, text, 'utf8');
  return readEndpointEvidence(path);
}

describe('emocheckReport', () => {
  it('writes the v2 English layout', () => {
    const text = emocheckReport({ host: 'PC-KEIRI', time, processes: processes.slice(0, 1), lang: 'en', version: '2.3.2' });
    expect(text).toBe(
      [
        '[EmoCheck v2.3.2]',
        'Scan time: 2026-11-07 09:15:30',
        '_'.repeat(52),
        '',
        '[Result] ',
        'Detected Emotet process.',
        '',
        '[Emotet Process] ',
        '     Process Name  : rundll32.exe',
        '     Process ID    : 4242',
        '     Image Path    : C:\\Users\\taro\\AppData\\Local\\Qwmxyz\\zhtqkw.dll',
        '     Registry Key  : Software\\Microsoft\\Windows\\CurrentVersion\\Run\\zhtqkw.dll',
        '_'.repeat(52),
        '',
        'Please remove or isolate the suspicious execution file.',
        '',
      ].join('\r\n'),
    );
    expect(emocheckReportName('PC-KEIRI', time)).toBe('PC-KEIRI_20261107091530_emocheck.txt');
  });

  for (const lang of ['en', 'ja'] as const) {
    it(`reads back an infected ${lang} report`, async () => {
      const r = await roundTrip(emocheckReport({ host: 'PC-KEIRI', time, processes, lang, version: '2.3.2' }), 'PC-KEIRI');
      expect(r.source).toBe('emocheck');
      expect(r.unreadable).toBe(0);
      expect(r.findings).toEqual([
        { source: 'emocheck', line: 9, host: 'PC-KEIRI', time: '2026-11-07T09:15:30.000Z', kind: 'emotet-process', weight: 'infected', subject: 'C:\\Users\\taro\\AppData\\Local\\Qwmxyz\\zhtqkw.dll (rundll32.exe, pid 4242)', rule: 'emocheck-process', remote: null, user: 'taro' },
        { source: 'emocheck', line: 14, host: 'PC-KEIRI', time: '2026-11-07T09:15:30.000Z', kind: 'emotet-process', weight: 'infected', subject: 'C:\\Users\\taro\\AppData\\Local\\Xkvbdjrqn\\pqhwzmfx.dll (regsvr32.exe, pid 5150)', rule: 'emocheck-process', remote: null, user: 'taro' },
      ]);
    });

    it(`reads back a clean ${lang} report`, async () => {
      const r = await roundTrip(emocheckReport({ host: 'PC-SOUMU', time, processes: [], lang, version: '2.3.2' }), 'PC-SOUMU');
      expect(r.unreadable).toBe(0);
      expect(r.findings).toEqual([
        { source: 'emocheck', line: 6, host: 'PC-SOUMU', time: '2026-11-07T09:15:30.000Z', kind: 'emocheck-clean', weight: 'clean', subject: `EmoCheck v2.3.2: ${lang === 'ja' ? '検知しませんでした。' : 'Emotet was not detected.'}`, rule: 'emocheck-clean', remote: null, user: null },
      ]);
    });
  }
});
