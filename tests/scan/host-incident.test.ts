// Host verdicts on an incident of known truth (src/samples/host-incident.ts): each PC's
// verdict, the strength of each match, and the log file and lines behind it, through the CLI
// as a responder runs it; the feeds given after the logs on the command line change nothing.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HostVerdict } from '../../src/analysis/host-verdicts.js';
import { writeHostIncident } from '../../src/samples/host-incident.js';
import { runCli, tempDir } from '../helpers.js';

describe('host verdicts on a generated incident', () => {
  const dir = tempDir('host-incident');
  const { truth, files } = writeHostIncident(join(dir, 'in'));
  const casePath = join(dir, 'case.sqlite');
  const scan = runCli(['scan', files.proxy, files.conn, ...files.emocheck, files.urlhaus, files.feodo, '--host-map', files.hostMap, '--case', casePath, '--quiet']);
  const hosts = JSON.parse(runCli(['hosts', '--case', casePath, '--json']).stdout) as { hosts: HostVerdict[]; quietClients: number };

  it('scans without errors', () => {
    expect(scan.code, scan.stderr).toBe(0);
  });

  it('gives each PC its verdict, and none to the PC nothing points at', () => {
    const got = Object.fromEntries(hosts.hosts.map((h) => [h.key, h.verdict]));
    const want = Object.fromEntries(truth.filter((t) => t.verdict).map((t) => [t.host, t.verdict]));
    expect(got).toEqual(want);
    expect(hosts.quietClients).toBe(1);
  });

  it.each(truth.filter((t) => t.verdict).map((t) => [t.host, t] as const))('%s: each match with its strength, log lines and hits; its address and account', (_, t) => {
    const h = hosts.hosts.find((x) => x.key === t.host)!;
    const got = h.evidence.map((e) =>
      e.kind === 'feed-match' ? { strength: e.strength, log: e.path, firstLine: e.firstLine, lastLine: e.lastLine, hits: e.hits } : e.kind === 'endpoint' ? { emocheck: e.findingKind } : { other: e.kind },
    );
    expect(got).toEqual(t.evidence);
    expect(h.ips).toEqual([t.ip]);
    expect(h.users).toContain(t.user);
  });

  it('dates the download and the first C2 contact apart', () => {
    const t = (k: string) => hosts.hosts.find((x) => x.key === k)!.timeline;
    expect([t('PC-A').firstPayload, t('PC-A').firstC2]).toEqual(['2026-11-10T00:10:00.000Z', '2026-11-10T00:30:00.000Z']);
    expect([t('PC-B').firstPayload, t('PC-B').firstC2]).toEqual(['2026-11-10T00:11:00.000Z', null]);
    expect([t('PC-E').firstPayload, t('PC-E').firstC2]).toEqual([null, '2026-11-10T00:41:00.000Z']);
    expect([t('PC-F').firstPayload, t('PC-F').firstC2]).toEqual([null, null]);
  });

  it('a fetch of the listed URL that the proxy blocked is suspected, and says it was blocked', () => {
    const f = hosts.hosts.find((x) => x.key === 'PC-F')!;
    expect(f.evidence.map((e) => (e.kind === 'feed-match' ? [e.weight, e.allBlocked] : []))).toEqual([['suspected', true]]);
  });

  it('rereading with the same inputs changes nothing', () => {
    const again = runCli(['scan', files.urlhaus, files.feodo, files.proxy, files.conn, ...files.emocheck, '--host-map', files.hostMap, '--case', casePath, '--quiet']);
    expect(again.code, again.stderr).toBe(0);
    const after = JSON.parse(runCli(['hosts', '--case', casePath, '--json']).stdout) as { hosts: HostVerdict[] };
    expect(after.hosts.map((h) => [h.key, h.verdict, h.evidence.length])).toEqual(hosts.hosts.map((h) => [h.key, h.verdict, h.evidence.length]));
  });
});
