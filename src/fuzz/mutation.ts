// What a mutator is. Each format module exports a list of these; the composer picks from
// the target's list and from the generic byte-level list.
import type { Rng } from './rng.js';

export interface MutationContext {
  /** All seeds of the target, for splicing one into another. */
  seeds: readonly Buffer[];
  /** Records what a mutation did inside (the nested mutation, the stream it hit), for the sidecar. */
  note(detail: string): void;
}

export interface Mutation {
  /** Stable name, recorded in a finding's sidecar: "mime.boundary-remove", "bytes.flip". */
  name: string;
  /** The mutated bytes, or null when the input has nothing this mutation can work on. */
  apply(input: Buffer, rng: Rng, ctx: MutationContext): Buffer | null;
}
