import { describe, expect, it } from 'vitest';
import { strFromU8 } from 'fflate';
import { parseCsvDataset } from './csv';
import { fitStandardization, splitDataset, standardizeRows } from './split';
import { sine, spiral } from './synthetic';
import { DatasetError } from './types';
import type { Dataset } from './types';
import { readDatasetFile as readPublicDataset } from '../testing/files';

async function wine(): Promise<Dataset> {
  return parseCsvDataset(strFromU8(await readPublicDataset('wine.csv')), { id: 'wine', name: 'Wine' });
}

function columnStats(x: Float32Array, features: number, f: number): { mean: number; std: number } {
  const rows = x.length / features;
  let sum = 0;
  for (let r = 0; r < rows; r++) sum += x[r * features + f]!;
  const mean = sum / rows;
  let sq = 0;
  for (let r = 0; r < rows; r++) sq += (x[r * features + f]! - mean) ** 2;
  return { mean, std: Math.sqrt(sq / rows) };
}

/** Each sample as a string of its features and target, to compare sets of samples. */
function samples(x: Float32Array, y: Float32Array, features: number): string[] {
  return Array.from(y, (t, i) => `${Array.from(x.subarray(i * features, (i + 1) * features)).join(',')}|${t}`);
}

describe('splitDataset', () => {
  it('splits every sample exactly once, in the requested proportion', () => {
    const d = spiral({ count: 500, seed: 3 });
    const s = splitDataset(d, { testFraction: 0.2, seed: 1 });
    expect(s.train.count).toBe(400);
    expect(s.test.count).toBe(100);
    expect(s.train.x).toHaveLength(800);
    expect(s.test.y).toHaveLength(100);
    const all = [...samples(s.train.x, s.train.y, 2), ...samples(s.test.x, s.test.y, 2)].sort();
    expect(all).toEqual(samples(d.x, d.y, 2).sort());
  });

  it('is the same for the same seed and different for another', () => {
    const d = spiral({ count: 200 });
    const a = splitDataset(d, { testFraction: 0.25, seed: 9 });
    const b = splitDataset(d, { testFraction: 0.25, seed: 9 });
    const c = splitDataset(d, { testFraction: 0.25, seed: 10 });
    expect(a.test.x).toEqual(b.test.x);
    expect(a.train.y).toEqual(b.train.y);
    expect(a.test.x).not.toEqual(c.test.x);
  });

  it('shuffles: the test set is not the first samples', () => {
    const d = sine({ count: 100 });
    const s = splitDataset(d, { testFraction: 0.1, seed: 1 });
    expect(s.test.x).not.toEqual(d.x.subarray(0, 10));
    expect(s.train.count).toBe(90);
  });

  it('stratifies classification: each class keeps its share of the test set', async () => {
    const d = await wine(); // 59 / 71 / 48
    const s = splitDataset(d, { testFraction: 0.2, seed: 5 });
    expect(s.test.count).toBe(36);
    const perClass = [0, 1, 2].map((c) => s.test.y.filter((v) => v === c).length);
    expect(perClass.reduce((a, b) => a + b)).toBe(36);
    [59, 71, 48].forEach((n, c) => expect(Math.abs(perClass[c]! - (n * 36) / 178)).toBeLessThan(1));
    // Shuffled after stratifying: the test labels are not grouped by class.
    expect(Array.from(s.test.y)).not.toEqual([...s.test.y].sort());
  });

  it('keeps at least one sample on each side', () => {
    const d = spiral({ count: 10 });
    expect(splitDataset(d, { testFraction: 0.01, seed: 1 }).test.count).toBe(1);
    expect(splitDataset(d, { testFraction: 0.99, seed: 1 }).train.count).toBe(1);
    expect(splitDataset(d, { testFraction: 0, seed: 1 }).test.count).toBe(0);
  });

  it('refuses a class id outside the declared classes instead of dropping the sample', () => {
    const d = spiral({ count: 10 });
    d.y[3] = 2;
    expect(() => splitDataset(d, { testFraction: 0.2, seed: 1 })).toThrow('sample 4 has class 2, outside 0..1');
  });

  it('refuses a test fraction outside [0, 1)', () => {
    const d = spiral({ count: 10 });
    expect(() => splitDataset(d, { testFraction: 1, seed: 1 })).toThrow(DatasetError);
    expect(() => splitDataset(d, { testFraction: -0.1, seed: 1 })).toThrow(/testFraction must be at least 0 and below 1/);
  });
});

/** Windows of a sequence whose values are their own positions: window w covers positions w·stride .. w·stride + steps. */
function positionWindows(count: number, steps: number, stride: number): Dataset {
  const x = new Float32Array(count * steps);
  const y = new Float32Array(count * steps);
  for (let w = 0; w < count; w++) {
    for (let k = 0; k < steps; k++) {
      x[w * steps + k] = w * stride + k;
      y[w * steps + k] = w * stride + k + 1;
    }
  }
  return {
    info: { id: 'positions', name: 'Positions', task: 'sequence', inputShape: [steps], targetShape: [steps], numClasses: 1000, count, windows: { stride, span: steps + 1 } },
    x,
    y,
  };
}

