import { describe, expect, it } from 'vitest';
import { createTrainingRun } from '../engine/train/run';
import { loadExample, readDatasetFile } from '../engine/testing/files';
import { QUANTILE_LEVELS } from '../engine/train/histogram';
import { DISTRIBUTION_COLUMNS, DistributionHistory } from './distributions';

const LEVELS = QUANTILE_LEVELS.length;

describe('distributions over time', () => {
  it('keep every step until full, then thin to an even spacing over the whole run, the first step kept', async () => {
    const { plan, trainer } = await createTrainingRun(loadExample('spiral-mlp.json'), readDatasetFile);
    const history = new DistributionHistory(plan);
    const edge = plan.edges[1]!.id;
    for (let s = 0; s < 1000; s++) {
      trainer.trainStep();
      history.capture(plan, trainer.step);
    }
    const series = history.series(plan, 'gradient', edge)!;
    const steps = Array.from(series.steps);
    expect(series.levels).toBe(LEVELS);
    expect(steps.length).toBeGreaterThan(DISTRIBUTION_COLUMNS / 2);
    expect(steps.length).toBeLessThanOrEqual(DISTRIBUTION_COLUMNS);
    expect(steps[0]).toBe(1);
    // Thinned four times (120 columns at 1, 2, 4 and 8 steps apart filled by step 959): 16 steps apart…
    const gaps = steps.slice(1).map((s, i) => s - steps[i]!);
    expect(new Set(gaps.slice(0, -1))).toEqual(new Set([16]));
    // …and the last column is the latest step, whether or not it was due.
    expect(steps.at(-1)).toBe(1000);
    expect(gaps.at(-1)).toBeLessThanOrEqual(16);
    // Each column's quantiles rise from the smallest to the largest.
    for (let c = 0; c < steps.length; c++) for (let k = 1; k < LEVELS; k++) expect(series.quantiles[c * LEVELS + k]).toBeGreaterThanOrEqual(series.quantiles[c * LEVELS + k - 1]!);
  });

  it('read the tensors of the step: the last column is the current gradient’s and weights’ range', async () => {
    const { plan, trainer } = await createTrainingRun(loadExample('spiral-mlp.json'), readDatasetFile);
    const history = new DistributionHistory(plan);
    for (let s = 0; s < 5; s++) {
      trainer.trainStep();
      history.capture(plan, trainer.step);
    }
    const edge = plan.edges[1]!;
    const grad = edge.tensor!.grad.subarray(0, edge.tensor!.size);
    const gradient = history.series(plan, 'gradient', edge.id)!;
    const last = gradient.quantiles.subarray((gradient.steps.length - 1) * LEVELS);
    // The edge's gradient has 32 × 32 values: all sampled, so the ends are exact.
    expect(last[0]).toBe(Math.min(...grad));
    expect(last[LEVELS - 1]).toBe(Math.max(...grad));
    const dense = plan.nodes.find((n) => n.type === 'dense')!;
    const weights = history.series(plan, 'weights', dense.id)!;
    const all = dense.params.flatMap((p) => Array.from(p.value.subarray(0, p.size)));
    const w = weights.quantiles.subarray((weights.steps.length - 1) * LEVELS);
    expect(w[0]).toBe(Math.min(...all));
    expect(w[LEVELS - 1]).toBe(Math.max(...all));
    // A layer without weights has no series; a cleared history none at all.
    expect(history.series(plan, 'weights', plan.nodes.find((n) => n.type === 'relu')!.id)).toBeUndefined();
    history.clear();
    expect(history.series(plan, 'gradient', edge.id)).toBeUndefined();
  });
});
