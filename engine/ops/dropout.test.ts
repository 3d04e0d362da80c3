import { beforeAll, describe, expect, it } from 'vitest';
import { dropout } from './dropout';
import { fillAwayFromZero, gradCheck } from '../testing/gradcheck';
import { assertMatchesTf, compareWithTf, tf, tfReady } from '../testing/oracle';
import { countAllocations } from '../testing/alloc';
import { Arena } from '../core/arena';
import { Tape } from '../core/tape';

// Tolerances: finite differences use the gradCheck defaults (it reseeds tape.rng before every
// forward pass, so the mask repeats). TF.js draws different random numbers, so we compare the
// semantics: given our mask, TF.js's x·mask/(1 - rate) must match to rtol 1e-4, atol 1e-5, and
// tf.dropout must scale survivors as we do. The dropped fraction over 20,000 elements must be
// within 0.015 of the rate (about 4.6 standard deviations at rate 0.3).
const RATE = 0.3;

beforeAll(tfReady);

/** A tape with x [B, ...inner] → dropout, at maxBatch 3; x is filled away from zero so a 0 means dropped. */
function record(inner: number[], seed = 5, rate = RATE) {
  const tape = new Tape({ maxBatch: 3, seed });
  const x = tape.input('x', inner, { requiresGrad: true });
  const y = dropout(tape, x, rate);
  for (let i = 0; i < x.value.length; i++) x.value[i] = (i % 2 ? -1 : 1) * (0.5 + (i % 7) / 10);
  return { tape, x, y };
}

describe('dropout', () => {
  it.each([
    ['training, [B, 5, 4]', true, [5, 4]],
    ['training, [B, 9]', true, [9]],
    ['evaluation (identity), [B, 5, 4]', false, [5, 4]],
  ] as const)('matches finite differences: %s', (_, training, inner) => {
    const r = gradCheck({
      build: (t) => {
        const x = t.input('x', inner, { requiresGrad: true });
        return { out: dropout(t, x, RATE), wrt: [x] };
      },
      maxBatch: 3,
      batch: 2,
      training,
      fill: (v, rng) => fillAwayFromZero(v, rng),
    });
    expect(r.failures).toEqual([]);
    expect(r.checked).toBeGreaterThan(0);
  });

  it('matches x · mask / (1 - rate) in TF.js, forward and gradient, with our mask', () => {
    let ours: Float32Array | null = null;
    const r = compareWithTf({
      build: (t) => {
        const x = t.input('x', [6, 5], { requiresGrad: true });
        const y = dropout(t, x, RATE);
        ours = y.value;
        return { out: y, inputs: [x] };
      },
      tf: (x) => {
        const n = x!.size;
        const mask = Array.from(ours!.subarray(0, n), (v) => (v === 0 ? 0 : 1));
        return tf.div(tf.mul(x!, tf.tensor(mask, x!.shape)), 1 - RATE);
      },
      batch: 2,
      fill: (v, rng) => fillAwayFromZero(v, rng),
    });
    assertMatchesTf(r);
    const dropped = r.ours.out.filter((v) => v === 0).length;
    expect(dropped).toBeGreaterThan(0);
    expect(dropped).toBeLessThan(r.ours.out.length);
  });

  it('scales survivors by 1 / (1 - rate), as tf.dropout does', () => {
    const { tape, x, y } = record([1000]);
    x.value.fill(1);
    tape.forward();
    const theirs = tf.tidy(() => tf.dropout(tf.ones([3000]), RATE, undefined, 1).dataSync());
    const kept = (a: ArrayLike<number>) => new Set(Array.from(a).filter((v) => v !== 0));
    expect(kept(y.value)).toEqual(kept(theirs));
    expect([...kept(y.value)][0]).toBeCloseTo(1 / (1 - RATE), 6);
  });

  it('drops about `rate` of a large tensor', () => {
    const { tape, y } = record([20000], 11);
    tape.setBatch(1);
    tape.forward();
    let dropped = 0;
    for (let i = 0; i < y.size; i++) if (y.value[i] === 0) dropped++;
    expect(Math.abs(dropped / y.size - RATE)).toBeLessThan(0.015);
  });

  it('draws the same mask for the same seed, and a new mask at each forward pass', () => {
    const a = record([50], 42);
    const b = record([50], 42);
    a.tape.forward();
    b.tape.forward();
    expect(Array.from(b.y.value)).toEqual(Array.from(a.y.value));
    const first = Array.from(a.y.value);
    a.tape.forward();
    expect(Array.from(a.y.value)).not.toEqual(first);
  });

  it('is the identity when not training, and with rate 0', () => {
    const { tape, x, y } = record([8, 3]);
    tape.training = false;
    tape.forward();
    expect(Array.from(y.value)).toEqual(Array.from(x.value));
    const seed = new Float32Array(y.value.length).fill(0.25);
    tape.backwardFrom(y, seed);
    expect(Array.from(x.grad)).toEqual(Array.from(seed));

    const zero = record([8, 3], 5, 0);
    zero.tape.forward();
    expect(Array.from(zero.y.value)).toEqual(Array.from(zero.x.value));
  });

  it('allocates nothing when run', () => {
    const { tape, y } = record([5, 4]);
    const seed = new Float32Array(y.value.length).fill(1);
    tape.setBatch(2);
    expect(countAllocations(() => {
      tape.forward();
      tape.backwardFrom(y, seed);
      tape.training = false;
      tape.forward();
      tape.backwardFrom(y, seed);
    })).toBe(0);
  });

  it('refuses a rate outside [0, 1)', () => {
    const t = new Tape({ maxBatch: 2 });
    const x = t.input('x', [3]);
    expect(() => t.inNode('drop_1', () => dropout(t, x, 1))).toThrow('dropout in drop_1: rate must be in [0, 1), got 1');
    expect(() => dropout(t, x, -0.1)).toThrow('dropout: rate must be in [0, 1), got -0.1');
    expect(() => dropout(t, x, Number.NaN)).toThrow('dropout: rate must be in [0, 1), got NaN');
  });

  it('draws the same masks and gives the same floats on the WebAssembly and TypeScript kernels', () => {
    const run = (arena: Arena) => {
      const t = new Tape({ maxBatch: 4, seed: 7, arena });
      const x = t.input('x', [37], { requiresGrad: true });
      const y = dropout(t, x, 0.3);
      x.value.forEach((_, i) => (x.value[i] = Math.sin(i) * 3));
      const outputs: number[][] = [];
      for (let pass = 0; pass < 3; pass++) {
        t.forward();
        t.backwardFrom(y, Array.from({ length: y.size }, (_, i) => Math.cos(i) / 3));
        outputs.push([...y.value], [...x.grad]);
      }
      return { outputs, next: t.rng.uniform() };
    };
    const wasm = run(Arena.wasm(1 << 16));
    const js = run(Arena.js());
    expect(wasm.outputs).toEqual(js.outputs);
    // The tape's stream went on from the same place.
    expect(wasm.next).toBe(js.next);
  });
});
