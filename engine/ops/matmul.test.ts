import { beforeAll, describe, expect, it } from 'vitest';
import { matmul } from './matmul';
import { gradCheck } from '../testing/gradcheck';
import { assertMatchesTf, compareWithTf, tf, tfReady } from '../testing/oracle';
import { Tape, type Var } from '../core/tape';
import { gemm } from '../kernels/gemm';
import { Rng } from '../core/rng';

// Finite differences: rtol 1e-2, atol 1e-3 (see gradcheck.ts). TF.js: rtol 1e-4, atol 1e-5.

beforeAll(tfReady);

type Build = (t: Tape) => [Var, Var];
interface Case { name: string; build: Build; transA?: boolean; transB?: boolean; tf: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor }

const cases: Case[] = [
  { name: 'dense: batch × features · weights', build: (t) => [t.input('x', [5], { requiresGrad: true }), t.param('w', [5, 3])], tf: (a, b) => tf.matMul(a, b) },
  { name: 'dense per time step: [B, T, F] · [F, U]', build: (t) => [t.input('x', [4, 5], { requiresGrad: true }), t.param('w', [5, 6])], tf: (a, b) => tf.reshape(tf.matMul(tf.reshape(a, [-1, 5]), b), [-1, 4, 6]) },
  { name: 'transB: x · wᵀ', build: (t) => [t.input('x', [5], { requiresGrad: true }), t.param('w', [7, 5])], transB: true, tf: (a, b) => tf.matMul(a, b, false, true) },
  { name: 'transA on unbatched', build: (t) => [t.param('a', [5, 3]), t.param('b', [5, 2])], transA: true, tf: (a, b) => tf.matMul(a, b, true, false) },
  { name: 'transA and transB on unbatched', build: (t) => [t.param('a', [5, 3]), t.param('b', [6, 5])], transA: true, transB: true, tf: (a, b) => tf.matMul(a, b, true, true) },
  { name: 'batched [B, H, T, D] · [B, H, D, T]', build: (t) => [t.input('q', [2, 3, 4], { requiresGrad: true }), t.input('k', [2, 4, 3], { requiresGrad: true })], tf: (a, b) => tf.matMul(a, b) },
  { name: 'batched with transB (q · kᵀ)', build: (t) => [t.input('q', [2, 3, 4], { requiresGrad: true }), t.input('k', [2, 5, 4], { requiresGrad: true })], transB: true, tf: (a, b) => tf.matMul(a, b, false, true) },
  { name: 'batched with transA', build: (t) => [t.input('a', [4, 3], { requiresGrad: true }), t.input('b', [4, 2], { requiresGrad: true })], transA: true, tf: (a, b) => tf.matMul(a, b, true, false) },
];

describe.each(cases)('matmul $name', ({ build, transA, transB, tf: tfFn }) => {
  const opts = { transA: transA ?? false, transB: transB ?? false };
  it('matches finite differences at a smaller batch', () => {
    const r = gradCheck({
      build: (t) => {
        const [a, b] = build(t);
        return { out: matmul(t, a, b, opts), wrt: [a, b] };
      },
      maxBatch: 3,
      batch: 2,
    });
    expect(r.failures).toEqual([]);
  });
  it('matches TF.js', () => {
    const r = compareWithTf({
      build: (t) => {
        const [a, b] = build(t);
        return { out: matmul(t, a, b, opts), inputs: [a, b] };
      },
      tf: (a, b) => tfFn(a!, b!),
    });
    assertMatchesTf(r);
  });
});

describe('gemm kernel', () => {
  it('matches a naive product for every transpose and ragged sizes, with and without accumulation', () => {
    const rng = new Rng(3);
    for (const [m, n, k] of [[1, 1, 1], [3, 5, 7], [4, 4, 4], [9, 6, 13], [17, 3, 2]] as const) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          const a = Float32Array.from({ length: m * k + 2 }, () => rng.range(-1, 1));
          const b = Float32Array.from({ length: k * n + 3 }, () => rng.range(-1, 1));
          const c = Float32Array.from({ length: m * n + 1 }, () => rng.range(-1, 1));
          const expected = Float64Array.from(c);
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < n; j++) {
              let s = 0;
              for (let p = 0; p < k; p++) {
                const av = ta ? a[2 + p * m + i]! : a[2 + i * k + p]!;
                const bv = tb ? b[3 + j * k + p]! : b[3 + p * n + j]!;
                s += av * bv;
              }
              expected[1 + i * n + j]! += s;
            }
          }
          gemm(ta, tb, m, n, k, a, 2, b, 3, c, 1, true);
          for (let i = 0; i < c.length; i++) expect(c[i]).toBeCloseTo(expected[i]!, 5);
        }
      }
    }
  });
});

describe('matmul errors', () => {
  it('names the op, the node and both inner dimensions', () => {
    const t = new Tape({ maxBatch: 2 });
    const x = t.input('x', [3]);
    const w = t.param('w', [4, 8]);
    expect(() => t.inNode('dense_3', () => matmul(t, x, w))).toThrow('matmul in dense_3: inner dimensions 3 and 4 differ');
  });
});
