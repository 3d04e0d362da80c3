import { describe, expect, it } from 'vitest';
import { createTrainingRun, type TrainingRun } from './run';
import { loadExample, readDatasetFile } from '../testing/files';
import { EDGE_STATS } from '../compiler/plan';

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
