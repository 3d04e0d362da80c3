/**
 * npm run bench — our engine against TensorFlow.js in the same Node process, on the same models
 * (engine/testing/reference-models.ts, which the unit tests prove equal to their TF.js twins),
 * the same batch sizes and the same optimizer (plain SGD). Prints training samples per second
 * (median over timed steps of a full step: forward, backward, update) and our ratio to each
 * TF.js backend, then the GEMM kernel's throughput.
 *
 * "LSTM layer" is the registry's `lstm` layer in a compiled graph (input → LSTM → Dense(1) → Output,
 * built by buildPlan, with the plan's per-edge tensors but no input gradient), against the same
 * TF.js twin as the reference LSTM (the layer is proven equal to tfjs-layers' LSTM in
 * engine/layers/recurrent.test.ts, and its parameters come in the reference model's order).
 *
 * Environment: BENCH_QUICK=1 (shorter timing windows), BENCH_ONLY=<model name substring>.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { it } from 'vitest';
import { timeSteps } from './timing';
import { Arena, type KernelPath } from '../engine/core/arena';
import { Rng } from '../engine/core/rng';
import { Tape } from '../engine/core/tape';
import { buildPlan } from '../engine/compiler/plan';
import { gemm } from '../engine/kernels/gemm';
import { wasmKernelsSupported } from '../engine/kernels/wasm';
import { createOptimizer } from '../engine/optim';
import { cnn, lstm, mlp, type ReferenceModel } from '../engine/testing/reference-models';

const quick = process.env.BENCH_QUICK === '1';
const only = process.env.BENCH_ONLY;
const WINDOW_MS = quick ? 600 : 2000;
const LEARNING_RATE = 0.01;

interface BenchModel {
  name: string;
  batch: number;
  /** Builds the model for `batch` samples on the given kernels; returns its tape and the model. */
  create(batch: number, rng: Rng, kernels: KernelPath): { tape: Tape; model: ReferenceModel };
}

/** Room for the largest bench model's buffers; a model that outgrows it is reported, not hidden. */
const BENCH_ARENA_BYTES = 256 << 20;

/** A model from engine/testing/reference-models.ts, on its own tape. */
function onTape(build: (tape: Tape, rng: Rng) => ReferenceModel): BenchModel['create'] {
  return (batch, rng, kernels) => {
    const tape = new Tape({ maxBatch: batch, seed: 1, arena: kernels === 'wasm' ? Arena.wasm(BENCH_ARENA_BYTES) : Arena.js() });
    return { tape, model: build(tape, rng) };
  };
}

/** The registry's LSTM layer compiled in a graph: input [steps, 1] → LSTM(units) → Dense(1) → Output (MSE). */
function lstmLayerModel(steps: number, units: number): BenchModel['create'] {
  return (batch, rng, kernels) => {
    const graph = {
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'lstm', type: 'lstm', params: { units } },
        { id: 'head', type: 'dense', params: { units: 1 } },
        { id: 'out', type: 'output' },
      ],
      edges: [
        { id: 'e1', source: 'in', target: 'lstm' },
        { id: 'e2', source: 'lstm', target: 'head' },
        { id: 'e3', source: 'head', target: 'out' },
      ],
    };
    const info = { id: 'seq', name: 'Sequences', task: 'regression' as const, inputShape: [steps, 1], targetShape: [1], count: batch };
    const plan = buildPlan(graph, info, { maxBatch: batch, seed: 1, inputGradient: false, kernels });
    // The same loss in TF.js as the reference LSTM of these sizes (parameters in the same order).
    const twin = lstm(new Tape({ maxBatch: 1 }), rng, steps, 1, units);
    const model: ReferenceModel = {
      input: plan.input,
      target: plan.target,
      loss: plan.loss,
      params: plan.params,
      fillBatch(r) {
        for (let i = 0; i < plan.input.size; i++) plan.input.value[i] = r.range(-1, 1);
        for (let i = 0; i < plan.target.size; i++) plan.target.value[i] = r.range(-1, 1);
      },
      tfLoss: twin.tfLoss,
    };
    return { tape: plan.tape, model };
  };
}

const models: BenchModel[] = [
  { name: 'MLP 2-16-16-2 tanh', batch: 32, create: onTape((t, r) => mlp(t, [2, 16, 16, 2], 'tanh', r)) },
  { name: 'MLP 784-128-64-10 relu', batch: 64, create: onTape((t, r) => mlp(t, [784, 128, 64, 10], 'relu', r)) },
  { name: 'CNN 28x28 conv8-pool-conv16-pool-dense10', batch: 32, create: onTape((t, r) => cnn(t, r, 28, 10)) },
  { name: 'LSTM 32 units x 20 steps', batch: 32, create: onTape((t, r) => lstm(t, r, 20, 1, 32)) },
  { name: 'LSTM layer (compiled graph) 32 units x 20 steps', batch: 32, create: lstmLayerModel(20, 32) },
];

