import { beforeAll, describe, expect, it } from 'vitest';
import { ATTENTION_WEIGHTS, attentionLayer, causalMask, MASKED_SCORE, type AttentionParams } from './attention';
import { gradCheck } from '../testing/gradcheck';
import { assertMatchesTf, compareWithTf, mismatch, tf, tfReady } from '../testing/oracle';
import { buildLayer } from '../testing/layerContext';
import { allocationsOfPass } from '../testing/alloc';
import { Rng } from '../core/rng';
import { Tape } from '../core/tape';
import type { DatasetInfo } from '../data/types';
import { defaultParams } from './params';

// Tolerances: finite differences use the gradCheck defaults (eps 1e-3, rtol 1e-2, atol 1e-3) on
// small shapes. The TF.js twin computes the same function in a different order (scores scaled
// after the product, the mask applied with tf.where) and still agrees to the oracle's defaults,
// rtol 1e-4 and atol 1e-5; the exposed weights to rtol 1e-4, atol 1e-6.

const T = 4;
const tokens: DatasetInfo = { id: 'tokens', name: 'Tokens', task: 'sequence', inputShape: [T], targetShape: [T], numClasses: 5, vocabSize: 5, count: 10 };
const ctx = { dataset: tokens };
const D = 3;
const PARAM_ORDER = ['query_kernel', 'query_bias', 'key_kernel', 'key_bias', 'value_kernel', 'value_bias', 'output_kernel', 'output_bias'];

beforeAll(tfReady);

function build(t: Tape, params: Partial<AttentionParams>, steps = T, dim = D) {
  const x = t.input('x', [steps, dim], { requiresGrad: true });
  return { x, ...buildLayer(t, attentionLayer, [x], params) };
}

/**
 * The TF.js twin, written from the textbook formula: per-head projections, softmax(QKᵀ/√k) with
 * future keys removed by tf.where on a lower band, the heads concatenated, the output projection.
 */
function tfAttention(heads: number, k: number, causal: boolean, x: tf.Tensor, w: tf.Tensor[], probs = false): tf.Tensor {
  const [wq, bq, wk, bk, wv, bv, wo, bo] = w;
  const [b, steps, dim] = x.shape as [number, number, number];
  const flat = tf.reshape(x, [b * steps, dim]);
  const split = (kernel: tf.Tensor, bias: tf.Tensor) =>
    tf.transpose(tf.reshape(tf.add(tf.matMul(flat as tf.Tensor2D, kernel as tf.Tensor2D), bias), [b, steps, heads, k]), [0, 2, 1, 3]);
  const q = split(wq!, bq!);
  const kk = split(wk!, bk!);
  const v = split(wv!, bv!);
  let scores = tf.div(tf.matMul(q as tf.Tensor4D, kk as tf.Tensor4D, false, true), Math.sqrt(k));
  if (causal) {
    const allowed = tf.broadcastTo(tf.cast(tf.linalg.bandPart(tf.ones([steps, steps]), -1, 0), 'bool'), [b, heads, steps, steps]);
    scores = tf.where(allowed, scores, tf.fill([b, heads, steps, steps], -1e30));
  }
  const a = tf.softmax(scores);
  if (probs) return a;
  const mixed = tf.reshape(tf.transpose(tf.matMul(a as tf.Tensor4D, v as tf.Tensor4D), [0, 2, 1, 3]), [b * steps, heads * k]);
  return tf.reshape(tf.add(tf.matMul(mixed as tf.Tensor2D, wo as tf.Tensor2D), bo!), [b, steps, dim]);
}

const variants: [string, { numHeads: number; keyDim: number; causal: boolean; useBias: boolean }][] = [
  ['2 heads of 3, causal', { numHeads: 2, keyDim: 3, causal: true, useBias: true }],
  ['2 heads of 3, not causal', { numHeads: 2, keyDim: 3, causal: false, useBias: true }],
  ['1 head of 2, causal, no bias', { numHeads: 1, keyDim: 2, causal: true, useBias: false }],
  ['3 heads of 2, not causal, no bias', { numHeads: 3, keyDim: 2, causal: false, useBias: false }],
];

