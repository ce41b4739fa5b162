// The lean MIME path against mailparser, the reference: for every message of every mail
// fixture (the corpus copies, the Japanese MUA mails, the two recorded incidents' mboxes,
// the samples) and a generated journal, parseMessage must give the same record whichever
// path reads the MIME body. The counts of messages per path are asserted too, so that a
// change that quietly sends everything to mailparser (or to the lean path) shows.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { readMbox } from '../../src/ingest/mbox-reader.js';
import { decode as libqpDecode } from 'libqp';
import { decodeQuotedPrintable, leanMime } from '../../src/mail/lean-mime.js';
import { parseMessage } from '../../src/mail/parse.js';
import { generateJournal } from '../../src/samples/journal-generator.js';
import { ASSETS, tempDir } from '../helpers.js';

const ROOTS = ['../fixtures/mail/', '../fixtures/mua-ja/', '../fixtures/logs/rig-postfix/', '../fixtures/logs/rig-exim/', '../../samples/mail/'].map((r) =>
  fileURLToPath(new URL(r, import.meta.url)),
);

function* files(dir: string): Generator<string> {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) yield* files(p);
    else yield p;
  }
}

/** Every message in a folder: mbox files split, single-message files whole (logs and manifests left out). */
async function messagesIn(dir: string): Promise<[string, Buffer][]> {
  const out: [string, Buffer][] = [];
  for (const p of files(dir)) {
    const bytes = readFileSync(p);
    if (bytes.subarray(0, 5).toString('latin1') === 'From ') {
      for await (const item of readMbox(p)) if ('raw' in item) out.push([`${p}@${item.offset}`, item.raw]);
    } else if (/\.eml$|\/message-\d+$|\/(cur|new)\/[^/]+$/.test(p)) {
      out.push([p, bytes]);
    }
  }
  return out;
}

async function compare(messages: [string, Buffer][]): Promise<{ lean: number; mailparser: number; differing: string[] }> {
  let lean = 0;
  let mailparser = 0;
  const differing: string[] = [];
  for (const [where, raw] of messages) {
    if (leanMime(raw) === null) {
      mailparser++;
      continue;
    }
    lean++;
    const a = await parseMessage(raw, { keepContent: true });
    const b = await parseMessage(raw, { keepContent: true, mime: 'mailparser' });
    // node's deep equality: vitest's walks Buffers byte by byte and takes seconds on attachments.
    if (!isDeepStrictEqual(a, b)) differing.push(where);
  }
  return { lean, mailparser, differing };
}

describe('lean MIME path equals mailparser', () => {
  it('on every fixture message', async () => {
    const all: [string, Buffer][] = [];
    for (const r of ROOTS) all.push(...(await messagesIn(r)));
    const r = await compare(all);
    expect(r.differing).toEqual([]);
    expect({ lean: r.lean, mailparser: r.mailparser }).toEqual({ lean: 983, mailparser: 113 });
  });

  it('on a generated journal of 400 messages, all of which take the lean path', async () => {
    const dir = tempDir('lean');
    const path = join(dir, 'journal.mbox');
    await generateJournal({ path, maxMessages: 400, seed: 11, assetDir: ASSETS });
    const r = await compare(await messagesIn(dir));
    expect(r).toEqual({ lean: 400, mailparser: 0, differing: [] });
  });
});

