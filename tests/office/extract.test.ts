import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readZipDirectory, extractEntry } from '../../src/office/zip-archive.js';
import { writeZip } from '../../src/office/zip-writer.js';
import { sanitizeName } from '../../src/report/extract.js';
import { ROOT, runCli, tempDir } from '../helpers.js';

describe('--extract', () => {
  it('reduces hostile names to a file name inside the folder', () => {
    expect(sanitizeName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeName('/abs/path/x.xls')).toBe('x.xls');
    expect(sanitizeName('C:\\Windows\\System32\\evil.exe')).toBe('evil.exe');
    expect(sanitizeName('CON.txt')).toBe('_CON.txt');
    expect(sanitizeName('...')).toBe('attachment');
    expect(sanitizeName('a\u0000b<c>:d|e?.doc')).toBe('a_b_c__d_e_.doc');
    expect(sanitizeName('請求書_1103.xls')).toBe('請求書_1103.xls');
  });

  it('writes archive members with traversal names inside DIR, each in a ZIP with the password "infected"', () => {
    const dir = tempDir('extract');
    const xls = readFileSync(join(ROOT, 'src/samples/assets/macro-auto-open.xls'));
    const zip = writeZip([{ name: '../../../tmp/evil.xls', data: xls }], { password: 'pw123', mtimeMs: Date.UTC(2026, 0, 1) });
    writeFileSync(join(dir, 'in.zip'), zip);
    const out = join(dir, 'out');
    const r = runCli(['inspect', join(dir, 'in.zip'), '--password', 'pw123', '--extract', out]);
    expect(r.code).toBe(20);
    const written = readdirSync(out).sort();
    expect(written).toHaveLength(2);
    expect(written.filter((n) => /^[0-9a-f]{16}_evil\.xls\.zip$/.test(n))).toHaveLength(1);
    expect(written.filter((n) => /^[0-9a-f]{16}_in\.zip\.zip$/.test(n))).toHaveLength(1);
    const evil = written.find((n) => n.includes('evil'))!;
    const box = readFileSync(join(out, evil));
    const [entry] = readZipDirectory(box).entries;
    expect(entry!.name).toBe('evil.xls');
    const opened = extractEntry(box, entry!, ['infected']);
    expect(opened.ok && opened.data.equals(xls)).toBe(true);
    // Nothing was written outside the folder.
    expect(execFileSync('find', [dir, '-name', '*evil*'], { encoding: 'utf8' }).trim().split('\n')).toEqual([join(out, evil)]);
  });
});
