import { beforeAll, describe, expect, it } from 'vitest';
import { mean, sum, type Axes } from './reduce';
import { gradCheck } from '../testing/gradcheck';
import { assertMatchesTf, compareWithTf, tf, tfReady } from '../testing/oracle';
import { countAllocations } from '../testing/alloc';
import { Tape, type Var } from '../core/tape';

// Tolerances: finite differences use the gradCheck defaults (eps 1e-3 in float64 over float32
// forward passes; rtol 1e-2, atol 1e-3). TF.js sums in float32 and we in float64, so the forward
// agrees to about 1e-6 relative; we assert the oracle default rtol 1e-4, atol 1e-5.
const ops = { sum, mean } as const;
const tfOps = { sum: tf.sum, mean: tf.mean } as const;

type Make = (t: Tape) => Var;
const batched = (...inner: number[]): Make => (t) => t.input('x', inner, { requiresGrad: true });
const unbatched = (...shape: number[]): Make => (t) => t.param('x', shape);

// [name, input, axes, keepDims]
const cases: [string, Make, Axes, boolean][] = [
  ['last axis', batched(3, 5), -1, false],
  ['everything', batched(3, 4), undefined, false],
  ['everything, keepDims', unbatched(2, 3, 4), undefined, true],
  ['the batch axis', batched(4), 0, false],
  ['batch and time', batched(3, 4), [0, 1], true],
  ['a middle axis', batched(3, 4, 2), [2], false],
  ['two separate runs', batched(3, 4), [0, 2], false],
  ['negative axes, separate runs', unbatched(2, 3, 4), [-1, -3], true],
  ['axes around a size-1 axis', batched(3, 1, 4), [1, 3], false],
  ['no axes (a copy)', batched(2, 3), [], false],
];

beforeAll(tfReady);

describe.each(['sum', 'mean'] as const)('%s', (name) => {
  it.each(cases)('matches finite differences: %s', (_, make, axes, keepDims) => {
    const r = gradCheck({
      build: (t) => {
        const x = make(t);
        return { out: ops[name](t, x, axes, { keepDims }), wrt: [x] };
      },
      maxBatch: 3,
      batch: 2,
    });
    expect(r.failures).toEqual([]);
    expect(r.checked).toBeGreaterThan(0);
  });

  it.each(cases)('matches TF.js at a smaller batch: %s', (_, make, axes, keepDims) => {
    const r = compareWithTf({
      build: (t) => {
        const x = make(t);
        return { out: ops[name](t, x, axes, { keepDims }), inputs: [x] };
      },
      tf: (x) => tfOps[name](x!, axes === undefined ? undefined : (axes as number | number[]), keepDims),
      maxBatch: 4,
      batch: 3,
    });
    assertMatchesTf(r);
  });

  it('allocates nothing when run', () => {
    const t = new Tape({ maxBatch: 4 });
    const x = t.input('x', [3, 4], { requiresGrad: true });
    const outs = [ops[name](t, x, -1), ops[name](t, x, 0), ops[name](t, x, [0, 2]), ops[name](t, x, [1])];
    const seeds = outs.map((o) => new Float32Array(o.value.length).fill(1));
    t.setBatch(2);
    expect(countAllocations(() => {
      t.forward();
      outs.forEach((o, i) => t.backwardFrom(o, seeds[i]!));
    })).toBe(0);
  });
});

describe('reduce over the batch', () => {
  it('gives an unbatched output, and mean divides by the live batch', () => {
    const t = new Tape({ maxBatch: 4 });
    const x = t.input('x', [2]);
    const s = sum(t, x, 0);
    const m = mean(t, x, [0], { keepDims: true });
    expect([s.batched, s.shape, m.batched, m.shape]).toEqual([false, [2], false, [1, 2]]);
    x.value.set([1, 10, 2, 20, 3, 30, 100, 100]);
    t.setBatch(3);
    t.forward();
    expect(Array.from(s.value)).toEqual([6, 60]);
    expect(Array.from(m.value)).toEqual([2, 20]);
  });

  it('keeps the output batched when the batch axis is not reduced', () => {
    const t = new Tape({ maxBatch: 4 });
    const y = mean(t, t.input('x', [2, 3]), [-1, 1]);
    expect([y.batched, y.shape]).toEqual([true, [4]]);
  });
});

describe('reduce errors', () => {
  it('names the op, the node and the bad axis', () => {
    const t = new Tape({ maxBatch: 2 });
    const x = t.input('x', [3, 4]);
    expect(() => t.inNode('sum_1', () => sum(t, x, [1, 3]))).toThrow('sum in sum_1: axis 3 is out of range for a tensor of shape [2, 3, 4]');
    expect(() => t.inNode('mean_1', () => mean(t, x, [-4]))).toThrow('mean in mean_1: axis -4 is out of range for a tensor of shape [2, 3, 4]');
    expect(() => t.inNode('sum_2', () => sum(t, x, [2, -1]))).toThrow('sum in sum_2: axis -1 is listed twice');
  });
});
