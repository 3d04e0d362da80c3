/**
 * The ONNX export, checked by running it: ONNX Runtime (onnxruntime-node, pinned) runs the exported
 * .onnx on the same batch and gives the engine's predictions in inference mode, within 1e-4, for
 * every case of the PyTorch checks (every layer type appears in one) and every example model on its
 * own test data. onnx-proto (another implementation of the format) reads back what was written.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { onnx as onnxProto } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { buildPlan, type Plan } from '../compiler/plan';
import { Rng } from '../core/rng';
import { sizeOf } from '../core/shape';
import { LAYERS } from '../layers/registry';
import { parseModel } from '../model';
import { createTrainingRun } from '../train/run';
import { ONNX_OPSET, writeOnnx } from './onnx';
import { CORE_CASES } from './torch-cases.core';
import { CONV_CASES } from './torch-cases.conv';
import { NORM_CASES } from './torch-cases.norm';
import { RECURRENT_CASES } from './torch-cases.recurrent';
import { ATTENTION_CASES } from './torch-cases.attention';
import { relativeError } from './testing/torch-check';
import { randomizeWeights, type TorchCase } from './testing/torch-cases';

const CASES: TorchCase[] = [...CORE_CASES, ...CONV_CASES, ...NORM_CASES, ...RECURRENT_CASES, ...ATTENTION_CASES];
const TOLERANCE = 1e-4;

describe('every layer type has an ONNX export', () => {
  it.each(LAYERS.map((l) => [l.type, l] as const))('%s', (type, layer) => {
    expect(typeof layer.onnx?.write, `${type} has no ONNX writer (LayerDef.onnx)`).toBe('function');
  });
});

/** The engine's predictions on `x` in inference mode, and ONNX Runtime's from the exported file. */
async function bothPredictions(plan: Plan, x: Float32Array, batch: number): Promise<{ ours: Float32Array; theirs: Float32Array; bytes: Uint8Array }> {
  const bytes = writeOnnx(plan, 'check');
  const tape = plan.tape;
  tape.setBatch(batch);
  tape.training = false;
  plan.input.value.set(x);
  tape.forward();
  const ours = plan.prediction.value.slice(0, plan.prediction.size);
  const session = await ort.InferenceSession.create(bytes);
  const feeds = { x: new ort.Tensor('float32', x.slice(), [batch, ...plan.dataset.inputShape]) };
  const out = await session.run(feeds);
  await session.release();
  return { ours, theirs: out.prediction!.data as Float32Array, bytes };
}

describe('ONNX Runtime runs the exported model as the engine does', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const batch = c.batch ?? 5;
    const plan = buildPlan(c.graph, c.dataset, { maxBatch: batch, seed: 11 });
    const rng = new Rng(3);
    const features = sizeOf(c.dataset.inputShape);
    const x = new Float32Array(batch * features);
    for (let i = 0; i < batch; i++) for (let j = 0; j < features; j++) x[i * features + j] = c.x ? c.x(() => rng.uniform(), i, j) : rng.range(-1, 1);
    randomizeWeights(plan, rng);
    const { ours, theirs } = await bothPredictions(plan, x, batch);
    expect(theirs.length).toBe(ours.length);
    expect(relativeError(ours, theirs)).toBeLessThan(TOLERANCE);
  });
});

describe('every example model, exported to ONNX, predicts its test data as the engine does', () => {
  const files = readdirSync('examples').filter((f) => f.endsWith('.json'));
  it.each(files)('%s', async (file) => {
    const parsed = parseModel(readFileSync(`examples/${file}`, 'utf8'));
    if (!parsed.ok) throw new Error(`examples/${file} does not load`);
    const model = { ...parsed.model, training: { ...parsed.model.training, batchSize: Math.min(parsed.model.training.batchSize, 16) } };
    const run = await createTrainingRun(model, async (name) => new Uint8Array(readFileSync(`public/datasets/${name}`)));
    const batch = Math.min(run.plan.tape.maxBatch, run.split.test.count);
    const x = run.split.test.x.slice(0, batch * sizeOf(run.split.info.inputShape));
    const { ours, theirs, bytes } = await bothPredictions(run.plan, x, batch);
    expect(relativeError(ours, theirs)).toBeLessThan(TOLERANCE);

    // Another reader of the format sees opset 17, the symbolic batch axis and the engine's weight names.
    const decoded = onnxProto.ModelProto.decode(bytes);
    expect(decoded.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', ONNX_OPSET]]);
    expect(decoded.graph!.input![0]!.type!.tensorType!.shape!.dim![0]!.dimParam).toBe('batch');
    const names = decoded.graph!.initializer!.map((t) => t.name);
    for (const node of run.plan.nodes) for (const p of node.params) expect(names).toContain(`${node.name}.${p.name.slice(node.name.length + 1)}`);
  }, 120_000);
});
