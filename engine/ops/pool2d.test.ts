import { beforeAll, describe, expect, it } from 'vitest';
import { avgPool2d, globalAvgPool2d, maxPool2d, type Pool2dOptions } from './pool2d';
import { gradCheck } from '../testing/gradcheck';
import { assertMatchesTf, compareWithTf, tf, tfReady } from '../testing/oracle';
import type { Rng } from '../core/rng';
import { Tape, type Var } from '../core/tape';
import { EngineError } from '../core/errors';
import { countAllocations } from '../testing/alloc';

// Tolerances: finite differences (eps 1e-3) with the helper's rtol 1e-2, atol 1e-3; max pooling is
// checked on inputs whose values are at least 0.01 apart, so a nudge of 1e-3 never changes which
// element wins a window. TF.js must agree to the oracle's rtol 1e-4, atol 1e-5.

/** Distinct values, pairwise at least 0.01 apart, in random order. */
function fillDistinct(v: Var, rng: Rng): void {
  const n = v.value.length;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  rng.shuffle(order);
  for (let i = 0; i < n; i++) v.value[i] = (order[i]! - n / 2) * 0.01;
}

interface Case {
  name: string;
  x: [number, number, number];
  options: Pool2dOptions;
}

const cases: Case[] = [
  { name: "2×2 'valid' (default stride)", x: [4, 6, 2], options: { poolSize: 2 } },
  { name: "2×2 'valid' on odd sizes (last row and column dropped)", x: [5, 7, 3], options: { poolSize: 2 } },
  { name: "3×3 stride 2 'same' (overlapping, border windows clipped)", x: [5, 6, 2], options: { poolSize: 3, strides: 2, padding: 'same' } },
  { name: "2×3 stride [1, 2] 'same'", x: [4, 5, 1], options: { poolSize: [2, 3], strides: [1, 2], padding: 'same' } },
  { name: "3×2 stride 1 'valid'", x: [4, 4, 3], options: { poolSize: [3, 2], strides: 1 } },
];

