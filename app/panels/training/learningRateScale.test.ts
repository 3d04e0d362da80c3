import { describe, expect, it } from 'vitest';
import { formatLearningRate, LR_SLIDER_MAX, learningRateToStop, stopToLearningRate } from './learningRateScale';

describe('learning-rate slider', () => {
  it('spans 1e-5 to 1 on a log scale', () => {
    expect(stopToLearningRate(0)).toBe(1e-5);
    expect(stopToLearningRate(LR_SLIDER_MAX)).toBe(1);
    expect(stopToLearningRate(LR_SLIDER_MAX / 2)).toBe(0.0032);
    expect(learningRateToStop(0.01)).toBe(60);
    expect(learningRateToStop(0.001)).toBe(40);
  });

  it('every stop maps to a learning rate that maps back to the same stop', () => {
    for (let stop = 0; stop <= LR_SLIDER_MAX; stop++) expect(learningRateToStop(stopToLearningRate(stop))).toBe(stop);
  });

  it('stops are distinct, rising, and short to read (two significant digits)', () => {
    const rates = Array.from({ length: LR_SLIDER_MAX + 1 }, (_, s) => stopToLearningRate(s));
    for (let i = 1; i < rates.length; i++) expect(rates[i]).toBeGreaterThan(rates[i - 1]!);
    for (const lr of rates) expect(Number(lr.toPrecision(2))).toBe(lr);
  });

  it('a learning rate off the stops lands on the nearest one, within half a stop', () => {
    for (const lr of [3e-5, 0.00042, 0.0123, 0.3]) {
      const ratio = stopToLearningRate(learningRateToStop(lr)) / lr;
      expect(Math.abs(Math.log10(ratio))).toBeLessThanOrEqual(0.5 / 20 + 0.03);
    }
  });

  it('clamps rates outside the slider to its ends', () => {
    expect(learningRateToStop(5)).toBe(LR_SLIDER_MAX);
    expect(learningRateToStop(1e-9)).toBe(0);
    expect(learningRateToStop(0)).toBe(0);
  });

  it('formats rates as short numbers', () => {
    expect(formatLearningRate(0.01)).toBe('0.01');
    expect(formatLearningRate(0.0032)).toBe('0.0032');
    expect(formatLearningRate(0.0003)).toBe('3e-4');
    expect(formatLearningRate(1.25e-5)).toBe('1.25e-5');
    expect(formatLearningRate(0.012345)).toBe('0.0123');
  });
});
