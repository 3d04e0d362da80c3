import { describe, expect, it } from 'vitest';
import { EDGE_STATS } from '../../engine/compiler/plan';
import type { Snapshot } from '../../worker/protocol';
import { MAX_POINTS, RunHistory } from './history';

function snap(step: number, rms: number[]): Snapshot {
  const edgeStats = new Float32Array(rms.length * EDGE_STATS);
  rms.forEach((r, i) => (edgeStats[i * EDGE_STATS] = r));
  return { runId: 1, state: 'training', step, epoch: 0, samplesSeen: step * 32, samplesPerSecond: 1, trainLoss: 1 / step, runningLoss: 1 / step, epochTarget: 20, stepsPerEpoch: 15, edgeStats, nodeStats: new Float32Array(0) };
}

describe('RunHistory', () => {
  it('records loss and each edge gradient RMS per step, skipping step 0 and repeats', () => {
    const h = new RunHistory();
    h.reset(['e1', 'e2']);
    h.push(snap(0, [NaN, NaN]));
    h.push(snap(5, [0.5, 0.25]));
    h.push(snap(5, [0.5, 0.25]));
    h.push(snap(9, [0.4, 0.125]));
    expect(h.steps).toEqual([5, 9]);
    expect(h.trainLoss).toEqual([1 / 5, 1 / 9]);
    expect(h.edgeRms.get('e2')).toEqual([0.25, 0.125]);
  });

  it('starts over when the step counter goes back (a reset)', () => {
    const h = new RunHistory();
    h.reset(['e1']);
    h.push(snap(10, [1]));
    h.push(snap(3, [2]));
    expect(h.steps).toEqual([3]);
    expect(h.edgeRms.get('e1')).toEqual([2]);
  });

  it('stays bounded by thinning, keeping the newest point', () => {
    const h = new RunHistory();
    h.reset(['e1']);
    for (let s = 1; s <= MAX_POINTS * 3; s++) h.push(snap(s, [s]));
    expect(h.steps.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(h.steps.at(-1)).toBe(MAX_POINTS * 3);
    expect(h.edgeRms.get('e1')!.length).toBe(h.steps.length);
    expect(h.lossSteps.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(h.trainLoss.length).toBe(h.lossSteps.length);
  });

  it("records every step's loss from the snapshots' traces, once each", () => {
    const h = new RunHistory();
    h.reset(['e1']);
    h.push({ ...snap(3, [1]), lossTrace: { firstStep: 1, losses: Float32Array.of(0.9, 0.8, 0.7) } });
    // A forced snapshot may repeat steps already traced; they are not added twice.
    h.push({ ...snap(5, [1]), lossTrace: { firstStep: 3, losses: Float32Array.of(0.7, 0.6, 0.5) } });
    expect(h.lossSteps).toEqual([1, 2, 3, 4, 5]);
    expect(h.trainLoss.map((v) => +v.toFixed(3))).toEqual([0.9, 0.8, 0.7, 0.6, 0.5]);
    // Edge statistics stay one point per snapshot.
    expect(h.steps).toEqual([3, 5]);
  });
});

describe('RunHistory across a load', () => {
  it('keeps the untrained evaluation that arrives before the edges are known', () => {
    const h = new RunHistory();
    h.reset([]);
    const first = { ...snap(0, []), evaluation: { step: 0, epoch: 0, train: { loss: 0.7 }, test: { loss: 0.71 } } };
    h.push(first);
    h.setEdges(['e1']);
    h.push(snap(4, [0.5]));
    expect(h.evaluations.map((e) => e.step)).toEqual([0]);
    expect(h.edgeRms.get('e1')).toEqual([0.5]);
  });

  it('keeps each sequence edge\'s gradient per time step, one row per snapshot, and none for other edges', () => {
    const h = new RunHistory();
    h.reset([]);
    h.setEdges(['seq', 'flat', 'seq2'], [3, 0, 2]);
    h.push({ ...snap(4, [0.1, 0.2, 0.3]), edgeTimeRms: Float32Array.of(1, 2, 3, 7, 8) });
    h.push({ ...snap(8, [0.1, 0.2, 0.3]), edgeTimeRms: Float32Array.of(4, 5, 6, 9, 10) });
    expect(h.timeRms.get('seq')!.steps).toEqual([4, 8]);
    expect(h.timeRms.get('seq')!.rows.map((r) => Array.from(r))).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(h.timeRms.get('seq2')!.rows.map((r) => Array.from(r))).toEqual([[7, 8], [9, 10]]);
    expect(h.timeRms.has('flat')).toBe(false);
    // A reset (the step counter goes back) starts the rows over but keeps the layout.
    h.push({ ...snap(2, [0.1, 0.2, 0.3]), edgeTimeRms: Float32Array.of(1, 1, 1, 1, 1) });
    expect(h.timeRms.get('seq')!.steps).toEqual([2]);
  });

  it('starts over at a Reset (a step-0 snapshot), so the next run is not drawn onto the old one', () => {
    const h = new RunHistory();
    h.reset([]);
    h.setEdges(['e1', 'seq'], [0, 2]);
    h.push({ ...snap(40, [0.5, 0.5]), lossTrace: { firstStep: 1, losses: new Float32Array(40).fill(0.9) }, edgeTimeRms: Float32Array.of(1, 2) });
    const evaluation = { step: 0, epoch: 0, train: { loss: 0.7 }, test: { loss: 0.7 } };
    h.push({ ...snap(0, [NaN, NaN]), evaluation });
    expect(h.steps).toEqual([]);
    expect(h.lossSteps).toEqual([]);
    expect(h.timeRms.get('seq')!.steps).toEqual([]);
    expect(h.evaluations.map((e) => e.step)).toEqual([0]);
    // The new run's first snapshot comes after more steps than the old run had: all of them are kept.
    h.push({ ...snap(50, [0.4, 0.4]), lossTrace: { firstStep: 1, losses: new Float32Array(50).fill(0.5) }, edgeTimeRms: Float32Array.of(3, 4) });
    expect(h.lossSteps).toHaveLength(50);
    expect(h.lossSteps[0]).toBe(1);
    expect(h.steps).toEqual([50]);
  });
});
