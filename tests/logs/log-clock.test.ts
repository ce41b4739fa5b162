// Zone-less syslog stamps against the Received lines the same host wrote into the mailbox
// copies: a log read with the wrong --log-utc-offset is caught, and the right one suggested.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLogClock } from '../../src/analysis/log-clock.js';
import { lastJson, runCli, tempDir } from '../helpers.js';

const RIG = 'tests/fixtures/logs/rig-postfix';

function clockAfterScan(offset: string) {
  const casePath = join(tempDir('clock'), 'c.sqlite');
  expect(runCli(['scan', `${RIG}/maillog`, `${RIG}/mail`, '--case', casePath, '--org-domain', 'kaisha.example', '--year', '2026', '--log-utc-offset', offset, '--no-analyze', '--quiet']).code).toBe(0);
  return lastJson<{ clock: ReturnType<typeof checkLogClock> }>(runCli(['logs', '--case', casePath, '--json']).stdout).clock;
}

describe('log clock check', () => {
  it('finds the rig log in UTC, and a read with +09:00 nine hours behind, suggesting +00:00', () => {
    expect(clockAfterScan('+00:00')).toEqual({ compared: 162, agreeing: 162, offsetHours: 0, suggestedOffsetMinutes: 0 });
    expect(clockAfterScan('+09:00')).toEqual({ compared: 162, agreeing: 162, offsetHours: -9, suggestedOffsetMinutes: 0 });
  });

  it('says nothing from fewer than five pairs, or when the pairs do not agree on one offset', () => {
    const hop = (date: string) => JSON.stringify([{ fromHost: null, fromIp: null, byHost: 'mx1.example', date, authenticated: false }]);
    const pair = (log: string, rcv: string) => ({ logTime: log, host: 'mx1', receivedJson: hop(rcv), offsetMinutes: 0 });
    expect(checkLogClock([pair('2026-11-05T10:00:00.000Z', '2026-11-05T01:00:00.000Z')]).offsetHours).toBeNull();
    const mixed = [0, 1, 2, 3, 4, 5].map((i) => pair(`2026-11-05T1${i}:00:00.000Z`, i % 2 ? `2026-11-05T1${i}:00:00.000Z` : `2026-11-05T0${i + 1}:00:00.000Z`));
    expect(checkLogClock(mixed)).toMatchObject({ compared: 6, offsetHours: null });
  });
});
