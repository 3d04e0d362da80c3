import { beforeAll, describe, expect, it } from 'vitest';
import { batchNorm, batchNormState, type BatchNormState } from './batchnorm';
import { gradCheck } from '../testing/gradcheck';
import { assertMatchesTf, compareWithTf, tf, tfReady } from '../testing/oracle';
import { Tape } from '../core/tape';
import { EngineError } from '../core/errors';
import { countAllocations } from '../testing/alloc';

// Tolerances: finite differences (eps 1e-3, float64 loss over float32 forwards) with the helper's
// rtol 1e-2, atol 1e-3. TF.js (float32 throughout, where we accumulate the statistics in float64)
// must agree to the oracle's rtol 1e-4, atol 1e-5, also for the gradient through the statistics.

const shapes: [string, number[]][] = [
  ['dense [B, F]', [5]],
  ['sequence [B, T, F]', [3, 4]],
  ['image [B, H, W, C]', [3, 2, 3]],
];

/** Running statistics away from the fresh 0 / 1, so eval mode is not an identity in disguise. */
function primedState(channels: number): BatchNormState {
  const s = batchNormState(channels);
  for (let c = 0; c < channels; c++) {
    s.runningMean[c] = 0.1 * c - 0.2;
    s.runningVar[c] = 0.5 + 0.25 * c;
  }
  return s;
}

beforeAll(tfReady);

