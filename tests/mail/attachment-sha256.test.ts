// An attachment is hashed once: the SHA-256 the mail parser computed (digests.ts) is the one
// the analysis reports for it (inspect option sha256), and only for that object.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inspectBytes } from '../../src/office/inspect.js';
import { inspectDeep } from '../../src/office/inspect-deep.js';

const docx = readFileSync(new URL('../../src/samples/assets/clean.docx', import.meta.url));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function mailWith(name: string, bytes: Buffer): Buffer {
  return Buffer.from(
    [
      'From: a@example.com',
      'To: b@example.com',
      'Subject: attached',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'see attached',
      '--b1',
      `Content-Type: application/octet-stream; name="${name}"`,
      'Content-Transfer-Encoding: base64',
      '',
      bytes.toString('base64').replace(/.{76}/g, '$&\r\n'),
      '--b1--',
      '',
    ].join('\r\n'),
  );
}

describe('inspect option sha256', () => {
  it('is the root object\'s hash, and the objects inside are hashed as before', () => {
    const known = 'f'.repeat(64);
    const given = inspectBytes(docx, 'clean.docx', { sha256: known });
    const computed = inspectBytes(docx, 'clean.docx');
    expect(computed.sha256).toBe(sha256(docx));
    expect(given.sha256).toBe(known);
    expect(JSON.stringify({ ...given, sha256: '' })).toBe(JSON.stringify({ ...computed, sha256: '' }));
  });

  it('a mail found as an object gives its attachments the hash the parser computed', async () => {
    const nested = mailWith('inner.docx', docx);
    const outer = await inspectDeep(mailWith('fwd.eml', nested), 'outer.eml');
    const child = outer.children[0]!;
    expect(child.sha256).toBe(sha256(nested));
    expect(child.children[0]!.sha256).toBe(sha256(docx));
  });
});
