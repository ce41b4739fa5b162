// report.html in a real browser: headless Chromium (Debian package chromium, installed by
// .ci/run) renders the samples' report with no console message and saves a screenshot to
// reports/report.png. Where Chromium is not installed the check is skipped, as its name says.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir } from '../helpers.js';

function chromium(): string | null {
  for (const c of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('which', [c], { encoding: 'utf8' }).trim() || null;
    } catch {
      // next name
    }
  }
  return null;
}

const bin = chromium();

describe('report.html in headless Chromium', () => {
  it.skipIf(bin === null)(`renders without console messages and leaves a screenshot${bin === null ? ' (chromium not installed)' : ''}`, () => {
    const dir = tempDir('browser');
    const casePath = join(dir, 'c.sqlite');
    runCli(['scan', 'samples/mail', '--profile', 'samples/blastradius.json', '--case', casePath, '--quiet']);
    expect(runCli(['report', '--case', casePath, '--out', join(dir, 'out')]).code).toBe(0);
    mkdirSync(join(ROOT, 'reports'), { recursive: true });
    const shot = join(ROOT, 'reports', 'report.png');
    const r = spawnSync(
      bin!,
      [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir, 'profile')}`, '--enable-logging=stderr', '--v=0',
        '--window-size=1200,1600', `--screenshot=${shot}`, `file://${join(dir, 'out', 'report.html')}`,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(shot) && statSync(shot).size > 10_000).toBe(true);
    // Chromium logs page console output as "CONSOLE(line)"; a blocked load would appear too.
    expect(r.stderr.split('\n').filter((l) => /CONSOLE|Refused to|Failed to load/.test(l))).toEqual([]);
  });
});