/** TF's arguments for a case: [poolSize, strides, padding]. */
function tfArgs(o: Pool2dOptions): [[number, number], [number, number], 'same' | 'valid'] {
  const pair = (v: number | readonly [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);
  const size = pair(o.poolSize ?? 2);
  return [size, pair(o.strides ?? size), o.padding ?? 'valid'];
}

/**
 * Average pooling as sum / count of covered elements, built from depthwise convolutions. TF.js's
 * cpu AvgPoolGrad divides by the full window size even where 'same' padding clips the window
 * (inconsistent with its own forward), so the gradient is compared with this composition.
 */
function tfAvgPoolByCounts(x: tf.Tensor4D, o: Pool2dOptions): tf.Tensor {
  const [size, strides, padding] = tfArgs(o);
  const ones = tf.ones([size[0], size[1], x.shape[3], 1]) as tf.Tensor4D;
  const sums = tf.depthwiseConv2d(x, ones, strides, padding);
  const counts = tf.depthwiseConv2d(tf.onesLike(x), ones, strides, padding);
  return tf.div(sums, counts);
}

beforeAll(tfReady);

describe('maxPool2d', () => {
  it.each(cases)('matches finite differences: $name', ({ x: xs, options }) => {
    const r = gradCheck({
      build: (t) => {
        const x = t.input('x', xs, { requiresGrad: true });
        return { out: maxPool2d(t, x, options), wrt: [x] };
      },
      fill: fillDistinct,
      maxBatch: 3,
      batch: 2,
    });
    expect(r.failures).toEqual([]);
    expect(r.checked).toBeGreaterThan(0);
  });

  it.each(cases)('matches TF.js: $name', ({ x: xs, options }) => {
    const [size, strides, padding] = tfArgs(options);
    const r = compareWithTf({
      build: (t) => {
        const x = t.input('x', xs, { requiresGrad: true });
        return { out: maxPool2d(t, x, options), inputs: [x] };
      },
      tf: (x) => tf.maxPool(x as tf.Tensor4D, size, strides, padding),
      maxBatch: 3,
      batch: 2,
    });
    assertMatchesTf(r);
  });

  it('sends the gradient of a tied window to its first maximum, as TF.js', () => {
    const r = compareWithTf({
      build: (t) => {
        const x = t.input('x', [2, 2, 1], { requiresGrad: true });
        return { out: maxPool2d(t, x), inputs: [x] };
      },
      fill: (v) => v.value.fill(0.5),
      tf: (x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid'),
    });
    assertMatchesTf(r);
    expect(Array.from(r.ours.grads[0]!.subarray(0, 4)).map((g) => g !== 0)).toEqual([true, false, false, false]);
  });
});

describe('avgPool2d', () => {
  it.each(cases)('matches finite differences: $name', ({ x: xs, options }) => {
    const r = gradCheck({
      build: (t) => {
        const x = t.input('x', xs, { requiresGrad: true });
        return { out: avgPool2d(t, x, options), wrt: [x] };
      },
      maxBatch: 3,
      batch: 2,
    });
    expect(r.failures).toEqual([]);
  });

  it.each(cases)('matches TF.js: $name', ({ x: xs, options }) => {
    const [size, strides, padding] = tfArgs(options);
    const build = (t: Tape) => {
      const x = t.input('x', xs, { requiresGrad: true });
      return { out: avgPool2d(t, x, options), inputs: [x] };
    };
    // The forward pass against tf.avgPool itself; the gradient against sum / count (see above).
    const direct = compareWithTf({ build, tf: (x) => tf.avgPool(x as tf.Tensor4D, size, strides, padding), maxBatch: 3, batch: 2 });
    assertMatchesTf({ ours: { out: direct.ours.out, grads: [] }, theirs: { out: direct.theirs.out, grads: [] } });
    assertMatchesTf(compareWithTf({ build, tf: (x) => tfAvgPoolByCounts(x as tf.Tensor4D, options), maxBatch: 3, batch: 2 }));
  });

  it("averages only the covered elements at a 'same' border", () => {
    const t = new Tape({ maxBatch: 1 });
    const x = t.input('x', [3, 3, 1]);
    const y = avgPool2d(t, x, { poolSize: 2, strides: 2, padding: 'same' });
    x.value.set([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    t.forward();
    // Windows: {1,2,4,5}, {3,6}, {7,8}, {9}.
    expect(Array.from(y.value)).toEqual([3, 4.5, 7.5, 9]);
  });
});

describe('globalAvgPool2d', () => {
  it('matches finite differences', () => {
    const r = gradCheck({
      build: (t) => {
        const x = t.input('x', [3, 4, 5], { requiresGrad: true });
        return { out: globalAvgPool2d(t, x), wrt: [x] };
      },
      maxBatch: 3,
      batch: 2,
    });
    expect(r.failures).toEqual([]);
  });

  it('matches TF.js (mean over height and width)', () => {
    const r = compareWithTf({
      build: (t) => {
        const x = t.input('x', [5, 3, 4], { requiresGrad: true });
        return { out: globalAvgPool2d(t, x), inputs: [x] };
      },
      tf: (x) => tf.mean(x, [1, 2]),
      maxBatch: 3,
      batch: 2,
    });
    assertMatchesTf(r);
    expect(r.ours.out.length).toBe(2 * 4);
  });
});

describe('pooling at run time', () => {
  it('allocates nothing, at a smaller batch too', () => {
    const t = new Tape({ maxBatch: 3 });
    const x = t.input('x', [6, 6, 2], { requiresGrad: true });
    const y = globalAvgPool2d(t, avgPool2d(t, maxPool2d(t, x, { poolSize: 3, strides: 1, padding: 'same' }), { padding: 'same' }));
    const seed = new Float32Array(y.value.length).fill(1);
    for (const batch of [3, 2]) {
      t.setBatch(batch);
      expect(countAllocations(() => {
        t.forward();
        t.backwardFrom(y, seed);
      })).toBe(0);
    }
  });
});

describe('pooling shape errors', () => {
  const inPool = (record: (t: Tape, x: Var) => void, shape: number[]) => () => {
    const t = new Tape({ maxBatch: 2 });
    const x = t.input('x', shape);
    t.inNode('pool_1', () => record(t, x));
  };

  it("explains a pool larger than a 'valid' input", () => {
    const record = inPool((t, x) => maxPool2d(t, x, { poolSize: 2 }), [1, 1, 4]);
    expect(record).toThrow(EngineError);
    expect(record).toThrow("maxpool2d in pool_1: a 2×2 pool with 'valid' padding needs an input at least 2×2, got 1×1");
    expect(inPool((t, x) => avgPool2d(t, x, { poolSize: [3, 1] }), [2, 5, 4]))
      .toThrow("avgpool2d in pool_1: a 3×1 pool with 'valid' padding needs an input at least 3×1, got 2×5");
  });

  it("accepts the same input with 'same' padding", () => {
    expect(inPool((t, x) => maxPool2d(t, x, { poolSize: 2, padding: 'same' }), [1, 1, 4])).not.toThrow();
  });

  it('explains an input that is not an image batch', () => {
    expect(inPool((t, x) => maxPool2d(t, x), [8, 3])).toThrow('maxpool2d in pool_1: the input must be 4-D [batch, height, width, channels], got [2, 8, 3]');
    expect(inPool((t, x) => globalAvgPool2d(t, x), [8])).toThrow('global_avgpool2d in pool_1: the input must be 4-D [batch, height, width, channels], got [2, 8]');
  });

  it('explains a bad pool size', () => {
    expect(inPool((t, x) => avgPool2d(t, x, { poolSize: [2, 1.5] }), [4, 4, 1])).toThrow('avgpool2d in pool_1: poolSize must be positive whole numbers, got [2, 1.5]');
  });
});
