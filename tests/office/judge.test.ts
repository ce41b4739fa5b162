// judge(): the verdict from typed facts alone, one case per rule.
import { describe, expect, it } from 'vitest';
import { inspectBytes, type InspectResult } from '../../src/office/inspect.js';
import type { Finding } from '../../src/office/findings.js';
import { judge, judgeTree } from '../../src/office/judge.js';
import { inspectReasons } from '../../src/report/inspect-reasons.js';

/** A judged result of nothing, to set facts on. */
function blank(): InspectResult {
  return inspectBytes(Buffer.from('plain text\n'), 'note.txt');
}

describe('judge', () => {
  it('an empty text file is clean, on no grounds', () => {
    expect(judge(blank(), [])).toEqual({ verdict: 'clean', grounds: [] });
  });

  it('macros that do nothing by themselves: macro; with a lure in the text: suspicious', () => {
    const r = blank();
    r.macros.vba = true;
    expect(judge(r, [])).toEqual({ verdict: 'macro', grounds: [{ kind: 'macros', vba: true, xlm: false }] });
    r.findings.push({ kind: 'lure', phrases: ['コンテンツの有効化'] });
    expect(judge(r, [])).toEqual({ verdict: 'suspicious', grounds: [] });
  });

  it('auto-exec that can execute: suspicious, on the runs-by-itself ground; auto-exec alone is not', () => {
    const r = blank();
    r.macros.vba = true;
    r.autoexec.push('Document_Open');
    r.flags.autoexec = true;
    expect(judge(r, []).verdict).toBe('macro');
    r.flags.execute = true;
    expect(judge(r, [])).toEqual({ verdict: 'suspicious', grounds: [{ kind: 'runs-by-itself', autoexec: ['Document_Open'], write: false, execute: true }] });
  });

  it('encrypted and not opened: encrypted, sealed; an unread archive member says why only once', () => {
    const r = blank();
    r.encrypted = true;
    r.encryption = 'zip-aes';
    expect(judge(r, [])).toEqual({ verdict: 'encrypted', grounds: [{ kind: 'sealed', encryption: 'zip-aes' }] });
    r.findings.push({ kind: 'member-not-read', cause: 'encrypted', why: 'no password opened it' });
    expect(judge(r, [])).toEqual({ verdict: 'encrypted', grounds: [] });
  });

  it('a damaged member is an error, and a suspicious child outranks it', () => {
    const r = blank();
    r.findings.push({ kind: 'member-not-read', cause: 'damaged', why: 'bad CRC' });
    expect(judge(r, []).verdict).toBe('error');
    expect(judge(r, ['clean', 'suspicious']).verdict).toBe('suspicious');
  });

  it('each finding that means code runs or a name hides a file makes the object suspicious', () => {
    const cases: Finding[] = [
      { kind: 'vba-stomping', module: 'Module1', pcodeBytes: 4096 },
      { kind: 'hidden-macro-sheet', sheet: 'Macro1', visibility: 'very hidden' },
      { kind: 'embedded-runnable', name: 'a.exe' },
      { kind: 'remote-injection', type: 'attachedTemplate', target: 'http://x.test/t.dotm' },
      { kind: 'rtf-objects', count: 1, classes: ['Equation.3'] },
      { kind: 'pdf-javascript' },
      { kind: 'pdf-launch' },
      { kind: 'padded', length: 1000, byte: 0, fullSize: 2000 },
      { kind: 'payload', payload: { kind: 'script', by: 'name', what: 'JScript', disguise: [] } },
      { kind: 'name-disguise', how: 'double extension' },
      { kind: 'onenote' },
      { kind: 'disk-image', container: 'iso' },
    ];
    for (const f of cases) {
      const r = blank();
      r.findings.push(f);
      expect(judge(r, []).verdict, f.kind).toBe('suspicious');
    }
  });

  it('findings that only describe leave a clean object clean', () => {
    const cases: Finding[] = [{ kind: 'pdf-open-action' }, { kind: 'pdf-embedded-file' }, { kind: 'archive-encrypted', opened: true }, { kind: 'mail', subject: 's', from: null, attachments: 0 }];
    for (const f of cases) {
      const r = blank();
      r.findings.push(f);
      expect(judge(r, []).verdict, f.kind).toBe('clean');
    }
  });

  it('judgeTree records each verdict innermost first, and the reasons are worded from the facts', () => {
    const root = blank();
    const child = blank();
    child.findings.push({ kind: 'payload', payload: { kind: 'executable', by: 'content', what: 'Windows executable (PE)', disguise: [] } });
    root.children.push(child);
    expect(judgeTree(root)).toBe('suspicious');
    expect(child.verdict).toBe('suspicious');
    expect(inspectReasons(child)).toEqual(['Windows executable (PE): runs when opened (known by content)']);
  });
});
