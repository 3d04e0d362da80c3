/**
 * train.py, checked by running it: its optimizer (GradflowOptimizer) takes five steps from the
 * engine's weights on the engine's batch and lands where the engine's optimizer does, within 1e-4
 * of the update, for every optimizer and with L2 and clipping. (The torchrun check is
 * pytorch-ddp.torchrun.ts, run on its own after the unit tests.)
 *
 * Skipped, saying why, without PyTorch; under CI a missing PyTorch fails (see pytorch.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../compiler/plan';
import { Rng } from '../core/rng';
import { TrainingSchema } from '../model';
import { createOptimizer } from '../optim';
import { optimizerConfig } from '../train/settings';
import { writeModelPy } from './pytorch';
import { writeTrainPy } from './pytorch-train';
import { encodeSafetensors } from './safetensors';
import { planWeights } from './weights';
import { chain, classification } from './testing/torch-cases';
import { TORCH_PYTHON, torchAvailability } from './testing/torch-check';

const torch = torchAvailability();
if (!torch.ok) {
  if (process.env.CI) throw new Error(`PyTorch is needed for the export checks under CI: ${torch.why}`);
  console.warn(`engine/export/pytorch-train.test.ts: the PyTorch comparisons are SKIPPED: ${torch.why}`);
}

const STEPS = 5;
const OPTIMIZERS = [
  { optimizer: 'sgd', learningRate: 0.1 },
  { optimizer: 'momentum', learningRate: 0.05 },
  { optimizer: 'sgd', learningRate: 0.05, momentum: 0.5, l2: 0.01 },
  { optimizer: 'rmsprop', learningRate: 0.01 },
  { optimizer: 'rmsprop', learningRate: 0.01, rho: 0.8, l2: 0.001 },
  { optimizer: 'adam', learningRate: 0.03 },
  { optimizer: 'adam', learningRate: 0.03, clipNorm: 0.05 },
  { optimizer: 'adamw', learningRate: 0.03, l2: 0.001 },
] as const;

describe.skipIf(!torch.ok)('train.py’s optimizer takes the engine’s steps', () => {
  it.each(OPTIMIZERS.map((o) => [JSON.stringify(o), o] as const))('%s', (_name, settings) => {
    const training = TrainingSchema.parse({ ...settings, batchSize: 6 });
    const dataset = classification([4]);
    const graph = chain([['dense', { units: 8 }], 'tanh', ['dense', { units: 3 }]]);
    const batch = 6;
    const plan = buildPlan(graph, dataset, { maxBatch: batch, seed: 5 });
    const rng = new Rng(9);
    const x = Float32Array.from({ length: batch * 4 }, () => rng.range(-1, 1));
    const y = Float32Array.from({ length: batch }, (_, i) => i % 3);

    const dir = mkdtempSync(join(tmpdir(), 'gradflow-train-'));
    writeFileSync(join(dir, 'weights.safetensors'), encodeSafetensors(planWeights(plan)));
    writeFileSync(join(dir, 'model.py'), writeModelPy(plan));
    writeFileSync(join(dir, 'train.py'), writeTrainPy(plan, training));
    writeFileSync(join(dir, 'batch.safetensors'), encodeSafetensors([{ name: 'x', shape: [batch, 4], data: x }, { name: 'y', shape: [batch], data: y }]));

    const before = planWeights(plan);
    const optimizer = createOptimizer(plan.params, optimizerConfig(training));
    const tape = plan.tape;
    tape.setBatch(batch);
    tape.training = true;
    plan.input.value.set(x);
    plan.target.value.set(y);
    for (let s = 0; s < STEPS; s++) {
      tape.forward();
      tape.backward(plan.loss);
      optimizer.step();
    }
    const after = planWeights(plan);

    const r = spawnSync(TORCH_PYTHON, [join(import.meta.dirname, 'testing/train_check.py'), dir, String(STEPS)], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const theirs = JSON.parse(r.stdout) as { weights: Record<string, number[]> };
    for (const [i, t] of after.entries()) {
      const start = before[i]!.data;
      const update = Math.max(...t.data.map((w, j) => Math.abs(w - start[j]!)));
      expect(update, `${t.name} moved`).toBeGreaterThan(0);
      const off = Math.max(...t.data.map((w, j) => Math.abs(w - theirs.weights[t.name]![j]!)));
      expect(off / update, `${t.name}: ${off} apart after ${STEPS} steps that moved it by up to ${update}`).toBeLessThan(1e-4);
    }
  });
});
