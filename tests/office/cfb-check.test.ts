// The compound-file check walks chains the file states; whatever a file states, it ends
// with a layout or a CfbStructureError, never another exception, and it accepts every real
// compound file of the fixtures.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CfbStructureError, checkCompoundFile } from '../../src/office/cfb-check.js';
import { ROOT } from '../helpers.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

const OLE = files(join(ROOT, 'tests/fixtures'))
  .filter((p) => !p.includes('/fuzz/'))
  .map((p) => ({ p, b: readFileSync(p) }))
  .filter(({ b }) => b.length >= 8 && b.readUInt32BE(0) === 0xd0cf11e0);

describe('checkCompoundFile', () => {
  it('accepts every compound file of the fixtures', () => {
    expect(OLE.length).toBeGreaterThan(50);
    const refused = OLE.filter(({ b }) => {
      try {
        checkCompoundFile(b);
        return false;
      } catch {
        return true;
      }
    }).map(({ p }) => p);
    expect(refused).toEqual([]);
  });

  it('ends with a layout or a CfbStructureError whatever 32-bit words of the structures say (property)', () => {
    const msg = readFileSync(join(ROOT, 'tests/fixtures/mail/spamscope-mail-parser/mail_outlook_1.msg'));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: Math.floor(msg.length / 4) - 1 }), fc.constantFrom(0, 1, 2, 0xfffffffe, 0xffffffff, 0x7ffffff0, 5000)), { minLength: 1, maxLength: 8 }), (patches) => {
        const b = Buffer.from(msg);
        for (const [word, value] of patches) b.writeUInt32LE(value >>> 0, word * 4);
        try {
          const layout = checkCompoundFile(b);
          expect(layout.largestStream).toBeLessThanOrEqual(b.length);
        } catch (e) {
          expect(e).toBeInstanceOf(CfbStructureError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
