// Child process of the bench: read one Postfix log with our parser (facts counted, not
// stored) and print lines/s and peak RSS.
import { readLogFile } from '../logs/read-log.js';

const [path] = process.argv.slice(2);
if (!path) throw new Error('usage: measure-log <maillog>');
let messages = 0;
let deliveries = 0;
const t0 = process.hrtime.bigint();
const r = await readLogFile(path, { message: (m) => ((messages += 1), (deliveries += m.deliveries.length)), event: () => {} }, { year: 2026 });
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
process.stdout.write(JSON.stringify({ lines: r.stats.lines, messages, deliveries, unreadable: r.stats.unreadable, seconds, peakRssBytes: process.resourceUsage().maxRSS * 1024 }) + '\n');
