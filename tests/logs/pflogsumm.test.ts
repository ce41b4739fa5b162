// Per-sender message counts against pflogsumm, the classic Postfix summariser (Debian
// package pflogsumm, installed by .ci/run). Where it is not installed the comparison is
// skipped: it needs the real program, and its absence is said in the test name.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readLogFile } from '../../src/logs/read-log.js';
import type { LogMessage } from '../../src/logs/types.js';

const LOG = new URL('../fixtures/logs/rig-postfix/maillog', import.meta.url).pathname;

function pflogsumm(): string | null {
  try {
    return execFileSync('pflogsumm', [LOG], { encoding: 'utf8' });
  } catch {
    return null;
  }
}

function sendersSection(report: string): Record<string, number> {
  const out: Record<string, number> = {};
  const start = report.indexOf('Senders by message count');
  if (start < 0) return out;
  const lines = report.slice(start).split('\n').slice(2);
  for (const l of lines) {
    const m = /^\s+(\d+)\s+(\S+)\s*$/.exec(l);
    if (!m) break;
    out[m[2]!] = Number(m[1]);
  }
  return out;
}

const report = pflogsumm();

describe('Postfix per-sender counts', () => {
  it.skipIf(report === null)(`equal pflogsumm's "Senders by message count"${report === null ? ' (pflogsumm not installed)' : ''}`, async () => {
    const messages: LogMessage[] = [];
    await readLogFile(LOG, { message: (m) => messages.push(m), event: () => {} }, { year: 2026 });
    const ours: Record<string, number> = {};
    for (const m of messages) if (m.received && m.envelopeFrom) ours[m.envelopeFrom] = (ours[m.envelopeFrom] ?? 0) + 1;
    const theirs = sendersSection(report!);
    expect(Object.keys(theirs)).toHaveLength(29);
    expect(ours).toEqual(theirs);
  });
});
