// Autoruns exports: autorunsc -a * -c -h -s -t (UTF-16LE with a BOM, banner, location rows,
// Microsoft's signed entries, two Emotet Run values and a WMI consumer) and the CSV saved
// from the Autoruns window (UTF-8, the window's column names).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hostFromExportName } from '../../src/endpoint/autoruns.js';
import { parseToolTime } from '../../src/endpoint/tool-output.js';
import { readEndpointEvidence } from '../../src/endpoint/read-endpoint.js';

const dir = fileURLToPath(new URL('../fixtures/endpoint/autoruns/', import.meta.url));
const RUN_HKCU = 'HKCU\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run';

describe('autorunsc CSV', () => {
  it('finds the two Emotet Run values and the PowerShell WMI consumer, and nothing in the signed or ordinary entries', async () => {
    const r = await readEndpointEvidence(dir + 'autoruns-PC-KEIRI02.csv');
    expect(r.source).toBe('autoruns');
    expect(r.unreadable).toBe(0);
    expect(r.findings).toEqual([
      {
        source: 'autoruns',
        line: 12,
        host: 'PC-KEIRI02',
        time: '2026-11-06T00:45:12.000Z',
        kind: 'persistence',
        weight: 'infected',
        subject: `${RUN_HKCU}\\zhtqkw.dll: C:\\Windows\\system32\\regsvr32.exe "C:\\Users\\taro\\AppData\\Local\\Qwmxyz\\zhtqkw.dll"`,
        rule: 'run-key-loader-random-folder',
        remote: null,
        user: 'PC-KEIRI02\\taro',
      },
      {
        source: 'autoruns',
        line: 13,
        host: 'PC-KEIRI02',
        time: '2026-11-06T00:50:01.000Z',
        kind: 'persistence',
        weight: 'infected',
        subject: `${RUN_HKCU}\\wlanext: C:\\Users\\taro\\AppData\\Local\\wlanext\\wlanext.exe`,
        rule: 'run-key-system-word-appdata',
        remote: null,
        user: 'PC-KEIRI02\\taro',
      },
      {
        source: 'autoruns',
        line: 20,
        host: 'PC-KEIRI02',
        time: '2026-11-06T01:15:30.000Z',
        kind: 'wmi-persistence',
        weight: 'infected',
        subject:
          'WMI Database Entries\\SystemPerfMonitor: powershell.exe -NoP -NonI -W Hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA',
        rule: 'wmi-script-consumer',
        remote: null,
        user: null,
      },
    ]);
  });

  it('takes -t times as UTC whatever the offset', async () => {
    const r = await readEndpointEvidence(dir + 'autoruns-PC-KEIRI02.csv', { offsetMinutes: 540 });
    expect(r.findings.map((f) => f.time)).toEqual(['2026-11-06T00:45:12.000Z', '2026-11-06T00:50:01.000Z', '2026-11-06T01:15:30.000Z']);
  });
});

describe('CSV saved from the Autoruns window', () => {
  it('finds the rundll32 Run value, host from the file name, user from the path, no time', async () => {
    const r = await readEndpointEvidence(dir + 'PC-SOUMU01_autoruns.csv');
    expect(r.source).toBe('autoruns');
    expect(r.unreadable).toBe(0);
    expect(r.findings).toEqual([
      {
        source: 'autoruns',
        line: 3,
        host: 'PC-SOUMU01',
        time: null,
        kind: 'persistence',
        weight: 'infected',
        subject: `${RUN_HKCU}\\hjqkvwz: C:\\Windows\\SysWOW64\\rundll32.exe "C:\\Users\\hanako\\AppData\\Local\\Wxqfzbnkt\\hjqkvwz.pzt",DllRegisterServer`,
        rule: 'run-key-loader-random-folder',
        remote: null,
        user: 'hanako',
      },
    ]);
  });
});

describe('Autoruns helpers', () => {
  it('names the host of an export from its file name', () => {
    expect(hostFromExportName('autoruns-PC-NAME.csv')).toBe('PC-NAME');
    expect(hostFromExportName('PC-NAME_autoruns.csv')).toBe('PC-NAME');
    expect(hostFromExportName('WS0123_Autoruns.csv')).toBe('WS0123');
    expect(hostFromExportName('autorunsc-PC01-20261107.csv')).toBe('PC01');
    expect(hostFromExportName('autoruns.csv')).toBeNull();
    expect(hostFromExportName('export.csv')).toBeNull();
  });

  it('reads the time layouts Windows tools write', () => {
    expect(parseToolTime('20261106-004512', 540)).toBe('2026-11-06T00:45:12.000Z');
    expect(parseToolTime('2024/4/1 15:26', 540)).toBe('2024-04-01T06:26:00.000Z');
    expect(parseToolTime('4/1/2024 3:26 PM', 0)).toBe('2024-04-01T15:26:00.000Z');
    expect(parseToolTime('1.4.2024 15:26', 60)).toBe('2024-04-01T14:26:00.000Z');
    expect(parseToolTime('01/04/2024 15:26', 0)).toBeNull();
    expect(parseToolTime('2024/2/30 10:00', 0)).toBeNull();
    expect(parseToolTime('', 0)).toBeNull();
  });
});
