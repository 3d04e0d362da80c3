import { describe, expect, it } from 'vitest';
import { buildPlan } from '../compiler/plan';
import { chain } from '../compiler/fixtures';
import { spiral } from '../data/synthetic';
import { splitDataset } from '../data/split';
import { Trainer } from './trainer';
import type { TrainingSettings } from './settings';

const settings: TrainingSettings = { optimizer: 'adam', learningRate: 0.02, batchSize: 16, epochs: 1, testFraction: 0.25, seed: 3, l2: 0 };
const graph = chain({ type: 'dense', params: { units: 32 } }, { type: 'relu' }, { type: 'dropout', params: { rate: 0.1 } }, { type: 'dense', params: { units: 32 } }, { type: 'relu' }, { type: 'dense', params: { units: 3 } });

function setup(overrides: Partial<TrainingSettings> = {}) {
  const s = { ...settings, ...overrides };
  const data = splitDataset(spiral({ count: 150, classes: 3, noise: 0.05, seed: 1 }), { testFraction: s.testFraction, seed: s.seed });
  const plan = buildPlan(graph, data.info, { maxBatch: s.batchSize, seed: s.seed });
  return new Trainer(plan, data, s);
}

/** Linear regression y = 2x with plain SGD: an unbounded loss, so a huge learning rate overflows. */
function lineTrainer(learningRate: number): Trainer {
  const data = splitDataset({ info: { id: 'line', name: 'Line', task: 'regression', inputShape: [1], targetShape: [1], count: 40 }, x: Float32Array.from({ length: 40 }, (_, i) => i / 40), y: Float32Array.from({ length: 40 }, (_, i) => (2 * i) / 40) }, { testFraction: 0.25, seed: 1 });
  return new Trainer(buildPlan(chain({ type: 'dense', params: { units: 1 } }), data.info, { maxBatch: 8, seed: 1 }), data, { ...settings, optimizer: 'sgd', batchSize: 8, learningRate });
}

describe('Trainer', () => {
  it('walks shuffled mini-batches: 112 samples at batch 16 is 7 steps an epoch, and the epoch counter follows', () => {
    const t = setup();
    expect(t.stepsPerEpoch).toBe(7);
    for (let i = 0; i < 7; i++) t.trainStep();
    expect([t.epoch, t.samplesSeen, t.epochDone]).toEqual([0, 112, true]);
    t.trainStep();
    expect([t.epoch, t.samplesSeen]).toEqual([1, 128]);
  });

  it('handles a short final batch (100 samples at batch 32: 32, 32, 32, 4)', () => {
    const s = { ...settings, batchSize: 32 };
    const data = splitDataset(spiral({ count: 125, classes: 3, seed: 2 }), { testFraction: 0.2, seed: 1 });
    const t = new Trainer(buildPlan(graph, data.info, { maxBatch: 32, seed: 1 }), data, s);
    const sizes = Array.from({ length: 4 }, () => (t.trainStep(), t.plan.tape.batch));
    expect(sizes).toEqual([32, 32, 32, 4]);
  });

  it('learns: the loss falls and accuracy rises over a few epochs', () => {
    const t = setup();
    const before = t.evaluate('train');
    for (let i = 0; i < 7 * 60; i++) t.trainStep();
    const after = t.evaluate('train');
    expect(after.loss).toBeLessThan(before.loss * 0.6);
    expect(after.accuracy!).toBeGreaterThan(before.accuracy! + 0.2);
  });

  it('reset reproduces the same run bit for bit (weights, shuffles and dropout masks)', () => {
    const t = setup();
    const first = Array.from({ length: 20 }, () => t.trainStep().loss);
    t.reset();
    const second = Array.from({ length: 20 }, () => t.trainStep().loss);
    expect(second).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(10);
  });

  it('evaluates in eval mode: dropout off, so evaluation is deterministic', () => {
    const t = setup();
    for (let i = 0; i < 10; i++) t.trainStep();
    expect(t.evaluate('test')).toEqual(t.evaluate('test'));
    expect(t.plan.tape.training).toBe(true);
  });

  it('catches divergence with a huge learning rate, names where it happened, and keeps the weights finite', () => {
    const t = lineTrainer(1e4);
    let divergence;
    for (let i = 0; i < 200 && !divergence; i++) divergence = t.trainStep().divergence;
    expect(divergence).toBeDefined();
    expect(divergence!.message).toMatch(/^Training diverged at step \d+: .*Lower the learning rate/);
    expect(divergence!.where.kind).not.toBe('node'); // the optimizer refused the non-finite update
    for (const p of t.plan.params) expect(p.value.every(Number.isFinite)).toBe(true);
    t.reset();
    t.setLearningRate(0.01);
    expect(Number.isFinite(t.trainStep().loss)).toBe(true);
  });

  it('keeps running training metrics over the batches of the epoch, close to a full evaluation', () => {
    const t = setup();
    expect(t.trainMetrics).toBeUndefined();
    for (let i = 0; i < 7 * 40; i++) t.trainStep();
    const running = t.trainMetrics!;
    const full = t.evaluate('train');
    expect(running.accuracy!).toBeGreaterThan(0.5);
    expect(Math.abs(running.accuracy! - full.accuracy!)).toBeLessThan(0.15);
    t.reset();
    expect(t.trainMetrics).toBeUndefined();
  });

  it('reports mean absolute error for regression', () => {
    const t = lineTrainer(0.1);
    for (let i = 0; i < 300; i++) t.trainStep();
    const m = t.evaluate('test');
    expect(m.accuracy).toBeUndefined();
    expect(m.mae!).toBeLessThan(0.05);
  });
});
