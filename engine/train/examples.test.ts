import { describe, expect, it } from 'vitest';
import { createTrainingRun, type TrainingRun } from './run';
import { loadExample, readDatasetFile } from '../testing/files';
import { EDGE_STATS } from '../compiler/plan';
import type { ModelDefinition } from '../model';

/** Trains for the model file's epochs; returns the final test metrics. */
async function train(file: string): Promise<{ run: TrainingRun; test: { loss: number; accuracy?: number } }> {
  const model = loadExample(file);
  const run = await createTrainingRun(model, readDatasetFile);
  const { trainer } = run;
  const steps = trainer.stepsPerEpoch * model.training.epochs;
  for (let s = 0; s < steps; s++) {
    const r = trainer.trainStep();
    if (r.divergence) throw new Error(r.divergence.message);
  }
  return { run, test: trainer.evaluate('test') };
}

// Bars from the issue, with each model file's own seed (42) and settings.
describe('example models train headlessly to their bars', () => {
  it('spiral MLP with ReLU reaches at least 95% test accuracy', async () => {
    const { test } = await train('spiral-mlp.json');
    console.log(`spiral-mlp: test accuracy ${(test.accuracy! * 100).toFixed(1)}%`);
    expect(test.accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('iris classifier reaches at least 93% test accuracy', async () => {
    const { test } = await train('iris.json');
    console.log(`iris: test accuracy ${(test.accuracy! * 100).toFixed(1)}%`);
    expect(test.accuracy).toBeGreaterThanOrEqual(0.93);
  });

  it('residual MLP (with add) reaches at least 95% test accuracy on the spiral', async () => {
    const { test } = await train('residual-mlp.json');
    console.log(`residual-mlp: test accuracy ${(test.accuracy! * 100).toFixed(1)}%`);
    expect(test.accuracy).toBeGreaterThanOrEqual(0.95);
  });
});

/** Gradient RMS on the first and last hidden edges (input side, loss side), averaged over steps 50..100. */
async function firstAndLastEdgeRms(file: string): Promise<{ first: number; last: number }> {
  const model = loadExample(file);
  const { trainer, plan } = await createTrainingRun(model, readDatasetFile);
  const stats = new Float32Array(plan.edges.length * EDGE_STATS);
  // Hidden edges: from each dense to its activation, in forward order.
  const hidden = plan.edges.filter((e) => model.nodes.find((n) => n.id === e.source)!.type === 'dense' && model.nodes.find((n) => n.id === e.target)!.type !== 'output');
  const index = (id: string) => plan.edges.findIndex((e) => e.id === id);
  let first = 0;
  let last = 0;
  for (let s = 1; s <= 100; s++) {
    trainer.trainStep();
    if (s <= 50) continue;
    plan.edgeStats(stats);
    first += stats[index(hidden[0]!.id) * EDGE_STATS]!;
    last += stats[index(hidden[hidden.length - 2]!.id) * EDGE_STATS]!;
  }
  return { first: first / 50, last: last / 50 };
}

describe('vanishing gradients show in the per-edge numbers', () => {
  it('a deep sigmoid stack starves its first layer; ReLU with He init does not', async () => {
    const sigmoid = await firstAndLastEdgeRms('deep-sigmoid.json');
    const relu = await firstAndLastEdgeRms('deep-relu-he.json');
    const sigmoidRatio = sigmoid.last / sigmoid.first;
    const reluRatio = relu.last / relu.first;
    console.log(`last/first hidden-edge gradient RMS: sigmoid ${sigmoidRatio.toExponential(2)} (first ${sigmoid.first.toExponential(2)}, last ${sigmoid.last.toExponential(2)}); relu+he ${reluRatio.toFixed(2)} (first ${relu.first.toExponential(2)}, last ${relu.last.toExponential(2)})`);
    expect(sigmoidRatio).toBeGreaterThanOrEqual(100);
    expect(reluRatio).toBeLessThanOrEqual(10);
    expect(reluRatio).toBeGreaterThanOrEqual(0.1);
  });
});

/** Train and test loss and accuracy after the model's epochs, or the divergence that stopped it. */
async function trainModel(model: ModelDefinition) {
  const run = await createTrainingRun(model, readDatasetFile);
  const { trainer } = run;
  const steps = trainer.stepsPerEpoch * model.training.epochs;
  for (let s = 0; s < steps; s++) {
    const r = trainer.trainStep();
    if (r.divergence) return { run, divergence: r.divergence };
  }
  return { run, train: trainer.evaluate('train'), test: trainer.evaluate('test') };
}

const withoutTypes = (model: ModelDefinition, type: string) => model.nodes.filter((n) => n.type !== type).map((n) => n.type);

// The templates of the explainer's remaining ideas (issue 16): each lesson, held true with the file's own seed.
describe('the lessons of the seed templates hold', () => {
  it('no bend: Dense layers with no activation cannot fit the spiral (< 70%); the same network with ReLU between them can (≥ 95%)', async () => {
    const linear = loadExample('no-bend.json');
    const relu = loadExample('spiral-mlp.json');
    // The same network and settings but for the ReLUs.
    expect(linear.training).toEqual(relu.training);
    expect(linear.nodes.map((n) => n.type)).toEqual(withoutTypes(relu, 'relu'));
    expect(linear.nodes.filter((n) => n.type === 'dense').map((n) => n.params)).toEqual(relu.nodes.filter((n) => n.type === 'dense').map((n) => n.params));
    const a = await trainModel(linear);
    const b = await trainModel(relu);
    console.log(`no bend: test accuracy ${(a.test!.accuracy! * 100).toFixed(1)}% without activations, ${(b.test!.accuracy! * 100).toFixed(1)}% with ReLU`);
    expect(a.test!.accuracy).toBeLessThan(0.7);
    expect(b.test!.accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('overfitting and dropout: on a small training split, the train/test gap with dropout is at most half the gap without (same seed)', async () => {
    const dropout = loadExample('overfit-dropout.json');
    expect(dropout.training.testFraction).toBeGreaterThanOrEqual(0.8);
    // The lesson's own move: both Dropout rates set to 0.
    const none: ModelDefinition = { ...dropout, nodes: dropout.nodes.map((n) => (n.type === 'dropout' ? { ...n, params: { ...n.params, rate: 0 } } : n)) };
    expect(dropout.nodes.filter((n) => n.type === 'dropout').map((n) => n.params.rate)).toEqual([0.5, 0.5]);
    const on = await trainModel(dropout);
    const off = await trainModel(none);
    const gaps = (r: typeof on) => ({ loss: r.test!.loss - r.train!.loss, accuracy: r.train!.accuracy! - r.test!.accuracy! });
    const g = { on: gaps(on), off: gaps(off) };
    console.log(
      `overfitting: without dropout train/test loss ${off.train!.loss.toFixed(3)}/${off.test!.loss.toFixed(3)}, accuracy ${off.train!.accuracy!.toFixed(3)}/${off.test!.accuracy!.toFixed(3)}; ` +
        `with dropout ${on.train!.loss.toFixed(3)}/${on.test!.loss.toFixed(3)}, ${on.train!.accuracy!.toFixed(3)}/${on.test!.accuracy!.toFixed(3)}`,
    );
    // Without dropout it memorizes its training points: near-zero train loss, a wide gap.
    expect(off.train!.loss).toBeLessThan(0.1);
    expect(g.off.loss).toBeGreaterThan(0.5);
    expect(g.on.loss).toBeLessThanOrEqual(g.off.loss / 2);
    expect(g.on.accuracy).toBeLessThanOrEqual(g.off.accuracy / 2);
    expect(on.test!.accuracy).toBeGreaterThan(off.test!.accuracy!);
  });

  it('learning rate too high: the run diverges, is caught and told to lower the rate; one tenth of it converges', async () => {
    const high = loadExample('lr-too-high.json');
    const diverged = await trainModel(high);
    expect(diverged.divergence, 'the template diverges').toBeDefined();
    const { divergence } = diverged;
    console.log(`learning rate ${high.training.learningRate}: ${divergence!.message}`);
    expect(divergence!.step).toBeLessThanOrEqual(4 * diverged.run.trainer.stepsPerEpoch);
    expect(divergence!.message).toMatch(/^Training diverged at step \d+: .*Lower the learning rate \(try 10× smaller\)/);

    const low: ModelDefinition = { ...high, training: { ...high.training, learningRate: high.training.learningRate / 10 } };
    const converged = await trainModel(low);
    expect(converged.divergence).toBeUndefined();
    // Against predicting the mean of the test targets (the loss of a model that learned nothing).
    const y = converged.run.trainer.data.test.y;
    const mean = y.reduce((t, v) => t + v, 0) / y.length;
    const baseline = y.reduce((t, v) => t + (v - mean) ** 2, 0) / y.length;
    console.log(`learning rate ${low.training.learningRate}: test MSE ${converged.test!.loss.toFixed(4)} (predicting the mean: ${baseline.toFixed(4)})`);
    expect(converged.test!.loss).toBeLessThan(0.2 * baseline);
  });
});
