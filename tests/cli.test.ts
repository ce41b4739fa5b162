import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { writeZip } from '../src/office/zip-writer.js';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastJson, ROOT, runCli, tempDir } from './helpers.js';

interface Summary {
  messages: number;
  sightings: number;
  attachments: number;
  errors: number;
  inputErrors: number;
  directions: Record<string, number>;
  inputs: { path: string; kind: string; container: string; messagesRead: number; errors: number }[];
  errorSamples: { source_path: string; locator: string; byte_offset: number | null; reason: string }[];
}

const mail = (id: string, subject: string, body: string, from = 'a@org.example', to = 'b@partner.example') =>
  `From: ${from}\nTo: ${to}\nSubject: ${subject}\nMessage-ID: <${id}>\nDate: Tue, 03 Nov 2026 10:00:00 +0900\n\n${body}\n`;

describe('blastradius --help', () => {
  it('describes the scan command, its options and the exit codes', () => {
    const top = runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('scan [options] <inputs...>');
    expect(top.stdout).toContain('Exit codes: 0 done; 3 scan read everything it could, some inputs had read errors; 64 bad usage;');
    expect(top.stdout).toContain('inspect: 0 no macro, 2 macros, 9 encrypted, 10 error, 20 suspicious');
    expect(top.stdout).toContain('inspect [options] <files...>');
    const scan = runCli(['scan', '--help']);
    expect(scan.code).toBe(0);
    for (const opt of ['--case <file>', '--org-domain <domain>', '--profile <file>', '--json', '--quiet', '--summary <file>', '--batch-size <n>']) {
      expect(scan.stdout).toContain(opt);
    }
  });

  it('exits 64 on bad usage (2 is inspect\'s "macros found")', () => {
    expect(runCli(['scan']).code).toBe(64);
    expect(runCli(['no-such-command']).code).toBe(64);
    expect(runCli(['scan', 'samples/mail', '--batch-size', '0']).code).toBe(64);
    expect(runCli(['scan', 'samples/mail', '--profile', 'no/such/profile.json']).code).toBe(64);
  });
});

describe('blastradius inspect', () => {
  it('exits with the highest code of its files and prints JSON results', () => {
    const office = 'tests/fixtures/office/';
    const clean = runCli(['inspect', `${office}msoffcrypto-tool/plain.doc`]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/^CLEAN {6}tests\/fixtures\/office\/msoffcrypto-tool\/plain\.doc/);
    expect(runCli(['inspect', `${office}apache-poi/document/SimpleMacro.doc`]).code).toBe(2);
    expect(runCli(['inspect', `${office}oletools/encrypted/encrypted.doc`]).code).toBe(9);
    expect(runCli(['inspect', 'no/such/file.doc']).code).toBe(66);
    const all = runCli(['inspect', '--json', `${office}msoffcrypto-tool/plain.doc`, `${office}strelka/test.xls`]);
    expect(all.code).toBe(20);
    const results = lastJson<unknown>(all.stdout) as { verdict: string; macros: { modules: { name: string }[] } }[];
    expect(results.map((r) => r.verdict)).toEqual(['clean', 'suspicious']);
    expect(results[1]!.macros.modules.map((m) => m.name)).toEqual(['Module1', 'ThisWorkbook', 'Sheet1']);
  });

  it('opens a password-protected ZIP with a given password and analyses what is inside', () => {
    const dir = tempDir('zip');
    const zip = writeZip([{ name: '請求書.xls', data: readFileSync(join(ROOT, 'src/samples/assets/macro-auto-open.xls')) }], { password: 'Xa7q3', mtimeMs: Date.UTC(2026, 10, 5) });
    const file = join(dir, 'invoice.zip');
    writeFileSync(file, zip);
    const locked = runCli(['inspect', '--json', file, '--password', 'wrong']);
    expect(locked.code).toBe(9);
    const l = lastJson<unknown>(locked.stdout) as { archive: unknown; children: { verdict: string }[] }[];
    expect(l[0]!.archive).toEqual({ encrypted: true, passwordFound: false, opened: false });
    expect(l[0]!.children.map((c) => c.verdict)).toEqual(['encrypted']);
    const open = runCli(['inspect', '--json', file, '--password', 'wrong', '--password', 'Xa7q3']);
    expect(open.code).toBe(20);
    const o = lastJson<unknown>(open.stdout) as { archive: unknown; children: { file: string; verdict: string; autoexec: string[] }[] }[];
    expect(o[0]!.archive).toEqual({ encrypted: true, passwordFound: true, opened: true, password: 'Xa7q3' });
    expect(o[0]!.children).toMatchObject([{ file: '請求書.xls', verdict: 'suspicious', autoexec: ['Auto_Open'] }]);
  });
});

