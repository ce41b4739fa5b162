// storeMessage writes the same rows whether a message's JSON columns were serialised by a
// scan worker (message-json.ts) or by the store itself, and a message stored twice is one
// message with two sightings (the insert-first path finds it by its uniqueness constraint).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/mail/parse.js';
import type { ParsedMessage } from '../../src/mail/types.js';
import { CaseFile } from '../../src/store/case-file.js';
import { messageJsonColumns } from '../../src/store/message-json.js';
import { ROOT } from '../helpers.js';

const DIR = join(ROOT, 'tests/fixtures/mail/malspam');

async function fixtures(): Promise<ParsedMessage[]> {
  const out: ParsedMessage[] = [];
  for (const name of readdirSync(DIR).sort()) {
    const p = join(DIR, name);
    if (!statSync(p).isFile()) continue;
    try {
      out.push(await parseMessage(readFileSync(p), {}));
    } catch {
      // a fixture the parser refuses has no record to compare
    }
  }
  return out;
}

function dump(cf: CaseFile): unknown[] {
  return ['messages', 'message_addresses', 'attachments', 'sightings'].map((t) => cf.db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2, 3`).all());
}

const derived = { direction: 'inbound', firstExternalIp: null };

describe('storeMessage', () => {
  it('writes the same rows from pre-serialised JSON columns as from the record alone', async () => {
    const ms = await fixtures();
    expect(ms.length).toBeGreaterThan(3);
    const plain = new CaseFile(':memory:');
    const pre = new CaseFile(':memory:');
    for (const cf of [plain, pre]) {
      const input = cf.openInput({ path: '/m', kind: 'mbox', container: 'mbox', size: 1, mtimeMs: 1 });
      cf.transaction(() => ms.forEach((m, i) => cf.storeMessage(input.id, String(i), i, 1, cf === pre ? { ...m, json: messageJsonColumns(m) } : m, derived)));
    }
    expect(dump(pre)).toEqual(dump(plain));
  });

  it('stores a message seen twice once, with a sighting per place', async () => {
    const [m] = await fixtures();
    const cf = new CaseFile(':memory:');
    const input = cf.openInput({ path: '/m', kind: 'mbox', container: 'mbox', size: 1, mtimeMs: 1 });
    const a = cf.storeMessage(input.id, 'a', 0, 1, m!, derived);
    const b = cf.storeMessage(input.id, 'b', 10, 1, { ...m!, json: messageJsonColumns(m!) }, derived);
    const again = cf.storeMessage(input.id, 'b', 10, 1, m!, derived);
    expect(a).toEqual({ newMessage: true, newSighting: true, messageRef: a.messageRef });
    expect(b).toEqual({ newMessage: false, newSighting: true, messageRef: a.messageRef });
    expect(again).toEqual({ newMessage: false, newSighting: false, messageRef: a.messageRef });
    expect(cf.counts()).toMatchObject({ messages: 1, sightings: 2 });
    // The conflicting inserts used no row id: the next new message gets the next one.
    const next = cf.storeMessage(input.id, 'c', 20, 1, { ...m!, contentHash: 'other' }, derived);
    expect(next.messageRef).toBe(a.messageRef + 1);
  });
});
