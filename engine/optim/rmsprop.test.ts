import { beforeAll, describe, expect, it } from 'vitest';
import { Rmsprop } from './rmsprop';
import type { OptimizerParam } from './types';
import { tf, tfReady } from '../testing/oracle';
import { QUADRATIC, runOurs, runTf, trajectoryMismatch } from '../testing/optimOracle';

// Tolerances: hand-computed values are float64; our weights are float32, compared to 6 decimals.
// Against TF.js: rtol 1e-5, atol 1e-6 over 5 steps (both float32 state).

beforeAll(tfReady);

/** One weight under L = ½w², so g = w. */
function stepWithGradEqualWeight(p: OptimizerParam, opt: { step(): void }): number {
  p.grad[0] = p.value[0]!;
  opt.step();
  return p.value[0]!;
}

const param = (w: number): OptimizerParam => ({ name: 'w', value: Float32Array.from([w]), grad: new Float32Array(1) });

describe('RMSprop, hand-computed (ρ 0.9, ε 1e-7, g = w)', () => {
  it("reproduces Keras's docstring example: lr 0.1, w = 10 → 9.683772", () => {
    const p = param(10);
    // s = 0.1·10² = 10;  w = 10 − 0.1·10/√(10 + 1e-7) = 10 − 0.316228 = 9.683772
    expect(stepWithGradEqualWeight(p, new Rmsprop([p], { learningRate: 0.1 }))).toBeCloseTo(9.683772, 5);
  });

  it('two steps without momentum (lr 0.01, w0 = 1)', () => {
    const p = param(1);
    const opt = new Rmsprop([p], { learningRate: 0.01 });
    // Step 1: s1 = 0.1·1 = 0.1;  w1 = 1 − 0.01·1/√(0.1 + 1e-7)
    const w1 = 1 - (0.01 * 1) / Math.sqrt(0.1 + 1e-7); // 0.9683772
    expect(stepWithGradEqualWeight(p, opt)).toBeCloseTo(w1, 6);
    // Step 2: g = w1;  s2 = 0.9·0.1 + 0.1·w1² = 0.1837755;  w2 = w1 − 0.01·w1/√(s2 + 1e-7)
    const s2 = 0.9 * 0.1 + 0.1 * w1 * w1;
    const w2 = w1 - (0.01 * w1) / Math.sqrt(s2 + 1e-7); // 0.9457880
    expect(stepWithGradEqualWeight(p, opt)).toBeCloseTo(w2, 6);
  });

  it('two steps with momentum 0.5 (Keras: m = μm + lr·g/√(s + ε); w -= m)', () => {
    const p = param(1);
    const opt = new Rmsprop([p], { learningRate: 0.01, momentum: 0.5 });
    const inc1 = (0.01 * 1) / Math.sqrt(0.1 + 1e-7); // 0.0316228 = m1
    const w1 = 1 - inc1;
    expect(stepWithGradEqualWeight(p, opt)).toBeCloseTo(w1, 6);
    const s2 = 0.9 * 0.1 + 0.1 * w1 * w1;
    const m2 = 0.5 * inc1 + (0.01 * w1) / Math.sqrt(s2 + 1e-7); // 0.0158114 + 0.0225892 = 0.0384006
    expect(stepWithGradEqualWeight(p, opt)).toBeCloseTo(w1 - m2, 6); // 0.9299766
  });

  it('with momentum, a new learning rate applies to the new increment only (Keras, not PyTorch)', () => {
    const p = param(1);
    const opt = new Rmsprop([p], { learningRate: 0.01, momentum: 0.5 });
    const inc1 = (0.01 * 1) / Math.sqrt(0.1 + 1e-7);
    const w1 = 1 - inc1;
    expect(stepWithGradEqualWeight(p, opt)).toBeCloseTo(w1, 6);
    opt.learningRate = 0.02;
    // m2 = 0.5·m1 + 0.02·w1/√(s2 + ε) = 0.0158114 + 0.0451784 = 0.0609898. PyTorch would rescale
    // the whole buffer: 0.02·(0.5·m1/0.01 + w1/√s2) = 0.0767898.
    const s2 = 0.9 * 0.1 + 0.1 * w1 * w1;
    const m2 = 0.5 * inc1 + (0.02 * w1) / Math.sqrt(s2 + 1e-7);
    expect(stepWithGradEqualWeight(p, opt)).toBeCloseTo(w1 - m2, 6);
  });
});

describe('RMSprop against TF.js over 5 steps on a quadratic', () => {
  // tf.train.rmsprop: ms = ρ·ms + (1−ρ)·g²; mom = μ·mom + lr·g/√(ms + ε); w -= mom. Its default ε
  // is the backend's epsilon, 1e-7 on cpu; we pass it explicitly.
  it.each([0, 0.9])('tf.train.rmsprop (momentum %s)', (momentum) => {
    const ours = runOurs(QUADRATIC, (ps) => new Rmsprop(ps, { learningRate: 0.01, rho: 0.8, momentum }), 5);
    const theirs = runTf(QUADRATIC, tf.train.rmsprop(0.01, 0.8, momentum, 1e-7), 5);
    expect(trajectoryMismatch(ours, theirs)).toBeNull();
  });
});
