import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createPlan } from '../compiler/plan';
import { wasmKernelsSupported } from '../kernels/wasm';
import { loadExample, readDatasetFile } from '../testing/files';
import { createTrainingRun } from './run';
import { Trainer } from './trainer';

const maxAbs = (a: Float32Array): number => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** Largest |a - b| over the largest |b| (the gap itself when b is all zero). */
function relativeGap(a: Float32Array, b: Float32Array): number {
  let gap = 0;
  for (let i = 0; i < a.length; i++) gap = Math.max(gap, Math.abs(a[i]! - b[i]!));
  const scale = maxAbs(b);
  return scale === 0 ? gap : gap / scale;
}

const examples = readdirSync(new URL('../../examples/', import.meta.url)).filter((f) => f.endsWith('.json')).sort();

describe('the WebAssembly and TypeScript kernels train every example model alike', () => {
  it('WebAssembly SIMD is available here, so the plans below run on it', () => {
    expect(wasmKernelsSupported()).toBe(true);
    expect(examples.length).toBeGreaterThanOrEqual(12);
  });

  for (const file of examples) {
    it(`${file}: same losses, parameter gradients and edge gradients, and the same weights after 5 SGD steps`, async () => {
      // Plain SGD: the weights move in proportion to the gradients, so float32 rounding in the
      // gradients stays rounding in the weights. Adam's first step is lr·g/(|g| + ε), which turns a
      // rounding difference in a gradient of about ε into a visible step; the Adam kernel itself is
      // held bit for bit to the TypeScript loop on the same gradients (engine/optim/wasm.test.ts).
      const file_ = loadExample(file);
      const model = { ...file_, training: { ...file_.training, optimizer: 'sgd' as const } };
      const wasm = await createTrainingRun(model, readDatasetFile);
      expect(wasm.plan.tape.arena.path).toBe('wasm');
      expect(wasm.plan.tape.arena.overflowBytes).toBe(0);
      const jsPlan = createPlan(wasm.plan.compiled, wasm.split.info, { maxBatch: wasm.plan.tape.maxBatch, seed: model.training.seed, kernels: 'js' });
      expect(jsPlan.tape.arena.path).toBe('js');
      const js = new Trainer(jsPlan, wasm.split, model.training);
      // Same seed, same initial weights.
      wasm.plan.params.forEach((p, i) => expect(relativeGap(p.value, jsPlan.params[i]!.value)).toBe(0));
      const initial = jsPlan.params.map((p) => p.value.slice());
      /** Parameters whose gradient is zero in exact arithmetic: rounding noise on both paths. */
      const noise = new Set<number>();

      for (let step = 1; step <= 5; step++) {
        const a = wasm.trainer.trainStep();
        const b = js.trainStep();
        expect(a.divergence).toBeUndefined();
        expect(b.divergence).toBeUndefined();
        // Float32 sums in another order: agreement to float32 rounding, compounded over a few layers.
        expect(Math.abs(a.loss - b.loss) / Math.max(1e-6, Math.abs(b.loss)), `loss at step ${step}`).toBeLessThan(1e-4);
        if (step === 1) {
          // A deep sigmoid stack's first layer gets 1e-4 of its last layer's gradient: the floor is far below that.
          const largest = Math.max(...jsPlan.params.map((p) => maxAbs(p.grad)));
          wasm.plan.params.forEach((p, i) => {
            const theirs = jsPlan.params[i]!.grad;
            if (maxAbs(theirs) < 1e-7 * largest) {
              // Zero in exact arithmetic (an attention key's bias: softmax ignores a constant added
              // to a row of scores): rounding noise on both paths.
              expect(maxAbs(p.grad), `gradient of ${p.name} (zero in exact arithmetic)`).toBeLessThan(1e-6 * largest);
              noise.add(i);
              return;
            }
            expect(relativeGap(p.grad, theirs), `gradient of ${p.name}`).toBeLessThan(1e-4);
          });
          wasm.plan.edges.forEach((e, i) => {
            const other = jsPlan.edges[i]!;
            expect(other.id).toBe(e.id);
            if (!e.tensor || !other.tensor || !e.tensor.requiresGrad) return;
            expect(relativeGap(e.tensor.grad.subarray(0, e.tensor.size), other.tensor.grad.subarray(0, other.tensor.size)), `gradient on edge ${e.id}`).toBeLessThan(1e-4);
          });
        }
      }
      // The weights after 5 steps, measured against how far the steps moved them.
      const moved = jsPlan.params.map((q, i) => maxAbs(q.value.map((v, j) => v - initial[i]![j]!)));
      wasm.plan.params.forEach((p, i) => {
        const gap = maxAbs(p.value.map((v, j) => v - jsPlan.params[i]!.value[j]!));
        // A parameter that only noise moves is held to the scale of the model's real moves.
        const scale = noise.has(i) ? Math.max(...moved) * 1e3 : moved[i]!;
        expect(gap / Math.max(scale, 1e-12), `weights of ${p.name} after 5 steps, relative to their change`).toBeLessThan(1e-3);
      });
    }, 120_000);
  }
});

describe('a plan whose first arena is too small', () => {
  it('is built again on an arena of the size it needs, with room for the optimizer, and trains as the TypeScript plan does', async () => {
    const model = loadExample('mnist-cnn.json');
    const reference = await createTrainingRun(model, readDatasetFile);
    const options = { maxBatch: reference.plan.tape.maxBatch, seed: model.training.seed };
    // One byte: every buffer of the first build overflows onto the heap.
    const plan = createPlan(reference.plan.compiled, reference.split.info, { ...options, kernels: 'wasm', firstArenaBytes: 1 });
    expect(plan.tape.arena.path).toBe('wasm');
    expect(plan.tape.arena.overflowBytes).toBe(0);
    const jsPlan = createPlan(reference.plan.compiled, reference.split.info, { ...options, kernels: 'js' });
    const sgd = { ...model.training, optimizer: 'sgd' as const };
    // Adam's two moments fit beside the plan (the second build left room for them).
    const adam = new Trainer(plan, reference.split, model.training);
    expect(adam.optimizer.kind).toBe('adam');
    expect(plan.tape.arena.overflowBytes).toBe(0);
    const a = new Trainer(plan, reference.split, sgd);
    const b = new Trainer(jsPlan, reference.split, sgd);
    for (let step = 0; step < 3; step++) {
      const la = a.trainStep().loss;
      const lb = b.trainStep().loss;
      expect(Math.abs(la - lb) / Math.abs(lb)).toBeLessThan(1e-4);
    }
  }, 120_000);
});
