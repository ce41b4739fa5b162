// The seed corpus of each target, from the repo's own fixtures (and the generated
// samples' journal mbox and maillog). Office seeds are chosen by content, not by name: an
// encrypted .docx is a compound file, so it seeds the ole target.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { TargetName } from './targets.js';

export interface Seed {
  /** Path relative to the repo root, recorded in sidecars. */
  path: string;
  bytes: Buffer;
}

const OLE_MAGIC = Buffer.from('d0cf11e0a1b11ae1', 'hex');
const ZIP_MAGIC = Buffer.from('504b0304', 'hex');

function walk(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

function load(root: string, paths: string[], keep: (bytes: Buffer, path: string) => boolean): Seed[] {
  const out: Seed[] = [];
  for (const p of paths) {
    const bytes = readFileSync(p);
    if (bytes.length > 0 && keep(bytes, p)) out.push({ path: relative(root, p), bytes });
  }
  return out;
}

/**
 * One Postfix log made of the `data:` lines of the postfix-grok-patterns fixtures (the
 * message part of a syslog line, one per daemon and case), given a syslog prefix: the
 * widest set of Postfix line shapes the fixtures hold.
 */
function grokPatternLog(root: string): Seed[] {
  const lines: string[] = [];
  for (const p of walk(join(root, 'tests/fixtures/logs/postfix-grok-patterns'))) {
    const m = /^data:\s*"((?:[^"\\]|\\.)*)"\s*$/m.exec(readFileSync(p, 'utf8'));
    if (!m) continue;
    const daemon = basename(p).replace(/_\d+\.yaml$/, '');
    const data = m[1]!.replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    lines.push(`Nov 24 04:32:${String(lines.length % 60).padStart(2, '0')} mx1 postfix/${daemon}[${1000 + lines.length}]: ${data}`);
  }
  return lines.length > 0 ? [{ path: 'tests/fixtures/logs/postfix-grok-patterns/*.yaml (data lines)', bytes: Buffer.from(lines.join('\n') + '\n') }] : [];
}

export function loadSeeds(root: string, target: TargetName): Seed[] {
  const fx = (p: string) => join(root, 'tests/fixtures', p);
  switch (target) {
    case 'mime':
      return load(root, [...walk(fx('mail')), ...walk(fx('mua-ja'))], (_, p) => p.endsWith('.eml'));
    case 'msg':
      return load(root, walk(fx('')), (b, p) => p.endsWith('.msg') && b.subarray(0, 8).equals(OLE_MAGIC));
    case 'mbox':
      return load(root, [...walk(fx('logs')).filter((p) => /\/mail\/[^/]+$/.test(p)), join(root, 'samples/mail/journal.mbox')], (b) => b.subarray(0, 5).toString('latin1') === 'From ');
    case 'archive':
      return load(root, walk(fx('office/archives')), (_, p) => !/\.(md|py|sh)$/.test(p));
    case 'pst':
      return load(root, walk(fx('pst')), (b) => b.subarray(0, 4).toString('latin1') === '!BDN');
    case 'ole':
      return load(root, walk(fx('office')), (b) => b.subarray(0, 8).equals(OLE_MAGIC));
    case 'ooxml':
    case 'zip':
      return load(root, walk(fx('office')), (b) => b.subarray(0, 4).equals(ZIP_MAGIC));
    case 'logs':
      return [
        // Syslog and Exim logs, Exchange tracking (.LOG), trace, sign-in and audit exports (CSV, JSON).
        ...load(root, [...walk(fx('logs')), join(root, 'samples/mail/logs/maillog'), join(root, 'samples/mail/logs/MessageTrace.csv')], (b, p) => /(?:\.log|\/maillog|\/mainlog|\.csv|\.json)$/i.test(p) && !p.endsWith('truth.json')),
        ...grokPatternLog(root),
      ];
  }
}
