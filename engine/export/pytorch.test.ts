/**
 * The PyTorch export, checked by running it: for every case (every layer type appears in one), the
 * exported model.py in PyTorch (float64, Debian's python3-torch) gives the engine's loss, predictions
 * and every parameter gradient at the same weights and batch, within 1e-4 relative.
 *
 * Without PyTorch here the comparisons are skipped with the reason printed; under CI (CI set) a
 * missing PyTorch fails instead, so CI always runs them (.ci/run installs python3-torch).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPlan } from '../compiler/plan';
import { Rng } from '../core/rng';
import { sizeOf } from '../core/shape';
import { LAYERS } from '../layers/registry';
import { CORE_CASES } from './torch-cases.core';
import { CONV_CASES } from './torch-cases.conv';
import { NORM_CASES } from './torch-cases.norm';
import { RECURRENT_CASES } from './torch-cases.recurrent';
import { ATTENTION_CASES } from './torch-cases.attention';
import { prepare, relativeError, runTorch, torchAvailability, type Prepared, type SideResult } from './testing/torch-check';
import type { TorchCase } from './testing/torch-cases';

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
    const result = theirs.get(c)!;
    const where = `\n--- model.py ---\n${source}`;
    if ('error' in result) throw new Error(`PyTorch: ${result.error}${where}`);
    expect(Math.abs(ours.loss - result.loss) / Math.max(Math.abs(result.loss), 1e-6), `loss: ours ${ours.loss}, PyTorch ${result.loss}${where}`).toBeLessThan(TOLERANCE);
    expect(relativeError(ours.prediction, result.prediction), `predictions${where}`).toBeLessThan(TOLERANCE);
    expect(Object.keys(result.grads).sort()).toEqual(Object.keys(ours.grads).sort());
    // Relative to each tensor's own largest gradient, and at least to a thousandth of the model's largest.
    const floor = 1e-3 * Math.max(...Object.values(ours.grads).flatMap((g) => g.map(Math.abs)));
    for (const [name, g] of Object.entries(ours.grads)) expect(relativeError(g, result.grads[name]!, floor), `${name} gradient${where}`).toBeLessThan(TOLERANCE);
  });
});

/** The case's graph built with a fixed seed, a random batch through it, written out for PyTorch. */
function prepareCase(c: TorchCase): Prepared {
  const batch = c.batch ?? 5;
  const plan = buildPlan(c.graph, c.dataset, { maxBatch: batch, seed: 11 });
  const rng = new Rng(3);
  const features = sizeOf(c.dataset.inputShape);
  const x = new Float32Array(batch * features);
  for (let i = 0; i < batch; i++) for (let j = 0; j < features; j++) x[i * features + j] = c.x ? c.x(() => rng.uniform(), i, j) : rng.range(-1, 1);
  const y = new Float32Array(batch * sizeOf(c.dataset.targetShape));
  for (let i = 0; i < y.length; i++) y[i] = c.dataset.numClasses ? Math.floor(rng.uniform() * c.dataset.numClasses) : rng.range(-1, 1);
  return prepare(plan, x, y, batch, c.training ?? true);
}
