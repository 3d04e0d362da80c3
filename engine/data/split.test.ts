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