describe('lean MIME path leaves unusual shapes to mailparser', () => {
  const msg = (headers: string, body: string) => Buffer.from(`From: a@example.com\r\nSubject: t\r\n${headers}\r\n\r\n${body}`, 'utf8');
  const mixed = (parts: string, close = true) =>
    msg('MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"', `pre\r\n--b1\r\n${parts}\r\n${close ? '--b1--\r\n' : ''}`);

  it('reads a plain part and a base64 attachment', () => {
    const r = leanMime(
      mixed('Content-Type: text/plain; charset=utf-8\r\n\r\nこんにちは\r\n--b1\r\nContent-Type: application/octet-stream; name="a.xls"\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\nAwQ='),
    );
    expect(r).toEqual({ text: 'こんにちは', attachments: [{ content: Buffer.from([0, 1, 2, 3, 4]), contentType: 'application/vnd.ms-excel', filename: 'a.xls' }] });
  });

  it.each([
    ['format=flowed', msg('Content-Type: text/plain; format=flowed', 'a \r\nb\r\n')],
    ['multipart/related', msg('Content-Type: multipart/related; boundary=b1', '--b1\r\nContent-Type: text/html\r\n\r\n<img src="cid:x">\r\n--b1--\r\n')],
    ['message/rfc822 part', mixed('Content-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\nx')],
    ['no close delimiter', mixed('Content-Type: text/plain\r\n\r\nx', false)],
    ['base64 with inner padding', mixed('Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nAA==AAAA')],

    ['unknown transfer encoding', mixed('Content-Type: application/pdf\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644 a\r\nend')],
    ['a part without a header block', mixed('just text, no blank line')],
    ['a boundary on a text part', msg('Content-Type: text/html; boundary="x"', '<p>a</p>\r\n--x\r\n')],
    ['a delivery report', mixed('Content-Type: message/delivery-status\r\n\r\nStatus: 5.0.0')],
    ['UTF-7 text', msg('Content-Type: text/plain; charset=utf-7', '+ADw-script+AD4-')],
  ])('%s', (_name, raw) => {
    expect(leanMime(raw)).toBeNull();
  });
});

describe('lean base64 and quoted-printable decoding equal mailparser on random bodies', () => {
  const part = (cte: string, body: string) =>
    Buffer.from(`From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="q"\r\n\r\n--q\r\nContent-Type: application/pdf; name="x.pdf"\r\nContent-Transfer-Encoding: ${cte}\r\n\r\n${body}\r\n--q--\r\n`, 'latin1');
  // Base64 text with line breaks, stray bytes (8-bit ones too) and cut quartets put in.
  const noisyBase64 = fc
    .tuple(fc.uint8Array({ maxLength: 300 }), fc.array(fc.tuple(fc.nat(), fc.constantFrom('\r\n', ' ', '*', '\xe9', '-', '\t', '!')), { maxLength: 12 }), fc.nat(3))
    .map(([bytes, noise, cut]) => {
      let s = Buffer.from(bytes).toString('base64').replace(/=+$/, '');
      s = s.slice(0, Math.max(0, s.length - cut));
      for (const [at, junk] of noise) {
        const i = s.length === 0 ? 0 : at % s.length;
        s = s.slice(0, i) + junk + s.slice(i);
      }
      return s;
    });
  /** The lean path reads the part, and its bytes equal simpleParser's. */
  const sameAsMailparser = async (raw: Buffer) => {
    const lean = leanMime(raw);
    expect(lean).not.toBeNull();
    const ref = await simpleParser(raw);
    expect(Buffer.compare(lean!.attachments[0]!.content, ref.attachments[0]!.content)).toBe(0);
  };
  it('base64', async () => {
    await fc.assert(
      fc.asyncProperty(noisyBase64, (b64) => sameAsMailparser(part('base64', b64))),
      { numRuns: 300 },
    );
  });
  it('quoted-printable', async () => {
    const qpText = fc.array(fc.constantFrom('a', '=', '=3D', '=4', '=\r\n', ' ', '\t', '\r\n', '=ZZ', '\xff', 'ab  \r\n'), { maxLength: 40 }).map((a) => a.join(''));
    await fc.assert(
      fc.asyncProperty(qpText, (qp) => sameAsMailparser(part('quoted-printable', qp))),
      { numRuns: 300 },
    );
  });
});

describe('decodeQuotedPrintable', () => {
  it('equals libqp.decode byte for byte and leaves its input alone', () => {
    const token = fc.oneof(
      fc.constantFrom('=', '=3D', '=e3=81=82', '=4', '=\r\n', '=\n', '= \r\n', ' ', '\t', '\r\n', '\n', '\r', '=ZZ', 'a', '  \r\n', '=\r', 'x=\t\n'),
      fc.uint8Array({ maxLength: 4 }).map((u) => Buffer.from(u).toString('latin1')),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), (tokens) => {
        const b = Buffer.from(tokens.join(''), 'latin1');
        const before = Buffer.from(b);
        expect(Buffer.compare(decodeQuotedPrintable(b), libqpDecode(b))).toBe(0);
        expect(b.equals(before)).toBe(true); // the input (a view into the message) is left as it was
      }),
      { numRuns: 2000 },
    );
  });
});