describe('blastradius scan on bad input', () => {
  it('records each bad input with its location, reads the rest, and exits 3', () => {
    const dir = tempDir('bad');
    writeFileSync(join(dir, 'empty.eml'), '');
    writeFileSync(join(dir, 'binary.bin'), Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0, 0]));
    writeFileSync(join(dir, 'good.eml'), mail('good@org.example', 'good one', 'hello'));
    // A truncated mbox: the second message stops in the middle of its header.
    writeFileSync(join(dir, 'cut.mbox'), `From a@x Tue Nov  3 01:00:00 2026\n${mail('m1@org.example', 'first', 'one')}\nFrom a@x Tue Nov  3 01:00:01 2026\nFrom: a@org.exa`);
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const casePath = join(dir, 'case.sqlite');
    const r = runCli(['scan', dir, '--case', casePath, '--json', '--org-domain', 'org.example']);
    expect(r.code).toBe(3);
    const s = lastJson<Summary>(r.stdout);
    expect(s.messages).toBe(3);
    expect(s.inputErrors).toBe(3);
    expect(s.errorSamples.map((e) => [e.source_path.slice(dir.length + 1), e.reason])).toEqual([
      ['pipe', 'not a regular file'],
      ['binary.bin', 'not a mail file (no mbox separator, mail header or .msg container)'],
      ['empty.eml', 'empty file'],
    ]);
    expect(s.inputs.find((i) => i.path.endsWith('cut.mbox'))).toMatchObject({ kind: 'mbox', messagesRead: 2, errors: 0 });
  });
});

