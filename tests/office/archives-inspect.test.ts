// inspect on the archives Emotet and its cousins used (7z, RAR, ISO/UDF, FAT images, gzip,
// padded documents): each member is analysed as a child, encrypted ones with the mail's
// passwords, and a document padded to hundreds of MB is judged on its real content.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectBytes } from '../../src/office/inspect.js';
import { ROOT } from '../helpers.js';
import { inspectReasons } from '../../src/report/inspect-reasons.js';

const dir = join(ROOT, 'tests/fixtures/office/archives');
const inspect = (f: string, passwords: string[] = []) => inspectBytes(readFileSync(join(dir, f)), f.split('/').pop()!, { passwords });
const summary = (f: string, passwords: string[] = []) => {
  const r = inspect(f, passwords);
  return [r.container, r.verdict, r.archive?.opened ?? null, r.children.map((c) => [c.file, c.verdict])];
};

describe('archives in inspect', () => {
  it('7z, RAR, gzip and disk images: every member inspected', () => {
    expect(summary('7z/macro.7z')).toEqual(['7z', 'suspicious', true, [['macro-auto-open.xls', 'suspicious']]]);
    expect(summary('rar/macro.rar')).toEqual(['rar', 'suspicious', true, [['macro-auto-open.xls', 'suspicious']]]);
    expect(summary('gzip/macro-auto-open.xls.gz')).toEqual(['gzip', 'suspicious', true, [['macro-auto-open.xls', 'suspicious']]]);
    expect(summary('images/lure.iso')).toEqual(['iso', 'suspicious', true, [['Invoice.pdf.lnk', 'suspicious'], ['macro-auto-open.xls', 'suspicious']]]);
    expect(summary('images/macro.img')).toEqual(['img', 'suspicious', true, [['macro-auto-open.xls', 'suspicious']]]);
    const lnk = inspect('images/lure.iso').children[0]!;
    expect(inspectReasons(lnk)).toEqual([
      'Windows shortcut (.lnk), can run any command: runs when opened (known by content and name)',
      'double extension: ".pdf.lnk" shows as a .pdf where extensions are hidden',
    ]);
  });

  it('encrypted 7z and RAR, headers too, open only with the password from the mail', () => {
    for (const f of ['7z/macro-encrypted.7z', '7z/macro-encrypted-headers.7z', 'rar/macro-encrypted.rar']) {
      const [container, verdict, opened] = summary(f);
      // Not opened is not clean: without the password what it holds is unknown.
      expect([f, verdict, opened]).toEqual([f, 'encrypted', false]);
      expect(summary(f, ['wrong', 'infected2024'])).toEqual([container, 'suspicious', true, [['macro-auto-open.xls', 'suspicious']]]);
    }
    expect(summary('rar/macro-encrypted-headers.rar')).toEqual(['rar', 'encrypted', false, []]);
    expect(summary('rar/macro-encrypted-headers.rar', ['infected2024'])).toEqual([
      'rar',
      'suspicious',
      true,
      [
        ['macro-auto-open.xls', 'suspicious'],
        ['Invoice.pdf.lnk', 'suspicious'],
      ],
    ]);
  });

  it('a document zero-padded to 300 MiB in a small ZIP or 7z is judged on its content, with the padding said', () => {
    for (const f of ['padded/invoice-padded.zip', 'padded/invoice-padded.7z']) {
      const child = inspect(f).children[0]!;
      expect([f, child.container, child.macros.xlm || child.macros.vba, child.verdict, child.size]).toEqual([f, 'ole', true, 'suspicious', 300 * 1024 * 1024]);
      expect(inspectReasons(child).some((x) => /^padded with \d+ bytes of 0x00 to 314572800 bytes/.test(x))).toBe(true);
    }
  });

  it('ZIP member names in each code page come out as written', () => {
    const names = (f: string) => inspect(`zip-names/${f}`).children.map((c) => c.file);
    expect(names('cp437.zip')).toEqual(['Résumé.xls', 'Übersicht März.txt']);
    expect(names('cp866.zip')).toEqual(['Договор №5.txt', 'Счет.xls']);
    expect(names('cp932.zip')).toEqual(['見積書_2026.txt', '請求書.xls']);
    expect(names('utf8-noflag.zip')).toEqual(['Résumé.txt', 'Счет.txt', '請求書.xls']);
  });
});
