import { describe, expect, it } from 'vitest';
import { alignLines, formatRatio, lossLine, metricLine, runFigures } from './compare';
import type { RunRecord } from './record';

const record = (over: Partial<RunRecord>): RunRecord =>
  ({
    metric: 'accuracy',
    steps: 30,
    loss: { steps: [10, 20, 30], values: [1, NaN, 0.5] },
    evaluations: [
      { step: 15, epoch: 1, train: { loss: 1, accuracy: 0.5 }, test: { loss: 1, accuracy: 0.55 } },
      { step: 30, epoch: 2, train: { loss: 0.5, accuracy: 0.9 }, test: { loss: 0.6, accuracy: 0.875 } },
    ],
    gradients: { steps: [30], edges: [{ id: 'a', depth: 1, rms: [0.001] }, { id: 'b', depth: 2, rms: [0.1] }] },
    ...over,
  }) as RunRecord;

describe('comparing runs', () => {
  it('aligns runs with different steps on one axis, with gaps, and a diverged loss as a gap', () => {
    const a = record({});
    const b = record({ loss: { steps: [5, 20], values: [2, 0] } });
    expect(alignLines([lossLine(a), lossLine(b)])).toEqual([
      [5, 10, 20, 30],
      [null, 1, null, 0.5],
      [2, null, null, null],
    ]);
    expect(metricLine(a)).toEqual([[15, 30], [0.55, 0.875]]);
    expect(alignLines([])).toEqual([[]]);
  });

  it('gives each run its figures: steps, last loss, last test metric, first-to-last gradient ratio', () => {
    expect(runFigures(record({}))).toEqual({ steps: 30, loss: 0.5, test: 0.875, ratio: 0.001 / 0.1 });
    expect(runFigures(record({ evaluations: [], gradients: { steps: [], edges: [] } }))).toMatchObject({ test: null, ratio: null });
    expect(formatRatio(0.01)).toBe('1/100');
    expect(formatRatio(1 / 2400.2)).toBe('1/2,400');
    expect(formatRatio(0.42)).toBe('0.42');
    expect(formatRatio(3.14)).toBe('3.1×');
    expect(formatRatio(NaN)).toBe('—');
  });
});
