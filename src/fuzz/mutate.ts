// Compose a mutant: a seed, then one to four mutation steps drawn from the target's
// groups (structure-aware mostly, generic bytes mixed in). Stacked steps reach states
// no single mutation does, e.g. a MiniFAT loop in a file whose header counts also lie.
import type { Seed } from './seeds.js';
import type { Mutation, MutationContext } from './mutation.js';
import { Rng, deriveSeed } from './rng.js';
import type { Target } from './targets.js';

export interface Mutant {
  bytes: Buffer;
  seed: string;
  /** Each applied step: mutator name, and what it noted ("fat entry 12 of stream … -> itself"). */
  steps: string[];
}

/** Mutants larger than this are not written: the batch folder would fill the disk, not find bugs. */
const MAX_MUTANT_BYTES = 48 << 20;

function pickMutation(target: Target, rng: Rng): Mutation {
  const total = target.groups.reduce((s, g) => s + g.weight, 0);
  let r = rng.next() * total;
  for (const g of target.groups) {
    r -= g.weight;
    if (r < 0) return rng.pick(g.mutations);
  }
  return rng.pick(target.groups[target.groups.length - 1]!.mutations);
}

/** The mutant in slot `slot` of batch `batch` of a run with `runSeed`: a pure function of the three. */
export function makeMutant(target: Target, seeds: readonly Seed[], runSeed: number, batch: number, slot: number): Mutant {
  const rng = new Rng(deriveSeed(runSeed, batch, slot));
  const seed = rng.pick(seeds);
  const seedBytes = seeds.map((s) => s.bytes);
  let bytes = seed.bytes;
  const steps: string[] = [];
  const wanted = rng.chance(0.6) ? 1 : rng.range(2, 4);
  for (let tries = 0; steps.length < wanted && tries < wanted * 6; tries++) {
    const m = pickMutation(target, rng);
    const notes: string[] = [];
    const ctx: MutationContext = { seeds: seedBytes, note: (d) => notes.push(d) };
    let out: Buffer | null;
    try {
      out = m.apply(bytes, rng, ctx);
    } catch {
      // A mutator that cannot build its mutant (a string past V8's length limit after
      // stacked growth steps) makes none this step: the harness must not die of its own input.
      continue;
    }
    if (!out || out.length > MAX_MUTANT_BYTES || out.equals(bytes)) continue;
    bytes = out;
    steps.push(notes.length > 0 ? `${m.name} (${notes.join('; ')})` : m.name);
  }
  return { bytes, seed: seed.path, steps };
}
