import { describe, expect, it } from 'vitest';
import { createOptimizer, DEFAULT_LEARNING_RATE } from './index';
import type { Optimizer, OptimizerConfig, OptimizerKind, OptimizerParam } from './types';
import { Arena } from '../core/arena';
import { Tape } from '../core/tape';
import { EngineError } from '../core/errors';

// Tolerances: weights are float32 and the arithmetic float64, so "the same update computed two
// ways" is compared to 6 decimals; learning rate 0 must leave weights bit-identical.

const KINDS: OptimizerKind[] = ['sgd', 'rmsprop', 'adam', 'adamw'];

/** Every kind with its stateful options switched on. */
const FULL: Record<OptimizerKind, OptimizerConfig> = {
  sgd: { kind: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true, l2: 0.01, clipNorm: 1 },
  rmsprop: { kind: 'rmsprop', learningRate: 0.01, momentum: 0.5, l2: 0.01, clipNorm: 1 },
  adam: { kind: 'adam', learningRate: 0.01, l2: 0.01, clipNorm: 1 },
  adamw: { kind: 'adamw', learningRate: 0.01, weightDecay: 0.1, l2: 0.01, clipNorm: 1 },
};

function params(...values: number[][]): OptimizerParam[] {
  return values.map((v, i) => ({ name: `p${i}`, value: Float32Array.from(v), grad: new Float32Array(v.length) }));
}

/** Sets each gradient to a fixed pattern that depends on the weights (so momentum states differ). */
function setGrads(ps: OptimizerParam[]): void {
  for (const p of ps) for (let j = 0; j < p.value.length; j++) p.grad[j] = 0.5 * p.value[j]! + 0.3 * Math.sin(j + 1);
}

const snapshot = (ps: OptimizerParam[]): Float32Array[] => ps.map((p) => p.value.slice());

describe('createOptimizer', () => {
  it.each(KINDS)('%s: builds on tape.params with Keras default learning rate', (kind) => {
    const tape = new Tape({ maxBatch: 2 });
    tape.param('kernel', [3, 2], [1, 2, 3, 4, 5, 6]);
    tape.param('bias', [2]);
    const opt = createOptimizer(tape.params, { kind });
    expect(opt.kind).toBe(kind);
    expect(opt.learningRate).toBe(DEFAULT_LEARNING_RATE[kind]);
    expect(opt.params.map((p) => p.name)).toEqual(['kernel', 'bias']);
    expect(opt.lastUpdateNorm.length).toBe(2);
  });

  it('rejects a tensor without a gradient buffer, naming it', () => {
    const tape = new Tape({ maxBatch: 1 });
    const c = tape.constant('mask', [4]);
    expect(() => createOptimizer([c], { kind: 'sgd' })).toThrow(EngineError);
    expect(() => createOptimizer([c], { kind: 'sgd' })).toThrow("sgd: parameter 'mask' has 4 values but a gradient of 0");
  });

  it('rejects bad hyperparameters, and a bad learning rate set later at step()', () => {
    expect(() => createOptimizer(params([1]), { kind: 'adam', learningRate: -1 })).toThrow('adam: learning rate must be a finite number >= 0, got -1');
    expect(() => createOptimizer(params([1]), { kind: 'rmsprop', clipNorm: 0 })).toThrow('rmsprop: clipNorm must be a finite number > 0, got 0');
    expect(() => createOptimizer(params([1]), { kind: 'sgd', l2: Number.NaN })).toThrow('sgd: l2 must be a finite number >= 0, got NaN');
    const opt = createOptimizer(params([1]), { kind: 'adamw' });
    opt.learningRate = Number.POSITIVE_INFINITY;
    expect(() => opt.step()).toThrow('adamw: learning rate must be a finite number >= 0, got Infinity');
  });
});

