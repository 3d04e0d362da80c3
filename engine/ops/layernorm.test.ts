import { beforeAll, describe, expect, it } from 'vitest';
import { layerNorm } from './layernorm';
import { gradCheck } from '../testing/gradcheck';
import { assertMatchesTf, compareWithTf, tf, tfReady } from '../testing/oracle';
import { Tape } from '../core/tape';
import { EngineError } from '../core/errors';
import { allocationsOfPass } from '../testing/alloc';

// Tolerances: finite differences (eps 1e-3, float64 loss over float32 forwards) with the helper's
// rtol 1e-2, atol 1e-3. TF.js (float32) must agree to the oracle's rtol 1e-4, atol 1e-5.

const shapes: [string, number[]][] = [
  ['dense [B, D]', [6]],
  ['sequence [B, T, D]', [3, 5]],
  ['one feature (output is beta)', [2, 1]],
];

beforeAll(tfReady);

describe('layerNorm', () => {
  it.each(shapes)('matches finite differences: %s', (_, inner) => {
    const d = inner[inner.length - 1]!;
    const r = gradCheck({
      build: (t) => {
        const x = t.input('x', inner, { requiresGrad: true });
        const gamma = t.param('gamma', [d]);
        const beta = t.param('beta', [d]);
        return { out: layerNorm(t, x, gamma, beta), wrt: [x, gamma, beta] };
      },
      maxBatch: 3,
      batch: 2,
    });
    expect(r.failures).toEqual([]);
    expect(r.checked).toBeGreaterThan(0);
  });

  it.each(shapes)('matches TF.js (tf.moments over the last axis): %s', (_, inner) => {
    const d = inner[inner.length - 1]!;
    const r = compareWithTf({
      build: (t) => {
        const x = t.input('x', inner, { requiresGrad: true });
        const gamma = t.param('gamma', [d]);
        const beta = t.param('beta', [d]);
        return { out: layerNorm(t, x, gamma, beta, { epsilon: 1e-5 }), inputs: [x, gamma, beta] };
      },
      tf: (x, gamma, beta) => {
        const { mean, variance } = tf.moments(x!, -1, true);
        const xhat = tf.div(tf.sub(x!, mean), tf.sqrt(tf.add(variance, 1e-5)));
        return tf.add(tf.mul(xhat, gamma!), beta!);
      },
      maxBatch: 3,
      batch: 2,
    });
    assertMatchesTf(r);
  });

  it('allocates nothing when run', () => {
    const t = new Tape({ maxBatch: 3 });
    const x = t.input('x', [4, 5], { requiresGrad: true });
    const y = layerNorm(t, x, t.param('gamma', [5]), t.param('beta', [5]));
    t.setBatch(2);
    expect(allocationsOfPass(t, y)).toBe(0);
  });

  it('normalizes each row to mean 0 and variance 1 before the affine map', () => {
    const t = new Tape({ maxBatch: 2 });
    const x = t.input('x', [4]);
    const y = layerNorm(t, x, t.param('gamma', [4], [1, 1, 1, 1]), t.param('beta', [4]), { epsilon: 1e-8 });
    x.value.set([1, 2, 3, 4, -10, 0, 10, 20]);
    t.forward();
    for (let r = 0; r < 2; r++) {
      const row = Array.from(y.value.subarray(4 * r, 4 * r + 4));
      const mean = row.reduce((a, b) => a + b, 0) / 4;
      const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / 4;
      expect(mean).toBeCloseTo(0, 5);
      expect(variance).toBeCloseTo(1, 4);
    }
  });
});

describe('layerNorm shape errors', () => {
  it('names the op, the node and the feature mismatch', () => {
    const record = () => {
      const t = new Tape({ maxBatch: 2 });
      const x = t.input('x', [7, 4]);
      t.inNode('ln_1', () => layerNorm(t, x, t.param('gamma', [5]), t.param('beta', [4])));
    };
    expect(record).toThrow(EngineError);
    expect(record).toThrow("layernorm in ln_1: gamma has shape [5], but the input's last axis has 4 features (expected [4])");
  });
});
