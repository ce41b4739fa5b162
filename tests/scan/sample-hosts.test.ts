// The host evidence of the samples (samples/hosts: a Squid log, a URLhaus and a Feodo Tracker
// export, two EmoCheck reports; samples/host-map.csv), scanned with the mail as `npm start`
// does, gives the hosts of the story written into samples/expected.json by
// src/samples/sample-hosts.ts: which PC is infected, suspected and clean, on which evidence,
// joined to which account.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HostVerdict } from '../../src/analysis/host-verdicts.js';
import { ROOT, runCli, tempDir } from '../helpers.js';

const expected = JSON.parse(readFileSync(join(ROOT, 'samples/expected.json'), 'utf8')) as {
  hosts: { infected: string[]; suspected: string[]; clean: string[]; keiri: { firstPayload: string; c2Connections: number; firstC2: string; lastC2: string } };
  analysis: { accounts: { account: string; verdict: string }[]; counts: { period: { first: string; last: string } } };
};

describe('host evidence of the samples', () => {
  const casePath = join(tempDir('sample-hosts'), 'case.sqlite');
  const scan = runCli(['scan', 'samples/mail', 'samples/hosts', '--host-map', 'samples/host-map.csv', '--profile', 'samples/blastradius.json', '--case', casePath, '--quiet']);
  const out = runCli(['hosts', '--case', casePath, '--json']);
  const v = JSON.parse(out.stdout) as { hosts: HostVerdict[]; quietClients: number };
  const host = (key: string) => v.hosts.find((h) => h.key === key)!;

  it('calls each PC what the story says, and the two PCs nothing points at neither', () => {
    expect(scan.code, scan.stderr).toBe(0);
    const of = (k: string) => v.hosts.filter((h) => h.verdict === k).map((h) => h.key);
    expect([of('infected'), of('suspected'), of('clean')]).toEqual([expected.hosts.infected, expected.hosts.suspected, expected.hosts.clean]);
    expect(v.quietClients).toBe(2);
  });

  it('PC-KEIRI: the listed payload URL in full, the Feodo C2 every 30 minutes, and EmoCheck, each with its file and line', () => {
    const h = host('PC-KEIRI');
    const ev = h.evidence.map((e) =>
      e.kind === 'feed-match' ? [e.strength, e.weight, e.hits, e.first, e.last, e.entry.source, e.entry.line] : e.kind === 'endpoint' ? [e.findingKind, e.weight, e.rule, e.line] : [e.kind],
    );
    const k = expected.hosts.keiri;
    expect(ev).toEqual([
      ['url', 'infected', 1, k.firstPayload, k.firstPayload, 'urlhaus', 10],
      ['c2', 'infected', k.c2Connections, k.firstC2, k.lastC2, 'feodo', 10],
      ['emotet-process', 'infected', 'emocheck-process', 9],
    ]);
    expect(h.ips).toEqual(['10.0.1.14']);
  });

  it('joins PC-KEIRI to its compromised account, with the attacker sends after the first C2 contact', () => {
    const h = host('PC-KEIRI');
    const period = expected.analysis.counts.period;
    expect(expected.analysis.accounts.find((a) => a.account === 'keiri@sample-shoji.example')!.verdict).toBe('compromised+impersonated');
    expect(h.accounts.map((a) => [a.account, a.compromised])).toEqual([['keiri@sample-shoji.example', true]]);
    expect([h.timeline.firstPayload, h.timeline.firstC2]).toEqual([expected.hosts.keiri.firstPayload, expected.hosts.keiri.firstC2]);
    expect(h.timeline.firstMaliciousSend).toBe(period.first);
    expect(h.timeline.firstC2! < h.timeline.firstMaliciousSend!).toBe(true);
  });

  it('PC-YAMADA: the listed domain only, named from the host map; PC-SOUMU clean by EmoCheck', () => {
    const y = host('PC-YAMADA');
    expect(y.evidence.map((e) => (e.kind === 'feed-match' ? [e.strength, e.weight, e.firstLine] : [e.kind]))).toEqual([['domain', 'suspected', 84]]);
    expect([y.ips, y.accounts.map((a) => [a.account, a.via, a.compromised])]).toEqual([['10.0.1.22'], [['yamada@sample-shoji.example', 'host-map', false]]]);
    const s = host('PC-SOUMU');
    expect(s.evidence.map((e) => (e.kind === 'endpoint' ? [e.findingKind, e.weight] : [e.kind]))).toEqual([['emocheck-clean', 'clean']]);
  });

  it('explain PC-KEIRI names the proxy log lines behind each match', () => {
    const x = runCli(['explain', 'PC-KEIRI', '--case', casePath]);
    expect(x.code, x.stderr).toBe(0);
    expect(x.stdout).toContain('line 61: 2026-11-04T23:40:12.000Z http http://shop.garden-example.net/wp-content/uploads/2026/11/Pp3qW/ → 198.51.100.161:80 (TCP_MISS/200)');
    expect(x.stdout).toContain('line 62: 2026-11-04T23:41:47.000Z http 203.0.113.45:8080 → 203.0.113.45:8080 (TCP_TUNNEL/200)');
  });
});
