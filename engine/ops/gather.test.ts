import { beforeAll, describe, expect, it } from 'vitest';
import { gather } from './gather';
import { gradCheck, fillUniform } from '../testing/gradcheck';
import { assertMatchesTf, compareWithTf, tf, tfReady } from '../testing/oracle';
import { allocationsOfPass } from '../testing/alloc';
import { EngineError } from '../core/errors';
import { Tape, type Var } from '../core/tape';
import type { Rng } from '../core/rng';

// Tolerances: gather copies rows and scatter-adds a few float32 terms, so TF.js agrees to the
// oracle default rtol 1e-4, atol 1e-5; finite differences use the gradCheck defaults.
const VOCAB = 7;
/** Ids drawn from a small vocabulary, so that repeated ids (accumulating gradients) are common. */
const fillIds = (v: Var, rng: Rng): void => {
  if (v.name !== 'ids') return fillUniform(v, rng);
  for (let i = 0; i < v.value.length; i++) v.value[i] = rng.int(VOCAB);
};

type Make = (t: Tape) => [Var, Var];
const cases: [string, Make][] = [
  ['ids [B, 4] into [7, 3]', (t) => [t.param('table', [VOCAB, 3]), t.input('ids', [4])]],
  ['ids [B, 2, 3] into [7, 5]', (t) => [t.param('table', [VOCAB, 5]), t.input('ids', [2, 3])]],
  ['unbatched ids [6] into [7, 2]', (t) => [t.param('table', [VOCAB, 2]), t.constant('ids', [6], [0, 6, 3, 3, 1, 0])]],
];

beforeAll(tfReady);

describe('gather', () => {
  it.each(cases)('matches finite differences: %s', (_, make) => {
    const r = gradCheck({
      build: (t) => {
        const [table, ids] = make(t);
        return { out: gather(t, table, ids), wrt: [table] };
      },
      maxBatch: 3,
      batch: 2,
      fill: fillIds,
    });
    expect(r.failures).toEqual([]);
    expect(r.checked).toBeGreaterThan(0);
  });

  it.each(cases)('matches TF.js at a smaller batch: %s', (_, make) => {
    const r = compareWithTf({
      build: (t) => {
        const [table, ids] = make(t);
        return { out: gather(t, table, ids), inputs: [table, ids] };
      },
      tf: (table, ids) => tf.gather(table!, tf.cast(ids!, 'int32')),
      maxBatch: 3,
      batch: 2,
      fill: fillIds,
      noGrad: [1],
    });
    assertMatchesTf(r);
  });

  it('gives [B, T, D] for ids [B, T]', () => {
    const t = new Tape({ maxBatch: 2 });
    const y = gather(t, t.param('table', [10, 4]), t.input('ids', [5]));
    expect([y.batched, y.shape]).toEqual([true, [2, 5, 4]]);
  });

  it('allocates nothing when run', () => {
    const t = new Tape({ maxBatch: 3 });
    const ids = t.input('ids', [4]);
    const y = gather(t, t.param('table', [VOCAB, 3]), ids);
    ids.value.set([1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5]);
    t.setBatch(2);
    expect(allocationsOfPass(t, y)).toBe(0);
  });

  it('names a bad id and the vocabulary size when it runs, in live rows only', () => {
    const t = new Tape({ maxBatch: 2 });
    const ids = t.input('ids', [3]);
    t.inNode('embed', () => gather(t, t.param('table', [VOCAB, 2]), ids));
    ids.value.set([0, 1, 2, 3, 4, 99]);
    t.setBatch(1);
    expect(() => t.forward()).not.toThrow(); // the bad id sits in a row beyond the live batch
    t.setBatch(2);
    expect(() => t.forward()).toThrow(EngineError);
    expect(() => t.forward()).toThrow('gather in embed: id 99 is outside the vocabulary of size 7 (ids 0..6)');
    for (const bad of [-1, 7, 2.5]) {
      ids.value[5] = bad;
      expect(() => t.forward()).toThrow(`gather in embed: id ${bad} is outside the vocabulary of size 7 (ids 0..6)`);
    }
  });

  it('explains a table that is not a matrix', () => {
    const t = new Tape({ maxBatch: 2 });
    const ids = t.input('ids', [3]);
    expect(() => t.inNode('embed', () => gather(t, t.param('table', [7]), ids))).toThrow('gather in embed: the table must be an unbatched [vocabulary, features] matrix, got [7]');
    expect(() => gather(t, t.input('x', [3]), ids)).toThrow('gather: the table must be an unbatched [vocabulary, features] matrix, got [2, 3] (batched)');
  });
});
