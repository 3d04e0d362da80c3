/**
 * train.py, checked by running it: its optimizer (GradflowOptimizer) takes five steps from the
 * engine's weights on the engine's batch and lands where the engine's optimizer does, within 1e-4
 * of the update, for every optimizer and with L2 and clipping; and `torchrun --nproc_per_node 2`
 * trains an exported example (the loss falls) with both processes ending on identical weights.
 *
 * Skipped, saying why, without PyTorch; under CI a missing PyTorch fails (see pytorch.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../compiler/plan';
import { Rng } from '../core/rng';
import { TrainingSchema, parseModel } from '../model';
import { createOptimizer } from '../optim';
import { createTrainingRun } from '../train/run';
import { optimizerConfig } from '../train/settings';
import { pytorchFiles, writeModelPy } from './pytorch';
import { writeTrainPy } from './pytorch-train';
import { decodeSafetensors, encodeSafetensors } from './safetensors';
import { loadWeights, planWeights } from './weights';
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

describe.skipIf(!torch.ok)('the exported PyTorch project trains under torchrun', () => {
  it('two processes: the loss falls, and both end with identical weights', async () => {
    const parsed = parseModel(readFileSync('examples/iris.json', 'utf8'));
    if (!parsed.ok) throw new Error('examples/iris.json does not load');
    const model = { ...parsed.model, training: { ...parsed.model.training, epochs: 4 } };
    const run = await createTrainingRun(model, async (name) => new Uint8Array(readFileSync(`public/datasets/${name}`)));
    const dir = mkdtempSync(join(tmpdir(), 'gradflow-torchrun-'));
    for (const [name, content] of pytorchFiles(run, model)) writeFileSync(join(dir, name), content);

    // --redirects 2 --tee 2: Debian's torch 1.13 on Python 3.11 cannot read the default ("0") of
    // either (its Std.from_str returns None), so stderr is teed explicitly, and stdout left alone.
    const r = spawnSync('torchrun', ['--nproc_per_node', '2', '--redirects', '2', '--tee', '2', '--standalone', join(dir, 'train.py'), '--save', join(dir, 'trained.safetensors')], {
      encoding: 'utf8',
      cwd: dir,
      env: { ...process.env, OMP_NUM_THREADS: '1' },
      timeout: 300_000,
    });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    const lines = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const epochs = lines.filter((l) => l.event === 'epoch');
    expect(epochs).toHaveLength(4);
    expect(epochs.at(-1)!.train_loss as number).toBeLessThan(epochs[0]!.train_loss as number);
    const done = lines.find((l) => l.event === 'done')!;
    expect(done.processes).toBe(2);
    const digests = done.weights_sha256 as string[];
    expect(digests).toHaveLength(2);
    expect(digests[1]).toBe(digests[0]);
    // What PyTorch trained opens in Gradflow: the same names and shapes, other values.
    const trained = decodeSafetensors(new Uint8Array(readFileSync(join(dir, 'trained.safetensors'))));
    const before = planWeights(run.plan);
    expect(loadWeights(run.plan, trained.tensors)).toEqual({ ok: true, loaded: before.length });
    expect(planWeights(run.plan)[0]!.data).not.toEqual(before[0]!.data);
  }, 300_000);
});
