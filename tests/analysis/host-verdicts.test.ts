// hostVerdicts(): the weight of each kind of evidence, hosts joined by name and address, the
// users and accounts of each, and the combined timeline.
import { describe, expect, it } from 'vitest';
import { hostVerdicts, type HostVerdictInputs, type MatchGroupFacts } from '../../src/analysis/host-verdicts.js';

const entry = { source: 'urlhaus', kind: 'url', value: 'http://shop.example.net/x/p.dll', id: '100', dateAdded: '2026-11-01T00:00:00Z', threat: 'malware_download', tags: ['emotet'], reference: null, path: 'urlhaus.csv', line: 10 };

function group(x: Partial<MatchGroupFacts>): MatchGroupFacts {
  return {
    groupRef: 1, path: 'access.log', format: 'squid', clientIp: '10.0.1.14', clientName: null, user: null, strength: 'url', hits: 1,
    first: '2026-11-04T23:40:00Z', last: '2026-11-04T23:40:00Z', firstLine: 5, lastLine: 5, blocked: false, allBlocked: false, entry, ...x,
  };
}

const none: HostVerdictInputs = { groups: [], endpoint: [], hostMap: [], clients: [], submissions: [], accounts: [] };

describe('hostVerdicts', () => {
  it('a listed URL fetched is infection; the same fetch blocked, or a domain only, is suspicion', () => {
    const v = hostVerdicts({
      ...none,
      groups: [group({}), group({ clientIp: '10.0.1.20', allBlocked: true, blocked: true }), group({ clientIp: '10.0.1.22', strength: 'domain' })],
      clients: [{ clientIp: '10.0.1.14', clientName: null, user: null }, { clientIp: '10.0.1.20', clientName: null, user: null }, { clientIp: '10.0.1.22', clientName: null, user: null }, { clientIp: '10.0.1.30', clientName: null, user: null }],
    });
    expect(v.hosts.map((h) => [h.key, h.verdict])).toEqual([['10.0.1.14', 'infected'], ['10.0.1.20', 'suspected'], ['10.0.1.22', 'suspected']]);
    expect(v.quietClients).toBe(1);
  });

  it('a C2 connection is infection even when blocked', () => {
    const v = hostVerdicts({ ...none, groups: [group({ strength: 'c2', blocked: true, allBlocked: true })] });
    expect(v.hosts[0]!.verdict).toBe('infected');
    expect(v.hosts[0]!.timeline.firstC2).toBe('2026-11-04T23:40:00Z');
  });

  it('EmoCheck and the proxy log join through the host map; the account and its window join through the submissions', () => {
    const v = hostVerdicts({
      ...none,
      groups: [group({ strength: 'c2', first: '2026-11-04T23:41:00Z', last: '2026-11-07T00:11:00Z', hits: 97 })],
      endpoint: [
        { path: 'emocheck-keiri.txt', line: 1, source: 'emocheck', host: 'pc-keiri', time: '2026-11-07T01:15:00Z', kind: 'emotet-process', weight: 'infected', subject: 'C:\\Users\\keiri\\AppData\\Local\\Xyz\\abc.exe', rule: 'emocheck-process', remote: null, user: null },
        { path: 'emocheck-soumu.txt', line: 1, source: 'emocheck', host: 'PC-SOUMU', time: '2026-11-07T01:20:00Z', kind: 'emocheck-clean', weight: 'clean', subject: 'no Emotet process', rule: 'emocheck-clean', remote: null, user: null },
      ],
      hostMap: [{ host: 'PC-KEIRI', ip: '10.0.1.14', user: null }],
      submissions: [{ account: 'keiri@sample-shoji.example', clientIp: '10.0.1.14' }],
      accounts: [{ account: 'keiri@sample-shoji.example', compromised: true, first: '2026-11-05T01:12:08.000Z', last: '2026-11-06T07:31:08.000Z' }],
    });
    expect(v.hosts.map((h) => [h.key, h.verdict, h.ips])).toEqual([['PC-KEIRI', 'infected', ['10.0.1.14']], ['PC-SOUMU', 'clean', []]]);
    const k = v.hosts[0]!;
    expect(k.evidence.map((e) => e.kind)).toEqual(['feed-match', 'endpoint']);
    expect(k.accounts).toEqual([{ account: 'keiri@sample-shoji.example', compromised: true, first: '2026-11-05T01:12:08.000Z', last: '2026-11-06T07:31:08.000Z', via: 'submission' }]);
    expect(k.timeline).toEqual({
      firstEvidence: '2026-11-04T23:41:00Z', lastEvidence: '2026-11-07T01:15:00Z', firstC2: '2026-11-04T23:41:00Z', firstPayload: null,
      firstMaliciousSend: '2026-11-05T01:12:08.000Z', lastMaliciousSend: '2026-11-06T07:31:08.000Z',
    });
  });

  it('a log user DOMAIN\\user matches the account by its local part', () => {
    const v = hostVerdicts({ ...none, groups: [group({ user: 'SAMPLE\\keiri' })], accounts: [{ account: 'keiri@sample-shoji.example', compromised: true, first: null, last: null }] });
    expect(v.hosts[0]!.accounts.map((a) => [a.account, a.via])).toEqual([['keiri@sample-shoji.example', 'log-user']]);
  });

  it('Source of Infection: the device that wrote the files is suspected of spreading', () => {
    const v = hostVerdicts({
      ...none,
      endpoint: [{ path: 'soi.csv', line: 3, source: 'source-of-infection', host: 'PC-SATO', time: '2026-11-06T02:00:00Z', kind: 'smb-write', weight: 'suspected', subject: 'C:\\Users\\Public\\x.exe', rule: 'soi-remote-write', remote: '10.0.1.14', user: null }],
    });
    expect(v.hosts.map((h) => [h.key, h.verdict, h.evidence.map((e) => e.kind)])).toEqual([['10.0.1.14', 'suspected', ['spreading']], ['PC-SATO', 'suspected', ['endpoint']]]);
  });

  it('no evidence: no host', () => {
    expect(hostVerdicts({ ...none, clients: [{ clientIp: '10.0.1.9', clientName: 'PC-X', user: null }] })).toEqual({ hosts: [], quietClients: 1 });
  });
});
