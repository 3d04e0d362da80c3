import { beforeAll, describe, expect, it } from 'vitest';
import { unary, erf, type UnaryOp } from './unary';
import { fillAwayFromZero, fillUniform, gradCheck } from '../testing/gradcheck';
import { assertMatchesTf, compareWithTf, tf, tfReady } from '../testing/oracle';
import type { Rng } from '../core/rng';
import type { Var } from '../core/tape';

// Finite differences (eps 1e-3, float64 sums over float32 forwards): rtol 1e-2, atol 1e-3.
// TF.js: rtol 1e-4, atol 1e-5 (both float32; exp/log/tanh implementations may differ in the last bit).

const positive = (v: Var, rng: Rng): void => fillUniform(v, rng, 0.2, 2);
const kinked = (v: Var, rng: Rng): void => fillAwayFromZero(v, rng, 0.05);

interface Case {
  op: UnaryOp;
  param?: number;
  fill?: (v: Var, rng: Rng) => void;
  tf: (x: tf.Tensor) => tf.Tensor;
}

const cases: Case[] = [
  { op: 'relu', fill: kinked, tf: (x) => tf.relu(x) },
  { op: 'leaky_relu', param: 0.2, fill: kinked, tf: (x) => tf.leakyRelu(x, 0.2) },
  { op: 'elu', param: 1, fill: kinked, tf: (x) => tf.elu(x) },
  { op: 'sigmoid', tf: (x) => tf.sigmoid(x) },
  { op: 'tanh', tf: (x) => tf.tanh(x) },
  { op: 'gelu', tf: (x) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))) },
  { op: 'softplus', tf: (x) => tf.softplus(x) },
  { op: 'exp', tf: (x) => tf.exp(x) },
  { op: 'log', fill: positive, tf: (x) => tf.log(x) },
  { op: 'square', tf: (x) => tf.square(x) },
  { op: 'sqrt', fill: positive, tf: (x) => tf.sqrt(x) },
  { op: 'scale', param: -2.5, tf: (x) => tf.mul(x, -2.5) },
  { op: 'identity', tf: (x) => tf.add(x, 0) },
];

beforeAll(tfReady);

describe.each(cases)('$op', ({ op, param, fill, tf: tfFn }) => {
  it('matches finite differences (batch smaller than max)', () => {
    const r = gradCheck({
      build: (t) => {
        const x = t.input('x', [2, 5], { requiresGrad: true });
        return { out: unary(t, op, x, param), wrt: [x] };
      },
      maxBatch: 4,
      batch: 3,
      ...(fill ? { fill } : {}),
    });
    expect(r.failures).toEqual([]);
    expect(r.checked).toBe(30);
  });

  it('matches TF.js forward and gradient', () => {
    const r = compareWithTf({
      build: (t) => {
        const x = t.input('x', [4, 3], { requiresGrad: true });
        return { out: unary(t, op, x, param), inputs: [x] };
      },
      tf: (x) => tfFn(x!),
      ...(fill ? { fill } : {}),
    });
    assertMatchesTf(r, 1e-4, 1e-5);
  });
});

describe('numerics', () => {
  it('erf is accurate to float32 precision', () => {
    // Reference values of erf from tables.
    const table: [number, number][] = [[0, 0], [0.1, 0.1124629160], [0.5, 0.5204998778], [1, 0.8427007929], [2, 0.9953222650], [-1.5, -0.9661051465]];
    for (const [x, e] of table) expect(Math.abs(erf(x) - e)).toBeLessThan(2e-7);
  });

  it('softplus, sigmoid and exp stay finite where naive formulas overflow', () => {
    for (const op of ['softplus', 'sigmoid'] as const) {
      const r = compareWithTf({
        build: (t) => {
          const x = t.input('x', [3], { requiresGrad: true });
          return { out: unary(t, op, x), inputs: [x] };
        },
        tf: (x) => (op === 'softplus' ? tf.softplus(x!) : tf.sigmoid(x!)),
        fill: (v) => v.value.set([-100, 0, 100, -80, 80, 50, -50, 30, 1]),
      });
      expect(Array.from(r.ours.out).every(Number.isFinite)).toBe(true);
      assertMatchesTf(r, 1e-5, 1e-6);
    }
  });
});
