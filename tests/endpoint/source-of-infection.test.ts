// Sophos Source of Infection log (column layout assumed, read by header names): each remote
// write is an smb-write of weight suspected, with the writer in `remote`.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readEndpointEvidence } from '../../src/endpoint/read-endpoint.js';
import { hostFromLogName, sourceOfInfectionHeader } from '../../src/endpoint/source-of-infection.js';
import type { EndpointFinding } from '../../src/endpoint/types.js';

const dir = fileURLToPath(new URL('../fixtures/endpoint/source-of-infection/', import.meta.url));

function write(line: number, time: string, subject: string, remote: string, user: string): EndpointFinding {
  return { source: 'source-of-infection', line, host: 'FS01', time, kind: 'smb-write', weight: 'suspected', subject, rule: 'soi-remote-write', remote, user };
}

describe('Source of Infection log', () => {
  it('gives one smb-write per remote write and counts the damaged row', async () => {
    const r = await readEndpointEvidence(dir + 'SOI-FS01.csv');
    expect(r.source).toBe('source-of-infection');
    expect(r.findings).toEqual([
      write(2, '2026-11-07T10:20:11.000Z', 'C:\\Windows\\qkxvbtwz.exe', '192.168.10.21', 'KEIRI\\taro'),
      write(3, '2026-11-07T10:20:12.000Z', 'C:\\Windows\\System32\\qkxvbtwz.exe', '192.168.10.21', 'KEIRI\\taro'),
      write(4, '2026-11-07T10:31:40.000Z', 'D:\\Shares\\経理\\請求書_2026-11.xlsm', '192.168.10.35', 'SOUMU\\hanako'),
    ]);
    expect(r.unreadable).toBe(1);
    expect(r.samples).toEqual([{ line: 5, text: '2026-11-07 10:33:02,"192.168.10.35,PC-SOUMU01' }]);
  });

  it('names the host from the file name', () => {
    expect(hostFromLogName('SOI-FS01.csv')).toBe('FS01');
    expect(hostFromLogName('PC-KEIRI02_sourceofinfection.csv')).toBe('PC-KEIRI02');
    expect(hostFromLogName('network.csv')).toBeNull();
  });

  it('takes a generic IP column only when the file name says Source of Infection', () => {
    const head = ['Time,IP,File', '2026-11-07 10:20:11,192.168.10.21,C:\\Windows\\a.exe'];
    expect(sourceOfInfectionHeader(head, 'soi-FS01.csv')).toBe(true);
    expect(sourceOfInfectionHeader(head, 'export.csv')).toBe(false);
    expect(sourceOfInfectionHeader(['Time,Remote Address,Path'], 'export.csv')).toBe(true);
  });
});