describe('global-norm clipping', () => {
  it('scales all gradients by clipNorm/‖g‖ when ‖g‖ exceeds it, reports ‖g‖, and leaves .grad alone', () => {
    // g = ([3], [4]): ‖g‖ = 5; clipNorm 1 → the update uses ([0.6], [0.8]); lr 1 from w = 0.
    const ps = params([0], [0]);
    ps[0]!.grad[0] = 3;
    ps[1]!.grad[0] = 4;
    const opt = createOptimizer(ps, { kind: 'sgd', learningRate: 1, clipNorm: 1 });
    opt.step();
    expect(opt.lastGradNorm).toBe(5);
    expect(ps[0]!.value[0]).toBeCloseTo(-0.6, 6);
    expect(ps[1]!.value[0]).toBeCloseTo(-0.8, 6);
    expect([ps[0]!.grad[0], ps[1]!.grad[0]]).toEqual([3, 4]);
  });

  it('does nothing when ‖g‖ is within clipNorm', () => {
    const ps = params([0], [0]);
    ps[0]!.grad[0] = 3;
    ps[1]!.grad[0] = 4;
    createOptimizer(ps, { kind: 'sgd', learningRate: 1, clipNorm: 5 }).step();
    expect([ps[0]!.value[0], ps[1]!.value[0]]).toEqual([-3, -4]);
  });

  it('clips the loss gradient before l2 is added', () => {
    // a = 1, b = 0; g = ([3], [4]) → clipped ([0.6], [0.8]); + l2·w = ([0.5], [0]); lr 1.
    const ps = params([1], [0]);
    ps[0]!.grad[0] = 3;
    ps[1]!.grad[0] = 4;
    const opt = createOptimizer(ps, { kind: 'sgd', learningRate: 1, clipNorm: 1, l2: 0.5 });
    opt.step();
    expect(opt.lastGradNorm).toBe(5);
    expect(ps[0]!.value[0]).toBeCloseTo(1 - (0.6 + 0.5), 6);
    expect(ps[1]!.value[0]).toBeCloseTo(-0.8, 6);
  });

  it.each(KINDS)('%s: a clipped step equals an unclipped step on pre-scaled gradients', (kind) => {
    const a = params([1, -2, 3], [0.5]);
    const b = params([1, -2, 3], [0.5]);
    const optA = createOptimizer(a, { kind, learningRate: 0.1, clipNorm: 0.5 });
    const optB = createOptimizer(b, { kind, learningRate: 0.1 });
    for (let s = 0; s < 3; s++) {
      setGrads(a);
      setGrads(b);
      let sum = 0;
      for (const p of b) for (const g of p.grad) sum += g * g;
      const scale = Math.min(1, 0.5 / Math.sqrt(sum));
      for (const p of b) for (let j = 0; j < p.grad.length; j++) p.grad[j]! *= scale;
      optA.step();
      optB.step();
      expect(optA.lastGradNorm).toBeCloseTo(Math.sqrt(sum), 5);
      a.forEach((p, i) => p.value.forEach((w, j) => expect(w).toBeCloseTo(b[i]!.value[j]!, 6)));
    }
  });
});

describe('weight decay: coupled l2 versus AdamW', () => {
  // With a zero loss gradient only the decay acts. Coupled l2 with SGD, and AdamW's decoupled decay,
  // both shrink w by (1 − lr·λ) per step. Adam with l2 normalises the decay term: its first step is
  // lr·sign(w) whatever λ is.
  const lr = 0.01;
  const lambda = 0.01;
  const run = (config: OptimizerConfig): number => {
    const ps = params([1]);
    createOptimizer(ps, config).step(); // grads stay 0
    return ps[0]!.value[0]!;
  };

  it('SGD + l2 shrinks w by lr·λ·w', () => expect(run({ kind: 'sgd', learningRate: lr, l2: lambda })).toBeCloseTo(1 - lr * lambda, 7));
  it('AdamW shrinks w by lr·wd·w', () => expect(run({ kind: 'adamw', learningRate: lr, weightDecay: lambda })).toBeCloseTo(1 - lr * lambda, 7));
  it('Adam + l2 moves w by about lr', () => {
    // g = λ·w = 0.01; m̂ = 0.01, v̂ = 1e-4; Δ = lr·0.01/(0.01 + 1e-7) = 0.0099999
    expect(run({ kind: 'adam', learningRate: lr, l2: lambda })).toBeCloseTo(1 - (lr * 0.01) / (0.01 + 1e-7), 6);
  });
});

