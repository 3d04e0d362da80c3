import { beforeAll, describe, expect, it } from 'vitest';
import { Adam, AdamW } from './adam';
import type { Optimizer, OptimizerParam } from './types';
import { tf, tfReady } from '../testing/oracle';
import { QUADRATIC, runOurs, runTf, trajectoryMismatch } from '../testing/optimOracle';

// Tolerances: hand-computed values are float64; our weights are float32, compared to 6 decimals.
// Against TF.js: rtol 1e-5, atol 1e-6 over 5 steps.

beforeAll(tfReady);

const param = (w: number): OptimizerParam => ({ name: 'w', value: Float32Array.from([w]), grad: new Float32Array(1) });

/** One step under L = ½w² (g = w). */
function step(p: OptimizerParam, opt: Optimizer): number {
  p.grad[0] = p.value[0]!;
  opt.step();
  return p.value[0]!;
}

describe('Adam, hand-computed (lr 0.1, β1 0.9, β2 0.999, ε 1e-7, g = w, w0 = 1)', () => {
  it('steps 1 and 2 with bias correction', () => {
    const p = param(1);
    const opt = new Adam([p], { learningRate: 0.1 });
    // Step 1: m = 0.1·1 = 0.1, v = 0.001·1 = 0.001; m̂ = 0.1/(1−0.9) = 1, v̂ = 0.001/(1−0.999) = 1
    //         w = 1 − 0.1·1/(√1 + 1e-7) = 0.90000001
    const w1 = 1 - (0.1 * 1) / (1 + 1e-7);
    expect(step(p, opt)).toBeCloseTo(w1, 6);
    // Step 2: g = w1 ≈ 0.9; m = 0.9·0.1 + 0.1·0.9 = 0.18, v = 0.999·0.001 + 0.001·0.81 = 0.001809
    //         m̂ = 0.18/(1−0.81) = 0.947368, v̂ = 0.001809/(1−0.998001) = 0.904952, √v̂ = 0.951290
    //         w = 0.9 − 0.1·0.947368/0.951290 = 0.9 − 0.0995877 = 0.800412
    const g2 = Math.fround(w1);
    const m2 = 0.9 * 0.1 + 0.1 * g2;
    const v2 = 0.999 * 0.001 + 0.001 * g2 * g2;
    const w2 = g2 - (0.1 * (m2 / (1 - 0.9 ** 2))) / (Math.sqrt(v2 / (1 - 0.999 ** 2)) + 1e-7);
    expect(w2).toBeCloseTo(0.800412, 6);
    expect(step(p, opt)).toBeCloseTo(w2, 6);
  });

  it('AdamW step 1 adds the decoupled decay lr·wd·w (wd 0.1)', () => {
    const p = param(1);
    // w = 1 − 0.1·0.1·1 − 0.1·1/(1 + 1e-7) = 1 − 0.01 − 0.09999999 = 0.89
    expect(step(p, new AdamW([p], { learningRate: 0.1, weightDecay: 0.1 }))).toBeCloseTo(0.89, 6);
  });

  it('Adam + l2 is not AdamW: the coupled term is normalised away on the first step', () => {
    const p = param(1);
    // g = 1 + 0.1·1 = 1.1; m̂ = 1.1, v̂ = 1.21; w = 1 − 0.1·1.1/(1.1 + 1e-7) = 0.9: no decay visible,
    // whereas AdamW above moved to 0.89.
    expect(step(p, new Adam([p], { learningRate: 0.1, l2: 0.1 }))).toBeCloseTo(0.9, 6);
  });

  it('AdamW defaults to weightDecay 0.01; Adam has none', () => {
    expect(new AdamW([param(1)]).weightDecay).toBe(0.01);
    expect(new Adam([param(1)]).weightDecay).toBe(0);
    expect(new AdamW([param(1)]).kind).toBe('adamw');
  });

  it('rejects betas outside [0, 1)', () => {
    expect(() => new Adam([param(1)], { beta2: 1 })).toThrow('adam: beta2 must be in [0, 1), got 1');
    expect(() => new AdamW([param(1)], { weightDecay: -1 })).toThrow('adamw: weightDecay must be a finite number >= 0, got -1');
  });
});

describe('Adam against TF.js over 5 steps on a quadratic', () => {
  // tf.train.adam: w -= lr·m̂/(√v̂ + ε): Kingma & Ba's Algorithm 1, as ours. But TF.js keeps βᵗ in a
  // float32 variable: f32(0.999) = 0.99900001287, so its 1 − β2ᵗ is off by 1.3e-5 relative (we use
  // float64 powers). With betas exact in float32 the two agree to rtol 1e-5; with the defaults
  // only to about 1e-5 of the step, so that case uses rtol 1e-4, atol 1e-5.
  const B1 = 0.875; // 1 − 2⁻³
  const B2 = 0.998046875; // 1 − 2⁻⁹

  it('tf.train.adam (betas exact in float32)', () => {
    const ours = runOurs(QUADRATIC, (ps) => new Adam(ps, { learningRate: 0.05, beta1: B1, beta2: B2 }), 5);
    const theirs = runTf(QUADRATIC, tf.train.adam(0.05, B1, B2, 1e-7), 5);
    expect(trajectoryMismatch(ours, theirs)).toBeNull();
  });

  it('tf.train.adam (default betas 0.9, 0.999)', () => {
    const ours = runOurs(QUADRATIC, (ps) => new Adam(ps, { learningRate: 0.05 }), 5);
    const theirs = runTf(QUADRATIC, tf.train.adam(0.05, 0.9, 0.999, 1e-7), 5);
    expect(trajectoryMismatch(ours, theirs, 1e-4, 1e-5)).toBeNull();
  });

  it('Adam with l2 equals tf.train.adam fed g + l2·w', () => {
    const ours = runOurs(QUADRATIC, (ps) => new Adam(ps, { learningRate: 0.05, beta1: B1, beta2: B2, l2: 0.2 }), 5);
    const theirs = runTf(QUADRATIC, tf.train.adam(0.05, B1, B2, 1e-7), 5, (_, w, g) => {
      for (let j = 0; j < g.length; j++) g[j]! += 0.2 * w[j]!;
    });
    expect(trajectoryMismatch(ours, theirs)).toBeNull();
  });

  it('AdamW with weightDecay 0 is Adam; with decay it shrinks weights beyond Adam', () => {
    const adam = runOurs(QUADRATIC, (ps) => new Adam(ps, { learningRate: 0.05 }), 5);
    expect(trajectoryMismatch(runOurs(QUADRATIC, (ps) => new AdamW(ps, { learningRate: 0.05, weightDecay: 0 }), 5), adam, 0, 0)).toBeNull();
    // Per step AdamW additionally subtracts lr·wd·w from each weight; on the first step exactly that.
    const adamw = runOurs(QUADRATIC, (ps) => new AdamW(ps, { learningRate: 0.05, weightDecay: 0.5 }), 1);
    QUADRATIC.w0.forEach((w0, p) =>
      w0.forEach((w, j) => expect(adamw[0]![p]![j]!).toBeCloseTo(adam[0]![p]![j]! - 0.05 * 0.5 * w, 6)),
    );
  });
});
