/**
 * train.py, checked by running it: its optimizer (GradflowOptimizer) takes five steps from the
 * engine's weights on the engine's batch and lands where the engine's optimizer does, within 1e-4
 * of the update, for every optimizer and with L2 and clipping. (The torchrun check is
 * pytorch-ddp.torchrun.ts, run on its own after the unit tests.)
 *
 * Skipped, saying why, without PyTorch; under CI a missing PyTorch fails (see pytorch.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPlan, type Plan } from '../compiler/plan';
import { Rng } from '../core/rng';
import { sizeOf } from '../core/shape';
import { parseModel, TrainingSchema, type TrainingSettings } from '../model';
import { createTrainingRun } from '../train/run';
import { createOptimizer } from '../optim';
import { optimizerConfig } from '../train/settings';
import { writeModelPy } from './pytorch';
import { writeTrainPy } from './pytorch-train';
import { encodeSafetensors, type NamedTensor } from './safetensors';
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
  const cases = OPTIMIZERS.map((settings) => {
    const training = TrainingSchema.parse({ ...settings, batchSize: 6 });
    const plan = buildPlan(chain([['dense', { units: 8 }], 'tanh', ['dense', { units: 3 }]]), classification([4]), { maxBatch: 6, seed: 5 });
    const rng = new Rng(9);
    const x = Float32Array.from({ length: 6 * 4 }, () => rng.range(-1, 1));
    const y = Float32Array.from({ length: 6 }, (_, i) => i % 3);
    return { name: JSON.stringify(settings), plan, training, x, y, mode: true };
  });
  const results = new Map<string, { steps: Steps; theirs: Theirs; learningRate: number }>();
  beforeAll(() => runAll(cases, results), 600_000);

  it.each(cases.map((c) => c.name))('%s', (name) => {
    const r = results.get(name)!;
    expectSameSteps(r, r.learningRate);
  });
});

describe.skipIf(!torch.ok)('every example model: five of train.py’s steps are the engine’s', () => {
  const files = readdirSync('examples').filter((f) => f.endsWith('.json'));
  const results = new Map<string, { steps: Steps; theirs: Theirs; learningRate: number }>();
  beforeAll(async () => {
    const cases = [];
    for (const file of files) {
      const parsed = parseModel(readFileSync(`examples/${file}`, 'utf8'));
      if (!parsed.ok) throw new Error(`examples/${file} does not load`);
      // Learning rate too high diverges by design (its lesson): five steps blow its weights up a
      // million-fold, which magnifies float32 rounding until two exact implementations part. Its
      // steps are compared at the rate its lesson converges at, a tenth.
      const rate = parsed.model.training.learningRate * (file === 'lr-too-high.json' ? 0.1 : 1);
      const model = { ...parsed.model, training: { ...parsed.model.training, learningRate: rate, batchSize: Math.min(parsed.model.training.batchSize, 8) } };
      const run = await createTrainingRun(model, async (name) => new Uint8Array(readFileSync(`public/datasets/${name}`)));
      const batch = run.plan.tape.maxBatch;
      const x = run.split.train.x.slice(0, batch * sizeOf(run.split.info.inputShape));
      const y = run.split.train.y.slice(0, batch * sizeOf(run.split.info.targetShape));
      // Dropout draws its own masks on each side: a graph with one takes its steps evaluating.
      cases.push({ name: file, plan: run.plan, training: model.training, x, y, mode: !model.nodes.some((n) => n.type === 'dropout') });
    }
    runAll(cases, results);
  }, 600_000);

  it.each(files)('%s', (file) => {
    const r = results.get(file)!;
    expectSameSteps(r, r.learningRate);
  });
});

interface StepsCase {
  name: string;
  plan: Plan;
  training: TrainingSettings;
  x: Float32Array;
  y: Float32Array;
  /** Training mode (dropout, batch statistics) or not. */
  mode: boolean;
}
type Steps = { before: NamedTensor[]; after: NamedTensor[] };
type Theirs = { weights: Record<string, number[]>; largestGradient: Record<string, number> } | { error: string };

