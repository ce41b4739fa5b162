// No network at run time: a scan, the analysis, the report and the notice run with every
// socket and DNS lookup made to fail (a preloaded module replaces them), and still succeed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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