describe('blastradius scan across exports', () => {
  it('reads a folder mixing an mbox, .eml, extension-less mail, a Maildir and an Outlook .msg', () => {
    const dir = tempDir('mixed');
    mkdirSync(join(dir, 'Maildir', 'cur'), { recursive: true });
    mkdirSync(join(dir, 'Maildir', 'new'), { recursive: true });
    mkdirSync(join(dir, 'Maildir', 'tmp'), { recursive: true });
    writeFileSync(join(dir, 'Maildir', 'cur', '1790000000.M1P1.host:2,S'), mail('md@org.example', 'maildir one', 'x'));
    writeFileSync(join(dir, 'noext'), mail('noext@org.example', 'no extension', 'y'));
    writeFileSync(join(dir, 'sent.eml'), mail('shared@org.example', 'in two exports', 'same'));
    writeFileSync(join(dir, 'journal.mbox'), `From a@org.example Tue Nov  3 01:00:00 2026\n${mail('shared@org.example', 'in two exports', 'same')}`);
    copyFileSync(join(ROOT, 'tests/fixtures/mail/spamscope-mail-parser/mail_outlook_1.msg'), join(dir, 'outlook.msg'));
    const r = runCli(['scan', dir, '--case', join(dir, 'case.sqlite'), '--json', '--org-domain', 'org.example']);
    expect(r.code, r.stderr).toBe(0);
    const s = lastJson<Summary>(r.stdout);
    expect(s.inputs.map((i) => [i.path.slice(dir.length + 1), i.kind, i.container])).toEqual([
      ['Maildir/cur/1790000000.M1P1.host:2,S', 'eml', 'maildir'],
      ['journal.mbox', 'mbox', 'folder'],
      ['noext', 'eml', 'folder'],
      ['outlook.msg', 'msg', 'folder'],
      ['sent.eml', 'eml', 'folder'],
    ]);
    // The message in the journal and the Sent folder is one message seen twice.
    expect(s).toMatchObject({ messages: 4, sightings: 5, errors: 0 });
    expect(s.directions).toEqual({ 'external-only': 1, outbound: 3 });
  });

  it('keeps two different messages that reuse one Message-ID apart', () => {
    const dir = tempDir('reuse');
    writeFileSync(join(dir, 'a.eml'), mail('same@org.example', 'first text', 'one'));
    writeFileSync(join(dir, 'b.eml'), mail('same@org.example', 'second text', 'two'));
    const s = lastJson<Summary>(runCli(['scan', dir, '--case', join(dir, 'c.sqlite'), '--json']).stdout);
    expect(s).toMatchObject({ messages: 2, sightings: 2, directions: { unknown: 2 } });
  });

  it('reads blastradius.json from the working directory, and adds --org-domain to it', () => {
    const dir = tempDir('profile');
    writeFileSync(join(dir, 'blastradius.json'), JSON.stringify({ name: 'Org', domains: ['org.example'] }));
    writeFileSync(join(dir, 'in.eml'), mail('p1@org.example', 'to a partner', 'x'));
    writeFileSync(join(dir, 'in2.eml'), mail('p2@other.example', 'from other', 'y', 'c@other.example', 'd@org2.example'));
    const r = runCli(['scan', '.', '--case', 'c.sqlite', '--json', '--org-domain', 'org2.example'], { cwd: dir });
    // The profile and the case file in the scanned folder are not read as inputs.
    expect(r.code).toBe(0);
    const s = lastJson<Summary & { orgDomains: string[] }>(r.stdout);
    expect(s.inputs).toHaveLength(2);
    expect(s.orgDomains).toEqual(['org.example', 'org2.example']);
    expect(s.directions).toEqual({ inbound: 1, outbound: 1 });
  });

  it('prints a human summary and writes --summary', () => {
    const dir = tempDir('human');
    const r = runCli(['scan', 'samples/mail', '--profile', 'samples/blastradius.json', '--case', join(dir, 'c.sqlite'), '--summary', join(dir, 's.json')]);
    expect(r.code).toBe(0);
    const e = JSON.parse(readFileSync(join(ROOT, 'samples/expected.json'), 'utf8')) as { messages: number; sightings: number; attachments: number; directions: Record<string, number> };
    expect(r.stdout).toContain(`messages: ${e.messages} (${e.messages} new)  sightings: ${e.sightings} (${e.sightings} new)  attachments: ${e.attachments}  errors: 0`);
    expect(r.stdout).toContain(`directions: ${Object.entries(e.directions).map(([d, n]) => `${d} ${n}`).join(', ')}`);
    expect(r.stdout).toContain('analysis: 21 malicious messages sent through our systems; accounts: keiri@sample-shoji.example compromised+impersonated, eigyo@sample-shoji.example compromised, yamada@sample-shoji.example impersonated');
    expect(r.stderr).toBe('');
  });
});