/** Each case's steps in the engine, written out for train.py; then PyTorch once for all of them. */
function runAll(cases: readonly StepsCase[], results: Map<string, { steps: Steps; theirs: Theirs; learningRate: number }>): void {
  const dirs: string[] = [];
  const steps = cases.map((c) => {
    const dir = mkdtempSync(join(tmpdir(), 'gradflow-train-'));
    dirs.push(dir);
    const batch = c.x.length / sizeOf(c.plan.dataset.inputShape);
    writeFileSync(join(dir, 'weights.safetensors'), encodeSafetensors(planWeights(c.plan)));
    writeFileSync(join(dir, 'model.py'), writeModelPy(c.plan));
    writeFileSync(join(dir, 'train.py'), writeTrainPy(c.plan, c.training));
    writeFileSync(
      join(dir, 'batch.safetensors'),
      encodeSafetensors([
        { name: 'x', shape: [batch, ...c.plan.dataset.inputShape], data: c.x },
        { name: 'y', shape: [batch, ...c.plan.dataset.targetShape], data: c.y },
      ]),
    );
    writeFileSync(join(dir, 'check.json'), JSON.stringify({ steps: STEPS, training: c.mode }));
    return engineSteps(c, batch);
  });
  const r = spawnSync(TORCH_PYTHON, [join(import.meta.dirname, 'testing/train_check.py'), ...dirs], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`PyTorch failed:\n${r.stderr}`);
  r.stdout
    .trim()
    .split('\n')
    .forEach((line, i) => results.set(cases[i]!.name, { steps: steps[i]!, theirs: JSON.parse(line) as Theirs, learningRate: cases[i]!.training.learningRate }));
}

/** STEPS optimizer steps of the engine on the case's batch, from the plan's weights. */
function engineSteps(c: StepsCase, batch: number): Steps {
  const { plan } = c;
  const before = planWeights(plan);
  const optimizer = createOptimizer(plan.params, optimizerConfig(c.training));
  const tape = plan.tape;
  tape.setBatch(batch);
  tape.training = c.mode;
  plan.input.value.set(c.x);
  plan.target.value.set(c.y);
  for (let s = 0; s < STEPS; s++) {
    tape.forward();
    tape.backward(plan.loss);
    optimizer.step();
  }
  return { before, after: planWeights(plan) };
}

/**
 * Every tensor within 1e-4 of how far the steps moved it, as norms: ‖ours − theirs‖ ≤ 1e-4 ·
 * ‖ours − before‖, plus the float32 rounding of the weights themselves (the engine keeps them in
 * float32: a first layer a deep sigmoid stack starves moves by less than that). Elementwise would
 * compare noise: Adam divides each gradient by its own size, so an element whose gradient is a
 * cancellation's rounding error takes a full step in either direction.
 *
 * A parameter whose gradient is zero in exact arithmetic (PyTorch's float64 gradient is below 1e-12
 * of the model's largest: attention's key bias, as softmax ignores a shift of every score) moves by
 * rounding alone, differently on each side; it is held only to Adam's bound, learning rate per step.
 */
function expectSameSteps({ steps, theirs }: { steps: Steps; theirs: Theirs }, learningRate: number): void {
  if ('error' in theirs) throw new Error(`PyTorch: ${theirs.error}`);
  const largest = Math.max(...Object.values(theirs.largestGradient));
  let moved = 0;
  for (const [i, t] of steps.after.entries()) {
    const start = steps.before[i]!.data;
    const other = theirs.weights[t.name]!;
    expect(other, t.name).toHaveLength(t.data.length);
    let update = 0;
    let off = 0;
    let weights = 0;
    let furthest = 0;
    for (let j = 0; j < t.data.length; j++) {
      update += (t.data[j]! - start[j]!) ** 2;
      off += (t.data[j]! - other[j]!) ** 2;
      weights += t.data[j]! ** 2;
      furthest = Math.max(furthest, Math.abs(other[j]! - start[j]!));
    }
    [update, off, weights] = [Math.sqrt(update), Math.sqrt(off), Math.sqrt(weights)];
    if (update > 0) moved++;
    const gradient = theirs.largestGradient[t.name];
    if (gradient !== undefined && gradient < 1e-12 * largest) {
      expect(furthest, `${t.name} (no gradient in exact arithmetic) moved further than ${STEPS} steps of the learning rate`).toBeLessThanOrEqual(STEPS * learningRate * 1.001);
      continue;
    }
    expect(off, `${t.name}: ${off} apart after ${STEPS} steps that moved it by ${update} (norms)`).toBeLessThanOrEqual(1e-4 * update + 1.2e-7 * weights);
  }
  expect(moved, 'the steps moved some weights').toBeGreaterThan(0);
}
