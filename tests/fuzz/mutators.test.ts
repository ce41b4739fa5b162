// The fuzzer's mutators: the same seed makes the same mutants, the layout readers find the
// structures the mutators rewrite, and no mutator is dead on its target's seeds.
import { describe, expect, it } from 'vitest';
import { readCfbLayout } from '../../src/fuzz/cfb-layout.js';
import { makeMutant } from '../../src/fuzz/mutate.js';
import { cfbMutations } from '../../src/fuzz/mutate-cfb.js';
import type { MutationContext } from '../../src/fuzz/mutation.js';
import { Rng } from '../../src/fuzz/rng.js';
import { loadSeeds } from '../../src/fuzz/seeds.js';
import { TARGETS, TARGET_NAMES } from '../../src/fuzz/targets.js';
import { readZipLayout } from '../../src/fuzz/zip-layout.js';
import { ROOT } from '../helpers.js';

const seedsOf = (t: (typeof TARGET_NAMES)[number]) => loadSeeds(ROOT, t);

describe('fuzz mutators', () => {
  it('every target has seeds in the fixtures', () => {
    for (const t of TARGET_NAMES) expect(seedsOf(t).length, t).toBeGreaterThan(0);
  });

  it('a run seed, batch and slot make the same mutant every time', () => {
    for (const t of TARGET_NAMES) {
      const seeds = seedsOf(t);
      const a = makeMutant(TARGETS[t], seeds, 42, 3, 7);
      const b = makeMutant(TARGETS[t], seeds, 42, 3, 7);
      expect(a.bytes.equals(b.bytes), t).toBe(true);
      expect(a.steps).toEqual(b.steps);
      expect(a.steps.length, t).toBeGreaterThan(0);
    }
  });

  it('reads the compound file layout of the .msg seed, and a FAT self-loop points at itself', () => {
    const msg = seedsOf('msg')[0]!.bytes;
    const l = readCfbLayout(msg)!;
    expect(l.dir[0]!.name).toBe('Root Entry');
    expect(l.dir.some((e) => e.name === '__properties_version1.0' && e.parent === 0)).toBe(true);
    const notes: string[] = [];
    const ctx: MutationContext = { seeds: [], note: (d) => notes.push(d) };
    const loop = cfbMutations.find((m) => m.name === 'cfb.fat-self-loop')!.apply(msg, new Rng(1), ctx)!;
    const after = readCfbLayout(loop)!;
    expect(after.fat.some((v, i) => v === i)).toBe(true);
    expect(notes[0]).toMatch(/-> itself$/);
  });

  it('reads the ZIP layout of the OOXML seeds', () => {
    for (const s of seedsOf('ooxml')) {
      const l = readZipLayout(s.bytes);
      expect(l, s.path).not.toBeNull();
      expect(l!.central.length, s.path).toBe(s.bytes.readUInt16LE(l!.eocd + 10));
      expect(l!.locals.every((x) => x !== null), s.path).toBe(true);
    }
  });

  it('every mutator applies to some seed of its target', () => {
    for (const t of TARGET_NAMES) {
      const seeds = seedsOf(t);
      const ctx: MutationContext = { seeds: seeds.map((s) => s.bytes), note: () => {} };
      const rng = new Rng(5);
      for (const m of TARGETS[t].groups.flatMap((g) => g.mutations)) {
        let applied = false;
        for (let i = 0; i < 40 && !applied; i++) applied = m.apply(rng.pick(seeds).bytes, rng, ctx) !== null;
        expect(applied, `${t}: ${m.name}`).toBe(true);
      }
    }
  });
});