describe('blastradius inspect on mail', () => {
  interface Node {
    file: string;
    container: string;
    verdict: string;
    archive: { opened: boolean; password?: string } | null;
    children: Node[];
  }
  const shape = (n: Node): unknown => ({ file: n.file.split('/').pop(), container: n.container, verdict: n.verdict, children: n.children.map(shape) });

  /** The Sent-folder copy of the hijacked reply that carries 請求書_1001.zip. */
  const hijackWithZip = (() => {
    const dir = join(ROOT, 'samples/mail/sent');
    const name = readdirSync(dir).find((f) => readFileSync(join(dir, f), 'latin1').includes('1001.zip'));
    return join('samples/mail/sent', name!);
  })();

  it('reads a mail message, opens its ZIP with the password in its body, and inspects what is inside', () => {
    const r = runCli(['inspect', '--json', hijackWithZip]);
    expect(r.code).toBe(20);
    const [root] = lastJson<Node[]>(r.stdout);
    expect(shape(root!)).toEqual({
      file: hijackWithZip.split('/').pop(),
      container: 'mail',
      verdict: 'suspicious',
      children: [{ file: '請求書_1001.zip', container: 'zip', verdict: 'suspicious', children: [{ file: '請求書_1001.xls', container: 'ole', verdict: 'suspicious', children: [] }] }],
    });
    expect(root!.children[0]!.archive).toMatchObject({ opened: true, password: 'Xa8q4' });
  });

  it('finds a forwarded mail inside a ZIP, and the encrypted ZIP inside that mail', () => {
    const dir = tempDir('nested-mail');
    const zip = writeZip([{ name: 'forwarded.eml', data: readFileSync(join(ROOT, hijackWithZip)) }], { mtimeMs: Date.UTC(2026, 10, 6) });
    writeFileSync(join(dir, 'outer.zip'), zip);
    const [root] = lastJson<Node[]>(runCli(['inspect', '--json', join(dir, 'outer.zip')]).stdout);
    expect(shape(root!)).toEqual({
      file: 'outer.zip',
      container: 'zip',
      verdict: 'suspicious',
      children: [
        {
          file: 'forwarded.eml',
          container: 'mail',
          verdict: 'suspicious',
          children: [{ file: '請求書_1001.zip', container: 'zip', verdict: 'suspicious', children: [{ file: '請求書_1001.xls', container: 'ole', verdict: 'suspicious', children: [] }] }],
        },
      ],
    });
  });
});

