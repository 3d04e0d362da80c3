import { beforeAll, describe, expect, it } from 'vitest';
import { Sgd } from './sgd';
import type { OptimizerParam } from './types';
import { tf, tfReady } from '../testing/oracle';
import { QUADRATIC, runOurs, runTf, trajectoryMismatch } from '../testing/optimOracle';

// Tolerances: hand-computed values are float64 arithmetic; our weights are float32, so we compare
// to 6 decimals (float32 keeps ~7 significant digits at these magnitudes). Against TF.js (float32
// throughout, ours float64 within a step) trajectories agree to rtol 1e-5, atol 1e-6 over 5 steps.

beforeAll(tfReady);

/** A parameter w = [1, -2] under L = ½·Σw², so g = w at every step. */
function scalarProblem(): { p: OptimizerParam; stepWith: (opt: { step(): void }) => number[] } {
  const p: OptimizerParam = { name: 'w', value: Float32Array.from([1, -2]), grad: new Float32Array(2) };
  return {
    p,
    stepWith(opt) {
      p.grad.set(p.value);
      opt.step();
      return Array.from(p.value);
    },
  };
}

function expectClose(actual: number[], expected: number[], digits = 6): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, digits));
}

describe('SGD, hand-computed (lr 0.1, g = w, w0 = [1, -2])', () => {
  it('plain: w -= lr·g', () => {
    const { p, stepWith } = scalarProblem();
    const opt = new Sgd([p], { learningRate: 0.1 });
    expectClose(stepWith(opt), [1 - 0.1 * 1, -2 - 0.1 * -2]); // [0.9, -1.8]
    expectClose(stepWith(opt), [0.9 - 0.1 * 0.9, -1.8 - 0.1 * -1.8]); // [0.81, -1.62]
  });

  it('momentum 0.9 (PyTorch): v = μv + g; w -= lr·v', () => {
    const { p, stepWith } = scalarProblem();
    const opt = new Sgd([p], { learningRate: 0.1, momentum: 0.9 });
    // Step 1: v = 0.9·0 + 1 = 1;          w = 1 − 0.1·1 = 0.9
    expectClose(stepWith(opt), [0.9, -1.8]);
    // Step 2: v = 0.9·1 + 0.9 = 1.8;      w = 0.9 − 0.1·1.8 = 0.72
    expectClose(stepWith(opt), [0.72, -1.44]);
    // Step 3: v = 0.9·1.8 + 0.72 = 2.34;  w = 0.72 − 0.234 = 0.486
    expectClose(stepWith(opt), [0.486, -0.972]);
  });

  it('Nesterov 0.9 (PyTorch): v = μv + g; w -= lr·(g + μv)', () => {
    const { p, stepWith } = scalarProblem();
    const opt = new Sgd([p], { learningRate: 0.1, momentum: 0.9, nesterov: true });
    // Step 1: g = 1, v = 1;                        w = 1 − 0.1·(1 + 0.9·1) = 0.81
    expectClose(stepWith(opt), [0.81, -1.62]);
    // Step 2: g = 0.81, v = 0.9·1 + 0.81 = 1.71;   w = 0.81 − 0.1·(0.81 + 0.9·1.71) = 0.81 − 0.2349 = 0.5751
    expectClose(stepWith(opt), [0.5751, -1.1502]);
  });

  it('momentum buffer holds gradients, not steps: a new learning rate scales it at once (PyTorch, not Keras)', () => {
    const { p, stepWith } = scalarProblem();
    const opt = new Sgd([p], { learningRate: 0.1, momentum: 0.9 });
    expectClose(stepWith(opt), [0.9, -1.8]); // v = 1
    opt.learningRate = 0.2;
    // v = 0.9·1 + 0.9 = 1.8; w = 0.9 − 0.2·1.8 = 0.54. (Keras's v' = μv' − lr·g would give
    // v' = 0.9·(−0.1) − 0.2·0.9 = −0.27 and w = 0.63.)
    expectClose(stepWith(opt), [0.54, -1.08]);
  });

  it('rejects Nesterov without momentum and momentum outside [0, 1)', () => {
    const { p } = scalarProblem();
    expect(() => new Sgd([p], { nesterov: true })).toThrow('sgd: nesterov needs a momentum > 0');
    expect(() => new Sgd([p], { momentum: 1 })).toThrow('sgd: momentum must be in [0, 1), got 1');
  });
});

describe('SGD against TF.js over 5 steps on a quadratic', () => {
  it('tf.train.sgd', () => {
    const ours = runOurs(QUADRATIC, (ps) => new Sgd(ps, { learningRate: 0.05 }), 5);
    expect(trajectoryMismatch(ours, runTf(QUADRATIC, tf.train.sgd(0.05), 5))).toBeNull();
  });

  // tf.train.momentum keeps accumulation = m·accumulation + g and steps −lr·accumulation
  // (Nesterov: −lr·(g + m·accumulation)): the same formulation as PyTorch and ours.
  it.each([false, true])('tf.train.momentum (nesterov %s)', (nesterov) => {
    const ours = runOurs(QUADRATIC, (ps) => new Sgd(ps, { learningRate: 0.05, momentum: 0.9, nesterov }), 5);
    expect(trajectoryMismatch(ours, runTf(QUADRATIC, tf.train.momentum(0.05, 0.9, nesterov), 5))).toBeNull();
  });

  it('l2 is the same as adding l2·w to the gradient', () => {
    const ours = runOurs(QUADRATIC, (ps) => new Sgd(ps, { learningRate: 0.05, momentum: 0.5, l2: 0.1 }), 5);
    const theirs = runTf(QUADRATIC, tf.train.momentum(0.05, 0.5), 5, (_, w, g) => {
      for (let j = 0; j < g.length; j++) g[j]! += 0.1 * w[j]!;
    });
    expect(trajectoryMismatch(ours, theirs)).toBeNull();
  });
});