describe('attention layer', () => {
  it.each(variants)('matches finite differences for the input and every weight: %s', (_, p) => {
    let names: string[] = [];
    const r = gradCheck({
      build: (t) => {
        const { x, out, params } = build(t, p);
        names = [...params.keys()];
        return { out, wrt: [x, ...params.values()] };
      },
      maxBatch: 3,
      batch: 2,
    });
    expect(names).toEqual(p.useBias ? PARAM_ORDER : PARAM_ORDER.filter((n) => n.endsWith('kernel')));
    expect(r.failures).toEqual([]);
    // Every element of x (2·4·3 live) and of every weight is checked.
    expect(r.checked).toBe(2 * T * D + attentionLayer.paramCount!([[T, D]], { ...p, kernelInitializer: 'auto' }, ctx));
  });

  it.each(variants.filter(([, p]) => p.useBias))('matches a TF.js twin with the same weights, forward and gradients: %s', (_, p) => {
    const r = compareWithTf({
      build: (t) => {
        const { x, out, params } = build(t, p);
        return { out, inputs: [x, ...PARAM_ORDER.map((n) => params.get(n)!)] };
      },
      tf: (x, ...w) => tfAttention(p.numHeads, p.keyDim, p.causal, x!, w),
      maxBatch: 3,
      batch: 2,
    });
    assertMatchesTf(r);
  });

  it.each(variants.slice(0, 2))('exposes the attention weights as [B, H, T, T], equal to TF.js\'s softmax: %s', (_, p) => {
    const t = new Tape({ maxBatch: 3 });
    const { x, params, exposed } = build(t, p);
    const probs = exposed[ATTENTION_WEIGHTS]!;
    expect([probs.batched, probs.shape]).toEqual([true, [3, p.numHeads, T, T]]);
    const rng = new Rng(5);
    for (const v of [x, ...params.values()]) for (let i = 0; i < v.value.length; i++) v.value[i] = rng.range(-1, 1);
    t.setBatch(2);
    t.forward();
    const ours = probs.value.slice(0, probs.size);
    // Each row (sample b, head h, query step i) is a distribution over key steps; causal rows end at i.
    for (let row = 0; row < ours.length / T; row++) {
      const i = row % T;
      let s = 0;
      for (let j = 0; j < T; j++) {
        const a = ours[row * T + j]!;
        if (p.causal && j > i) expect(a).toBe(0);
        else expect(a).toBeGreaterThan(0);
        s += a;
      }
      expect(s).toBeCloseTo(1, 6);
    }
    const theirs = tf.tidy(() => tfAttention(p.numHeads, p.keyDim, p.causal, tf.tensor(x.value.slice(0, x.size), x.currentShape()),
      PARAM_ORDER.map((n) => tf.tensor(params.get(n)!.value, [...params.get(n)!.shape])), true).dataSync() as Float32Array);
    expect(mismatch(ours, theirs, 1e-4, 1e-6)).toBeNull();
  });

  it('with causal on, the output at step t does not change when inputs after t change', () => {
    for (const causal of [true, false]) {
      const t = new Tape({ maxBatch: 2 });
      const { x, out, params } = build(t, { numHeads: 2, keyDim: 3, causal, useBias: true }, 5, 4);
      const rng = new Rng(11);
      for (const v of [x, ...params.values()]) for (let i = 0; i < v.value.length; i++) v.value[i] = rng.range(-1, 1);
      t.forward();
      const before = out.value.slice();
      for (let step = 0; step < 5; step++) {
        // Change every input after `step` in both samples; steps up to `step` must keep their outputs.
        const saved = x.value.slice();
        for (let b = 0; b < 2; b++) for (let s = step + 1; s < 5; s++) for (let f = 0; f < 4; f++) x.value[(b * 5 + s) * 4 + f] = rng.range(-3, 3);
        t.forward();
        let changedBefore = false;
        for (let b = 0; b < 2; b++) {
          for (let s = 0; s <= step; s++) {
            for (let f = 0; f < 4; f++) {
              const i = (b * 5 + s) * 4 + f;
              if (out.value[i] !== before[i]) changedBefore = true;
            }
          }
        }
        // Without the mask the earlier steps do see the change (the test can fail); with it, bit for bit nothing moves.
        if (step < 4) expect(changedBefore, `causal ${causal}, step ${step}`).toBe(!causal);
        x.value.set(saved);
        t.forward();
      }
    }
  });

  it('masks with an additive constant: 0 on and below the diagonal, -1e9 above', () => {
    expect(Array.from(causalMask(3))).toEqual([0, MASKED_SCORE, MASKED_SCORE, 0, 0, MASKED_SCORE, 0, 0, 0].map(Math.fround));
    const t = new Tape({ maxBatch: 1 });
    build(t, { causal: true });
    const consts = t.vars.filter((v) => v.kind === 'const');
    expect(consts.map((v) => [v.name, v.shape, v.requiresGrad])).toEqual([['causal_mask', [T, T], false]]);
    const open = new Tape({ maxBatch: 1 });
    build(open, { causal: false });
    expect(open.vars.filter((v) => v.kind === 'const')).toEqual([]);
  });

  it('counts exactly the parameter elements it creates', () => {
    for (const [steps, dim, numHeads, keyDim, useBias] of [[4, 3, 2, 16, true], [6, 8, 4, 2, false], [1, 1, 1, 1, true], [5, 32, 2, 16, true]] as const) {
      const t = new Tape({ maxBatch: 1 });
      const p = { ...defaultParams(attentionLayer.params), numHeads, keyDim, useBias } as AttentionParams;
      const { paramElements, out } = build(t, p, steps, dim);
      expect(out.shape).toEqual([1, steps, dim]);
      expect(attentionLayer.paramCount!([[steps, dim]], p, ctx)).toBe(paramElements);
    }
    // Keras's MultiHeadAttention(num_heads=2, key_dim=16) on 32 features: 4·32·32 + 3·32 + 32.
    expect(attentionLayer.paramCount!([[10, 32]], { numHeads: 2, keyDim: 16, useBias: true, causal: true, kernelInitializer: 'auto' }, ctx)).toBe(4224);
  });

  it('allocates nothing when run', () => {
    const t = new Tape({ maxBatch: 3 });
    const { out } = build(t, { causal: true });
    t.setBatch(2);
    expect(allocationsOfPass(t, out)).toBe(0);
  });

  it('keeps [T, D] and explains other inputs in plain words, with a fix', () => {
    const p = defaultParams(attentionLayer.params) as AttentionParams;
    expect(attentionLayer.infer([[8, 5]], p, ctx)).toEqual([8, 5]);
    expect(attentionLayer.infer([[8]], p, ctx)).toEqual([{
      message: 'Attention needs a sequence of vectors (time steps × features), but gets 8 values per sample.',
      fix: 'If they are token ids, add an Embedding before it; otherwise add a Reshape to 8×1 (8 time steps of one feature).',
      slot: 0,
    }]);
    expect(attentionLayer.infer([[28, 28, 1]], p, ctx)).toEqual([{
      message: 'Attention needs a sequence of vectors (time steps × features), but gets an image-shaped 28×28×1 tensor.',
      fix: 'Add a Reshape to 28×28 to read its rows as 28 time steps.',
      slot: 0,
    }]);
    expect(attentionLayer.infer([[]], p, ctx)).toEqual([{ message: 'Attention needs a sequence of vectors (time steps × features), but gets a scalar per sample.', slot: 0 }]);
    expect(attentionLayer.caption!(p)).toBe('2×16, causal');
    expect(attentionLayer.caption!({ ...p, causal: false, numHeads: 4, keyDim: 8 })).toBe('4×8');
    expect(p.causal).toBe(true);
    expect(attentionLayer.params.causal!.help).toMatch(/next-character/);
  });
});
