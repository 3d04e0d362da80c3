import { describe, expect, it } from 'vitest';
import { formatTimeLeft, runProgress, type ProgressSnapshot } from './progress';

const snap = (patch: Partial<ProgressSnapshot>): ProgressSnapshot => ({
  state: 'training',
  step: 0,
  epoch: 0,
  epochTarget: 20,
  stepsPerEpoch: 15,
  samplesSeen: 0,
  samplesPerSecond: 0,
  ...patch,
});

describe('runProgress', () => {
  it('counts epochs done from the samples seen and the training split', () => {
    // 480 training samples, 10 epochs: 1,200 samples seen is 2.5 epochs, a quarter of the run.
    const p = runProgress(snap({ epochTarget: 10, epoch: 2, samplesSeen: 1200, samplesPerSecond: 600 }), 480, 32);
    expect(p.epoch).toBe(3);
    expect(p.epochsDone).toBeCloseTo(2.5);
    expect(p.fraction).toBeCloseTo(0.25);
    // 4,800 − 1,200 samples to go at 600 per second.
    expect(p.secondsLeft).toBeCloseTo(6);
  });

  it('a run without an end shows the epoch in progress and no time left', () => {
    const p = runProgress(snap({ epochTarget: null, epoch: 2, samplesSeen: 1200, samplesPerSecond: 600 }), 480, 32);
    expect(p).toEqual({ epoch: 3, epochTarget: null, epochsDone: 2.5, fraction: 0.5, secondsLeft: null });
  });

  it('without the split size, takes a step as a full batch', () => {
    const p = runProgress(snap({ epochTarget: 4, stepsPerEpoch: 10, samplesSeen: 320, samplesPerSecond: 320 }), undefined, 32);
    expect(p.epochsDone).toBeCloseTo(1);
    expect(p.secondsLeft).toBeCloseTo(3);
  });

  it('has no time left estimate unless training, and none left when done', () => {
    expect(runProgress(snap({ state: 'paused', samplesSeen: 100, samplesPerSecond: 0 }), 480, 32).secondsLeft).toBeNull();
    expect(runProgress(snap({ state: 'training', samplesSeen: 100, samplesPerSecond: 0 }), 480, 32).secondsLeft).toBeNull();
    const done = runProgress(snap({ state: 'done', epoch: 19, samplesSeen: 20 * 480 }), 480, 32);
    expect(done).toMatchObject({ epoch: 20, epochTarget: 20, fraction: 1, secondsLeft: 0 });
  });

  it('never shows an epoch past the target, nor more than all of the run', () => {
    const p = runProgress(snap({ epochTarget: 2, epoch: 5, samplesSeen: 99_999, samplesPerSecond: 10 }), 100, 10);
    expect(p.epoch).toBe(2);
    expect(p.fraction).toBe(1);
    expect(p.secondsLeft).toBe(0);
  });
});

describe('formatTimeLeft', () => {
  it.each([
    [null, '—'],
    [0, '0 s'],
    [0.3, '< 1 s'],
    [41.2, '42 s'],
    [60, '1 min'],
    [185, '3 min 5 s'],
    [3600, '1 h'],
    [4000, '1 h 7 min'],
    [7190, '2 h'],
    [500_000, '> 99 h'],
  ])('%s s → %s', (seconds, text) => {
    expect(formatTimeLeft(seconds)).toBe(text);
  });
});
