import { beforeAll, describe, expect, it } from 'vitest';
import { binaryCrossEntropyWithLogits, meanSquaredError, softmaxCrossEntropy } from './losses';
import { fillUniform, gradCheck } from '../testing/gradcheck';
import { assertMatchesTf, compareWithTf, tf, tfReady } from '../testing/oracle';
import { Tape, type Var } from '../core/tape';
import type { Rng } from '../core/rng';

// Finite differences: rtol 1e-2, atol 1e-3 (gradcheck.ts). TF.js: rtol 1e-4, atol 1e-6.
beforeAll(tfReady);

/** Fills logits uniformly and targets with valid class ids / probabilities / values in [0, 1]. */
function fillFor(kind: 'ids' | 'probs' | 'unit', classes: number) {
  return (v: Var, rng: Rng): void => {
    if (v.name !== 'target') return fillUniform(v, rng, -2, 2);
    if (kind === 'ids') for (let i = 0; i < v.value.length; i++) v.value[i] = rng.int(classes);
    else if (kind === 'unit') for (let i = 0; i < v.value.length; i++) v.value[i] = rng.uniform();
    else {
      for (let r = 0; r < v.value.length / classes; r++) {
        let s = 0;
        for (let c = 0; c < classes; c++) s += (v.value[r * classes + c] = rng.uniform());
        for (let c = 0; c < classes; c++) v.value[r * classes + c]! /= s;
      }
    }
  };
}

describe('mean squared error', () => {
  const build = (t: Tape) => {
    const p = t.input('pred', [3], { requiresGrad: true });
    const y = t.input('target', [3]);
    return { out: meanSquaredError(t, p, y), p, y };
  };
  it('matches finite differences at a smaller batch', () => {
    const r = gradCheck({ build: (t) => { const b = build(t); return { out: b.out, wrt: [b.p] }; }, maxBatch: 4, batch: 3 });
    expect(r.failures).toEqual([]);
  });
  it('matches TF.js', () => {
    assertMatchesTf(compareWithTf({ build: (t) => { const b = build(t); return { out: b.out, inputs: [b.p, b.y] }; }, tf: (p, y) => tf.losses.meanSquaredError(y!, p!) }), 1e-4, 1e-6);
  });
});

describe('binary cross-entropy on logits', () => {
  const build = (t: Tape) => {
    const p = t.input('logits', [2], { requiresGrad: true });
    const y = t.input('target', [2]);
    return { out: binaryCrossEntropyWithLogits(t, p, y), p, y };
  };
  it('matches finite differences', () => {
    const r = gradCheck({ build: (t) => { const b = build(t); return { out: b.out, wrt: [b.p] }; }, fill: fillFor('unit', 2), batch: 2 });
    expect(r.failures).toEqual([]);
  });
  it('matches TF.js', () => {
    assertMatchesTf(compareWithTf({ build: (t) => { const b = build(t); return { out: b.out, inputs: [b.p, b.y] }; }, fill: fillFor('unit', 2), tf: (p, y) => tf.losses.sigmoidCrossEntropy(y!, p!) }), 1e-4, 1e-6);
  });
  it('stays finite for large logits', () => {
    const t = new Tape({ maxBatch: 2 });
    const p = t.input('logits', [1]);
    const y = t.input('target', [1]);
    const loss = binaryCrossEntropyWithLogits(t, p, y);
    p.value.set([200, -200]);
    y.value.set([0, 1]);
    t.forward();
    expect(loss.value[0]).toBeCloseTo(200, 3);
  });
});

describe('softmax cross-entropy on logits', () => {
  const C = 5;
  it.each(['ids', 'probs'] as const)('matches finite differences with %s targets, over time steps', (kind) => {
    const r = gradCheck({
      build: (t) => {
        const z = t.input('logits', [2, C], { requiresGrad: true });
        const y = t.input('target', kind === 'ids' ? [2] : [2, C]);
        return { out: softmaxCrossEntropy(t, z, y), wrt: [z] };
      },
      fill: fillFor(kind, C),
      maxBatch: 3,
      batch: 2,
    });
    expect(r.failures).toEqual([]);
  });
  it('matches TF.js (one-hot of the ids)', () => {
    const r = compareWithTf({
      build: (t) => {
        const z = t.input('logits', [C], { requiresGrad: true });
        const y = t.input('target', []);
        return { out: softmaxCrossEntropy(t, z, y), inputs: [z, y] };
      },
      fill: fillFor('ids', C),
      tf: (z, y) => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.cast(y!, 'int32'), C), z!),
      noGrad: [1],
    });
    assertMatchesTf(r, 1e-4, 1e-6);
  });
  it('matches TF.js with probability targets', () => {
    const r = compareWithTf({
      build: (t) => {
        const z = t.input('logits', [C], { requiresGrad: true });
        const y = t.input('target', [C]);
        return { out: softmaxCrossEntropy(t, z, y), inputs: [z, y] };
      },
      fill: fillFor('probs', C),
      tf: (z, y) => tf.losses.softmaxCrossEntropy(y!, z!),
    });
    assertMatchesTf(r, 1e-4, 1e-6);
  });
  it('is stable for huge logits and rejects an out-of-range class id', () => {
    const t = new Tape({ maxBatch: 1 });
    const z = t.input('logits', [3]);
    const y = t.input('target', []);
    const loss = t.inNode('output', () => softmaxCrossEntropy(t, z, y));
    z.value.set([1000, 0, -1000]);
    y.value.set([1]);
    t.forward();
    expect(loss.value[0]).toBeCloseTo(1000, 2);
    y.value.set([3]);
    expect(() => t.forward()).toThrow('cross_entropy in output: class id 3 at row 0 is outside 0..2');
  });
});
