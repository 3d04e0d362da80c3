/**
 * npm run bench — our engine against PyTorch on the CPU, one thread each, in one run: the models
 * of engine/testing/reference-models.ts (timed as bench/engine-vs-tfjs.bench-run.ts times them:
 * plain SGD, a fixed random batch, median of a full step) and one epoch of the MNIST CNN example
 * (examples/mnist-cnn.json with its own optimizer, batch size and training digits).
 *
 * The PyTorch side is bench/torch_twin.py, run with /usr/bin/python3 (Debian's python3-torch:
 * `apt-get install -y python3-torch`). Without torch it prints "skipped: no torch" and so does
 * this bench, which then passes: the ratio is reported, never asserted.
 *
 * Environment: BENCH_QUICK=1 (shorter timing windows, one MNIST epoch instead of the median of
 * three), BENCH_ONLY=<model name substring> ("mnist" for the epoch only); both reach the twin.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { it } from 'vitest';
import { timeSteps } from './timing';
import { Arena } from '../engine/core/arena';
import { Rng } from '../engine/core/rng';
import { Tape } from '../engine/core/tape';
import { createOptimizer } from '../engine/optim';
import { loadExample, readDatasetFile } from '../engine/testing/files';
import { cnn, lstm, mlp, type ReferenceModel } from '../engine/testing/reference-models';
import { createTrainingRun } from '../engine/train/run';

const quick = process.env.BENCH_QUICK === '1';
const only = process.env.BENCH_ONLY?.toLowerCase();
const WINDOW_MS = quick ? 600 : 2000;
const LEARNING_RATE = 0.01;
const MNIST_NAME = 'MNIST CNN epoch';
const WARMUP_STEPS = 20;
const selected = (name: string): boolean => !only || name.toLowerCase().includes(only);

interface BenchModel {
  name: string;
  batch: number;
  build(tape: Tape, rng: Rng): ReferenceModel;
}

// Names, sizes and batches as in bench/engine-vs-tfjs.bench-run.ts; bench/torch_twin.py uses the same names.
const models: BenchModel[] = [
  { name: 'MLP 2-16-16-2 tanh', batch: 32, build: (t, r) => mlp(t, [2, 16, 16, 2], 'tanh', r) },
  { name: 'MLP 784-128-64-10 relu', batch: 64, build: (t, r) => mlp(t, [784, 128, 64, 10], 'relu', r) },
  { name: 'CNN 28x28 conv8-pool-conv16-pool-dense10', batch: 32, build: (t, r) => cnn(t, r, 28, 10) },
  { name: 'LSTM 32 units x 20 steps', batch: 32, build: (t, r) => lstm(t, r, 20, 1, 32) },
];

function benchOurs(m: BenchModel): number {
  const rng = new Rng(1);
  // The kernels a plan runs on by default (WebAssembly SIMD where supported), on one arena.
  const tape = new Tape({ maxBatch: m.batch, seed: 1, arena: Arena.wasm(256 << 20) });
  const model = m.build(tape, rng);
  model.fillBatch(rng);
  const optimizer = createOptimizer(tape.params, { kind: 'sgd', learningRate: LEARNING_RATE });
  return m.batch / timeSteps(() => {
    tape.forward();
    tape.backward(model.loss);
    optimizer.step();
  }, WINDOW_MS);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Seconds per epoch of the MNIST CNN example (wall clock and this process's CPU time): warm-up
 * steps, a reset, then whole epochs of trainStep (median of three, one when quick).
 */
async function oursMnistEpoch(): Promise<{ seconds: number; cpuSeconds: number; samples: number; batch: number; optimizer: string }> {
  const model = loadExample('mnist-cnn.json');
  const { trainer, split } = await createTrainingRun(model, readDatasetFile);
  for (let s = 0; s < WARMUP_STEPS; s++) trainer.trainStep();
  trainer.reset();
  const epochs: number[] = [];
  const cpu: number[] = [];
  for (let e = 0; e < (quick ? 1 : 3); e++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let s = 0; s < trainer.stepsPerEpoch; s++) trainer.trainStep();
    epochs.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
  }
  return { seconds: median(epochs), cpuSeconds: median(cpu), samples: split.train.count, batch: trainer.batchSize, optimizer: model.training.optimizer };
}

