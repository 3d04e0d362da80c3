import { beforeAll, describe, expect, it } from 'vitest';
import { reshape } from './reshape';
import { gradCheck } from '../testing/gradcheck';
import { assertMatchesTf, compareWithTf, tf, tfReady } from '../testing/oracle';
import { countAllocations } from '../testing/alloc';
import { Tape, type Var } from '../core/tape';

// Tolerances: reshape moves no values, so TF.js must agree exactly (we keep the oracle default
// rtol 1e-4, atol 1e-5); finite differences use the gradCheck defaults.
type Make = (t: Tape) => Var;

// [name, input, shape (inner shape for a batched input), the full shape TF.js should give]
const cases: [string, Make, number[], (live: number) => number[]][] = [
  ['flatten [B, 3, 4]', (t) => t.input('x', [3, 4], { requiresGrad: true }), [12], (b) => [b, 12]],
  ['split [B, 12] with an inferred axis', (t) => t.input('x', [12], { requiresGrad: true }), [2, -1, 3], (b) => [b, 2, 2, 3]],
  ['unbatched [2, 6]', (t) => t.param('x', [2, 6]), [3, 4], () => [3, 4]],
];

beforeAll(tfReady);

describe('reshape', () => {
  it.each(cases)('matches finite differences: %s', (_, make, shape) => {
    const r = gradCheck({
      build: (t) => {
        const x = make(t);
        return { out: reshape(t, x, shape), wrt: [x] };
      },
      maxBatch: 3,
      batch: 2,
    });
    expect(r.failures).toEqual([]);
    expect(r.checked).toBeGreaterThan(0);
  });

  it.each(cases)('matches TF.js at a smaller batch: %s', (_, make, shape, full) => {
    const r = compareWithTf({
      build: (t) => {
        const x = make(t);
        return { out: reshape(t, x, shape), inputs: [x] };
      },
      tf: (x) => tf.reshape(x!, full(2)),
      maxBatch: 3,
      batch: 2,
    });
    assertMatchesTf(r);
  });

  it('shares the values buffer and keeps its own gradient', () => {
    const t = new Tape({ maxBatch: 2 });
    const x = t.input('x', [2, 3], { requiresGrad: true });
    const y = reshape(t, x, [-1]);
    expect([y.batched, y.shape]).toEqual([true, [2, 6]]);
    expect(y.value).toBe(x.value);
    expect(y.grad).not.toBe(x.grad);
    const seed = new Float32Array(12).fill(2);
    t.forward();
    expect(countAllocations(() => {
      t.forward();
      t.backwardFrom(y, seed);
    })).toBe(0);
    expect(Array.from(x.grad)).toEqual(Array.from(seed));
  });

  it('explains a size mismatch and a bad target shape', () => {
    const t = new Tape({ maxBatch: 2 });
    const x = t.input('x', [3, 4]);
    expect(() => t.inNode('flat', () => reshape(t, x, [5]))).toThrow('reshape in flat: cannot reshape 12 values per batch item [3, 4] into [5]');
    expect(() => reshape(t, x, [5, -1])).toThrow('reshape: cannot reshape 12 values per batch item [3, 4] into [5, -1]');
    expect(() => reshape(t, t.param('w', [2, 3]), [4])).toThrow('reshape: cannot reshape 6 values [2, 3] into [4]');
    expect(() => reshape(t, x, [-1, -1])).toThrow('reshape: shape [-1, -1] needs positive integer sizes and at most one -1');
  });
});
