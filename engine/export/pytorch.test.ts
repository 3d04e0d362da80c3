/**
 * The PyTorch export, checked by running it: for every case (every layer type appears in one) and
 * every example model (on its own data), the
 * exported model.py in PyTorch (float64, Debian's python3-torch) gives the engine's loss, predictions
 * and every parameter gradient at the same weights and batch, within 1e-4 relative.
 *
 * Without PyTorch here the comparisons are skipped with the reason printed; under CI (CI set) a
 * missing PyTorch fails instead, so CI always runs them (.ci/run installs python3-torch).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPlan } from '../compiler/plan';
import { Rng } from '../core/rng';
import { sizeOf } from '../core/shape';
import { LAYERS } from '../layers/registry';
import { parseModel } from '../model';
import { createTrainingRun } from '../train/run';
import { CORE_CASES } from './torch-cases.core';
import { CONV_CASES } from './torch-cases.conv';
import { NORM_CASES } from './torch-cases.norm';
import { RECURRENT_CASES } from './torch-cases.recurrent';
import { ATTENTION_CASES } from './torch-cases.attention';
import { prepare, relativeError, runTorch, torchAvailability, type Prepared, type SideResult } from './testing/torch-check';
import { randomizeWeights, type TorchCase } from './testing/torch-cases';

const CASES: TorchCase[] = [...CORE_CASES, ...CONV_CASES, ...NORM_CASES, ...RECURRENT_CASES, ...ATTENTION_CASES];
const TOLERANCE = 1e-4;

const torch = torchAvailability();
if (!torch.ok) {
  if (process.env.CI) throw new Error(`PyTorch is needed for the export checks under CI: ${torch.why}`);
  console.warn(`engine/export/pytorch.test.ts: the PyTorch comparisons are SKIPPED: ${torch.why}`);
}

describe('every layer type has a PyTorch export, checked by a case', () => {
  it.each(LAYERS.map((l) => [l.type, l] as const))('%s', (type, layer) => {
    expect(typeof layer.torch?.forward, `${type} has no PyTorch writer (LayerDef.torch)`).toBe('function');
    expect(CASES.some((c) => c.graph.nodes.some((n) => n.type === type)), `no PyTorch export case uses ${type}`).toBe(true);
  });
});

describe.skipIf(!torch.ok)('the exported model.py in PyTorch computes what the engine computes', () => {
  // Every case through the engine first, then PyTorch once for all of them (its start-up is most of the time).
  const prepared = new Map<TorchCase, Prepared>();
  const theirs = new Map<TorchCase, SideResult | { error: string }>();
  beforeAll(() => {
    for (const c of CASES) prepared.set(c, prepareCase(c));
    runTorch([...prepared.values()]).forEach((result, i) => theirs.set(CASES[i]!, result));
  }, 600_000);

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { ours, source } = prepared.get(c)!;
    expectSame(ours, theirs.get(c)!, source);
  });
});

/** The same loss, predictions and every parameter gradient within TOLERANCE (relative). */
function expectSame(ours: SideResult, result: SideResult | { error: string }, source: string): void {
  const where = `\n--- model.py ---\n${source}`;
  if ('error' in result) throw new Error(`PyTorch: ${result.error}${where}`);
  expect(Math.abs(ours.loss - result.loss) / Math.max(Math.abs(result.loss), 1e-6), `loss: ours ${ours.loss}, PyTorch ${result.loss}${where}`).toBeLessThan(TOLERANCE);
  expect(relativeError(ours.prediction, result.prediction), `predictions${where}`).toBeLessThan(TOLERANCE);
  expect(Object.keys(result.grads).sort()).toEqual(Object.keys(ours.grads).sort());
  // Relative to each tensor's own largest gradient, and at least to a thousandth of the model's largest.
  const floor = 1e-3 * Object.values(ours.grads).reduce((m, g) => g.reduce((n, v) => Math.max(n, Math.abs(v)), m), 0);
  for (const [name, g] of Object.entries(ours.grads)) expect(relativeError(g, result.grads[name]!, floor), `${name} gradient${where}`).toBeLessThan(TOLERANCE);
}

describe.skipIf(!torch.ok)('every example model, exported, computes what the engine computes on its own data', () => {
  const files = readdirSync('examples').filter((f) => f.endsWith('.json'));
  const prepared = new Map<string, Prepared>();
  const theirs = new Map<string, SideResult | { error: string }>();
  beforeAll(async () => {
    for (const file of files) {
      const parsed = parseModel(readFileSync(`examples/${file}`, 'utf8'));
      if (!parsed.ok) throw new Error(`examples/${file} does not load`);
      const model = { ...parsed.model, training: { ...parsed.model.training, batchSize: Math.min(parsed.model.training.batchSize, 8) } };
      const run = await createTrainingRun(model, async (name) => new Uint8Array(readFileSync(`public/datasets/${name}`)));
      const { inputShape, targetShape } = run.split.info;
      const batch = run.plan.tape.maxBatch;
      const x = run.split.train.x.subarray(0, batch * sizeOf(inputShape));
      const y = run.split.train.y.subarray(0, batch * sizeOf(targetShape));
      // Dropout draws its own masks on each side: a graph with one is compared evaluating.
      const training = !model.nodes.some((n) => n.type === 'dropout');
      prepared.set(file, prepare(run.plan, x, y, batch, training));
    }
    runTorch([...prepared.values()]).forEach((result, i) => theirs.set(files[i]!, result));
  }, 600_000);

  it.each(files)('%s', (file) => {
    const { ours, source } = prepared.get(file)!;
    expectSame(ours, theirs.get(file)!, source);
  });
});

/** The case's graph built with a fixed seed, a random batch through it, written out for PyTorch. */
function prepareCase(c: TorchCase): Prepared {
  const batch = c.batch ?? 5;
  const plan = buildPlan(c.graph, c.dataset, { maxBatch: batch, seed: 11 });
  const rng = new Rng(3);
  randomizeWeights(plan, rng);
  const features = sizeOf(c.dataset.inputShape);
  const x = new Float32Array(batch * features);
  for (let i = 0; i < batch; i++) for (let j = 0; j < features; j++) x[i * features + j] = c.x ? c.x(() => rng.uniform(), i, j) : rng.range(-1, 1);
  const y = new Float32Array(batch * sizeOf(c.dataset.targetShape));
  for (let i = 0; i < y.length; i++) y[i] = c.dataset.numClasses ? Math.floor(rng.uniform() * c.dataset.numClasses) : rng.range(-1, 1);
  return prepare(plan, x, y, batch, c.training ?? true);
}
