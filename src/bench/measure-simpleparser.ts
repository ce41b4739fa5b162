// Child process of the bench: the library floor. Splits the same mbox with our reader and
// gives every message to mailparser's simpleParser (default options), one at a time, on
// one core, storing nothing.
import { simpleParser } from 'mailparser';
import { readMbox } from '../ingest/mbox-reader.js';

const [input] = process.argv.slice(2);
if (!input) throw new Error('usage: measure-simpleparser <mbox>');
const t0 = process.hrtime.bigint();
let messages = 0;
for await (const item of readMbox(input)) {
  if ('oversize' in item) continue;
  await simpleParser(item.raw);
  messages++;
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
process.stdout.write(JSON.stringify({ messages, seconds, peakRssBytes: process.resourceUsage().maxRSS * 1024 }) + '\n');
