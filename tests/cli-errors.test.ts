// Every way a command can fail ends in one line on stderr that says what to do, and the exit
// code of its kind (src/commands/errors.ts): never a stack trace, never the whole help, and
// nothing created or half-run before a mistake on the command line is found.
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { lastJson, ROOT, runCli, startCli, tempDir, type CliResult } from './helpers.js';

const STACK = /\n\s+at .+[:(]\d+:\d+\)?/;

/** One line on stderr, starting with "blastradius:", and no stack trace anywhere. */
function oneLine(r: CliResult): string {
  expect(r.stdout + r.stderr).not.toMatch(STACK);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^blastradius: /);
  return lines[0]!;
}

describe('CLI failures', () => {
  const dir = tempDir('cli-errors');
  const analysed = join(dir, 'samples.sqlite');
  const scan = runCli(['scan', 'samples/mail', '--profile', 'samples/blastradius.json', '--case', analysed, '--quiet']);

  it('a usage error is one line pointing at --help, exit 64', () => {
    for (const args of [['scan'], ['no-such-command'], ['scan', 'samples/mail', '--batch-size', '0'], ['notice', '--lang', 'fr']]) {
      const r = runCli(args);
      expect(r.code, args.join(' ')).toBe(64);
      expect(oneLine(r)).toMatch(/\(see blastradius --help\)$/);
    }
  });

  it('a missing input fails before a case file is made, exit 66', () => {
    const casePath = join(dir, 'typo.sqlite');
    const r = runCli(['scan', join(dir, 'typo.mbox'), '--case', casePath]);
    expect(r.code).toBe(66);
    expect(oneLine(r)).toBe(`blastradius: ${join(dir, 'typo.mbox')}: no such file or folder; check the path`);
    expect(existsSync(casePath)).toBe(false);
  });

  it('an empty folder is nothing to read, exit 66, no case file', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const casePath = join(dir, 'empty.sqlite');
    const r = runCli(['scan', empty, '--case', casePath]);
    expect(r.code).toBe(66);
    expect(oneLine(r)).toBe(`blastradius: no files to read in ${empty}; name files or folders that hold mailboxes or logs`);
    expect(existsSync(casePath)).toBe(false);
  });

  it('output paths of the wrong kind are refused before work starts, exit 73', () => {
    expect(scan.code, scan.stderr).toBe(0);
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const report = runCli(['report', '--case', analysed, '--out', file]);
    expect(report.code).toBe(73);
    expect(oneLine(report)).toBe(`blastradius: --out ${file} is a file, not a folder; give --out a folder`);
    const notice = runCli(['notice', '--case', analysed, '--out', dir]);
    expect(notice.code).toBe(73);
    expect(oneLine(notice)).toBe(`blastradius: --out ${dir} is a folder; give --out a file name`);
    const summaryCase = join(dir, 'summary.sqlite');
    const summary = runCli(['scan', 'samples/mail/ja', '--case', summaryCase, '--summary', dir]);
    expect(summary.code).toBe(73);
    expect(oneLine(summary)).toBe(`blastradius: --summary ${dir} is a folder; give --summary a file name`);
    expect(existsSync(summaryCase)).toBe(false);
  });

  it('a case file written by a newer blastradius is refused for reading and for writing, exit 65', () => {
    const newer = join(dir, 'newer.sqlite');
    copyFileSync(analysed, newer);
    const db = new Database(newer);
    db.pragma('user_version = 99');
    db.close();
    for (const args of [['report', '--case', newer, '--out', join(dir, 'out-newer')], ['scan', 'samples/mail/ja', '--case', newer], ['notice', '--case', newer]]) {
      const r = runCli(args);
      expect(r.code, args[0]).toBe(65);
      expect(oneLine(r)).toMatch(/^blastradius: the case file has schema version 99; this blastradius knows up to \d+; use the blastradius version that wrote it/);
    }
  });

  it('a file that is not a case file, and a missing one, exit 65', () => {
    const notCase = join(dir, 'not-a-case.sqlite');
    writeFileSync(notCase, 'hello');
    const r = runCli(['report', '--case', notCase]);
    expect(r.code).toBe(65);
    expect(oneLine(r)).toContain('is not a blastradius case file');
    expect(readFileSync(notCase, 'utf8')).toBe('hello');
    const missing = runCli(['notice', '--case', join(dir, 'nope.sqlite')]);
    expect(missing.code).toBe(65);
    expect(oneLine(missing)).toContain('case file not found');
  });

  it('notice on a case that holds nothing refuses to draft, exit 65', () => {
    const junk = join(dir, 'junk.txt');
    writeFileSync(junk, 'not mail at all\n');
    const casePath = join(dir, 'nothing.sqlite');
    expect(runCli(['scan', junk, '--case', casePath, '--quiet']).code).toBe(3);
    const r = runCli(['notice', '--case', casePath]);
    expect(r.code).toBe(65);
    expect(r.stdout).toBe('');
    expect(oneLine(r)).toMatch(/^blastradius: the case holds no analysed messages or log records/);
  });

  it('notice --individual --merge-csv writes one row per draft; --merge-csv alone is a usage error', () => {
    const csv = join(dir, 'merge', 'drafts.csv');
    const r = runCli(['notice', '--case', analysed, '--profile', 'samples/blastradius.json', '--individual', '--merge-csv', csv]);
    expect(r.code, r.stderr).toBe(0);
    const drafts = r.stdout.split('【下書き').length - 1;
    const rows = readFileSync(csv, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(rows[0]).toBe('address,display_name,organisation_domain,count,first_jst,last_jst,subjects');
    expect(rows.length - 1).toBe(drafts);
    expect(drafts).toBeGreaterThan(0);
    const alone = runCli(['notice', '--case', analysed, '--merge-csv', csv]);
    expect(alone.code).toBe(64);
    expect(oneLine(alone)).toBe('blastradius: --merge-csv goes with --individual; add --individual or leave --merge-csv out');
  });

  it('names the containers it cannot read and how to make them readable', () => {
    const inputs = join(dir, 'containers');
    mkdirSync(inputs);
    writeFileSync(join(inputs, 'export.pst'), Buffer.concat([Buffer.from('!BDN'), Buffer.alloc(512)]));
    writeFileSync(join(inputs, 'mails.zip'), Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64)]));
    writeFileSync(join(inputs, 'notes.txt.gz'), gzipSync(Buffer.from('meeting notes, nothing else\n')));
    const r = runCli(['scan', inputs, '--case', join(dir, 'containers.sqlite'), '--json', '--no-analyze']);
    expect(r.code).toBe(3);
    const s = lastJson<{ errorSamples: { source_path: string; reason: string }[] }>(r.stdout);
    const reasons = Object.fromEntries(s.errorSamples.map((e) => [e.source_path.split('/').pop(), e.reason]));
    expect(reasons).toEqual({
      'export.pst': 'not a mail file: an Outlook PST/OST file with a damaged header; copy or export it again (a whole store opens in Outlook) and scan the copy',
      'notes.txt.gz': 'not a mail file: a gzip-compressed file that holds neither mail nor a mail server log; decompress it (gunzip) and check what it is',
      'mails.zip': 'not a mail file: a ZIP archive with no member named as mail (.eml, .msg, mbox, Maildir); unpack it and scan the folder',
    });
  });

  it('inspect walks folders; a missing file fails before any result, exit 66', () => {
    const office = join(ROOT, 'tests/fixtures/office/msoffcrypto-tool');
    const r = runCli(['inspect', '--json', office]);
    const results = lastJson<{ file: string; sha256: string }[]>(r.stdout);
    expect(results.length).toBeGreaterThan(1);
    expect(results.every((x) => x.file.startsWith(office) && /^[0-9a-f]{64}$/.test(x.sha256))).toBe(true);
    const missing = runCli(['inspect', join(office, 'no-such.doc')]);
    expect(missing.code).toBe(66);
    expect(missing.stdout).toBe('');
    expect(oneLine(missing)).toBe(`blastradius: ${join(office, 'no-such.doc')}: no such file or folder; check the path`);
  });

  it('Ctrl-C stops the scan with the way to resume, exit 130; the rerun ends as an uninterrupted run', async () => {
    const big = join(dir, 'big.mbox');
    const one = readFileSync(join(ROOT, 'samples/mail/journal.mbox'));
    // Copies of the journal with their Message-IDs made unique, so each copy is new mail.
    writeFileSync(big, Buffer.concat(Array.from({ length: 60 }, (_, i) => Buffer.from(one.toString('latin1').replace(/Message-ID: <([^>]+)>/gi, `Message-ID: <$1.${i}>`), 'latin1'))));
    const casePath = join(dir, 'interrupted.sqlite');
    const child = startCli(['scan', big, '--case', casePath, '--batch-size', '20', '--no-analyze', '--quiet']);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Interrupt once the first batches are committed (the WAL has grown).
    for (let i = 0; i < 600 && !(existsSync(`${casePath}-wal`) && statSync(`${casePath}-wal`).size > 0); i++) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(130);
    expect(stderr).not.toMatch(STACK);
    expect(stderr.trimEnd()).toMatch(/^blastradius: interrupted: \d+ messages are in \S+, committed; run the same command again to resume where it stopped$/);
    const again = runCli(['scan', big, '--case', casePath, '--batch-size', '20', '--no-analyze', '--json']);
    expect(again.code, again.stderr).toBe(0);
    const whole = runCli(['scan', big, '--case', join(dir, 'whole.sqlite'), '--no-analyze', '--json']);
    const count = (r: CliResult) => {
      const j = lastJson<{ messages: number; sightings: number; attachments: number }>(r.stdout);
      return [j.messages, j.sightings, j.attachments];
    };
    expect(count(again)).toEqual(count(whole));
    const db = new Database(casePath, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  }, 120_000);

  it('an internal failure is one line that says it is a bug, exit 70, the stack only with BLASTRADIUS_DEBUG=1', () => {
    // A case file whose stored counts are not JSON: the readers fail in a way no check foresees.
    const broken = join(dir, 'broken.sqlite');
    copyFileSync(analysed, broken);
    const db = new Database(broken);
    db.prepare("UPDATE meta SET value = '{broken' WHERE key = 'counts'").run();
    db.close();
    const r = runCli(['report', '--case', broken, '--out', join(dir, 'out-broken')]);
    expect(r.code).toBe(70);
    expect(oneLine(r)).toMatch(/^blastradius: internal error: .+; this is a bug: please report it with the command line \(BLASTRADIUS_DEBUG=1 prints the stack\)$/);
  });
});
