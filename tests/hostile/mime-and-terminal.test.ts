// Hostile mail: each case is generated here; the scan must record an error or a bounded
// result for it and go on with the next input.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/mail/parse.js';
import { forTerminal } from '../../src/report/terminal.js';
import { lastJson, runCli, tempDir } from '../helpers.js';

function nestedMultipart(n: number): Buffer {
  let s = '';
  for (let i = 0; i < n; i++) s += `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`;
  return Buffer.from('From: a@org.example\r\nSubject: deep\r\n' + s + 'Content-Type: text/plain\r\n\r\nhi\r\n');
}

function nestedRfc822(n: number): Buffer {
  let inner = 'From: x@y.example\r\nSubject: core\r\n\r\nbody\r\n';
  for (let i = 0; i < n; i++) inner = `From: x@y.example\r\nSubject: L${i}\r\nContent-Type: message/rfc822\r\n\r\n` + inner;
  return Buffer.from(inner);
}

describe('hostile MIME', () => {
  it('a message/rfc822 nested 1,000 deep is opened 8 deep and says so', async () => {
    const m = await parseMessage(nestedRfc822(1000));
    expect(m.subject).toBe('L999');
    expect(m.attachments).toHaveLength(9);
    expect(m.defects).toContain('message/rfc822 nested deeper than 8; not opened at 0/1/2/3/4/5/6/7/8');
  });

  it('unterminated boundaries, invalid base64 and quoted-printable, unknown charsets and NUL bytes give a bounded result', async () => {
    const cut = await parseMessage(Buffer.from('From: a@b.example\r\nContent-Type: multipart/mixed; boundary="x"\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nhello\r\n--x\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n@@@!!notbase64'));
    expect(cut.defects).toEqual(['close boundary not found']);
    expect(cut.attachments).toHaveLength(1);
    const qp = await parseMessage(Buffer.from('From: a@b.example\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Type: text/plain; charset=x-nonexistent\r\n\r\n=ZZ=4=\r\n'));
    expect(qp.text.length).toBeLessThan(20);
    const nul = await parseMessage(Buffer.from('From: a@b.example\r\nSubject: n\0ul\r\n\r\nbo\0dy\r\n'));
    expect(nul.subject).toBe('n\0ul');
  });

  it('a scan records 10,000 nested multiparts and a 50 MB header as errors and keeps the good message', () => {
    const dir = tempDir('hostile-mime');
    writeFileSync(join(dir, 'a-deep.eml'), nestedMultipart(10_000));
    writeFileSync(join(dir, 'b-header.eml'), Buffer.from('From: a@b.example\r\nSubject: ' + 'A'.repeat(50 * 1024 * 1024) + '\r\n\r\nbody\r\n'));
    writeFileSync(join(dir, 'c-good.eml'), 'From: a@b.example\r\nSubject: fine\r\nMessage-ID: <good@b.example>\r\n\r\nok\r\n');
    const r = runCli(['scan', dir, '--case', join(dir, 'c.sqlite'), '--json', '--no-analyze']);
    expect(r.code).toBe(3);
    const s = lastJson<{ messages: number; errorSamples: { source_path: string; reason: string }[] }>(r.stdout);
    expect(s.messages).toBe(1);
    expect(s.errorSamples.map((e) => [e.source_path.split('/').pop(), e.reason])).toEqual([
      ['a-deep.eml', 'unparseable message: Max allowed child nodes exceeded'],
      ['b-header.eml', 'unparseable message: Max header size for a MIME node exceeded'],
    ]);
  });
});

describe('text bound for the terminal', () => {
  it('shows escape sequences, C1 controls and bidi overrides as visible escapes', () => {
    expect(forTerminal('Re: \u001b]0;pwned\u0007\u001b[31mred')).toBe('Re: \\u001b]0;pwned\\u0007\\u001b[31mred');
    expect(forTerminal('invoice_\u202Efdp.exe')).toBe('invoice_\\u202efdp.exe');
    expect(forTerminal('請求書\nline')).toBe('請求書\nline');
  });

  it('explain prints a hostile subject inert', () => {
    const dir = tempDir('hostile-term');
    writeFileSync(join(dir, 'x.eml'), 'From: a@org.example\r\nTo: b@partner.example\r\nSubject: Re: \u001b[2J\u202Eexe.pdf\r\nMessage-ID: <esc@org.example>\r\n\r\nhi\r\n');
    runCli(['scan', dir, '--case', join(dir, 'c.sqlite'), '--org-domain', 'org.example', '--quiet']);
    const e = runCli(['explain', 'esc@org.example', '--case', join(dir, 'c.sqlite')]).stdout;
    expect(e).not.toMatch(/[\u001b\u202e]/);
    expect(e).toContain('subject: Re: \\u001b[2J\\u202eexe.pdf');
  });
});
