// Attacker-written subjects, display names and file names carrying HTML, script, CSV
// formulas, bidi overrides and terminal escape sequences: report.html, the CSV files and the
// terminal show them as text, never as markup, formulas, reversed text or control codes.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMessage, encodeWord, formatAddress } from '../../src/samples/mime-build.js';
import { ASSETS, runCli, tempDir } from '../helpers.js';

const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>\u202Efdp.exe\u001b[2J\u001b]0;owned\u0007';

describe('hostile text in the outputs', () => {
  it('is inert in report.html, the CSV files and the terminal', () => {
    const dir = tempDir('hostile-report');
    const raw = buildMessage({
      headers: [
        ['From', formatAddress(`=cmd|' /c calc'!A1 ${HOSTILE}`, 'keiri@sample-shoji.example')],
        ['To', formatAddress('@SUM(1+1)', 'k.tanaka@torihiki.example')],
        ['Subject', encodeWord(`Re: ${HOSTILE}`)],
        ['Date', 'Thu, 05 Nov 2026 10:12:07 +0900'],
        ['Message-ID', '<hostile@sample-shoji.example>'],
        ['Received', 'from [198.51.100.77] (unknown [198.51.100.77]) by mail.sample-shoji.example (Postfix) with ESMTPSA id 4D67B168E81; Thu, 05 Nov 2026 10:12:07 +0900'],
      ],
      text: '> 前回のメール\nご確認ください。',
      charset: 'utf-8',
      attachments: [{ filename: `=HYPERLINK("http://evil.example")${HOSTILE}.xls`, contentType: 'application/vnd.ms-excel', content: readFileSync(new URL('macro-auto-open.xls', ASSETS)) }],
      boundarySeed: 'hostile',
    });
    writeFileSync(join(dir, 'm.eml'), raw);
    writeFileSync(join(dir, 'f.eml'), 'From: a@partner.example\r\nTo: sato@sample-shoji.example\r\nSubject: =HYPERLINK("http://evil.example","click")\r\nMessage-ID: <formula@partner.example>\r\n\r\nhi\r\n');
    const casePath = join(dir, 'c.sqlite');
    expect(runCli(['scan', join(dir, 'm.eml'), join(dir, 'f.eml'), '--case', casePath, '--org-domain', 'sample-shoji.example', '--quiet']).code).toBe(0);
    expect(runCli(['report', '--case', casePath, '--out', join(dir, 'out')]).code).toBe(0);

    const html = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).not.toMatch(/[\u202e\u001b\u0007]/);
    expect(html).toContain('\\u202efdp.exe\\u001b[2J');

    for (const name of ['messages.csv', 'accounts.csv', 'recipients.csv', 'iocs.csv']) {
      const csv = readFileSync(join(dir, 'out', name), 'utf8');
      expect(csv).not.toMatch(/[\u202e\u001b\u0007]/);
      // No cell starts with a formula character.
      for (const line of csv.replace(/^\uFEFF/, '').split('\r\n')) {
        for (const cell of line.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? []) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@]/);
      }
    }
    expect(readFileSync(join(dir, 'out', 'messages.csv'), 'utf8')).toContain(`,"'=HYPERLINK(""http://evil.example"",""click"")",`);

    for (const args of [['explain', 'hostile@sample-shoji.example'], ['analyze'], ['accounts']]) {
      const out = runCli([...args, '--case', casePath]).stdout;
      expect(out).not.toMatch(/[\u202e\u001b\u0007]/);
    }
    expect(runCli(['explain', 'hostile@sample-shoji.example', '--case', casePath]).stdout).toContain('\\u202efdp.exe\\u001b[2J\\u001b]0;owned\\u0007');
  });
});