describe('blastradius scan and accounts on an MTA log', () => {
  it('stores the log facts and prints per-account accounting that matches the rig truth', () => {
    const dir = tempDir('logs');
    const casePath = join(dir, 'c.sqlite');
    const r = runCli(['scan', 'tests/fixtures/logs/rig-postfix/maillog', '--case', casePath, '--org-domain', 'kaisha.example', '--year', '2026', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = lastJson<{ logs: unknown; inputs: { kind: string; log: unknown }[] }>(r.stdout);
    expect(s.logs).toEqual({ messages: 201, deliveries: 422, linkedToMailbox: 0 });
    expect(s.inputs[0]).toMatchObject({ kind: 'log', log: { format: 'postfix', lines: 1609, recognised: 1609, unreadable: 0, foreign: 0, unfinished: 12, messages: 201, deliveries: 422 } });
    // A second run adds nothing.
    expect(lastJson<{ logs: unknown }>(runCli(['scan', 'tests/fixtures/logs/rig-postfix/maillog', '--case', casePath, '--json']).stdout).logs).toEqual(s.logs);

    const a = runCli(['accounts', '--case', casePath, '--json']);
    expect(a.code, a.stderr).toBe(0);
    const { accounts } = lastJson<{ accounts: { account: string; messages: number; deliveries: Record<string, number>; clientIps: { ip: string; messages: number }[]; anomalies: { kind: string; detail: string }[] }[] }>(a.stdout);
    const by = Object.fromEntries(accounts.map((x) => [x.account, x]));
    expect(Object.keys(by).sort()).toEqual(['ito', 'keiri', 'kobayashi', 'nakamura', 'sato', 'soumu', 'suzuki', 'tanaka', 'watanabe', 'yamada']);
    expect(by.tanaka).toMatchObject({ messages: 32, deliveries: { sent: 79, bounced: 12, deferred: 8 } });
    expect(by.keiri).toMatchObject({ messages: 28, deliveries: { sent: 63, bounced: 3 } });
    expect(by.keiri!.clientIps.map((c) => [c.ip, c.messages])).toEqual([['127.0.0.14', 12], ['127.0.0.67', 16]]);
    for (const [user, ip] of [['tanaka', '127.0.0.66'], ['keiri', '127.0.0.67']] as const) {
      expect(by[user]!.anomalies.filter((x) => x.kind === 'new-client-ip').map((x) => x.detail.split(' ')[2])).toEqual([ip]);
    }
    for (const user of ['ito', 'kobayashi', 'nakamura', 'sato', 'soumu', 'suzuki', 'watanabe', 'yamada']) {
      expect(by[user]!.anomalies.filter((x) => x.kind === 'new-client-ip'), user).toEqual([]);
    }
    const text = runCli(['accounts', '--case', casePath]).stdout;
    expect(text).toContain('keiri  (senders: keiri@kaisha.example)');
    expect(text).toContain('    messages 28, out 16; deliveries sent 63, bounced 3; to outside sent 24, bounced 3');
  });
});

describe('blastradius analyze, explain and accounts on the samples', () => {
  it('prints the counts with their definitions, explains a message down to its byte offset and an account down to its messages', () => {
    const dir = tempDir('analyze');
    const casePath = join(dir, 'c.sqlite');
    expect(runCli(['scan', 'samples/mail', '--profile', 'samples/blastradius.json', '--case', casePath, '--no-analyze', '--quiet']).code).toBe(0);
    const before = runCli(['explain', '3f2a9c10b0@sample-shoji.example', '--case', casePath]);
    expect(before.stdout).toContain('not analysed yet');

    const a = runCli(['analyze', '--case', casePath]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toContain('malicious messages the attacker sent from our accounts through our systems: 21');
    expect(a.stdout).toContain('  examined in a mailbox copy 16, known from a log only 5; counted by their session rather than their content 6');
    expect(a.stdout).toContain('  recipient deliveries: 31 (sent 27, bounced 4; counted from logs)');
    expect(a.stdout).toContain('    outside: sent 26, bounced 4; internal: sent 1');
    expect(a.stdout).toContain('  keiri@sample-shoji.example: compromised+impersonated, 17 malicious sent 2026-11-05T01:12:08.000Z – 2026-11-06T07:31:08.000Z from 198.51.100.77, impersonated in 1');
    expect(a.stdout).toContain('  eigyo@sample-shoji.example: compromised, 4 malicious sent 2026-11-05T02:48:09.000Z – 2026-11-06T03:12:09.000Z from 198.51.100.77');
    expect(a.stdout).toMatch(/ {2}#\d+ attacker eigyo@sample-shoji\.example from 198\.51\.100\.77 \(new\): 2 sends, 0 malicious by content/);
    expect(a.stdout).toContain('  maliciousOutboundMessages: distinct messages the attacker submitted through the organisation');

    const e = runCli(['explain', '<3f2a9c10b0@sample-shoji.example>', '--case', casePath]);
    expect(e.code).toBe(0);
    expect(e.stdout).toMatch(/message <3f2a9c10b0@sample-shoji\.example>, case reference #\d+: MALICIOUS \(hijack score 7\)/);
    expect(e.stdout).toMatch(/ {2}sent in:\n {2}session #\d+ of keiri@sample-shoji\.example: the attacker \(counted\); from 198\.51\.100\.77 \(an address new for the account\)/);
    expect(e.stdout).toContain('signal old-thread (+1): the referenced message is 65 days older');
    expect(e.stdout).toMatch(/seen in \S+samples\/mail\/journal\.mbox at byte \d+ \(\d+ bytes\)/);
    expect(e.stdout).toMatch(/in postfix log \S+samples\/mail\/logs\/maillog, queue id \w+, lines \d+–\d+, authenticated as keiri from 198\.51\.100\.77/);
    const acc = runCli(['explain', 'keiri@sample-shoji.example', '--case', casePath]);
    expect(acc.stdout.split('\n')[0]).toBe('account keiri@sample-shoji.example: compromised+impersonated');
    // A log-only send, traced to its log line.
    expect(acc.stdout).toMatch(/attacker send 2026-11-05T07:40:08\.000Z from 198\.51\.100\.77: <3f2a9c4444@sample-shoji\.example> \(log only\); \S+MessageTrace\.csv line \d+; \S+maillog line \d+/);
    expect(runCli(['explain', 'nobody@nowhere.example', '--case', casePath]).code).toBe(64);

    const acct = lastJson<{ accounts: { account: string; verdict: string | null }[] }>(runCli(['accounts', '--case', casePath, '--json']).stdout);
    expect(acct.accounts.find((x) => x.account === 'keiri')?.verdict).toBe('compromised+impersonated');
  });
});
