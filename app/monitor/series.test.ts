import { describe, expect, it } from 'vitest';
import { RunHistory, type EvaluationPoint } from '../training/history';
import type { Snapshot } from '../../worker/protocol';
import { formatLoss, formatMetric, formatTick, logSplits, lossSeries, metricSeries, valueAtOrBefore, type HistoryView } from './series';

function evaluation(step: number, test: number, train = test, extra: Partial<EvaluationPoint['test']> = {}): EvaluationPoint {
  return { step, epoch: 0, train: { loss: train, ...extra }, test: { loss: test, ...extra } };
}

describe('lossSeries', () => {
  it('puts train loss per step and test loss per evaluation on one x axis', () => {
    const history: HistoryView = {
      lossSteps: [1, 2, 3, 4],
      trainLoss: [1.0, 0.8, 0.6, 0.5],
      evaluations: [evaluation(0, 1.1), evaluation(2, 0.85), evaluation(4, 0.55)],
    };
    expect(lossSeries(history)).toEqual([
      [0, 1, 2, 3, 4],
      [null, 1.0, 0.8, 0.6, 0.5],
      [1.1, null, 0.85, null, 0.55],
    ]);
  });

  it('places an evaluation between recorded steps (the history thins its steps, not its evaluations)', () => {
    const history: HistoryView = { lossSteps: [2, 6], trainLoss: [0.9, 0.4], evaluations: [evaluation(3, 0.7)] };
    expect(lossSeries(history)).toEqual([
      [2, 3, 6],
      [0.9, null, 0.4],
      [null, 0.7, null],
    ]);
  });

  it('leaves gaps for values a chart cannot draw: not finite, or not positive on a log axis', () => {
    const history: HistoryView = { lossSteps: [1, 2, 3], trainLoss: [0.5, Number.NaN, 0], evaluations: [evaluation(3, Infinity)] };
    expect(lossSeries(history)[1]).toEqual([0.5, null, 0]);
    expect(lossSeries(history, true)[1]).toEqual([0.5, null, null]);
    expect(lossSeries(history)[2]).toEqual([null, null, null]);
  });

  it('skips an evaluation that goes back in steps', () => {
    const history: HistoryView = { lossSteps: [], trainLoss: [], evaluations: [evaluation(5, 1), evaluation(5, 2), evaluation(3, 3)] };
    expect(lossSeries(history)).toEqual([[5], [null], [1]]);
  });

  it('reads a RunHistory fed with snapshots', () => {
    const history = new RunHistory();
    history.reset([]);
    const snap = (step: number, trainLoss: number, test?: number): Snapshot => ({
      runId: 1, state: 'training', step, epoch: 0, samplesSeen: step * 32, samplesPerSecond: 0, trainLoss, runningLoss: trainLoss, epochTarget: 1, stepsPerEpoch: 10,
      edgeStats: new Float32Array(0), nodeStats: new Float32Array(0),
      ...(test !== undefined ? { evaluation: evaluation(step, test, test, { accuracy: 1 - test }) } : {}),
    });
    history.push(snap(0, Number.NaN, 1.2));
    history.push(snap(1, 1.0));
    history.push(snap(2, 0.7, 0.8));
    const [xs, train, test] = lossSeries(history);
    expect(xs).toEqual([0, 1, 2]);
    expect(train).toEqual([null, 1.0, 0.7]);
    expect(test.map((v) => v && +v.toFixed(6))).toEqual([1.2, null, 0.8]);
    expect(metricSeries(history, 'accuracy')[0]).toEqual([0, 2]);
  });
});

describe('metricSeries', () => {
  const history: HistoryView = {
    lossSteps: [],
    trainLoss: [],
    evaluations: [evaluation(10, 1, 1, { accuracy: 0.5, mae: 0.3 }), { step: 20, epoch: 1, train: { loss: 1, accuracy: 0.9 }, test: { loss: 1, accuracy: 0.8 } }],
  };

  it('gives train and test accuracy per evaluation', () => {
    expect(metricSeries(history, 'accuracy')).toEqual([
      [10, 20],
      [0.5, 0.9],
      [0.5, 0.8],
    ]);
  });

  it('gives MAE for regression, with gaps where an evaluation has none', () => {
    expect(metricSeries(history, 'mae')).toEqual([
      [10, 20],
      [0.3, null],
      [0.3, null],
    ]);
  });
});

describe('valueAtOrBefore', () => {
  it('gives the latest value without an index, and the nearest earlier one across a gap', () => {
    expect(valueAtOrBefore([1, null, 3, null], null)).toBe(3);
    expect(valueAtOrBefore([1, null, 3, null], 1)).toBe(1);
    expect(valueAtOrBefore([null, null], 1)).toBeNull();
    expect(valueAtOrBefore([], null)).toBeNull();
    expect(valueAtOrBefore([4, 5], 9)).toBe(5);
  });
});

describe('formatting', () => {
  it('keeps numbers short', () => {
    expect(formatLoss(1.23456)).toBe('1.235');
    expect(formatLoss(0.012345)).toBe('0.0123');
    expect(formatLoss(0.00001234)).toBe('1.2e-5');
    expect(formatLoss(234.56)).toBe('234.6');
    expect(formatMetric('accuracy', 0.9234)).toBe('92.3%');
    expect(formatMetric('mae', 0.5)).toBe('0.500');
    expect(formatTick(0)).toBe('0');
    expect(formatTick(1500)).toBe('1.5k');
    expect(formatTick(20000)).toBe('20k');
    expect(formatTick(0.25)).toBe('0.25');
    expect(formatTick(0.0001)).toBe('1e-4');
    // A diverged run: short labels, never a 30-digit number.
    expect(formatTick(2.5e26)).toBe('3e+26');
    expect(formatLoss(6.7146092247525e28)).toBe('6.7e+28');
    expect(formatLoss(Infinity)).toBe('Infinity');
    expect(formatLoss(123456)).toBe('1.2e+5');
  });
});

describe('logSplits', () => {
  it('marks 1, 2 and 5 times each power of ten inside the range', () => {
    expect(logSplits(0.1, 10)).toEqual([0.1, 0.2, 0.5, 1, 2, 5, 10]);
    expect(logSplits(0.3, 3)).toEqual([0.5, 1, 2]);
  });

  it('marks only the powers of ten over a wide range, and nothing over a range a log axis cannot show', () => {
    expect(logSplits(1e-4, 10)).toEqual([1e-4, 1e-3, 0.01, 0.1, 1, 10]);
    expect(logSplits(0, 1)).toEqual([]);
    expect(logSplits(2, 1)).toEqual([]);
  });
});
