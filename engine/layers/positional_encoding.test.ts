import { beforeAll, describe, expect, it } from 'vitest';
import { positionalEncodingLayer, sinusoidalEncoding } from './positional_encoding';
import { gradCheck } from '../testing/gradcheck';
import { assertMatchesTf, compareWithTf, tf, tfReady } from '../testing/oracle';
import { buildLayer } from '../testing/layerContext';
import { allocationsOfPass } from '../testing/alloc';
import { Rng } from '../core/rng';
import { Tape } from '../core/tape';
import type { DatasetInfo } from '../data/types';

// Tolerances: the sinusoidal table is float64 math rounded once to float32, so it matches the
// formula (evaluated here in float64) to 1e-7; the layer is one broadcast add, so TF.js agrees to
// the oracle defaults; finite differences use the gradCheck defaults.

const info: DatasetInfo = { id: 'chars', name: 'Chars', task: 'sequence', inputShape: [6], targetShape: [6], numClasses: 4, vocabSize: 4, count: 10 };
const ctx = { dataset: info };

beforeAll(tfReady);

describe('positional encoding', () => {
  it('sinusoidal: PE(pos, 2i) = sin(pos / 10000^(2i/D)), PE(pos, 2i+1) = cos(pos / 10000^(2i/D))', () => {
    for (const [steps, dim] of [[50, 16], [7, 5], [3, 1]] as const) {
      const pe = sinusoidalEncoding(steps, dim);
      expect(pe.length).toBe(steps * dim);
      for (let pos = 0; pos < steps; pos++) {
        for (let i = 0; 2 * i < dim; i++) {
          const angle = pos / 10000 ** ((2 * i) / dim);
          expect(Math.abs(pe[pos * dim + 2 * i]! - Math.sin(angle))).toBeLessThan(1e-7);
          if (2 * i + 1 < dim) expect(Math.abs(pe[pos * dim + 2 * i + 1]! - Math.cos(angle))).toBeLessThan(1e-7);
        }
      }
    }
    // Position 0 is (0, 1, 0, 1, ...); the first pair turns at one radian per step.
    expect(Array.from(sinusoidalEncoding(1, 4))).toEqual([0, 1, 0, 1]);
    expect(sinusoidalEncoding(2, 4)[4]).toBeCloseTo(Math.sin(1), 7);
  });

  it('sinusoidal: adds a fixed constant and has no weights', () => {
    const t = new Tape({ maxBatch: 2 });
    const x = t.input('x', [6, 4]);
    const { out, paramElements } = buildLayer(t, positionalEncodingLayer, [x], { mode: 'sinusoidal' }, { dataset: info });
    expect(paramElements).toBe(0);
    expect(t.params).toEqual([]);
    expect(positionalEncodingLayer.paramCount!([[6, 4]], { mode: 'sinusoidal' }, ctx)).toBe(0);
    const rng = new Rng(3);
    for (let i = 0; i < x.value.length; i++) x.value[i] = rng.range(-1, 1);
    t.forward();
    const pe = sinusoidalEncoding(6, 4);
    for (let i = 0; i < out.value.length; i++) expect(out.value[i]).toBe(Math.fround(x.value[i]! + pe[i % 24]!));
  });

  it('learned: a [T, D] table, counted exactly', () => {
    const t = new Tape({ maxBatch: 2 });
    const x = t.input('x', [6, 4]);
    const { out, params, paramElements } = buildLayer(t, positionalEncodingLayer, [x], { mode: 'learned' }, { dataset: info });
    expect([...params.keys()]).toEqual(['positions']);
    expect(params.get('positions')!.shape).toEqual([6, 4]);
    expect(paramElements).toBe(24);
    expect(positionalEncodingLayer.paramCount!([[6, 4]], { mode: 'learned' }, ctx)).toBe(24);
    expect(out.shape).toEqual([2, 6, 4]);
  });

  it.each(['sinusoidal', 'learned'])('matches finite differences (%s) for the input and the table', (mode) => {
    const r = gradCheck({
      build: (t) => {
        const x = t.input('x', [5, 3], { requiresGrad: true });
        const { out, params } = buildLayer(t, positionalEncodingLayer, [x], { mode }, { dataset: info });
        return { out, wrt: [x, ...params.values()] };
      },
      maxBatch: 3,
      batch: 2,
    });
    expect(r.failures).toEqual([]);
    expect(r.checked).toBe(2 * 15 + (mode === 'learned' ? 15 : 0));
  });

  it.each(['sinusoidal', 'learned'])('matches TF.js (%s), forward and gradients', (mode) => {
    const r = compareWithTf({
      build: (t) => {
        const x = t.input('x', [5, 3], { requiresGrad: true });
        const { out, params } = buildLayer(t, positionalEncodingLayer, [x], { mode }, { dataset: info });
        return { out, inputs: [x, ...params.values()] };
      },
      tf: (x, table) => {
        if (table) return tf.add(x!, table);
        // The formula again, in TF.js: angle = pos · 10000^(-2⌊i/2⌋/D); sin on even features, cos on odd.
        const pos = tf.reshape(tf.range(0, 5), [5, 1]);
        const rates = tf.pow(10000, tf.div(tf.mul(-2, tf.floor(tf.div(tf.range(0, 3), 2))), 3));
        const angles = tf.mul(pos, tf.reshape(rates, [1, 3]));
        const even = tf.reshape(tf.tensor1d([1, 0, 1]), [1, 3]);
        return tf.add(x!, tf.add(tf.mul(tf.sin(angles), even), tf.mul(tf.cos(angles), tf.sub(1, even))));
      },
      maxBatch: 3,
      batch: 2,
    });
    assertMatchesTf(r, 1e-4, 1e-6);
  });

  it('allocates nothing when run', () => {
    for (const mode of ['sinusoidal', 'learned']) {
      const t = new Tape({ maxBatch: 3 });
      const x = t.input('x', [5, 3], { requiresGrad: true });
      const { out } = buildLayer(t, positionalEncodingLayer, [x], { mode }, { dataset: info });
      t.setBatch(2);
      expect(allocationsOfPass(t, out)).toBe(0);
    }
  });

  it('keeps [T, D] and explains other inputs', () => {
    const p = { mode: 'sinusoidal' };
    expect(positionalEncodingLayer.infer([[6, 4]], p, ctx)).toEqual([6, 4]);
    expect(positionalEncodingLayer.infer([[6]], p, ctx)).toEqual([{
      message: 'Positional Encoding needs a sequence of vectors (time steps × features), but gets 6 values per sample.',
      fix: 'If they are token ids, add an Embedding before it; otherwise add a Reshape to 6×1 (6 time steps of one feature).',
      slot: 0,
    }]);
    expect(positionalEncodingLayer.caption!(p)).toBe('sin/cos');
    expect(positionalEncodingLayer.caption!({ mode: 'learned' })).toBe('learned');
  });
});
