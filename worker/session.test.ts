import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Comlink from 'comlink';
import { loadExample, readDatasetFile } from '../engine/testing/files';
import { remoteSession } from './testing';
import { TrainingSession } from './session';
import { MAX_SNAPSHOTS_PER_SECOND, MIN_SNAPSHOTS_PER_SECOND, SNAPSHOT_BUDGET, type Snapshot } from './protocol';
import { EDGE_STATS, NODE_STATS } from '../engine/compiler/plan';
import { Tape } from '../engine/core/tape';
import { setWasmKernelsDisabled } from '../engine/kernels/wasm';

let close: (() => void) | undefined;
afterEach(() => close?.());

/** A session over comlink with the spiral example loaded, and the snapshots it streams. */
async function loaded(file = 'spiral-mlp.json', edit?: (m: ReturnType<typeof loadExample>) => void) {
  const r = remoteSession();
  close = r.close;
  const snapshots: Snapshot[] = [];
  await r.api.subscribe(Comlink.proxy((s: Snapshot) => void snapshots.push(s)));
  const model = loadExample(file);
  // Long enough that a test's run never ends by itself unless the test asks for it.
  model.training.epochs = 10_000;
  edit?.(model);
  const info = await r.api.load(model);
  if (!info.ok) throw new Error(JSON.stringify(info.errors));
  return { ...r, snapshots, info, model };
}

