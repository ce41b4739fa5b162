// `blastradius logs` against eximstats (Debian package exim4-base, installed by .ci/run) on
// every Exim log fixture: messages received, addresses delivered, messages with a failed
// address, messages delayed. Where eximstats is not installed the comparison is skipped,
// and the test name says so.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastJson, ROOT, runCli, tempDir } from '../helpers.js';

const FIXTURES = ['tests/fixtures/logs/rig-exim/mainlog', 'tests/fixtures/logs/fail2ban/exim.log', 'tests/fixtures/logs/fail2ban/exim-spam.log'];

function eximstats(path: string): string | null {
  try {
    return execFileSync('eximstats', ['-txt', '-nr', '-nt', path], { encoding: 'utf8' });
  } catch {
    return null;
  }
}

/** The "Grand total summary": received messages, delivered messages and addresses, delayed and failed messages. */
function grandTotal(report: string) {
  const rec = /^\s+Received\s+\S+\s+(\d+)\s+\d+\s+(\d+)\s+\S+\s+(\d+)\s/m.exec(report);
  const del = /^\s+Delivered\s+\S+\s+(\d+)\s+(\d+)\s/m.exec(report);
  return { received: Number(rec?.[1] ?? 0), delayed: Number(rec?.[2] ?? 0), failed: Number(rec?.[3] ?? 0), deliveredAddresses: Number(del?.[2] ?? 0) };
}

describe.each(FIXTURES)('blastradius logs on %s', (fixture) => {
  const report = eximstats(join(ROOT, fixture));
  it.skipIf(report === null)(`equals eximstats's received, delivered and failed counts${report === null ? ' (eximstats not installed)' : ''}`, () => {
    const casePath = join(tempDir('eximstats'), 'c.sqlite');
    const s = runCli(['scan', fixture, '--case', casePath, '--no-analyze', '--quiet']);
    expect([0, 3]).toContain(s.code);
    const r = runCli(['logs', '--case', casePath, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const exim = lastJson<{ instances: { instance: string; totals: { received: number; delivered: number; bouncedMessages: number; deferredMessages: number } }[] }>(r.stdout).instances.find((i) => i.instance === 'exim');
    const t = exim?.totals ?? { received: 0, delivered: 0, bouncedMessages: 0, deferredMessages: 0 };
    expect({ received: t.received, delayed: t.deferredMessages, failed: t.bouncedMessages, deliveredAddresses: t.delivered }).toEqual(grandTotal(report!));
  });
});
