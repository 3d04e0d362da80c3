import { describe, expect, it, beforeAll } from 'vitest';
import { add, mul, sub } from './binary';
import { gradCheck } from '../testing/gradcheck';
import { assertMatchesTf, compareWithTf, tf, tfReady } from '../testing/oracle';
import { Tape, type Var } from '../core/tape';
import { EngineError } from '../core/errors';

// Tolerances: finite differences with eps 1e-3 in float64 over float32 forward passes agree to
// about 1e-4 relative; we allow rtol 1e-2, atol 1e-3. TF.js (float32 too) must agree to rtol 1e-4.
const ops = { add, sub, mul } as const;
const tfOps = { add: tf.add, sub: tf.sub, mul: tf.mul } as const;

type Make = (t: Tape) => [Var, Var];
const cases: [string, Make][] = [
  ['same shape', (t) => [t.input('a', [3, 4], { requiresGrad: true }), t.input('b', [3, 4], { requiresGrad: true })]],
  ['bias over batch', (t) => [t.input('a', [5], { requiresGrad: true }), t.param('b', [5])]],
  ['bias over batch and time', (t) => [t.input('a', [2, 5], { requiresGrad: true }), t.param('b', [5])]],
  ['column broadcast', (t) => [t.input('a', [3, 4], { requiresGrad: true }), t.input('b', [3, 1], { requiresGrad: true })]],
  ['both broadcast', (t) => [t.param('a', [4, 1]), t.param('b', [1, 3])]],
  ['unbatched over batch, middle axis', (t) => [t.input('a', [2, 3, 4], { requiresGrad: true }), t.param('b', [1, 3, 1])]],
];

beforeAll(tfReady);

describe.each(Object.keys(ops) as (keyof typeof ops)[])('%s', (name) => {
  it.each(cases)('matches finite differences: %s', (_, make) => {
    const r = gradCheck({
      build: (t) => {
        const [a, b] = make(t);
        return { out: ops[name](t, a, b), wrt: [a, b] };
      },
      maxBatch: 3,
      batch: 2,
    });
    expect(r.failures).toEqual([]);
    expect(r.checked).toBeGreaterThan(0);
  });

  it.each(cases)('matches TF.js: %s', (_, make) => {
    const r = compareWithTf({
      build: (t) => {
        const [a, b] = make(t);
        return { out: ops[name](t, a, b), inputs: [a, b] };
      },
      tf: (a, b) => tfOps[name](a!, b!),
    });
    assertMatchesTf(r);
  });
});

describe('broadcast errors', () => {
  it('names the op, the node and both shapes', () => {
    const t = new Tape({ maxBatch: 2 });
    const a = t.input('a', [3]);
    const b = t.param('b', [4]);
    expect(() => t.inNode('add_1', () => add(t, a, b))).toThrow(EngineError);
    expect(() => t.inNode('add_1', () => add(t, a, b))).toThrow('add in add_1: shapes [2, 3] and [4] do not broadcast together');
  });
});