const waitFor = async (check: () => boolean, ms = 10_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('TrainingSession through comlink over a MessageChannel', () => {
  it('loads, trains with falling loss, and stops when paused', async () => {
    const { api, snapshots, info } = await loaded();
    expect(info.edgeIds.length).toBe(6);
    await api.start();
    await waitFor(() => (snapshots.at(-1)?.epoch ?? 0) >= 60);
    await api.pause();
    await waitFor(() => snapshots.at(-1)!.state === 'paused');
    const last = snapshots.at(-1)!;
    const early = snapshots.find((s) => s.evaluation)!.evaluation!;
    expect(last.evaluation!.test.loss).toBeLessThan(early.test.loss * 0.7);
    expect(last.evaluation!.test.accuracy!).toBeGreaterThan(0.8);
    expect(last.edgeStats).toBeInstanceOf(Float32Array);
    expect(last.edgeStats.length).toBe(info.edgeIds.length * EDGE_STATS);
    expect(last.nodeStats.length).toBe(info.nodeIds.length * NODE_STATS);
    expect(last.edgeStats[0]).toBeGreaterThan(0); // gradient RMS on the first edge
    const stepAtPause = last.step;
    await new Promise((r) => setTimeout(r, 100));
    expect((await api.state()).step).toBe(stepAtPause);
    expect(snapshots.at(-1)!.step).toBe(stepAtPause);
  });

  it('stops by itself when the epoch count is reached, and Train goes on for as many more', async () => {
    const { api, snapshots } = await loaded('spiral-mlp.json', (m) => Object.assign(m.training, { epochs: 3, stopAtEpochs: true }));
    await api.start();
    await waitFor(() => snapshots.at(-1)!.state === 'done');
    const done = snapshots.at(-1)!;
    expect(done.epochTarget).toBe(3);
    // 480 training samples in batches of 32: 15 steps an epoch.
    expect(done.stepsPerEpoch).toBe(15);
    expect(done.step).toBe(45);
    expect(done.evaluation!.epoch).toBe(3);
    await api.start();
    await waitFor(() => snapshots.at(-1)!.state === 'done' && snapshots.at(-1)!.step > 45);
    expect(snapshots.at(-1)!.step).toBe(90);
    expect(snapshots.at(-1)!.epochTarget).toBe(6);
  });

  it("traces every step's batch loss, so a fast run's loss curve has a point per step", async () => {
    const { api, snapshots } = await loaded();
    await api.step(7);
    await api.step(5);
    const traced = snapshots.flatMap((s) => (s.lossTrace ? Array.from(s.lossTrace.losses, (_, k) => s.lossTrace!.firstStep + k) : []));
    expect(traced).toEqual(Array.from({ length: 12 }, (_, k) => k + 1));
    const last = snapshots.at(-1)!;
    expect(last.lossTrace!.losses.at(-1)).toBeCloseTo(last.trainLoss, 6);
  });

  it('carries histograms of the watched edge (gradient, values) and node (weights)', async () => {
    const { api, snapshots, info } = await loaded();
    await api.step(3);
    expect(snapshots.at(-1)!.watched).toBeUndefined();
    const edgeId = info.edgeIds[1]!; // dense 32 -> relu
    await api.watch(edgeId, 'n1');
    const w = snapshots.at(-1)!.watched!;
    expect(w.edgeId).toBe(edgeId);
    // A batch of 32 samples × 32 units.
    expect(w.gradient!.counts.reduce((a, b) => a + b)).toBe(32 * 32);
    expect(w.gradient!.min).toBeLessThan(0);
    expect(w.activation!.counts.reduce((a, b) => a + b)).toBe(32 * 32);
    // n1 is Dense(2 -> 32): 64 weights and 32 biases.
    expect(w.nodeId).toBe('n1');
    expect(w.weights!.counts.reduce((a, b) => a + b)).toBe(96);
    await api.watch(null, null);
    await api.step(1);
    expect(snapshots.at(-1)!.watched).toBeUndefined();
  });

  it('tells the page which kernels the loaded plan runs on: WebAssembly SIMD here, TypeScript when WebAssembly is off', async () => {
    const wasm = await loaded();
    // One thread: Node is no cross-origin isolated page (engine/kernels/threads.test.ts runs the threads).
    expect(wasm.info.engine).toEqual({ kernels: 'wasm', threads: 1, oneThreadReason: 'the page is not cross-origin isolated, so threads cannot share memory' });
    await wasm.api.step(3);
    const wasmLoss = wasm.snapshots.at(-1)!.trainLoss;
    wasm.close();
    setWasmKernelsDisabled(true);
    try {
      const js = await loaded();
      expect(js.info.engine).toEqual({
        kernels: 'js', threads: 1, fallbackReason: 'the WebAssembly kernels are turned off', oneThreadReason: 'the TypeScript kernels run on one thread',
      });
      await js.api.step(3);
      // The same run on the other kernels: the same losses, within float32 rounding.
      expect(js.snapshots.at(-1)!.trainLoss).toBeCloseTo(wasmLoss, 4);
    } finally {
      setWasmKernelsDisabled(false);
    }
  });

  it('step(5) takes exactly five steps and ends with one snapshot of them', async () => {
    const { api, snapshots } = await loaded();
    await api.step(5);
    expect((await api.state())).toEqual({ state: 'paused', step: 5 });
    expect(snapshots.at(-1)!.step).toBe(5);
    await api.step(5);
    expect(snapshots.at(-1)!.step).toBe(10);
  });

  it('applies a learning-rate change at the next step and reports it; refuses invalid or non-live settings with the reason', async () => {
    const { api, snapshots, info } = await loaded();
    await api.step(3);
    const norms = (s: Snapshot) => info.nodeIds.map((_, i) => s.nodeStats[i * NODE_STATS]).filter((v) => !Number.isNaN(v));
    // A rate of 0 would freeze training silently; the model format refuses it, and so does the worker.
    expect(await api.setTrainingSettings({ learningRate: 0 })).toEqual({ ok: false, errors: [expect.objectContaining({ path: 'learningRate' })] });
    // The seed and the dataset change what a run is: they need a new load, not a live change.
    const seed = await api.setTrainingSettings({ seed: 7 });
    expect(seed.ok).toBe(false);
    expect(!seed.ok && seed.errors[0]!.message).toMatch(/seed/);
    expect(await api.setTrainingSettings({ learningRate: 1e-12 })).toEqual({ ok: true });
    await api.step(1);
    expect(snapshots.at(-1)!.settingChanges).toEqual([{ step: 3, settings: { learningRate: 1e-12 } }]);
    const before = norms(snapshots.at(-1)!);
    await api.step(10);
    // Adam's steps are about the rate in size: 1e-12 leaves the float32 weights as they were.
    expect(norms(snapshots.at(-1)!)).toEqual(before);
    await api.setTrainingSettings({ learningRate: 0.05 });
    await api.step(2);
    expect(norms(snapshots.at(-1)!)).not.toEqual(before);
  });

  it('refuses a live batch size whose buffers would exceed the model budget, with the reason, and keeps training at the old one', async () => {
    const { api, snapshots } = await loaded('mnist-cnn.json');
    const refused = await api.setTrainingSettings({ batchSize: 4096 });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.errors[0]).toMatchObject({ path: 'batchSize', message: expect.stringMatching(/at batch size 4096/) });
    await api.step(1);
    expect(snapshots.at(-1)!.samplesSeen).toBe(32);
  });

  it('grows the batch beyond the plan by rebuilding it with the same weights', async () => {
    const { api, snapshots } = await loaded();
    await api.step(2);
    await api.setTrainingSettings({ batchSize: 100 });
    await api.step(1);
    expect(snapshots.at(-1)!.samplesSeen).toBe(64 + 100);
  });

  it('reset reproduces the first run bit for bit', async () => {
    const { api, snapshots } = await loaded();
    const run = async () => {
      const losses: number[] = [];
      for (let i = 0; i < 15; i++) {
        await api.step(1);
        losses.push(snapshots.at(-1)!.trainLoss);
      }
      return losses;
    };
    const first = await run();
    await api.reset();
    expect(snapshots.at(-1)!.step).toBe(0);
    expect(await run()).toEqual(first);
  });

  it('catches divergence with a huge learning rate, pauses, reports where and why, and recovers after reset', async () => {
    const { api, snapshots } = await loaded('spiral-mlp.json', (m) => {
      m.training.optimizer = 'sgd';
      m.training.learningRate = 10;
      m.nodes.find((n) => n.type === 'output')!.params = {};
      for (const n of m.nodes) if (n.type === 'relu') n.type = 'leaky_relu';
    });
    await api.setTrainingSettings({ learningRate: 1e8 });
    await api.start();
    await waitFor(() => snapshots.at(-1)!.state === 'diverged');
    const last = snapshots.at(-1)!;
    expect(last.divergence!.message).toMatch(/^Training diverged at step \d+: .*Lower the learning rate/);
    const step = last.step;
    await api.start(); // refused while diverged
    expect((await api.state()).step).toBe(step);
    await api.setTrainingSettings({ learningRate: 0.01 });
    await api.reset();
    await api.step(5);
    expect(snapshots.at(-1)!.state).toBe('paused');
    expect(Number.isFinite(snapshots.at(-1)!.trainLoss)).toBe(true);
  });

  it('streams at most 20 snapshots a second of its own clock while training, and reports its speed', async () => {
    // The session's clock is virtual here (a quarter millisecond per reading), so the rate limit is
    // checked against the time the session itself saw, however busy the machine running the test.
    let t = 0;
    const session = new TrainingSession({ readFile: readDatasetFile, now: () => (t += 0.25) });
    close = () => session.dispose();
    const snapshots: { at: number; s: Snapshot }[] = [];
    session.subscribe((s) => void snapshots.push({ at: t, s }));
    const model = loadExample('spiral-mlp.json');
    expect((await session.load(model)).ok).toBe(true);
    session.start();
    await waitFor(() => session.currentStep >= 3000, 120_000);
    await session.pause();
    const running = snapshots.filter((x) => x.s.state === 'training');
    const seconds = (running.at(-1)!.at - running[0]!.at) / 1000;
    expect(running.length).toBeGreaterThanOrEqual(5);
    expect((running.length - 1) / seconds).toBeLessThanOrEqual(20);
    expect(running.some((x) => x.s.samplesPerSecond > 0)).toBe(true);
  });

  it('reports its speed over training time only: a long pause does not drag the next readings down', async () => {
    let t = 0;
    const session = new TrainingSession({ readFile: readDatasetFile, now: () => (t += 0.25) });
    close = () => session.dispose();
    const sent: Snapshot[] = [];
    session.subscribe((s) => void sent.push(s));
    expect((await session.load(loadExample('spiral-mlp.json'))).ok).toBe(true);
    session.start();
    await waitFor(() => session.currentStep >= 2000, 120_000);
    await session.pause();
    const before = sent.filter((s) => s.state === 'training' && s.samplesPerSecond > 0).at(-1)!.samplesPerSecond;
    // Ten minutes away, then Train again.
    t += 600_000;
    const from = sent.length;
    session.start();
    await waitFor(() => session.currentStep >= 4000, 120_000);
    await session.pause();
    const after = sent.slice(from).filter((s) => s.state === 'training').map((s) => s.samplesPerSecond);
    expect(after.length).toBeGreaterThan(3);
    // Every reading is of the same order as before the pause (a window over the pause would read ~1/100 of it).
    for (const rate of after) expect(rate).toBeGreaterThan(before / 3);
  });

  it('spaces snapshots out when they are costly, so they take at most SNAPSHOT_BUDGET of the time, and keeps every step’s loss', async () => {
    // A virtual clock: each reading advances 0.25 ms, and posting a snapshot costs `postMs` of it.
    const paces: number[] = [];
    for (const postMs of [0, 6, 40]) {
      let t = 0;
      const session = new TrainingSession({ readFile: readDatasetFile, now: () => (t += 0.25) });
      close = () => session.dispose();
      const sent: { at: number; s: Snapshot }[] = [];
      session.subscribe((s) => {
        t += postMs;
        sent.push({ at: t, s });
      });
      expect((await session.load(loadExample('spiral-mlp.json'))).ok).toBe(true);
      session.start();
      await waitFor(() => session.currentStep >= 2000, 120_000);
      await session.pause();
      const running = sent.filter((x) => x.s.state === 'training');
      const seconds = (running.at(-1)!.at - running[0]!.at) / 1000;
      const perSecond = (running.length - 1) / seconds;
      paces.push(perSecond);
      expect(perSecond).toBeLessThanOrEqual(MAX_SNAPSHOTS_PER_SECOND);
      expect(perSecond).toBeGreaterThanOrEqual(MIN_SNAPSHOTS_PER_SECOND * 0.9);
      // What posting cost, over the training time: within the budget unless the floor of MIN_SNAPSHOTS_PER_SECOND holds it higher.
      if (postMs * MIN_SNAPSHOTS_PER_SECOND < 1000 * SNAPSHOT_BUDGET) expect((postMs * running.length) / 1000 / seconds).toBeLessThanOrEqual(SNAPSHOT_BUDGET * 1.2);
      // However rare the snapshots, the loss of every step reaches the page.
      const traced = sent.flatMap((x) => (x.s.lossTrace ? Array.from(x.s.lossTrace.losses, (_, k) => x.s.lossTrace!.firstStep + k) : []));
      const last = sent.at(-1)!.s.step;
      expect(traced.filter((step) => step >= 1 && step <= last)).toEqual(Array.from({ length: last }, (_, k) => k + 1));
      session.dispose();
    }
    console.log(`snapshots per second at 0, 6 and 40 ms a post: ${paces.map((p) => p.toFixed(1)).join(', ')}`);
    const [free, costly, heavy] = paces as [number, number, number];
    // Free posts: the full pace (less the slices’ granularity). 6 ms a post: 1000 × 0.03 / 6 = 5 a second. 40 ms: the floor of 4.
    expect(free).toBeGreaterThan(MAX_SNAPSHOTS_PER_SECOND * 0.7);
    expect(costly).toBeLessThan(free / 2);
    expect(heavy).toBeLessThanOrEqual(costly);
  });

  it('sends a decision-boundary grid of class probabilities for a 2D dataset', async () => {
    const { api, snapshots } = await loaded();
    const grid = snapshots.at(-1)!.grid!;
    expect(grid.resolution).toBe(64);
    expect(grid.channels).toBe(3);
    expect(grid.values.length).toBe(64 * 64 * 3);
    for (let i = 0; i < 64 * 64; i += 97) expect(grid.values[i * 3]! + grid.values[i * 3 + 1]! + grid.values[i * 3 + 2]!).toBeCloseTo(1, 5);
    const direct = await api.predictGrid(16);
    expect(direct!.values.length).toBe(16 * 16 * 3);
  });

  it('with unit maps on, each grid carries what the first 16 units of every Dense and activation output over it, with their incoming weights', async () => {
    const { api, snapshots, model } = await loaded();
    await api.step(20);
    expect(snapshots.at(-1)!.grid!.units).toBeUndefined();
    const before = snapshots.length;
    await api.unitMaps(true);
    await waitFor(() => snapshots.length > before);
    const grid = snapshots.at(-1)!.grid!;
    const cells = grid.resolution * grid.resolution;
    // Dense 32 → ReLU → Dense 32 → ReLU → Dense 3: five nodes with units, the Output none.
    expect(grid.units!.map((u) => [model.nodes.find((n) => n.id === u.nodeId)!.type, u.units, u.shown])).toEqual([
      ['dense', 32, 16],
      ['relu', 32, 16],
      ['dense', 32, 16],
      ['relu', 32, 16],
      ['dense', 3, 3],
    ]);
    const [dense, relu, , relu2] = grid.units!;
    expect(dense!.values.length).toBe(16 * cells);
    // The first Dense's unit u at a cell is w[0,u]·x + w[1,u]·y + b[u] at the cell's centre, with the weights the map carries.
    const { weights, bias, inputs } = dense!.incoming!;
    expect(inputs).toBe(2);
    expect(dense!.incoming!.nodeId).toBe(dense!.nodeId);
    const { xMin, xMax, yMin, yMax } = grid.extent;
    const r = grid.resolution;
    for (const [u, i, j] of [[0, 0, 0], [5, 17, 40], [15, 63, 63]] as const) {
      const x = xMin + ((xMax - xMin) * (i + 0.5)) / r;
      const y = yMin + ((yMax - yMin) * (j + 0.5)) / r;
      expect(dense!.values[u * cells + j * r + i]).toBeCloseTo(weights[u * 2]! * x + weights[u * 2 + 1]! * y + bias![u]!, 4);
    }
    // The ReLU after it: the same units through max(0, ·), with the Dense's weights as its incoming ones.
    for (let k = 0; k < 16 * cells; k += 131) expect(relu!.values[k]).toBeCloseTo(Math.max(0, dense!.values[k]!), 5);
    expect(relu!.incoming!.nodeId).toBe(dense!.nodeId);
    expect(Array.from(relu!.incoming!.weights)).toEqual(Array.from(weights));
    expect(relu2!.incoming!.inputs).toBe(32);
    // Off again: grids go back to the boundary alone.
    await api.unitMaps(false);
    await api.step(1);
    expect(snapshots.at(-1)!.grid!.units).toBeUndefined();
  });

  it('a new load while training stops the old run cleanly', async () => {
    const { api, snapshots } = await loaded();
    await api.start();
    await waitFor(() => snapshots.length > 3);
    const info = await api.load(loadExample('iris.json'));
    expect(info.ok).toBe(true);
    const after = snapshots.length;
    await new Promise((r) => setTimeout(r, 100));
    expect((await api.state())).toEqual({ state: 'ready', step: 0 });
    expect(snapshots.slice(after).every((s) => s.step === 0)).toBe(true);
  });

  it('refuses bad input with messages that say what and where', async () => {
    const { api } = await loaded();
    const bad = await api.load({ format: 'gradflow.model', version: 1, nodes: [{ id: 'a', type: 'input' }], edges: [], training: { learningRate: -1 } });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors.map((e) => e.message)).toContain('training.learningRate: must be greater than 0, got -1');
    const wrong = loadExample('iris.json');
    wrong.nodes.find((n) => n.type === 'dense' && n.params.units === 3)!.params.units = 4;
    const graph = await api.load(wrong);
    expect(!graph.ok && graph.errors[0]).toMatchObject({ nodeId: expect.any(String), message: expect.stringContaining('Iris has 3 classes') });
    const csv = await api.load(loadExample('iris.json'), { text: 'a,b,label\n1,x,0\n' });
    expect(!csv.ok && csv.errors[0]!.message).toMatch(/^Dataset: /);
  });

  it('reports an allocation failure while the model is built as the model being too large, not as a dataset problem', async () => {
    // What V8 throws when a typed array cannot be allocated, thrown here by the first weight.
    const allocate = vi.spyOn(Tape.prototype, 'param').mockImplementation(() => {
      throw new RangeError('Array buffer allocation failed');
    });
    try {
      const result = await new TrainingSession({ readFile: readDatasetFile }).load(loadExample('mnist-mlp.json'));
      expect(result.ok).toBe(false);
      const message = !result.ok ? result.errors.map((e) => e.message).join('\n') : '';
      expect(message).toMatch(/^The model needs about 5\.\d MB of memory, more than this tab could allocate\. Make it smaller .*or train with a smaller batch size\.$/);
      expect(message).not.toContain('dataset');
    } finally {
      allocate.mockRestore();
    }
  });

  it('for image classification, sends the sample images once and then predictions on them and a confusion matrix', async () => {
    // The MNIST MLP on the 8×8 digits (1,797 images; a small, fast stand-in with the same views).
    const { api, snapshots, info } = await loaded('mnist-mlp.json', (m) => (m.training.dataset = 'digits'));
    const samples = info.samples!;
    expect(samples.count).toBe(24);
    expect([samples.rows, samples.cols]).toEqual([8, 8]);
    expect(samples.pixels.length).toBe(24 * 64);
    expect(samples.classNames).toHaveLength(10);
    // Pixels are the images, not blank: digits have dark background and bright strokes.
    expect(Math.max(...samples.pixels)).toBe(255);
    expect(samples.pixels.filter((p) => p === 0).length).toBeGreaterThan(24 * 10);
    // The untrained model's evaluation at load carries the confusion matrix of the test split.
    const first = snapshots.at(-1)!;
    expect(first.step).toBe(0);
    expect(first.samples!.predicted).toHaveLength(24);
    expect(first.confusion!.classes).toBe(10);
    // Every test image is counted once; rows are the true classes.
    const counts = first.confusion!.counts;
    expect(counts.reduce((a, b) => a + b, 0)).toBe(info.testCount);
    // Train two epochs: the diagonal (correct predictions) must then hold most of the test split,
    // and agree with the reported test accuracy.
    await api.setTrainingSettings({ epochs: 2, stopAtEpochs: true });
    await api.start();
    await waitFor(() => snapshots.at(-1)!.state === 'done');
    const done = snapshots.filter((s) => s.confusion).at(-1)!;
    const diagonal = Array.from({ length: 10 }, (_, c) => done.confusion!.counts[c * 10 + c]!).reduce((a, b) => a + b, 0);
    expect(diagonal / info.testCount).toBeGreaterThan(0.8);
    expect(diagonal / info.testCount).toBeCloseTo(done.evaluation!.test.accuracy!, 5);
    const predicted = snapshots.filter((s) => s.samples).at(-1)!.samples!;
    const right = predicted.predicted.filter((p, i) => p === samples.labels[i]).length;
    expect(right).toBeGreaterThan(24 * 0.6);
    // The model grows sure of itself: its mean confidence rises well above the untrained one.
    const mean = (c: Float32Array) => c.reduce((a, b) => a + b, 0) / c.length;
    expect(mean(predicted.confidence)).toBeGreaterThan(mean(first.samples!.confidence) + 0.2);
  });
});