describe('splitDataset on windows of one sequence', () => {
  it.each([
    [4, 4, 1],
    [4, 5, 0],
    [4, 2, 2],
    [4, 1, 4],
  ])('holds out the last windows, %i steps every %i positions, dropping %i window(s) so no position is on both sides', (steps, stride, dropped) => {
    const d = positionWindows(50, steps, stride);
    const s = splitDataset(d, { testFraction: 0.2, seed: 3 });
    expect(s.test.count).toBe(10);
    expect(s.train.count).toBe(50 - 10 - dropped);
    const lastTrainPosition = Math.max(...s.train.x, ...s.train.y);
    const firstTestPosition = Math.min(...s.test.x, ...s.test.y);
    expect(lastTrainPosition).toBeLessThan(firstTestPosition);
    // Dropping one window fewer would let the regions touch.
    expect(firstTestPosition - lastTrainPosition).toBeLessThanOrEqual(stride);
    expect(Array.from(s.test.x.subarray(0, steps))).toEqual(Array.from(d.x.subarray(40 * steps, 41 * steps)));
  });

  it('keeps every window for training when there is no test set', () => {
    const s = splitDataset(positionWindows(20, 4, 4), { testFraction: 0, seed: 1 });
    expect([s.train.count, s.test.count]).toEqual([20, 0]);
  });

  it('does not stratify per-step targets ([T] ids) as if they were one class per sample', () => {
    // 1000 "classes" but targets of shape [4]: a stratified split would read y as one id per sample.
    expect(() => splitDataset(positionWindows(20, 4, 4), { testFraction: 0.25, seed: 1 })).not.toThrow();
  });

  it('says so when the test region leaves no training windows', () => {
    expect(() => splitDataset(positionWindows(3, 4, 1), { testFraction: 0.5, seed: 1 })).toThrow(
      'Positions: 3 windows leave none for training after 2 test windows and 4 between them; lower the test split or use shorter windows.',
    );
  });
});

describe('standardization', () => {
  it('is fitted on the training split only and applied to both', async () => {
    const d = await wine();
    const s = splitDataset(d, { testFraction: 0.3, seed: 2 });
    expect(s.standardization).toBeDefined();
    const features = 13;
    let testMeanFarFromZero = 0;
    for (let f = 0; f < features; f++) {
      const train = columnStats(s.train.x, features, f);
      expect(Math.abs(train.mean)).toBeLessThan(1e-5);
      expect(train.std).toBeCloseTo(1, 5);
      testMeanFarFromZero = Math.max(testMeanFarFromZero, Math.abs(columnStats(s.test.x, features, f).mean));
    }
    expect(testMeanFarFromZero).toBeGreaterThan(0.05);

    // The stored statistics are the raw training split's, not the whole dataset's.
    const raw = splitDataset(d, { testFraction: 0.3, seed: 2, standardize: false });
    expect(raw.standardization).toBeUndefined();
    const fromTrain = fitStandardization(raw.train.x, features);
    expect(s.standardization!.mean).toEqual(fromTrain.mean);
    expect(s.standardization!.std).toEqual(fromTrain.std);
    expect(s.standardization!.mean).not.toEqual(fitStandardization(d.x, features).mean);
    expect(s.test.x).toEqual(standardizeRows(raw.test.x, fromTrain));
  });

  it('follows info.standardize unless told otherwise', async () => {
    expect(splitDataset(await wine(), { testFraction: 0.2, seed: 1 }).standardization).toBeDefined();
    expect(splitDataset(spiral({}), { testFraction: 0.2, seed: 1 }).standardization).toBeUndefined();
    expect(splitDataset(spiral({}), { testFraction: 0.2, seed: 1, standardize: true }).standardization).toBeDefined();
  });

  it('leaves a constant feature at std 1 (no division by zero)', () => {
    const x = Float32Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 0.1 : i));
    const stats = fitStandardization(x, 2);
    expect(stats.std[0]).toBe(1);
    expect(stats.mean[0]).toBeCloseTo(0.1, 6);
    expect(standardizeRows(x, stats).every(Number.isFinite)).toBe(true);
  });

  it('standardizes a single row with stored statistics', () => {
    const stats = { mean: Float32Array.of(10, -2), std: Float32Array.of(2, 0.5) };
    expect(Array.from(standardizeRows([12, -3], stats))).toEqual([1, -2]);
    expect(() => standardizeRows([1, 2, 3], stats)).toThrow(/not whole rows of 2 features/);
  });
});
