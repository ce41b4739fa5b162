// A fuzz finding too big to keep as a file, rebuilt here: a 4 MB message forwarded inside
// itself nine times (mime.rfc822-nest over mime.huge-header). The scan analysed each of the
// nine message/rfc822 attachments and each analysis opened every deeper level again, so
// the work and the bytes held grew with depth² (507 MB peak). Nested messages are opened
// once per level now (parse.ts openNested, inspect-deep.ts).
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/fuzz/child-run.js';
import { TARGETS, cliArgs } from '../../src/fuzz/targets.js';
import { judge } from '../../src/fuzz/verdict.js';
import { CLI, ROOT, lastJson, tempDir } from '../helpers.js';

function nestedForward(levels: number, innerHeaderBytes: number): Buffer {
  const word = '=?utf-8?B?44GC?= ';
  let inner = `From: inner@example.com\nSubject: ${word.repeat(Math.ceil(innerHeaderBytes / word.length))}\n\nbody\n`;
  for (let k = 0; k < levels; k++) {
    inner =
      `From: wrap${k}@example.com\nSubject: Fwd ${k}\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="w${k}"\n\n` +
      `--w${k}\nContent-Type: message/rfc822\n\n${inner}\n--w${k}--\n`;
  }
  return Buffer.from(inner);
}

describe('nested forwards', () => {
  it('a 4 MB message forwarded inside itself nine times is read within the bounds', async () => {
    const dir = tempDir('nested-forward');
    try {
      const file = join(dir, 'nested.eml');
      writeFileSync(file, nestedForward(9, 4_000_000));
      const r = await runCli(CLI, cliArgs(TARGETS.mime, [file], join(dir, 'case.sqlite')), { timeoutMs: 60_000, memoryCapMB: 1600 }, ROOT);
      expect(judge(r, TARGETS.mime.okExit, { seconds: 60, rssMB: 400 }, [dir]), r.stderr.slice(0, 2000)).toBeNull();
      const s = lastJson<{ messages: number; attachments: number; analysesRun: number }>(r.stdout);
      // One message; the nine message/rfc822 parts are its attachments, each analysed once.
      expect([s.messages, s.attachments, s.analysesRun]).toEqual([1, 9, 9]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
