// Every document of the shared office corpus (copied to tests/fixtures/office) against what
// its MANIFEST records: VBA yes/no, Excel 4.0 macros yes/no, encrypted yes/no, the VBA
// module names and the auto-exec triggers. Where we find more than olevba 0.60.3 did, the
// override below says what is really in the file.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inspectBytes, type InspectResult } from '../../src/office/inspect.js';
import { readTsvRows } from '../helpers.js';
import { inspectReasons } from '../../src/report/inspect-reasons.js';

const DIR = new URL('../fixtures/office/', import.meta.url);

interface Row {
  path: string;
  expected: string;
}

const rows: Row[] = readTsvRows(new URL('MANIFEST.tsv', DIR)).map((c) => ({ path: c[0]!.replace(/^office\//, ''), expected: c[5] ?? '' }));

/**
 * The first `key=value` token of the MANIFEST's expected column. Text after "after
 * decryption" describes the decrypted file, which is not what is inspected here.
 */
function field(expected: string, key: string): string | undefined {
  const before = expected.split('after decryption')[0]!;
  return new RegExp(`(?:^|[\\s;])${key}=([^;\\s]+)`).exec(before)?.[1];
}

/** What is really in the file where olevba 0.60.3 saw less. */
const OVERRIDES: Record<string, { xlm?: boolean; modules?: number; autoexec?: string[] }> = {
  // olevba does not read macro sheets of OOXML workbooks; these have xl/macrosheets/ and an Auto_Open name.
  'oletools/excel4-macros/excel4_sample_macro.xlsm': { xlm: true, autoexec: ['_xlnm.Auto_Open'] },
  'oletools/excel4-macros/excel4_sample_macro.xltm': { xlm: true, autoexec: ['_xlnm.Auto_Open'] },
  'oletools/excel4-macros/excel4_sample_macro.xlsb': { xlm: true, autoexec: ['Auto_Open'] },
  'apache-poi/spreadsheet/xlmmacro.xlsm': { xlm: true },
  // POI's test counts 29 modules; the MANIFEST's list stops at Module8.
  'apache-poi/spreadsheet/59830.xls': { modules: 29 },
};

/** Verdict by rule: which facts of the MANIFEST make a document suspicious, encrypted or macro-bearing. */
function expectedVerdict(row: Row, r: InspectResult): string {
  const e = row.expected;
  // The msodde documents named dde-* carry a DDE field (msodde's tests of some only check parsing).
  if ((/(?<!0 )DDE link|DDE links found/.test(e) || /\/dde-/.test(row.path)) && !/encrypted=yes/.test(e)) return 'suspicious';
  // A Package object that points at calc.exe: oleobj dumps nothing (no data), but it is a launcher.
  if (row.path === 'oletools/oleobj/sample_with_lnk_to_calc.doc') return 'suspicious';
  if (/external relationship link/.test(e)) return 'suspicious';
  if (/embedded calc\.lnk/.test(e)) return 'suspicious';
  if (/rtfobj test.*OLE object/.test(e)) return 'suspicious';
  if (row.path === 'apache-poi/document/60279.doc') return 'suspicious'; // module source zeroed, p-code kept
  // Opened with Excel's default password: judged by the decrypted content the MANIFEST describes.
  if (/standardpassword\.xls[xmb]?$/.test(row.path)) return /DDE/.test(e) ? 'suspicious' : 'macro';
  const xlm = OVERRIDES[row.path]?.xlm ?? field(e, 'xlm') === 'yes';
  if (xlm && r.autoexec.length > 0) return 'suspicious';
  if (field(e, 'vba') === 'yes' || xlm) return r.verdict === 'suspicious' ? 'suspicious' : 'macro';
  if (/encrypted=yes/.test(e)) return 'encrypted';
  return 'clean';
}

describe('office corpus against its MANIFEST', () => {
  it('has all 137 documents', () => expect(rows).toHaveLength(137));

  for (const row of rows) {
    it(row.path, () => {
      const r = inspectBytes(readFileSync(new URL(row.path, DIR)), row.path.split('/').pop()!);
      const o = OVERRIDES[row.path] ?? {};
      const encrypted = field(row.expected, 'encrypted') === 'yes';
      // Encrypted OOXML hides its VBA until decrypted: olevba's vba= after decryption is not expected here.
      const vba = field(row.expected, 'vba') === 'yes';
      expect(r.macros.vba, 'vba').toBe(vba);
      expect(r.macros.xlm, 'xlm').toBe(o.xlm ?? field(row.expected, 'xlm') === 'yes');
      expect(r.encrypted, 'encrypted').toBe(encrypted);
      const modules = (field(row.expected, 'modules') ?? '')
        .split(',')
        .filter((m) => m && m !== 'xlm_macro.txt')
        .map((m) => m.replace(/\.(bas|cls|frm)$/, ''));
      if (o.modules !== undefined) expect(r.macros.modules).toHaveLength(o.modules);
      else if (modules.length) expect(r.macros.modules.map((m) => m.name)).toEqual(modules);
      const autoexec = o.autoexec ?? (field(row.expected, 'autoexec') ?? '').split(',').filter(Boolean);
      for (const a of autoexec) expect(r.autoexec.map((x) => x.toLowerCase()), 'autoexec').toContain(a.toLowerCase());
      expect(r.verdict).toBe(expectedVerdict(row, r));
    });
  }
});

describe('details the MANIFEST names', () => {
  const inspect = (p: string) => inspectBytes(readFileSync(new URL(p, DIR)), p.split('/').pop()!);

  it('strelka test.xls: hidden macro sheet, Auto_Open, the XLM URL and GetObject', () => {
    const r = inspect('strelka/test.xls');
    expect(r.macros.macroSheets).toEqual([{ name: 'Macro1', type: 'macro', visibility: 'hidden' }]);
    expect(r.iocs).toContain('https://www.example.com/path/to/resource');
    expect(r.suspicious.map((s) => s.keyword)).toContain('GetObject');
  });

  it('Excel 4.0 functions read from the macro sheets of BIFF8 and BIFF5 workbooks', () => {
    expect(inspect('oletools/excel4-macros/excel4_sample_macro.xls').macros.xlmFunctions).toEqual(['ALERT', 'HALT']);
    expect(inspect('oletools/excel4-macros/excel4_sample_macro_excel5_format.xls').macros.xlmFunctions).toEqual(['ALERT', 'HALT']);
    expect(inspect('strelka/test.xls').macros.xlmFunctions).toEqual(['GET.WORKBOOK', 'GET.DOCUMENT', 'HALT', 'IF', 'ALERT']);
    expect(inspect('oletools/excel4-macros/excel4_sample_macro.slk').suspicious.map((s) => s.keyword)).toEqual(['ALERT(', 'HALT(']);
  });

  it('POI 60158.docm: NewMacros contains "\' dirty"', () => {
    const m = inspect('apache-poi/document/60158.docm').macros.modules.find((x) => x.name === 'NewMacros');
    expect(m?.source).toContain("' dirty");
  });

  it('POI 59830.xls: Module20 contains "here start of superscripting"', () => {
    const m = inspect('apache-poi/spreadsheet/59830.xls').macros.modules.find((x) => x.name === 'Module20');
    expect(m?.source).toContain('here start of superscripting');
  });

  it('DDE links: the command each test document carries', () => {
    expect(inspect('oletools/msodde/dde-test.xlsx').dde).toEqual(['cmd /c calc.exe']);
    expect(inspect('oletools/msodde/dde-in-csv.csv').dde).toEqual(["=cmd|'/k \\..\\..\\..\\Windows\\System32\\calc.exe'!A0"]);
    expect(inspect('oletools/msodde/dde-test-from-office2003.doc').dde[0]).toMatch(/^DDEAUTO c:\\\\windows\\\\system32\\\\cmd\.exe "\/k calc\.exe"/);
  });

  it('embedded objects: oleobj file names', () => {
    expect(inspect('oletools/oleobj/embedded-simple-2007.docx').embedded).toEqual(['simple-text-file.txt']);
    expect(inspect('oletools/oleobj/sample_with_lnk_file.ppt').embedded).toEqual(['calc.lnk']);
  });

  it("opens OOXML encrypted with Excel's default password and finds what oletools found after decryption", () => {
    const r = inspect('oletools/encrypted/autostart-encrypt-standardpassword.xlsm');
    expect(r.encrypted).toBe(true);
    expect(r.children).toHaveLength(1);
    expect(r.children[0]!.macros.modules.map((m) => m.name)).toEqual(['Modul1', 'DieseArbeitsmappe', 'Tabelle1']);
    expect(r.children[0]!.autoexec).toEqual(['Auto_Open']);
    expect(inspect('oletools/encrypted/dde-test-encrypt-standardpassword.xlsb').children[0]!.dde).toEqual(['cmd /c calc.exe']);
    // A document with a real password stays closed unless the password is given.
    expect(inspect('oletools/encrypted/encrypted.docx')).toMatchObject({ verdict: 'encrypted', children: [] });
  });

  it('opens an encrypted OOXML document with a password candidate from the mail', () => {
    const bytes = readFileSync(new URL('msoffcrypto-tool/example_password.docx', DIR));
    expect(inspectBytes(bytes, 'x.docx', { passwords: ['wrong'] }).children).toEqual([]);
    const r = inspectBytes(bytes, 'x.docx', { passwords: ['wrong', 'Password1234_'] });
    expect(inspectReasons(r)).toContain('encrypted; opened with the password "Password1234_" from the mail');
    expect(r.children[0]).toMatchObject({ container: 'ooxml', verdict: 'clean' });
  });

  it('encryption: how each format says so', () => {
    expect(inspect('msoffcrypto-tool/rc4cryptoapi_password.xls').encryption).toBe('excel-filepass-rc4-cryptoapi');
    expect(inspect('msoffcrypto-tool/xor_password_123456789012345.xls').encryption).toBe('excel-filepass-xor');
    expect(inspect('msoffcrypto-tool/rc4cryptoapi_password.ppt').encryption).toBe('powerpoint-current-user');
    expect(inspect('oletools/encrypted/encrypted.doc').encryption).toBe('word-fib');
    expect(inspect('oletools/encrypted/encrypted.docx').encryption).toBe('ooxml-package');
  });
});
