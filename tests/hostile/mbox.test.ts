// Hostile mbox files, written here: each is read to a bounded result or an error record
// with its byte offset, and the scan goes on with the next message and the next input.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MBOX_LIMITS } from '../../src/ingest/mbox-reader.js';
import { lastJson, runCliMeasured, tempDir } from '../helpers.js';

const SEP = 'From a@b.example Mon Nov  2 10:00:00 2026\n';
const msg = (id: string, body = 'b\n') => `${SEP}Message-ID: <${id}@b.example>\nSubject: ${id}\n\n${body}\n`;

interface Summary {
  messages: number;
  inputs: { path: string; messagesRead: number; errors: number }[];
  errorSamples: { source_path: string; byte_offset: number | null; reason: string }[];
}

/** Memory a scan may use whatever its input (the bench shows it on two sizes). */
const MAX_RSS_MB = 400;

function scan(dir: string): { code: number | null; s: Summary; db: Database.Database; peakRssMB: number } {
  const casePath = join(dir, 'case.sqlite');
  const r = runCliMeasured(['scan', join(dir, 'in'), '--case', casePath, '--json', '--no-analyze']);
  return { code: r.code, s: lastJson<Summary>(r.stdout), db: new Database(casePath, { readonly: true }), peakRssMB: r.peakRssMB };
}

describe('hostile mbox files', () => {
  it('truncated mid-message, a 200 MB line, no final newline and NUL bytes: every good message kept, the oversize one recorded', () => {
    const dir = tempDir('hostile-mbox');
    const inDir = join(dir, 'in');
    const write = (name: string, parts: (string | Buffer)[]) => {
      const fd = openSync(join(inDir, name), 'w');
      for (const p of parts) writeSync(fd, typeof p === 'string' ? Buffer.from(p, 'latin1') : p);
      closeSync(fd);
    };
    mkdirSync(inDir, { recursive: true });
    // Cut in the middle of its second message's header.
    write('a-truncated.mbox', [msg('t1'), SEP, 'Message-ID: <t2@b.example>\nSubj']);
    // One line of 200 MB inside a message: larger than the message limit, never held whole.
    const long = Buffer.alloc(200 * 1024 * 1024, 0x41);
    const before = msg('l1');
    const longHead = 'Message-ID: <l2@b.example>\nSubject: long\n\n';
    write('b-longline.mbox', [before, SEP, longHead, long, '\n\n', msg('l3')]);
    // The last message ends without a newline.
    write('c-nonewline.mbox', [msg('n1'), `${SEP}Message-ID: <n2@b.example>\nSubject: n2\n\nlast line`]);
    // NUL bytes in a header and in the body.
    write('d-nul.mbox', [msg('z1', 'a\0b\n'), `${SEP}Message-ID: <z2@b.example>\nSubject: z\0z\n\n\0\0\0\n\n`]);

    const { code, s, db, peakRssMB } = scan(dir);
    try {
      expect(code).toBe(3);
      expect(peakRssMB).toBeLessThan(MAX_RSS_MB);
      expect(s.inputs.map((i) => [i.path.split('/').pop(), i.messagesRead, i.errors])).toEqual([
        ['a-truncated.mbox', 2, 0],
        ['b-longline.mbox', 3, 1],
        ['c-nonewline.mbox', 2, 0],
        ['d-nul.mbox', 2, 0],
      ]);
      expect(s.messages).toBe(8);
      expect(s.errorSamples).toHaveLength(1);
      expect(s.errorSamples[0]!.byte_offset).toBe(before.length);
      const longLength = SEP.length + longHead.length + long.length + 2;
      expect(s.errorSamples[0]!.reason).toBe(`message of ${longLength} bytes exceeds the ${MBOX_LIMITS.maxMessageBytes}-byte limit; not parsed`);
      const rows = db.prepare('SELECT message_id, subject, text_body, defects_json FROM messages ORDER BY message_id').all();
      expect(rows).toEqual([
        { message_id: 'l1@b.example', subject: 'l1', text_body: 'b\n', defects_json: '[]' },
        { message_id: 'l3@b.example', subject: 'l3', text_body: 'b\n', defects_json: '[]' },
        { message_id: 'n1@b.example', subject: 'n1', text_body: 'b\n', defects_json: '[]' },
        { message_id: 'n2@b.example', subject: 'n2', text_body: 'last line', defects_json: '[]' },
        { message_id: 't1@b.example', subject: 't1', text_body: 'b\n', defects_json: '[]' },
        // The cut message: its header so far, with what is missing said.
        { message_id: 't2@b.example', subject: '', text_body: '', defects_json: JSON.stringify(['no blank line between header and body', '1 header line(s) without a field name']) },
        { message_id: 'z1@b.example', subject: 'z1', text_body: 'a\0b\n', defects_json: '[]' },
        { message_id: 'z2@b.example', subject: 'z\0z', text_body: '\0\0\0\n', defects_json: '[]' },
      ]);
    } finally {
      db.close();
    }
  });

  it('one million tiny messages are all read, in bounded memory', () => {
    const dir = tempDir('hostile-tiny');
    const inDir = join(dir, 'in');
    require('node:fs').mkdirSync(inDir, { recursive: true });
    const fd = openSync(join(inDir, 'tiny.mbox'), 'w');
    for (let k = 0; k < 100; k++) {
      const chunk: string[] = [];
      for (let i = k * 10_000; i < (k + 1) * 10_000; i++) chunk.push(msg(`m${i}`));
      writeSync(fd, chunk.join(''));
    }
    closeSync(fd);
    const { code, s, db, peakRssMB } = scan(dir);
    try {
      expect(code).toBe(0);
      expect(peakRssMB).toBeLessThan(MAX_RSS_MB);
      expect(s.messages).toBe(1_000_000);
      expect((db.prepare('SELECT count(*) AS n FROM sightings').get() as { n: number }).n).toBe(1_000_000);
      expect(db.prepare("SELECT subject FROM messages WHERE message_id = 'm999999@b.example'").get()).toEqual({ subject: 'm999999' });
    } finally {
      db.close();
    }
  });
});
