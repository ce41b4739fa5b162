// inspect on Office 97–2003 documents encrypted with a password to open: Excel's default
// VelvetSweatshop opens them without asking, so inspect does too and judges what is inside;
// a password from the mail (or --password) opens the others.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectBytes } from '../../src/office/inspect.js';
import { ROOT } from '../helpers.js';
import { inspectReasons } from '../../src/report/inspect-reasons.js';

const legacy = (f: string) => readFileSync(join(ROOT, 'tests/fixtures/office/encrypted-legacy', f));
const crypto = (f: string) => readFileSync(join(ROOT, 'tests/fixtures/office/msoffcrypto-tool', f));

describe('inspect on legacy-encrypted Office documents', () => {
  it('an XLM workbook under VelvetSweatshop (RC4 CryptoAPI) is decrypted and its auto-open macros found', () => {
    const r = inspectBytes(legacy('xlm-auto-open-velvetsweatshop-rc4cryptoapi.xls'), 'invoice.xls');
    expect([r.verdict, r.encryption, r.decrypted, r.macros.xlm, r.autoexec]).toEqual([
      'suspicious',
      'xls-rc4-cryptoapi',
      { method: 'xls-rc4-cryptoapi', password: 'VelvetSweatshop' },
      true,
      ['Auto_Open'],
    ]);
    expect(inspectReasons(r)).toContain('Excel 4.0 macros that run on open (Auto_Open)');
    const hidden = inspectBytes(legacy('xlm-hidden-velvetsweatshop-rc4cryptoapi-40bit.xls'), 'x.xls');
    expect([hidden.verdict, hidden.macros.macroSheets.map((s) => [s.name, s.visibility])]).toEqual(['suspicious', [['Macro1', 'hidden']]]);
  });

  it('a password from the mail opens RC4 CryptoAPI and XOR documents; without it they stay encrypted', () => {
    for (const [file, password, method] of [
      ['rc4cryptoapi_password.xls', 'Password1234_', 'xls-rc4-cryptoapi'],
      ['rc4cryptoapi_password.doc', 'Password1234_', 'doc-rc4-cryptoapi'],
      ['rc4cryptoapi_password.ppt', 'Password1234_', 'ppt-rc4-cryptoapi'],
      ['xor_password_123456789012345.xls', '123456789012345', 'xls-xor'],
    ] as const) {
      const sealed = inspectBytes(crypto(file), file);
      expect([file, sealed.verdict, sealed.decrypted]).toEqual([file, 'encrypted', null]);
      const opened = inspectBytes(crypto(file), file, { passwords: ['wrong', password] });
      expect([file, opened.verdict, opened.decrypted]).toEqual([file, 'clean', { method, password }]);
    }
  });

  it('ECMA-376 Standard encryption opens with the password and the package inside is inspected', () => {
    const r = inspectBytes(crypto('ecma376standard_password.docx'), 'x.docx', { passwords: ['Password1234_'] });
    expect([r.verdict, r.children.map((c) => [c.file, c.container])]).toEqual(['clean', [['x.docx (decrypted)', 'ooxml']]]);
  });
});
