import { beforeAll, describe, expect, it } from 'vitest';
import { logSoftmax, softmax } from './softmax';
import { gradCheck } from '../testing/gradcheck';
import { assertMatchesTf, compareWithTf, tf, tfReady } from '../testing/oracle';
import { countAllocations } from '../testing/alloc';
import { Tape, type Var } from '../core/tape';

// Tolerances: finite differences use the gradCheck defaults (eps 1e-3 in float64 over float32
// forward passes; rtol 1e-2, atol 1e-3); inputs are spread over [-3, 3] so rows are not flat.
// TF.js computes the same float32 formula: rtol 1e-4, atol 1e-5.
const ops = { softmax, logSoftmax } as const;
const tfOps = { softmax: (x: tf.Tensor) => tf.softmax(x), logSoftmax: (x: tf.Tensor) => tf.logSoftmax(x) } as const;

type Make = (t: Tape) => Var;
const cases: [string, Make][] = [
  ['[B, 5]', (t) => t.input('x', [5], { requiresGrad: true })],
  ['[B, 3, 7]', (t) => t.input('x', [3, 7], { requiresGrad: true })],
  ['unbatched [4, 6]', (t) => t.param('x', [4, 6])],
  ['a single class [B, 1]', (t) => t.input('x', [1], { requiresGrad: true })],
];
const fill = (v: Var, rng: { range(lo: number, hi: number): number }): void => {
  for (let i = 0; i < v.value.length; i++) v.value[i] = rng.range(-3, 3);
};

beforeAll(tfReady);

describe.each(['softmax', 'logSoftmax'] as const)('%s', (name) => {
  it.each(cases)('matches finite differences: %s', (_, make) => {
    const r = gradCheck({
      build: (t) => {
        const x = make(t);
        return { out: ops[name](t, x), wrt: [x] };
      },
      maxBatch: 3,
      batch: 2,
      fill,
    });
    expect(r.failures).toEqual([]);
    expect(r.checked).toBeGreaterThan(0);
  });

  it.each(cases)('matches TF.js: %s', (_, make) => {
    const r = compareWithTf({
      build: (t) => {
        const x = make(t);
        return { out: ops[name](t, x), inputs: [x] };
      },
      tf: (x) => tfOps[name](x!),
      maxBatch: 4,
      batch: 3,
      fill,
    });
    assertMatchesTf(r);
  });

  it('is stable for large logits (subtracts the row max)', () => {
    const r = compareWithTf({
      build: (t) => {
        const x = t.input('x', [4]);
        return { out: ops[name](t, x), inputs: [x] };
      },
      tf: (x) => tfOps[name](x!),
      fill: (v, rng) => {
        for (let i = 0; i < v.value.length; i++) v.value[i] = 1000 + rng.range(-5, 5) - (i % 2) * 2000;
      },
    });
    expect(r.ours.out.every(Number.isFinite)).toBe(true);
    assertMatchesTf(r, 1e-4, 1e-4);
  });

  it('allocates nothing when run', () => {
    const t = new Tape({ maxBatch: 4 });
    const x = t.input('x', [3, 5], { requiresGrad: true });
    const y = ops[name](t, x);
    const seed = new Float32Array(y.value.length).fill(0.5);
    t.setBatch(3);
    expect(countAllocations(() => {
      t.forward();
      t.backwardFrom(y, seed);
    })).toBe(0);
  });
});

describe('softmax', () => {
  it('gives rows that sum to 1 and match exp(logSoftmax)', () => {
    const t = new Tape({ maxBatch: 2 });
    const x = t.input('x', [3]);
    const p = softmax(t, x);
    const lp = logSoftmax(t, x);
    x.value.set([1, 2, 3, -1, 0, 1]);
    t.forward();
    for (let row = 0; row < 2; row++) {
      let s = 0;
      for (let i = 0; i < 3; i++) s += p.value[row * 3 + i]!;
      expect(s).toBeCloseTo(1, 6);
    }
    p.value.forEach((v, i) => expect(Math.exp(lp.value[i]!)).toBeCloseTo(v, 6));
  });

  it('refuses a tensor with no axis besides the batch', () => {
    const t = new Tape({ maxBatch: 4 });
    const x = t.input('x', []);
    expect(() => t.inNode('probs', () => softmax(t, x))).toThrow('softmax in probs: needs an axis to normalize over besides the batch, got [4] (batched)');
    expect(() => logSoftmax(t, t.param('s', []))).toThrow('log_softmax: needs an axis to normalize over besides the batch, got []');
  });
});