describe('batchNorm', () => {
  describe.each([true, false])('training %s', (training) => {
    it.each(shapes)('matches finite differences: %s', (_, inner) => {
      const c = inner[inner.length - 1]!;
      const r = gradCheck({
        build: (t) => {
          const x = t.input('x', inner, { requiresGrad: true });
          const gamma = t.param('gamma', [c]);
          const beta = t.param('beta', [c]);
          return { out: batchNorm(t, x, gamma, beta, primedState(c)), wrt: [x, gamma, beta] };
        },
        training,
        maxBatch: 5,
        batch: 4,
      });
      expect(r.failures).toEqual([]);
      expect(r.checked).toBeGreaterThan(0);
    });
  });

  it.each(shapes)('matches TF.js in training mode (tf.moments + tf.batchNorm): %s', (_, inner) => {
    const c = inner[inner.length - 1]!;
    const axes = Array.from({ length: inner.length }, (_, i) => i); // every axis but the last
    const r = compareWithTf({
      build: (t) => {
        const x = t.input('x', inner, { requiresGrad: true });
        const gamma = t.param('gamma', [c]);
        const beta = t.param('beta', [c]);
        return { out: batchNorm(t, x, gamma, beta, batchNormState(c), { epsilon: 1e-3 }), inputs: [x, gamma, beta] };
      },
      tf: (x, gamma, beta) => {
        const { mean, variance } = tf.moments(x!, axes);
        return tf.batchNorm(x!, mean, variance, beta!, gamma!, 1e-3);
      },
      maxBatch: 5,
      batch: 4,
    });
    assertMatchesTf(r);
  });

  it.each(shapes)('matches TF.js in eval mode (running statistics): %s', (_, inner) => {
    const c = inner[inner.length - 1]!;
    const state = primedState(c);
    const r = compareWithTf({
      build: (t) => {
        const x = t.input('x', inner, { requiresGrad: true });
        const gamma = t.param('gamma', [c]);
        const beta = t.param('beta', [c]);
        return { out: batchNorm(t, x, gamma, beta, state, { epsilon: 1e-3 }), inputs: [x, gamma, beta] };
      },
      tf: (x, gamma, beta) => tf.batchNorm(x!, tf.tensor1d(state.runningMean), tf.tensor1d(state.runningVar), beta!, gamma!, 1e-3),
      training: false,
      maxBatch: 3,
      batch: 2,
    });
    assertMatchesTf(r);
  });

  it('moves the running statistics as Keras does, from the live batch only', () => {
    const t = new Tape({ maxBatch: 4 });
    const x = t.input('x', [2]);
    const state = batchNormState(2);
    batchNorm(t, x, t.param('gamma', [2], [1, 1]), t.param('beta', [2]), state, { momentum: 0.9 });
    // Live rows (1, 10), (3, 30), (5, 50); the fourth row is stale and must be ignored.
    x.value.set([1, 10, 3, 30, 5, 50, 1000, -1000]);
    t.setBatch(3);
    const mean = [3, 30];
    const variance = [8 / 3, 800 / 3]; // biased, over the 3 live rows
    for (let step = 1; step <= 3; step++) {
      t.forward();
      const kept = 0.9 ** step;
      for (let c = 0; c < 2; c++) {
        expect(state.runningMean[c]).toBeCloseTo((1 - kept) * mean[c]!, 4);
        expect(state.runningVar[c]).toBeCloseTo(kept * 1 + (1 - kept) * variance[c]!, 3);
      }
    }
    // Eval mode reads the running statistics and leaves them alone.
    const before = Array.from(state.runningMean);
    t.training = false;
    t.forward();
    expect(Array.from(state.runningMean)).toEqual(before);
  });

  it('leaves the running statistics alone on a batch of one row per channel (a last batch of one sample), which has no spread', () => {
    const t = new Tape({ maxBatch: 4 });
    const x = t.input('x', [2]);
    const state = primedState(2);
    const before = [Array.from(state.runningMean), Array.from(state.runningVar)];
    const y = batchNorm(t, x, t.param('gamma', [2], [1, 1]), t.param('beta', [2], [0.5, -0.5]), state, { momentum: 0.9 });
    x.value.set([1, 10, 3, 30]);
    t.setBatch(1);
    t.forward();
    expect([Array.from(state.runningMean), Array.from(state.runningVar)]).toEqual(before);
    // It still trains as Keras does: every output is beta.
    expect(y.value[0]).toBeCloseTo(0.5, 4);
    expect(y.value[1]).toBeCloseTo(-0.5, 4);
    // Two rows have a spread, and move them.
    t.setBatch(2);
    t.forward();
    expect(state.runningVar[0]).toBeCloseTo(0.9 * before[1]![0]! + 0.1 * 1, 5);
    // An image of one sample has H × W rows per channel: they move too.
    const ti = new Tape({ maxBatch: 1 });
    const xi = ti.input('x', [2, 1, 1]);
    const si = batchNormState(1);
    batchNorm(ti, xi, ti.param('gamma', [1], [1]), ti.param('beta', [1]), si, { momentum: 0.5 });
    xi.value.set([2, 4]);
    ti.setBatch(1);
    ti.forward();
    expect([si.runningMean[0], si.runningVar[0]]).toEqual([1.5, 1]);
  });

  it('allocates nothing when run, in either mode', () => {
    const t = new Tape({ maxBatch: 3 });
    const x = t.input('x', [2, 2, 3], { requiresGrad: true });
    const y = batchNorm(t, x, t.param('gamma', [3]), t.param('beta', [3]), batchNormState(3));
    const seed = new Float32Array(y.value.length).fill(1);
    t.setBatch(2);
    for (const training of [true, false]) {
      t.training = training;
      expect(countAllocations(() => {
        t.forward();
        t.backwardFrom(y, seed);
      })).toBe(0);
    }
  });

  it('uses batch statistics in training and running statistics in eval', () => {
    const t = new Tape({ maxBatch: 2 });
    const x = t.input('x', [1]);
    const y = batchNorm(t, x, t.param('gamma', [1], [2]), t.param('beta', [1], [0.5]), batchNormState(1), { epsilon: 1e-8, momentum: 0 });
    x.value.set([1, 3]);
    t.forward(); // mean 2, variance 1
    expect(y.value[0]).toBeCloseTo(-1.5, 5);
    expect(y.value[1]).toBeCloseTo(2.5, 5);
    t.training = false; // momentum 0: the running statistics are now the last batch's
    x.value.set([2, 4]);
    t.forward();
    expect(y.value[0]).toBeCloseTo(0.5, 5);
    expect(y.value[1]).toBeCloseTo(4.5, 5);
  });
});

describe('batchNorm shape errors', () => {
  const record = (inner: number[], gammaShape: number[], channels = inner[inner.length - 1]!) => () => {
    const t = new Tape({ maxBatch: 2 });
    const x = t.input('x', inner);
    t.inNode('bn_1', () => batchNorm(t, x, t.param('gamma', gammaShape), t.param('beta', [inner[inner.length - 1]!]), batchNormState(channels)));
  };

  it('names the op, the node and the channel mismatch', () => {
    expect(record([4, 4, 3], [4])).toThrow(EngineError);
    expect(record([4, 4, 3], [4])).toThrow('batchnorm in bn_1: gamma has shape [4], but the input has 3 channels (expected [3])');
  });

  it('explains running statistics of the wrong size', () => {
    expect(record([4, 4, 3], [3], 5)).toThrow('batchnorm in bn_1: the running statistics hold 5 channels, but the input has 3');
  });
});
