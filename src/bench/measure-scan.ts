// Child process of the bench: runs the scan pipeline (default worker threads) on one input
// and prints what it stored; the bench measures its time and memory from outside.
import { runScan } from '../scan/run-scan.js';
import { defaultThreads } from '../scan/scan-pool.js';

const [input, casePath] = process.argv.slice(2);
if (!input || !casePath) throw new Error('usage: measure-scan <input> <case>');
const s = await runScan({ inputs: [input], casePath, orgDomains: ['sample-shoji.example'] });
process.stdout.write(JSON.stringify({ messages: s.messages, logMessages: s.logs.messages, errors: s.errors, threads: defaultThreads() }) + '\n');
