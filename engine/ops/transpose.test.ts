import { beforeAll, describe, expect, it } from 'vitest';
import { transpose } from './transpose';
import { gradCheck } from '../testing/gradcheck';
import { assertMatchesTf, compareWithTf, tf, tfReady } from '../testing/oracle';
import { countAllocations } from '../testing/alloc';
import { Tape, type Var } from '../core/tape';

// Tolerances: transpose moves values without arithmetic, so TF.js must agree exactly (we keep the
// oracle default rtol 1e-4, atol 1e-5); finite differences use the gradCheck defaults.
type Make = (t: Tape) => Var;
const batched = (...inner: number[]): Make => (t) => t.input('x', inner, { requiresGrad: true });
const unbatched = (...shape: number[]): Make => (t) => t.param('x', shape);

const cases: [string, Make, number[]][] = [
  ['swap the last two axes of [B, 3, 4]', batched(3, 4), [0, 2, 1]],
  ['keep the last axis of [B, 2, 3, 4] (row copies)', batched(2, 3, 4), [0, 2, 1, 3]],
  ['rotate [B, 2, 3, 4]', batched(2, 3, 4), [0, 3, 1, 2]],
  ['identity on [B, 2, 3]', batched(2, 3), [0, 1, 2]],
  ['unbatched matrix', unbatched(3, 5), [1, 0]],
  ['unbatched [2, 3, 4] rotated', unbatched(2, 3, 4), [2, 0, 1]],
];

beforeAll(tfReady);

describe('transpose', () => {
  it.each(cases)('matches finite differences: %s', (_, make, perm) => {
    const r = gradCheck({
      build: (t) => {
        const x = make(t);
        return { out: transpose(t, x, perm), wrt: [x] };
      },
      maxBatch: 3,
      batch: 2,
    });
    expect(r.failures).toEqual([]);
    expect(r.checked).toBeGreaterThan(0);
  });

  it.each(cases)('matches TF.js at a smaller batch: %s', (_, make, perm) => {
    const r = compareWithTf({
      build: (t) => {
        const x = make(t);
        return { out: transpose(t, x, perm), inputs: [x] };
      },
      tf: (x) => tf.transpose(x!, perm),
      maxBatch: 3,
      batch: 2,
    });
    assertMatchesTf(r);
  });

  it('allocates nothing when run', () => {
    const t = new Tape({ maxBatch: 3 });
    const x = t.input('x', [2, 3, 4], { requiresGrad: true });
    const ys = [transpose(t, x, [0, 3, 2, 1]), transpose(t, x, [0, 2, 1, 3])];
    const seeds = ys.map((y) => new Float32Array(y.value.length).fill(1));
    t.setBatch(2);
    expect(countAllocations(() => {
      t.forward();
      ys.forEach((y, i) => t.backwardFrom(y, seeds[i]!));
    })).toBe(0);
  });

  it('explains a bad permutation and a moved batch axis', () => {
    const t = new Tape({ maxBatch: 2 });
    const x = t.input('x', [3, 4]);
    expect(() => t.inNode('perm_1', () => transpose(t, x, [0, 1]))).toThrow('transpose in perm_1: perm [0, 1] is not a permutation of the 3 axes of [2, 3, 4]');
    expect(() => transpose(t, x, [0, 2, 2])).toThrow('perm [0, 2, 2] is not a permutation');
    expect(() => t.inNode('perm_1', () => transpose(t, x, [1, 0, 2]))).toThrow('transpose in perm_1: the batch axis must stay first, but perm [1, 0, 2] moves axis 1 to the front');
  });
});
