// No network at run time: a scan, the analysis, the report and the notice run with every
// socket and DNS lookup made to fail (a preloaded module replaces them), and still succeed.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, tempDir } from '../helpers.js';

describe('no network', () => {
  it('scan, report and notice succeed with networking made to fail, and try none', () => {
    const dir = tempDir('nonet');
    const preload = join(dir, 'no-network.cjs');
    const log = join(dir, 'attempts.log');
    writeFileSync(
      preload,
      `const fs = require('fs'); const net = require('net'); const dns = require('dns');
       const refuse = (what) => function () { fs.appendFileSync(${JSON.stringify(log)}, what + '\\n'); throw new Error('network disabled in this test: ' + what); };
       net.Socket.prototype.connect = refuse('connect'); net.connect = refuse('connect'); net.createConnection = refuse('connect');
       dns.lookup = refuse('dns.lookup'); dns.resolve = refuse('dns.resolve'); if (dns.promises) { dns.promises.lookup = refuse('dns.lookup'); }`,
    );
    const run = (args: string[]) => spawnSync(process.execPath, ['--require', preload, CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
    const casePath = join(dir, 'c.sqlite');
    expect(run(['scan', 'samples/mail', '--profile', 'samples/blastradius.json', '--case', casePath, '--quiet']).status).toBe(0);
    expect(run(['report', '--case', casePath, '--out', join(dir, 'out')]).status).toBe(0);
    expect(run(['notice', '--case', casePath, '--profile', 'samples/blastradius.json', '--out', join(dir, 'n.md')]).status).toBe(0);
    expect(run(['inspect', 'tests/fixtures/office/strelka/test.docx', 'tests/fixtures/office/oletools/rtfobj/issue_251.rtf']).status).toBe(20);
    expect(existsSync(log) ? readFileSync(log, 'utf8') : '').toBe('');
  });
});

describe('nothing written outside --case, --out and --extract', () => {
  it('scan, report, notice and inspect leave the working folder, the home folder and TMPDIR as they were', () => {
    const root = tempDir('nowrite');
    const cwd = join(root, 'cwd');
    const home = join(root, 'home');
    const tmp = join(root, 'tmp');
    for (const d of [cwd, home, tmp]) mkdirSync(d);
    cpSync(join(ROOT, 'samples'), join(cwd, 'samples'), { recursive: true });
    const before = listAll(root);
    const env = { ...process.env, HOME: home, TMPDIR: tmp, TMP: tmp, TEMP: tmp };
    const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8' });
    expect(run(['scan', 'samples/mail', '--profile', 'samples/blastradius.json', '--case', 'case/c.sqlite', '--quiet']).status).toBe(0);
    expect(run(['report', '--case', 'case/c.sqlite', '--out', 'out']).status).toBe(0);
    expect(run(['notice', '--case', 'case/c.sqlite', '--profile', 'samples/blastradius.json', '--out', 'notice/n.md']).status).toBe(0);
    expect(run(['inspect', join(ROOT, 'src/samples/assets/macro-auto-open.xls'), '--extract', 'extracted']).status).toBe(20);
    const added = listAll(root).filter((f) => !before.includes(f));
    expect(added.filter((f) => !/^cwd\/(case|out|notice|extracted)\//.test(f))).toEqual([]);
    expect(added.some((f) => f.startsWith('cwd/case/c.sqlite'))).toBe(true);
    expect(added.some((f) => f.startsWith('cwd/extracted/'))).toBe(true);
  });
});

function listAll(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    const rel = prefix + n;
    return statSync(p).isDirectory() ? [rel + '/', ...listAll(p, rel + '/')] : [rel];
  });
}
