// Payloads by content and by name, and the names that hide them (src/office/payload.ts), as
// inspect judges them.
import { describe, expect, it } from 'vitest';
import { sniffType } from '../../src/mail/sniff.js';
import { inspectBytes } from '../../src/office/inspect.js';
import { classifyPayload, nameDisguises } from '../../src/office/payload.js';
import { writeZip } from '../../src/office/zip-writer.js';
import { inspectReasons } from '../../src/report/inspect-reasons.js';

function peStub(): Buffer {
  const b = Buffer.alloc(0x200);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  return b;
}

const classify = (bytes: Buffer, name: string) => classifyPayload(bytes, sniffType(bytes), name);

describe('payloads', () => {
  it('a PE is a program by content, whatever its name says', () => {
    expect(classify(peStub(), 'setup.exe')).toEqual({ kind: 'executable', by: 'content+name', what: 'Windows executable (PE)', disguise: [] });
    expect(classify(peStub(), 'invoice.pdf')).toEqual({
      kind: 'executable',
      by: 'content',
      what: 'Windows executable (PE)',
      disguise: ['Windows executable (PE) under the name of a .pdf file'],
    });
  });

  it('scripts and shortcuts by name, as Windows runs them', () => {
    const text = Buffer.from('var s = new ActiveXObject("WScript.Shell");\n');
    expect(classify(text, '請求書.js')?.what).toBe('JScript, run by Windows Script Host (.js)');
    expect(classify(text, 'a.JSE')?.kind).toBe('script');
    expect(classify(text, 'a.ps1')?.kind).toBe('script');
    expect(classify(text, 'run.hta')?.kind).toBe('html-application');
    expect(classify(text, 'notes.txt')).toBeNull();
    expect(classify(Buffer.from('<html><hta:application id="x"/><script>1</script></html>'), 'page.html')?.kind).toBe('html-application');
  });

  it('names that hide a program: a second extension, a bidi override, blanks', () => {
    expect(nameDisguises('IMG_20261105.jpg.exe')).toEqual(['double extension: ".jpg.exe" shows as a .jpg where extensions are hidden']);
    expect(nameDisguises('invoice\u202Efdp.exe')).toEqual(['bidi control character in the name: it shows as "invoiceexe.pdf"']);
    expect(nameDisguises('report.pdf                    .exe')).toEqual([
      'double extension: ".pdf.exe" shows as a .pdf where extensions are hidden',
      'a long run of blanks before the extension pushes it out of view',
    ]);
    expect(nameDisguises('見積書.v2.xlsx')).toEqual([]);
  });

  it('HTML smuggling needs a decoded blob offered as a download; an ordinary page is not', () => {
    const smuggle = Buffer.from('<html><script>var d=atob("UEsDBA==");var b=new Blob([d]);var a=document.createElement("a");a.href=URL.createObjectURL(b);a.download="x.zip";a.click();</script></html>');
    expect(classify(smuggle, 'doc.html')?.kind).toBe('html-smuggling');
    const page = Buffer.from('<html><script>var b = new Blob(["hi"]); console.log(b.size);</script></html>');
    expect(classify(page, 'page.html')).toBeNull();
  });

  it('inspect calls a program suspicious and says why', () => {
    const r = inspectBytes(peStub(), 'IMG_1.jpg.exe');
    expect(r.verdict).toBe('suspicious');
    expect(r.payload?.kind).toBe('executable');
    expect(inspectReasons(r)).toEqual([
      'Windows executable (PE): runs when opened (known by content and name)',
      'double extension: ".jpg.exe" shows as a .jpg where extensions are hidden',
    ]);
    expect(inspectBytes(Buffer.from('hello'), 'readme.txt').verdict).toBe('clean');
  });

  it('a bidi override in a document name is suspicious on its own', () => {
    const r = inspectBytes(Buffer.from('plain text'), 'contract\u202Etxt.doc');
    expect(r.verdict).toBe('suspicious');
    expect(r.payload).toBeNull();
  });

  it('an encrypted archive member is judged by its name when its bytes are out of reach', () => {
    const zip = writeZip([{ name: 'invoice.js', data: Buffer.from('WScript.Echo(1)') }], { password: 'secret', mtimeMs: Date.UTC(2026, 10, 5) });
    const r = inspectBytes(zip, 'invoice.zip');
    expect(r.children.map((c) => [c.file, c.verdict, c.payload?.kind])).toEqual([['invoice.js', 'suspicious', 'script']]);
    expect(r.verdict).toBe('suspicious');
    // With the password the member is read, and is still the script it is named.
    const opened = inspectBytes(zip, 'invoice.zip', { passwords: ['secret'] });
    expect(opened.children.map((c) => [c.file, c.verdict, c.payload?.by])).toEqual([['invoice.js', 'suspicious', 'name']]);
  });
});
