// Child process of the bench: runs the scan pipeline on one input and prints its own
// timing and peak RSS as JSON, so that the figures are of the scan alone.
import { runScan } from '../scan/run-scan.js';

const [input, casePath] = process.argv.slice(2);
if (!input || !casePath) throw new Error('usage: measure-scan <input> <case>');
const t0 = process.hrtime.bigint();
const s = await runScan({ inputs: [input], casePath, orgDomains: ['sample-shoji.example'] });
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
process.stdout.write(JSON.stringify({ messages: s.messages, errors: s.errors, seconds, peakRssBytes: process.resourceUsage().maxRSS * 1024 }) + '\n');
