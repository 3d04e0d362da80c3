import { describe, expect, it } from 'vitest';
import { Arena } from '../core/arena';
import { Tape } from '../core/tape';
import { createOptimizer } from './index';
import type { OptimizerConfig } from './types';

// Every optimizer the WebAssembly kernels run, with everything on: clipping, l2, momentum, decay.
const CONFIGS: OptimizerConfig[] = [
  { kind: 'sgd', learningRate: 0.1, l2: 0.01, clipNorm: 1 },
  { kind: 'sgd', learningRate: 0.1, momentum: 0.9, l2: 0.01, clipNorm: 1 },
  { kind: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true, l2: 0.01, clipNorm: 1 },
  { kind: 'adam', learningRate: 0.01, l2: 0.01, clipNorm: 1 },
  { kind: 'adamw', learningRate: 0.01, weightDecay: 0.05 },
  { kind: 'rmsprop', learningRate: 0.01, momentum: 0.5, l2: 0.01, clipNorm: 1 },
];

/** A kernel [7, 5] and a bias [5] (odd sizes: the SIMD loops' tails run too) on a tape in `arena`. */
function model(arena: Arena) {
  const tape = new Tape({ maxBatch: 1, arena });
  tape.param('kernel', [7, 5], Array.from({ length: 35 }, (_, j) => Math.sin(j * 1.7)));
  tape.param('bias', [5], [0.1, -0.2, 0.3, -0.4, 0.5]);
  return tape.params;
}

describe('optimizer updates on the WebAssembly path', () => {
  for (const config of CONFIGS) {
    it(`${config.kind}${'momentum' in config && config.momentum ? ` momentum${'nesterov' in config && config.nesterov ? ' nesterov' : ''}` : ''}: the same weights bit for bit as the TypeScript loop, over 5 steps`, () => {
      const wasm = model(Arena.wasm(1 << 16));
      const js = model(Arena.js());
      expect(wasm[0]!.value.buffer).not.toBe(js[0]!.value.buffer);
      const a = createOptimizer(wasm, config);
      const b = createOptimizer(js, config);
      for (let step = 1; step <= 5; step++) {
        for (const ps of [wasm, js]) {
          for (const p of ps) p.grad.forEach((_, j) => (p.grad[j] = Math.cos(j * 0.9 + step) * (j % 3 === 0 ? 3 : 0.01)));
        }
        a.step();
        b.step();
        expect(a.lastGradNorm).toBeCloseTo(b.lastGradNorm, 12);
        wasm.forEach((p, i) => {
          expect([...p.value], `${p.name} after step ${step}`).toEqual([...js[i]!.value]);
          expect(a.lastUpdateNorm[i]).toBeCloseTo(b.lastUpdateNorm[i]!, 6);
          expect(a.lastWeightNorm[i]).toBeCloseTo(b.lastWeightNorm[i]!, 6);
        });
      }
    });
  }

  it('a new optimizer on the same parameters reuses the arena state and starts from zero', () => {
    const arena = Arena.wasm(1 << 16);
    const ps = model(arena);
    const first = createOptimizer(ps, { kind: 'adam', learningRate: 0.01 });
    ps.forEach((p) => p.grad.fill(1));
    first.step();
    const used = arena.usedBytes;
    const copy = model(Arena.js());
    ps.forEach((p, i) => copy[i]!.value.set(p.value));
    const second = createOptimizer(ps, { kind: 'adam', learningRate: 0.01 });
    const reference = createOptimizer(copy, { kind: 'adam', learningRate: 0.01 });
    expect(arena.usedBytes).toBe(used);
    for (const set of [ps, copy]) set.forEach((p) => p.grad.fill(1));
    second.step();
    reference.step();
    ps.forEach((p, i) => expect([...p.value]).toEqual([...copy[i]!.value]));
  });

  it('an arena with no room left for the state runs the TypeScript loops, with the same result', () => {
    // Room for the kernel's values and gradients (80 KB) and one moment, not two: Adam's second
    // moment comes from the heap, where the WebAssembly kernel cannot reach it.
    const make = (arena: Arena) => {
      const tape = new Tape({ maxBatch: 1, arena });
      tape.param('kernel', [100, 100], Array.from({ length: 10_000 }, (_, j) => Math.sin(j)));
      return tape.params;
    };
    const arena = Arena.wasm(80_016);
    const ps = make(arena);
    const copy = make(Arena.js());
    const a = createOptimizer(ps, { kind: 'adam', learningRate: 0.01 });
    const b = createOptimizer(copy, { kind: 'adam', learningRate: 0.01 });
    expect(arena.overflowBytes).toBeGreaterThan(0);
    for (let step = 0; step < 3; step++) {
      for (const set of [ps, copy]) set[0]!.grad.forEach((_, j, g) => (g[j] = Math.cos(j + step)));
      a.step();
      b.step();
    }
    expect([...ps[0]!.value]).toEqual([...copy[0]!.value]);
  });
});