function benchOurs(m: BenchModel, kernels: KernelPath): number {
  const rng = new Rng(1);
  const { tape, model } = m.create(m.batch, rng, kernels);
  if (tape.arena.path !== kernels || tape.arena.overflowBytes > 0) {
    throw new Error(`${m.name}: wanted the ${kernels} kernels on one arena, got ${tape.arena.path} with ${tape.arena.overflowBytes} bytes outside it`);
  }
  model.fillBatch(rng);
  const optimizer = createOptimizer(tape.params, { kind: 'sgd', learningRate: LEARNING_RATE });
  return m.batch / timeSteps(() => {
    tape.forward();
    tape.backward(model.loss);
    optimizer.step();
  }, WINDOW_MS);
}

async function benchTf(m: BenchModel, backend: 'cpu' | 'wasm'): Promise<number | string> {
  await tf.setBackend(backend);
  await tf.ready();
  const rng = new Rng(1);
  const { model } = m.create(m.batch, rng, 'js');
  model.fillBatch(rng);
  const params = model.params.map((p) => tf.variable(tf.tensor(p.value, p.shape as number[])));
  const x = tf.tensor(model.input.value, model.input.currentShape());
  const y = tf.tensor(model.target.value, model.target.currentShape());
  const optimizer = tf.train.sgd(LEARNING_RATE);
  try {
    const step = (): void => {
      const loss = optimizer.minimize(() => model.tfLoss(tf, params, x, y), true, params);
      loss?.dataSync();
      loss?.dispose();
    };
    return m.batch / timeSteps(step, WINDOW_MS);
  } catch (e) {
    return `unsupported (${(e as Error).message.split('\n')[0]!.slice(0, 60)})`;
  } finally {
    tf.dispose([...params, x, y]);
    optimizer.dispose();
  }
}

function gflops(n: number, kernels: KernelPath): number {
  const rng = new Rng(1);
  const arena = kernels === 'wasm' ? Arena.wasm(3 * 4 * n * n) : Arena.js();
  const a = arena.floats(n * n);
  const b = arena.floats(n * n);
  const c = arena.floats(n * n);
  for (let i = 0; i < n * n; i++) {
    a[i] = rng.range(-1, 1);
    b[i] = rng.range(-1, 1);
  }
  const seconds = timeSteps(() => gemm(false, false, n, n, n, a, 0, b, 0, c, 0, false), WINDOW_MS);
  return (2 * n * n * n) / seconds / 1e9;
}

const fmt = (v: number | string): string => (typeof v === 'number' ? v.toFixed(v < 100 ? 1 : 0) : v);
const ratio = (ours: number, theirs: number | string): string => (typeof theirs === 'number' ? `${(ours / theirs).toFixed(1)}x` : '-');

it('engine vs TF.js', async () => {
const wasm = wasmKernelsSupported();
console.log(`Training samples per second (median of a full SGD step), Node ${process.version}, one thread`);
console.log(`gradflow: WebAssembly SIMD kernels${wasm ? '' : ' (unavailable here: TypeScript only)'}; gradflow-ts: the TypeScript kernels\n`);
const header = ['model', 'batch', 'gradflow', 'gradflow-ts', 'tfjs-cpu', 'ratio', 'tfjs-wasm', 'ratio'];
const rows: string[][] = [];
for (const m of models) {
  if (only && !m.name.toLowerCase().includes(only.toLowerCase())) continue;
  const ours = benchOurs(m, wasm ? 'wasm' : 'js');
  const oursTs = benchOurs(m, 'js');
  const cpu = await benchTf(m, 'cpu');
  const tfWasm = await benchTf(m, 'wasm');
  const row = [m.name, String(m.batch), fmt(ours), fmt(oursTs), fmt(cpu), ratio(ours, cpu), fmt(tfWasm), ratio(ours, tfWasm)];
  rows.push(row);
  console.log(row.join(' | '));
}
console.log('\n| ' + header.join(' | ') + ' |\n|' + header.map(() => '---').join('|') + '|');
for (const r of rows) console.log('| ' + r.join(' | ') + ' |');

console.log('\nmatmul (square, float32, one core): WebAssembly SIMD | TypeScript');
for (const n of [64, 128, 256, 512]) {
  console.log(`  ${String(n).padStart(4)}  ${wasm ? gflops(n, 'wasm').toFixed(2) : '-'} GFLOP/s | ${gflops(n, 'js').toFixed(2)} GFLOP/s`);
}
});