interface TorchModelLine {
  model: string;
  batch: number;
  samples_per_s: number;
}
interface TorchMnistLine {
  mnist_cnn_epoch_s: number;
  mnist_cnn_epoch_cpu_s: number;
  samples: number;
  data: string;
}
interface TorchResult {
  version: string;
  models: Map<string, TorchModelLine>;
  mnist?: TorchMnistLine;
}

/** Runs the twin; null when torch (or Python) is missing. A twin that fails otherwise fails the bench. */
function runTorch(): TorchResult | null {
  const script = fileURLToPath(new URL('./torch_twin.py', import.meta.url));
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const run = spawnSync(python, [script], { encoding: 'utf8', env: { ...process.env, BENCH_QUICK: quick ? '1' : '0' }, timeout: 20 * 60_000, maxBuffer: 16 << 20 });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return null;
  if (run.error) throw run.error;
  if (run.stdout.includes('skipped: no torch')) return null;
  if (run.status !== 0) throw new Error(`${python} bench/torch_twin.py exited with ${run.status}:\n${run.stderr}`);
  const result: TorchResult = { version: '?', models: new Map() };
  for (const line of run.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const obj = JSON.parse(line) as Record<string, unknown>;
    if (typeof obj.torch === 'string') result.version = obj.torch;
    else if (typeof obj.model === 'string') result.models.set(obj.model, obj as unknown as TorchModelLine);
    else if (typeof obj.mnist_cnn_epoch_s === 'number') result.mnist = obj as unknown as TorchMnistLine;
  }
  return result;
}

const fmt = (v: number): string => v.toFixed(v < 100 ? 1 : 0);
const times = (v: number): string => `${v.toFixed(2)}x`;

function table(header: string[], rows: string[][]): string {
  return ['| ' + header.join(' | ') + ' |', '|' + header.map(() => '---').join('|') + '|', ...rows.map((r) => '| ' + r.join(' | ') + ' |')].join('\n');
}

it('engine vs PyTorch', async () => {
  const torch = runTorch();
  if (!torch) {
    console.log('engine vs PyTorch: skipped: no torch (apt-get install -y python3-torch)');
    return;
  }
  console.log(`\nTraining samples per second (median of a full SGD step, lr ${LEARNING_RATE}), Node ${process.version} vs PyTorch ${torch.version}, one thread each\n`);
  const rows: string[][] = [];
  for (const m of models) {
    if (!selected(m.name)) continue;
    const ours = benchOurs(m);
    const theirs = torch.models.get(m.name);
    rows.push([m.name, String(m.batch), fmt(ours), theirs ? fmt(theirs.samples_per_s) : '-', theirs ? times(theirs.samples_per_s / ours) : '-']);
  }
  if (rows.length > 0) console.log(table(['model', 'batch', 'ours samples/s', 'torch samples/s', 'torch/ours'], rows));

  if (selected(MNIST_NAME)) {
    const ours = await oursMnistEpoch();
    const theirs = torch.mnist;
    console.log(`\n${MNIST_NAME} (examples/mnist-cnn.json: ${ours.samples} training digits, batch ${ours.batch}, ${ours.optimizer}, dropout on; ${quick ? 'one epoch' : 'median of three epochs'} after ${WARMUP_STEPS} warm-up steps)\n`);
    const row = (what: string, o: number, t: number | undefined): string[] => [what, o.toFixed(2), t !== undefined ? t.toFixed(2) : '-', t !== undefined ? times(o / t) : '-'];
    console.log(
      table(['MNIST CNN', 'ours s/epoch', 'torch s/epoch', 'torch/ours (speed)'], [
        row('wall clock', ours.seconds, theirs?.mnist_cnn_epoch_s),
        // Less sensitive to other processes on a shared machine (ours includes Node's GC threads).
        row('CPU time', ours.cpuSeconds, theirs?.mnist_cnn_epoch_cpu_s),
      ]),
    );
    if (theirs) console.log(`torch data: ${theirs.data}`);
  }
});
