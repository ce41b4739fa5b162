// `blastradius logs` against pflogsumm, the classic Postfix summariser (Debian package
// pflogsumm, installed by .ci/run): grand totals and senders by message count, on every
// Postfix log fixture. Where pflogsumm is not installed the comparison is skipped, and the
// test name says so.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastJson, ROOT, runCli, tempDir } from '../helpers.js';

const FIXTURES = ['tests/fixtures/logs/rig-postfix/maillog', 'tests/fixtures/logs/rig-postfix-filter/maillog', 'tests/fixtures/logs/fail2ban/postfix.log'].filter((f) => existsSync(join(ROOT, f)));

function pflogsumm(path: string): string | null {
  try {
    return execFileSync('pflogsumm', [path], { encoding: 'utf8' });
  } catch {
    return null;
  }
}

/** "Grand Totals": the counts before each label. */
function grandTotals(report: string): Record<string, number> {
  const out: Record<string, number> = {};
  const section = report.slice(report.indexOf('Grand Totals'), report.indexOf('Per-Hour Traffic Summary') >= 0 ? report.indexOf('Per-Hour Traffic Summary') : undefined);
  for (const m of section.matchAll(/^\s+(\d+)\s+(received|delivered|deferred|bounced|rejected|senders|recipients|recipient hosts\/domains)\b(?:\s+\((\d+)\s+deferrals\))?/gm)) {
    out[m[2]!] = Number(m[1]);
    if (m[3]) out.deferrals = Number(m[3]);
  }
  return out;
}

function sendersSection(report: string): Record<string, number> {
  const out: Record<string, number> = {};
  const start = report.indexOf('Senders by message count');
  if (start < 0) return out;
  for (const l of report.slice(start).split('\n').slice(2)) {
    const m = /^\s+(\d+)\s+(\S+)\s*$/.exec(l);
    if (!m) break;
    out[m[2]!] = Number(m[1]);
  }
  return out;
}

interface Summary {
  instances: {
    instance: string;
    totals: { received: number; delivered: number; deferredMessages: number; deferrals: number; bounced: number; rejected: number; senders: number; recipients: number; recipientDomains: number };
    senders: { sender: string; messages: number }[];
  }[];
}

describe.each(FIXTURES)('blastradius logs on %s', (fixture) => {
  const report = pflogsumm(join(ROOT, fixture));
  it.skipIf(report === null)(`equals pflogsumm's grand totals and senders by message count${report === null ? ' (pflogsumm not installed)' : ''}`, () => {
    const casePath = join(tempDir('pflogsumm'), 'c.sqlite');
    const s = runCli(['scan', fixture, '--case', casePath, '--year', '2026', '--no-analyze', '--quiet']);
    expect([0, 3]).toContain(s.code);
    const r = runCli(['logs', '--case', casePath, '--json']);
    expect(r.code, r.stderr).toBe(0);
    // pflogsumm reads the instance named "postfix" (its --syslog-name default).
    const ours = lastJson<Summary>(r.stdout).instances.find((i) => i.instance === 'postfix') ?? { totals: { received: 0, delivered: 0, deferredMessages: 0, deferrals: 0, bounced: 0, rejected: 0, senders: 0, recipients: 0, recipientDomains: 0 }, senders: [] };
    const theirs = grandTotals(report!);
    expect({
      received: ours.totals.received,
      delivered: ours.totals.delivered,
      deferred: ours.totals.deferredMessages,
      deferrals: ours.totals.deferrals,
      bounced: ours.totals.bounced,
      rejected: ours.totals.rejected,
      senders: ours.totals.senders,
      recipients: ours.totals.recipients,
      'recipient hosts/domains': ours.totals.recipientDomains,
    }).toEqual({ deferrals: 0, ...theirs });
    expect(Object.fromEntries(ours.senders.filter((x) => x.sender !== '').map((x) => [x.sender, x.messages]))).toEqual(sendersSection(report!));
  });
});
