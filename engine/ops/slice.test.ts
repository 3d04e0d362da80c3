import { beforeAll, describe, expect, it } from 'vitest';
import { slice } from './slice';
import { gradCheck } from '../testing/gradcheck';
import { assertMatchesTf, compareWithTf, tf, tfReady } from '../testing/oracle';
import { countAllocations } from '../testing/alloc';
import { Tape, type Var } from '../core/tape';

// Tolerances: slice moves values without arithmetic, so TF.js must agree exactly (we keep the
// oracle default rtol 1e-4, atol 1e-5); finite differences use the gradCheck defaults.
type Make = (t: Tape) => Var;
const batched = (...inner: number[]): Make => (t) => t.input('x', inner, { requiresGrad: true });
const unbatched = (...shape: number[]): Make => (t) => t.param('x', shape);

// [name, input, begin, size]; the same arguments go to tf.slice.
const cases: [string, Make, number[], number[]][] = [
  ['whole rows of [B, 5, 4]', batched(5, 4), [0, 1, 0], [-1, 3, -1]],
  ['inside the last axis of [B, 5, 4]', batched(5, 4), [0, 0, 1], [-1, -1, 2]],
  ['a box in [B, 3, 4, 2]', batched(3, 4, 2), [0, 1, 1, 0], [-1, 1, 2, -1]],
  ['everything', batched(2, 3), [0, 0, 0], [-1, -1, -1]],
  ['unbatched, leading axis too', unbatched(4, 5), [1, 2], [2, -1]],
  ['unbatched single element', unbatched(3, 4), [2, 3], [1, 1]],
];

beforeAll(tfReady);

describe('slice', () => {
  it.each(cases)('matches finite differences: %s', (_, make, begin, size) => {
    const r = gradCheck({
      build: (t) => {
        const x = make(t);
        return { out: slice(t, x, begin, size), wrt: [x] };
      },
      maxBatch: 3,
      batch: 2,
    });
    expect(r.failures).toEqual([]);
    expect(r.checked).toBeGreaterThan(0);
  });

  it.each(cases)('matches TF.js at a smaller batch: %s', (_, make, begin, size) => {
    const r = compareWithTf({
      build: (t) => {
        const x = make(t);
        return { out: slice(t, x, begin, size), inputs: [x] };
      },
      tf: (x) => tf.slice(x!, begin, size),
      maxBatch: 3,
      batch: 2,
    });
    assertMatchesTf(r);
  });

  it('gives the sliced shape at max batch', () => {
    const t = new Tape({ maxBatch: 3 });
    const y = slice(t, t.input('x', [5, 4]), [0, 1, 2], [-1, 3, -1]);
    expect([y.batched, y.shape]).toEqual([true, [3, 3, 2]]);
  });

  it('allocates nothing when run', () => {
    const t = new Tape({ maxBatch: 3 });
    const x = t.input('x', [5, 4], { requiresGrad: true });
    const ys = [slice(t, x, [0, 1, 0], [-1, 2, -1]), slice(t, x, [0, 1, 1], [-1, 2, 2])];
    const seeds = ys.map((y) => new Float32Array(y.value.length).fill(1));
    t.setBatch(2);
    expect(countAllocations(() => {
      t.forward();
      ys.forEach((y, i) => t.backwardFrom(y, seeds[i]!));
    })).toBe(0);
  });

  it('explains a box that does not fit and a batch axis that is not taken whole', () => {
    const t = new Tape({ maxBatch: 2 });
    const x = t.input('x', [5, 4]);
    const inCrop = (f: () => unknown) => () => t.inNode('crop', f);
    expect(inCrop(() => slice(t, x, [0, 3], [-1, 2]))).toThrow('slice in crop: begin [0, 3] and size [-1, 2] need one entry per axis of [2, 5, 4]');
    expect(inCrop(() => slice(t, x, [1, 0, 0], [1, -1, -1]))).toThrow('slice in crop: the batch axis is taken whole: begin[0] must be 0 and size[0] -1, got 1 and 1');
    expect(inCrop(() => slice(t, x, [0, 3, 0], [-1, 3, -1]))).toThrow('slice in crop: axis 1 has 5 entries, size 3 from begin 3 does not fit');
    expect(inCrop(() => slice(t, x, [0, 0, 4], [-1, -1, -1]))).toThrow('slice in crop: axis 2 has 4 entries, begin 4 is outside 0..3');
  });
});
