// Large mail whose scan went over the 400 MB bound (with the fuzz findings
// tests/fixtures/fuzz/mbox/rss-cc1b2426bf63 and mime/rss-62610c873910): the main thread held
// three copies of each large message or attachment (read, packed for the worker, copied back
// and again for analysis) while two workers parsed side by side: this one peaked at 506 MB.
// Large messages and attachments now move between threads without copies, one large task
// at a time (scan-pipeline.ts TASK_LIMITS.largeBytes, transfer.ts).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/fuzz/child-run.js';
import { TARGETS, cliArgs, type Target } from '../../src/fuzz/targets.js';
import { judge } from '../../src/fuzz/verdict.js';
import { CLI, ROOT, lastJson, tempDir } from '../helpers.js';

const b64 = (b: Buffer) => b.toString('base64').replace(/.{76}/g, '$&\r\n');

/** A forward of a mail whose workbook is padded to `padBytes` (the 2023 Emotet trick), 38 MB in all. */
function paddedWorkbookForward(padBytes: number): Buffer {
  const xls = Buffer.concat([readFileSync(join(ROOT, 'tests/fixtures/office/msoffcrypto-tool/plain.xls')), Buffer.alloc(padBytes, 0x41)]);
  const inner =
    'From: a@example.com\r\nTo: b@example.com\r\nSubject: invoice\r\nMessage-ID: <inner@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="IN"\r\n\r\n' +
    '--IN\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--IN\r\nContent-Type: application/vnd.ms-excel; name="inv.xls"\r\nContent-Disposition: attachment; filename="inv.xls"\r\n' +
    `Content-Transfer-Encoding: base64\r\n\r\n${b64(xls)}\r\n--IN--\r\n`;
  return Buffer.from(
    'From: c@example.com\r\nTo: d@example.com\r\nSubject: Fwd: invoice\r\nMessage-ID: <outer@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="OUT"\r\n\r\n' +
      `--OUT\r\nContent-Type: text/plain\r\n\r\nfyi\r\n--OUT\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename="fwd.eml"\r\n\r\n${inner}\r\n--OUT--\r\n`,
  );
}

async function scanWithinBounds(name: string, bytes: Buffer, target: Target) {
  const dir = tempDir('large-mail');
  try {
    const file = join(dir, name);
    writeFileSync(file, bytes);
    const r = await runCli(CLI, cliArgs(target, [file], join(dir, 'case.sqlite')), { timeoutMs: 60_000, memoryCapMB: 1600 }, ROOT);
    expect(judge(r, target.okExit, { seconds: 60, rssMB: 400 }, [dir]), `${r.peakRssMB} MB; ${r.stderr.slice(0, 2000)}`).toBeNull();
    return lastJson<{ messages: number; attachments: number; errors: number; errorSamples: { reason: string }[] }>(r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('large mail within 400 MB', () => {
  it('a 38 MB forward of a workbook padded to 28 MB', async () => {
    const s = await scanWithinBounds('padded.eml', paddedWorkbookForward(28 * 1024 * 1024), TARGETS.mime);
    // The forwarded mail and its workbook.
    expect([s.messages, s.attachments, s.errors]).toEqual([1, 2, 0]);
  }, 90_000);
});
