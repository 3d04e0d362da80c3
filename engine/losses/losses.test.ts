import { beforeAll, describe, expect, it } from 'vitest';
import { binaryCrossEntropyWithLogits, crossEntropyOnProbabilities, meanSquaredError, softmaxCrossEntropy } from './losses';
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

describe('cross-entropy on probabilities (after an explicit Softmax or Sigmoid)', () => {
  const probsFill = (classes: number) => (v: Var, rng: Rng): void => {
    if (v.name === 'target') return fillFor(classes === 1 ? 'unit' : 'ids', classes)(v, rng);
    // Probabilities well inside (0, 1) so the clip never applies and FD steps stay valid.
    for (let i = 0; i < v.value.length; i++) v.value[i] = rng.range(0.1, 0.9);
  };
  it.each([1, 4])('matches finite differences with %i unit(s)', (classes) => {
    const r = gradCheck({
      build: (t) => {
        const p = t.input('probs', [classes], { requiresGrad: true });
        const y = t.input('target', classes === 1 ? [1] : []);
        return { out: crossEntropyOnProbabilities(t, p, y), wrt: [p] };
      },
      fill: probsFill(classes),
      eps: 1e-4,
    });
    expect(r.failures).toEqual([]);
  });
  it('matches TF.js log loss and categorical cross-entropy on probabilities', () => {
    const bin = compareWithTf({
      build: (t) => {
        const p = t.input('probs', [1], { requiresGrad: true });
        const y = t.input('target', [1]);
        return { out: crossEntropyOnProbabilities(t, p, y), inputs: [p, y] };
      },
      fill: probsFill(1),
      tf: (p, y) => tf.mean(tf.neg(tf.add(tf.mul(y!, tf.log(p!)), tf.mul(tf.sub(1, y!), tf.log(tf.sub(1, p!)))))),
      noGrad: [1],
    });
    assertMatchesTf(bin, 1e-4, 1e-6);
    const cat = compareWithTf({
      build: (t) => {
        const p = t.input('probs', [4], { requiresGrad: true });
        const y = t.input('target', []);
        return { out: crossEntropyOnProbabilities(t, p, y), inputs: [p, y] };
      },
      fill: probsFill(4),
      tf: (p, y) => tf.mean(tf.neg(tf.log(tf.sum(tf.mul(p!, tf.oneHot(tf.cast(y!, 'int32'), 4)), 1)))),
      noGrad: [1],
    });
    assertMatchesTf(cat, 1e-4, 1e-6);
  });
  it('equals the fused softmax cross-entropy when fed a softmax (the composition it replaces)', async () => {
    const { softmax } = await import('../ops/softmax');
    const t = new Tape({ maxBatch: 3 });
    const z = t.input('logits', [5], { requiresGrad: true });
    const y = t.input('target', []);
    const viaProbs = crossEntropyOnProbabilities(t, softmax(t, z), y);
    const fused = softmaxCrossEntropy(t, z, y);
    z.value.set(Array.from({ length: 15 }, (_, i) => Math.sin(i)));
    y.value.set([0, 3, 4]);
    t.forward();
    expect(viaProbs.value[0]).toBeCloseTo(fused.value[0]!, 5);
  });
});
