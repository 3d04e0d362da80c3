import { describe, expect, it } from 'vitest';
import { formatMagnitude } from './edgeColors';
import { FADE_FACTOR, pooledProfile, READING_STEPS, readTimeGradient, timeReadingText, type TimeRows } from './timeReading';

/** Snapshots at the given training steps, each row made by `row(step)`. */
function history(steps: number[], row: (step: number) => number[]): TimeRows {
  return { steps, rows: steps.map((s) => Float32Array.from(row(s))) };
}

const range = (from: number, to: number, every = 1) => Array.from({ length: Math.floor((to - from) / every) + 1 }, (_, i) => from + i * every);

describe('pooledProfile', () => {
  it('pools only the snapshots of the last READING_STEPS training steps, as the RMS over their samples', () => {
    // Steps 1..300: the first 200 carry 100 at every time step, the last 100 carry 3 and 4 in turn.
    const h = history(range(1, 300), (s) => (s <= 200 ? [100, 100] : s % 2 ? [3, 3] : [4, 4]));
    const p = pooledProfile(h)!;
    expect(p).toMatchObject({ fromStep: 201, toStep: 300, snapshots: READING_STEPS });
    // √((9 + 16) / 2), not the mean 3.5 and nothing of the older 100s.
    expect(p.rms[0]).toBeCloseTo(Math.sqrt(12.5), 5);
  });

  it('takes whatever snapshots fall in the window when they are sparse (the worker snapshots by time, not by step)', () => {
    const p = pooledProfile(history([40, 130, 170, 260], () => [1, 2]))!;
    expect(p).toMatchObject({ fromStep: 170, toStep: 260, snapshots: 2 });
  });

  it('leaves out rows with non-finite values (a snapshot taken before any gradient)', () => {
    const h: TimeRows = { steps: [1, 2], rows: [Float32Array.from([NaN, NaN]), Float32Array.from([2, 4])] };
    expect(pooledProfile(h)).toMatchObject({ snapshots: 1, fromStep: 2 });
    expect(Array.from(pooledProfile(h)!.rms)).toEqual([2, 4]);
  });

  it('has nothing to say before the first snapshot', () => {
    expect(pooledProfile({ steps: [], rows: [] })).toBeUndefined();
    expect(readTimeGradient({ steps: [], rows: [] })).toBeUndefined();
  });
});

describe('readTimeGradient', () => {
  it('reads the pooled window, not the latest batch: one nearly flat batch after 99 fading ones still reads as a fade', () => {
    const h = history(range(1, 100), (s) => (s === 100 ? [0.5, 1] : [1e-4, 1]));
    const r = readTimeGradient(h)!;
    expect(r.kind).toBe('fades');
    // The RMS over every sample of the window: the flat batch's first step counts once in a hundred.
    expect(r.lastOverFirst).toBeCloseTo(1 / Math.sqrt((99 * 1e-8 + 0.25) / 100), 3);
  });

  it.each([
    [[1e-3, 0.5, 1], 'fades', 1000],
    [[0.2, 0.5, 1], 'reaches', 5],
    [[1, 1, 0.5], 'reaches', 0.5],
    [[12, 3, 1], 'early', 1 / 12],
  ] as const)('profile %j reads %s (last/first %f)', (row, kind, ratio) => {
    const r = readTimeGradient(history(range(1, 50), () => [...row]))!;
    expect(r.kind).toBe(kind);
    expect(r.lastOverFirst / ratio).toBeCloseTo(1, 5);
  });

  it('calls exactly FADE_FACTOR× a fade, and just under it reaching', () => {
    expect(readTimeGradient(history([1], () => [1, FADE_FACTOR]))!.kind).toBe('fades');
    expect(readTimeGradient(history([1], () => [1, FADE_FACTOR * 0.99]))!.kind).toBe('reaches');
  });

  it('says when the first step gets no gradient at all, without a ratio', () => {
    const r = readTimeGradient(history([1, 2], () => [0, 1]))!;
    expect(r.kind).toBe('none');
    expect(r.lastOverFirst).toBe(Infinity);
  });
});

describe('timeReadingText', () => {
  const text = (row: number[], steps = range(401, 500)) => timeReadingText(readTimeGradient(history(steps, () => row))!, formatMagnitude);

  it('names the training steps it pooled and what the numbers say', () => {
    expect(text([1e-12, 1e-6, 1])).toBe('Steps 401–500 (100 batches): the first of 3 time steps gets 1.0e12× less gradient than the last, so the early steps barely learn (vanishing through time).');
    expect(text([0.5, 1])).toBe('Steps 401–500 (100 batches): the gradient reaches all 2 time steps, the first within 10× of the last.');
    expect(text([20, 1])).toBe('Steps 401–500 (100 batches): the first of 2 time steps gets 20× more gradient than the last: it reaches back to the early steps.');
    expect(text([0, 1], [7])).toBe('Step 7: the first time step gets no gradient.');
  });

  it('never prints a non-finite ratio', () => {
    for (const row of [[0, 1], [0, 0], [1e-30, 1], [1, 1e-30]]) expect(text(row)).not.toMatch(/Infinity|NaN/);
  });
});
