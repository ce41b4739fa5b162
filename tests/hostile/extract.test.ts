// Hostile archive member names and passwords: `--extract` writes only inside its folder,
// whatever the names say, and a wrong password leaves an archive reported as encrypted.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeZip } from '../../src/office/zip-writer.js';
import { ASSETS, runCli, tempDir } from '../helpers.js';

const T = Date.UTC(2026, 0, 1);
const macro = readFileSync(new URL('macro-auto-open.xls', ASSETS));

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? allFiles(join(dir, n)).map((x) => `${n}/${x}`) : [n]));
}

describe('hostile archives for --extract', () => {
  it('member names with ../, absolute paths and drive letters land inside the extract folder only', () => {
    const root = tempDir('hostile-extract');
    const work = join(root, 'work');
    const out = join(work, 'out');
    mkdirSync(work, { recursive: true });
    const names = ['../../escape.xls', '/etc/cron.d/evil.xls', 'C:\\Windows\\System32\\evil.xls', '..\\..\\up.xls', 'ok/../../../deep.xls'];
    const zip = join(work, 'names.zip');
    const zipBytes = writeZip(names.map((name) => ({ name, data: macro })), { mtimeMs: T });
    writeFileSync(zip, zipBytes);
    const r = runCli(['inspect', zip, '--extract', out, '--json']);
    expect(r.code).toBe(20);
    // Everything written is a flat file in `out`: the archive and each member, each zipped with "infected".
    const written = allFiles(out);
    expect(written.every((f) => !f.includes('/') && f.endsWith('.zip'))).toBe(true);
    const id = (b: Buffer) => createHash('sha256').update(b).digest('hex').slice(0, 16);
    // Names reduced to their last part; the two "evil.xls" are the same bytes, so one file.
    expect(written.sort()).toEqual([`${id(macro)}_deep.xls.zip`, `${id(macro)}_escape.xls.zip`, `${id(macro)}_evil.xls.zip`, `${id(macro)}_up.xls.zip`, `${id(zipBytes)}_names.zip.zip`]);
    expect(allFiles(root).sort()).toEqual(['work/names.zip', ...written.map((f) => `work/out/${f}`)].sort());
  });

  it('a wrong password leaves the archive encrypted and unopened', () => {
    const dir = tempDir('hostile-password');
    const zip = join(dir, 'locked.zip');
    writeFileSync(zip, writeZip([{ name: '請求書.xls', data: macro }], { mtimeMs: T, password: 'right-one' }));
    const r = runCli(['inspect', zip, '--password', 'wrong', '--password', '', '--json']);
    const [res] = JSON.parse(r.stdout) as { verdict: string; archive: { encrypted: boolean; opened: boolean }; children: unknown[] }[];
    expect(r.code).toBe(9);
    expect(res!.verdict).toBe('encrypted');
    expect(res!.archive).toMatchObject({ encrypted: true, opened: false });
    const ok = JSON.parse(runCli(['inspect', zip, '--password', 'right-one', '--json']).stdout) as { verdict: string }[];
    expect(ok[0]!.verdict).toBe('suspicious');
  });
});
