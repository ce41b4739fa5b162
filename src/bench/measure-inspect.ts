// Child process of the bench: `inspect` over every file of a folder, files read from disk
// included, in one process; repeated until at least `minSeconds` have passed so that the
// rate is not dominated by start-up.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inspectBytes } from '../office/inspect.js';
import { KEY_DERIVATION_STATS } from '../office/ooxml-decrypt.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

const [dir, minSecondsArg] = process.argv.slice(2);
if (!dir) throw new Error('usage: measure-inspect <folder> [minSeconds]');
const list = files(dir).filter((f) => !f.endsWith('.tsv'));
const minSeconds = Number(minSecondsArg ?? '5');
const t0 = process.hrtime.bigint();
let documents = 0;
let rounds = 0;
let seconds = 0;
let firstRoundSeconds = 0;
let firstRoundDerivations = { derivations: 0, millis: 0 };
do {
  for (const f of list) {
    inspectBytes(readFileSync(f), f);
    documents++;
  }
  rounds++;
  seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  // The first round pays for every password derivation (Excel's default password is tried
  // on each encrypted OOXML file); later rounds find those keys derived.
  if (rounds === 1) {
    firstRoundSeconds = seconds;
    firstRoundDerivations = { ...KEY_DERIVATION_STATS };
  }
} while (seconds < minSeconds);
process.stdout.write(JSON.stringify({ files: list.length, rounds, documents, seconds, firstRoundSeconds, firstRoundKeyDerivations: firstRoundDerivations.derivations, firstRoundKeyDerivationSeconds: firstRoundDerivations.millis / 1000, peakRssBytes: process.resourceUsage().maxRSS * 1024 }) + '\n');
