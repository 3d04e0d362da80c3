/**
 * Runs an exported model.py in PyTorch (Debian's python3-torch, float64) on the engine's weights
 * and one batch, and gives back both sides' loss, predictions and parameter gradients, for
 * engine/export/pytorch.test.ts to compare.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Plan } from '../../compiler/plan';
import { writeModelPy } from '../pytorch';
import { encodeSafetensors } from '../safetensors';
import { planWeights } from '../weights';

/** Debian's Python, which has python3-torch (the pyenv python3 on PATH has not). */
export const TORCH_PYTHON = '/usr/bin/python3';
const CHECK_SCRIPT = join(import.meta.dirname, 'torch_check.py');

/** Whether PyTorch can be run here, or why not. */
export function torchAvailability(): { ok: true } | { ok: false; why: string } {
  if (!existsSync(TORCH_PYTHON)) return { ok: false, why: `${TORCH_PYTHON} is not installed` };
  const r = spawnSync(TORCH_PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  return r.status === 0 ? { ok: true } : { ok: false, why: `${TORCH_PYTHON} has no torch (apt-get install -y python3-torch python3-numpy)` };
}

export interface SideResult {
  loss: number;
  prediction: number[];
  /** By Gradflow name ("dense_1.kernel"). */
  grads: Record<string, number[]>;
}

/** One batch through the engine, and what PyTorch needs to run it: `dir` holds model.py, the weights and the batch. */
export interface Prepared {
  dir: string;
  ours: SideResult;
  source: string;
}

/**
 * Runs one batch through the engine (forward and backward at the plan's current weights) and
 * writes the exported model.py, those weights and the batch for PyTorch. `x` and `y` hold `batch` samples.
 */
export function prepare(plan: Plan, x: Float32Array, y: Float32Array, batch: number, training: boolean): Prepared {
  const dir = mkdtempSync(join(tmpdir(), 'gradflow-torch-'));
  // The weights before the forward pass: BatchNorm's running statistics move during it.
  writeFileSync(join(dir, 'weights.safetensors'), encodeSafetensors(planWeights(plan)));
  const source = writeModelPy(plan, 'check');
  writeFileSync(join(dir, 'model.py'), source);
  const d = plan.dataset;
  writeFileSync(
    join(dir, 'batch.safetensors'),
    encodeSafetensors([
      { name: 'x', shape: [batch, ...d.inputShape], data: x },
      { name: 'y', shape: [batch, ...d.targetShape], data: y },
    ]),
  );
  writeFileSync(join(dir, 'check.json'), JSON.stringify({ training }));

  const tape = plan.tape;
  tape.setBatch(batch);
  tape.training = training;
  plan.input.value.set(x);
  plan.target.value.set(y);
  tape.forward();
  tape.backward(plan.loss);
  const grads: Record<string, number[]> = {};
  for (const node of plan.nodes) for (const p of node.params) grads[`${node.name}.${p.name.slice(node.name.length + 1)}`] = Array.from(p.grad.subarray(0, p.size));
  return { dir, source, ours: { loss: plan.loss.value[0]!, prediction: Array.from(plan.prediction.value.subarray(0, plan.prediction.size)), grads } };
}

/** PyTorch's side of each prepared batch (one Python process for all), or the error it raised. */
export function runTorch(prepared: readonly Prepared[]): (SideResult | { error: string })[] {
  const r = spawnSync(TORCH_PYTHON, [CHECK_SCRIPT, ...prepared.map((p) => p.dir)], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`PyTorch failed:\n${r.stderr}`);
  return r.stdout
    .trim()
    .split('\n')
    .map((line) => {
      const result = JSON.parse(line) as (SideResult & { noGrad: string[] }) | { error: string };
      if ('error' in result) return result;
      return result.noGrad.length > 0 ? { error: `PyTorch computed no gradient for ${result.noGrad.join(', ')}` } : result;
    });
}

/**
 * The largest difference relative to the larger side's largest magnitude, or to `floor` when that
 * is larger (0 when all are 0). A floor keeps a gradient that is exactly zero in exact arithmetic
 * (an attention key bias: softmax ignores a shift of every score) from comparing float32 rounding
 * with float64 rounding.
 */
export function relativeError(ours: ArrayLike<number>, theirs: ArrayLike<number>, floor = 0): number {
  if (ours.length !== theirs.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < ours.length; i++) {
    diff = Math.max(diff, Math.abs(ours[i]! - theirs[i]!));
    scale = Math.max(scale, Math.abs(ours[i]!), Math.abs(theirs[i]!));
  }
  scale = Math.max(scale, floor);
  return scale === 0 ? diff : diff / scale;
}
