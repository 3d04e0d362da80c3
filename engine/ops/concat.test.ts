import { beforeAll, describe, expect, it } from 'vitest';
import { concat } from './concat';
import { gradCheck } from '../testing/gradcheck';
import { assertMatchesTf, compareWithTf, tf, tfReady } from '../testing/oracle';
import { allocationsOfPass } from '../testing/alloc';
import { Tape, type Var } from '../core/tape';

// Tolerances: concat moves values without arithmetic, so TF.js must agree exactly (we keep the
// oracle default rtol 1e-4, atol 1e-5); finite differences use the gradCheck defaults.
type Make = (t: Tape) => Var[];
const input = (t: Tape, name: string, ...inner: number[]): Var => t.input(name, inner, { requiresGrad: true });

// [name, inputs, axis, inputs (by position) without a gradient]
const cases: [string, Make, number, number[]?][] = [
  ['time axis of [B, 2, 3] and [B, 4, 3]', (t) => [input(t, 'a', 2, 3), input(t, 'b', 4, 3)], 1],
  ['features of three inputs, negative axis', (t) => [input(t, 'a', 3), input(t, 'b', 2), input(t, 'c', 1)], -1],
  ['channels of [B, 2, 2, 3] and [B, 2, 2, 1]', (t) => [input(t, 'a', 2, 2, 3), input(t, 'b', 2, 2, 1)], 3],
  ['unbatched rows', (t) => [t.param('a', [2, 3]), t.param('b', [1, 3])], 0],
  ['one input without a gradient', (t) => [input(t, 'a', 2), t.input('b', [3])], 1, [1]],
];

beforeAll(tfReady);

describe('concat', () => {
  it.each(cases)('matches finite differences: %s', (_, make, axis) => {
    const r = gradCheck({
      build: (t) => {
        const xs = make(t);
        return { out: concat(t, xs, axis), wrt: xs.filter((x) => x.requiresGrad) };
      },
      maxBatch: 3,
      batch: 2,
    });
    expect(r.failures).toEqual([]);
    expect(r.checked).toBeGreaterThan(0);
  });

  it.each(cases)('matches TF.js at a smaller batch: %s', (_, make, axis, noGrad) => {
    const r = compareWithTf({
      build: (t) => {
        const xs = make(t);
        return { out: concat(t, xs, axis), inputs: xs };
      },
      tf: (...xs) => tf.concat(xs, axis),
      maxBatch: 3,
      batch: 2,
      noGrad,
    });
    assertMatchesTf(r);
  });

  it('allocates nothing when run', () => {
    const t = new Tape({ maxBatch: 3 });
    const y = concat(t, [input(t, 'a', 2, 3), input(t, 'b', 1, 3)], 1);
    t.setBatch(1);
    expect(allocationsOfPass(t, y)).toBe(0);
  });

  it('explains what does not line up', () => {
    const t = new Tape({ maxBatch: 2 });
    const a = t.input('a', [3, 4]);
    const b = t.input('b', [3, 5]);
    const at = (f: () => unknown) => () => t.inNode('join', f);
    expect(at(() => concat(t, [a], 1))).toThrow('concat in join: needs at least 2 tensors, got 1');
    expect(at(() => concat(t, [a, b], 1))).toThrow('concat in join: shapes [2, 3, 4], [2, 3, 5] differ outside axis 1');
    expect(at(() => concat(t, [a, b], 0))).toThrow('concat in join: cannot join along the batch axis');
    expect(at(() => concat(t, [a, b], 3))).toThrow('concat in join: axis 3 is out of range for tensors of rank 3');
    expect(at(() => concat(t, [a, t.param('w', [2, 3, 4])], 2))).toThrow('concat in join: cannot join batched and unbatched tensors ([2, 3, 4], [2, 3, 4])');
  });
});
