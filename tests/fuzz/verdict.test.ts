// How the fuzzer judges one CLI run, and how it tells failures apart.
import { describe, expect, it } from 'vitest';
import type { ChildResult } from '../../src/fuzz/child-run.js';
import { firstStderrLine, judge, stderrIsClean } from '../../src/fuzz/verdict.js';

const ok: ChildResult = { exitCode: 0, signal: null, stdout: '', stderr: '', seconds: 1, peakRssMB: 150, timedOut: false, memoryKilled: false };
const bounds = { seconds: 60, rssMB: 400 };
const run = (r: Partial<ChildResult>) => judge({ ...ok, ...r }, [0, 3], bounds, ['/tmp/work-1']);

describe('fuzz verdicts', () => {
  it('passes documented exit codes with clean stderr', () => {
    expect(run({})).toBeNull();
    expect(run({ exitCode: 3, stderr: 'blastradius: a.eml: not mail\nblastradius: b.eml: not mail\n' })).toBeNull();
  });

  it('flags undocumented exit codes, signals, foreign stderr, time and memory', () => {
    expect(run({ exitCode: 1, stderr: 'blastradius: Error: x\n    at y (z.js:1:1)' })?.label).toBe('exit-1');
    expect(run({ exitCode: null, signal: 'SIGABRT' })?.label).toBe('signal-SIGABRT');
    expect(run({ stderr: '[xmldom error]\tEntityRef: expecting ;' })?.label).toBe('stderr');
    expect(run({ timedOut: true, exitCode: null, signal: 'SIGKILL' })?.label).toBe('timeout');
    expect(run({ memoryKilled: true, exitCode: null, signal: 'SIGKILL' })?.label).toBe('rss');
    expect(run({ peakRssMB: 401 })?.label).toBe('rss');
    expect(stderrIsClean('blastradius: x\n  continued')).toBe(false);
  });

  it('names a V8 fatal error by its telling line, not its banner', () => {
    const stderr = '\n\n#\n# Fatal error in , line 0\n# Fatal JavaScript invalid size error 169220804 (see crbug.com/1201626)\n#\n';
    expect(firstStderrLine(stderr)).toBe('# Fatal JavaScript invalid size error 169220804 (see crbug.com/1201626)');
  });

  it('one signature per bug: numbers and paths masked, xmldom messages one family', () => {
    const a = run({ exitCode: 1, stderr: 'blastradius: RangeError: offset 1234 out of range in /tmp/work-1/b3-m007.msg' });
    const b = run({ exitCode: 1, stderr: 'blastradius: RangeError: offset 99 out of range in /tmp/work-1/b9-m010.msg' });
    expect(a!.signature).toBe(b!.signature);
    expect(run({ stderr: '[xmldom error]\tEntityRef: expecting ;' })!.signature).toBe(run({ stderr: '[xmldom fatalError]\tunclosed xml tag(s): a' })!.signature);
  });
});
