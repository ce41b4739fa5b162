// Saving findings: the minimised file as <out>/<target>/<label>-<sha>.<ext> with a JSON
// sidecar next to it (<file>.json), the unminimised mutant under originals/, and failures
// that need several files together as a folder under batches/. Sidecars of earlier runs
// tell a new run which failures are already saved, so it does not minimise them again.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { TargetName } from './targets.js';
import type { Verdict } from './verdict.js';

export interface FindingMeta {
  target: TargetName;
  kind: string;
  label: string;
  signature: string;
  exitCode: number | null;
  signal: string | null;
  stderrFirstLine: string;
  seconds: number;
  peakRssMB: number | null;
  /** Replay: the mutant is makeMutant(target, seeds, seed, batch, slot). */
  seed: number;
  batch: number;
  slot: number;
  seedFile: string;
  mutators: string[];
  originalBytes: number;
  minimisedBytes: number;
  minimise: { attempts: number; seconds: number; complete: boolean; reproduced: boolean };
  command: string;
  foundAt: string;
}

const shortSha = (b: Buffer) => createHash('sha256').update(b).digest('hex').slice(0, 12);

/** Signatures already saved for a target (from the sidecars in its folder). */
export function knownSignatures(outDir: string, target: TargetName): Set<string> {
  const dir = join(outDir, target);
  const out = new Set<string>();
  if (!existsSync(dir)) return out;
  for (const n of readdirSync(dir).filter((x) => x.endsWith('.json'))) {
    try {
      const m = JSON.parse(readFileSync(join(dir, n), 'utf8')) as Partial<FindingMeta>;
      if (typeof m.signature === 'string') out.add(m.signature);
    } catch {
      // A sidecar someone edited by hand: it does not stop the run.
    }
  }
  return out;
}

export function saveFinding(outDir: string, meta: FindingMeta, minimised: Buffer, original: Buffer, ext: string): string {
  const dir = join(outDir, meta.target);
  mkdirSync(join(dir, 'originals'), { recursive: true });
  const name = `${meta.label}-${shortSha(minimised)}${ext}`;
  const path = join(dir, name);
  writeFileSync(path, minimised);
  writeFileSync(join(dir, 'originals', name), original);
  writeFileSync(`${path}.json`, JSON.stringify(meta, null, 2) + '\n');
  return path;
}

/** A failure that only the files together reproduce: all of them, with one sidecar. */
export function saveGroup(outDir: string, target: TargetName, verdict: Verdict, files: string[], meta: Record<string, unknown>): string {
  const hash = createHash('sha256');
  for (const f of files) hash.update(readFileSync(f));
  const dir = join(outDir, target, 'batches', `${verdict.label}-${hash.digest('hex').slice(0, 12)}`);
  mkdirSync(dir, { recursive: true });
  for (const f of files) copyFileSync(f, join(dir, basename(f)));
  writeFileSync(join(dir, 'finding.json'), JSON.stringify({ target, ...verdict, files: files.map((f) => basename(f)), ...meta }, null, 2) + '\n');
  return dir;
}