describe.each(KINDS)('%s', (kind) => {
  it('takes a learning-rate change between steps into account', () => {
    // Two optimizers take the same first step; then one doubles its learning rate. For these
    // configs the update is lr times something independent of lr, so its second update is twice.
    const a = params([1, -2], [0.5]);
    const b = params([1, -2], [0.5]);
    const optA = createOptimizer(a, { kind, learningRate: 0.01 });
    const optB = createOptimizer(b, { kind, learningRate: 0.01 });
    setGrads(a);
    setGrads(b);
    optA.step();
    optB.step();
    const before = snapshot(a);
    setGrads(a);
    setGrads(b);
    optB.learningRate = 0.02;
    optA.step();
    optB.step();
    a.forEach((p, i) =>
      p.value.forEach((w, j) => {
        const w0 = before[i]![j]!;
        expect(b[i]!.value[j]! - w0).toBeCloseTo(2 * (w - w0), 6);
      }),
    );
  });

  it('reset() clears its state: the next step is a fresh first step', () => {
    const ps = params([1, -2, 3], [0.5]);
    const opt = createOptimizer(ps, FULL[kind]);
    for (let s = 0; s < 3; s++) {
      setGrads(ps);
      opt.step();
    }
    opt.reset();
    expect(opt.iterations).toBe(0);
    expect(opt.lastGradNorm).toBe(0);
    expect(Array.from(opt.lastUpdateNorm)).toEqual([0, 0]);
    const fresh = ps.map((p) => ({ ...p, value: p.value.slice(), grad: p.grad.slice() }));
    const freshOpt = createOptimizer(fresh, FULL[kind]);
    setGrads(ps);
    setGrads(fresh);
    opt.step();
    freshOpt.step();
    expect(snapshot(ps)).toEqual(snapshot(fresh));
    expect(opt.iterations).toBe(1);
  });

  it('skips the update when the gradient is not finite, keeping the weights for inspection', () => {
    const ps = params([1, -2, 3], [0.5]);
    const opt = createOptimizer(ps, FULL[kind]);
    setGrads(ps);
    opt.step();
    const before = snapshot(ps);
    setGrads(ps);
    ps[1]!.grad[0] = NaN;
    opt.step();
    expect(Number.isNaN(opt.lastGradNorm)).toBe(true);
    expect(snapshot(ps)).toEqual(before);
    expect(opt.iterations).toBe(1);
    setGrads(ps);
    opt.step();
    expect(snapshot(ps).every((w) => w.every(Number.isFinite))).toBe(true);
  });

  it('leaves weights bit-identical at learning rate 0 (decay included)', () => {
    const ps = params([1, -2, 3], [0.5]);
    const before = snapshot(ps);
    const opt = createOptimizer(ps, { ...FULL[kind], learningRate: 0 });
    for (let s = 0; s < 3; s++) {
      setGrads(ps);
      opt.step();
    }
    expect(snapshot(ps)).toEqual(before);
    expect(Array.from(opt.lastUpdateNorm)).toEqual([0, 0]);
  });

  it('reports ‖Δw‖ and ‖w‖ per parameter', () => {
    const ps = params([1, -2, 3], [0.5]);
    const opt = createOptimizer(ps, FULL[kind]);
    setGrads(ps);
    opt.step();
    const before = snapshot(ps);
    setGrads(ps);
    opt.step();
    ps.forEach((p, i) => {
      let du = 0;
      let ww = 0;
      p.value.forEach((w, j) => {
        du += (w - before[i]![j]!) ** 2;
        ww += w * w;
      });
      expect(opt.lastUpdateNorm[i]).toBeCloseTo(Math.sqrt(du), 6);
      expect(opt.lastWeightNorm[i]).toBeCloseTo(Math.sqrt(ww), 6);
    });
  });

  it.each(['js', 'wasm'] as const)('allocates nothing in step() (%s kernels)', async (path) => {
    const tape = new Tape({ maxBatch: 1, arena: path === 'wasm' ? Arena.wasm(1 << 20) : Arena.js() });
    expect(tape.arena.path).toBe(path);
    tape.param('kernel', [64, 32]);
    tape.param('bias', [32]);
    const ps = tape.params;
    setGrads(ps);
    const opt = createOptimizer(ps, FULL[kind]);
    expect(await youngBytesPerStep(opt)).toBeLessThan(8);
  });
});

/**
 * Bytes the young generation grows by per step() in optimized code (unoptimized code boxes every
 * double it reads, 12 bytes each): the least of up to 200 short rounds of 100 steps, less what an
 * empty round grows by (the measurement itself, ~2 KB). An allocation in step() shows in every
 * round as >= 12 bytes per step (the smallest heap object); the test runner's own work on a busy
 * machine (tens of KB at a time) lands in some rounds, not in all.
 *
 * After the warm-up it asks V8 to optimize step() and updateParam() on their next call, instead of
 * hoping its heuristics have: this test process runs the one shared step() across every optimizer
 * kind on JS and on WebAssembly arenas (a new WebAssembly instance each), and now and then (about
 * one run in eight beside a busy machine) V8 left step() in its baseline tier for good, where
 * every double is boxed (~47 bytes a step; were a worker ever left so, that garbage is all it costs).
 */
async function youngBytesPerStep(opt: Optimizer): Promise<number> {
  const moduleName = 'node:v8';
  const v8 = (await import(/* @vite-ignore */ moduleName)) as {
    getHeapSpaceStatistics(): { space_name: string; space_used_size: number }[];
    setFlagsFromString(flags: string): void;
  };
  v8.setFlagsFromString('--allow-natives-syntax');
  const optimizeOnNextCall = new Function('f', '%PrepareFunctionForOptimization(f); %OptimizeFunctionOnNextCall(f);') as (
    f: unknown,
  ) => void;
  const young = (): number => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_used_size;
  const steps = 100;
  for (let i = 0; i < 20_000; i++) opt.step();
  const proto = Object.getPrototypeOf(opt) as { step: unknown; updateParam: unknown };
  optimizeOnNextCall(proto.updateParam);
  optimizeOnNextCall(proto.step);
  for (let i = 0; i < 1_000; i++) opt.step();
  let least = Infinity;
  for (let round = 0; round < 200 && least >= 8; round++) {
    const empty = young();
    const before = young();
    const overhead = before - empty;
    for (let i = 0; i < steps; i++) opt.step();
    const grown = young() - before - overhead;
    // A scavenge during the round empties the young generation: that round says nothing.
    if (young() >= before) least = Math.min(least, Math.max(0, grown) / steps);
  }
  return least;
}
