import { describe, expect, it } from 'vitest';
import { circles, gaussianClusters, peaks, peaksSurface, sine, spiral, xor } from './synthetic';
import type { SyntheticGenerator } from './synthetic';
import { DatasetError } from './types';
import type { Dataset } from './types';

const CLASSIFIERS: [string, SyntheticGenerator][] = [
  ['spiral', spiral],
  ['xor', xor],
  ['circles', circles],
  ['gaussian', gaussianClusters],
];
const ALL: [string, SyntheticGenerator][] = [...CLASSIFIERS, ['sine', sine], ['peaks', peaks]];

/** The raw bytes, so that "equal" means bit-identical. */
function bits(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function classCounts(d: Dataset): number[] {
  const counts = new Array<number>(d.info.numClasses!).fill(0);
  for (const c of d.y) counts[c]!++;
  return counts;
}

/** Leave-one-out 1-nearest-neighbour accuracy: near 1 when classes do not overlap. */
function nearestNeighbourAccuracy(d: Dataset): number {
  const n = d.info.count;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let label = -1;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dist = (d.x[2 * i]! - d.x[2 * j]!) ** 2 + (d.x[2 * i + 1]! - d.x[2 * j + 1]!) ** 2;
      if (dist < best) {
        best = dist;
        label = d.y[j]!;
      }
    }
    if (label === d.y[i]) correct++;
  }
  return correct / n;
}

describe.each(ALL)('%s', (id, generate) => {
  it('gives bit-identical data for the same seed and different data for another seed', () => {
    const a = generate({ seed: 7 });
    const b = generate({ seed: 7 });
    const c = generate({ seed: 8 });
    expect(bits(a.x)).toEqual(bits(b.x));
    expect(bits(a.y)).toEqual(bits(b.y));
    expect(bits(a.x)).not.toEqual(bits(c.x));
  });

  it('has the requested count, consistent buffers and a complete info', () => {
    const d = generate({ count: 123, seed: 1 });
    const { info } = d;
    expect(info.id).toBe(id);
    expect(info.name.length).toBeGreaterThan(0);
    expect(info.description!.length).toBeGreaterThan(0);
    expect(info.kind).toBe('synthetic');
    expect(info.count).toBe(123);
    const features = info.inputShape[0]!;
    expect(info.featureNames).toHaveLength(features);
    expect(d.x).toHaveLength(123 * features);
    expect(d.y).toHaveLength(123);
    expect(d.x.every(Number.isFinite) && d.y.every(Number.isFinite)).toBe(true);
    if (info.task === 'regression') {
      expect(info.targetShape).toEqual([1]);
      expect(info.numClasses).toBeUndefined();
    } else {
      expect(info.inputShape).toEqual([2]);
      expect(info.targetShape).toEqual([]);
      expect(info.classNames).toHaveLength(info.numClasses!);
      expect(info.task).toBe(info.numClasses === 2 ? 'binary' : 'multiclass');
    }
  });

  it('keeps features on a unit scale (the spiral: a standard deviation near 1, as standardized data has)', () => {
    const d = generate({ count: 500, seed: 3 });
    if (id === 'spiral') {
      const std = Math.sqrt(d.x.reduce((a, v) => a + v * v, 0) / d.x.length);
      expect(std).toBeGreaterThan(0.8);
      expect(std).toBeLessThan(1.25);
    }
    const limit = id === 'sine' ? Math.PI : id === 'spiral' ? 3 : 1.5;
    expect(Math.max(...d.x.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...d.x.map(Math.abs))).toBeGreaterThan(limit / 2);
  });

  it('refuses out-of-range options with a DatasetError that names the option', () => {
    expect(() => generate({ count: 0 })).toThrow(/count must be a whole number/);
    expect(() => generate({ count: 2.5 })).toThrow(DatasetError);
    expect(() => generate({ noise: 1.5 })).toThrow(/noise must be between 0 and 1/);
    expect(() => generate({ noise: Number.NaN })).toThrow(DatasetError);
  });
});

describe.each(CLASSIFIERS)('%s classes', (_id, generate) => {
  it('are balanced to within one sample and interleaved', () => {
    const d = generate({ count: 301, seed: 2 });
    const counts = classCounts(d);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(counts.reduce((a, b) => a + b)).toBe(301);
    // Any prefix shows every class (the preview draws the first samples).
    expect(new Set(d.y.subarray(0, d.info.numClasses!)).size).toBe(d.info.numClasses);
  });

  it('separate cleanly without noise and overlap with full noise', () => {
    const clean = nearestNeighbourAccuracy(generate({ count: 400, noise: 0, seed: 5 }));
    const noisy = nearestNeighbourAccuracy(generate({ count: 400, noise: 1, seed: 5 }));
    expect(clean).toBeGreaterThan(0.97);
    expect(noisy).toBeLessThan(clean - 0.1);
  });
});

describe('class-count options', () => {
  it('spiral and gaussian take a number of classes', () => {
    const s = spiral({ classes: 4, count: 400 });
    expect(s.info.numClasses).toBe(4);
    expect(s.info.task).toBe('multiclass');
    expect(s.info.classNames).toEqual(['arm 1', 'arm 2', 'arm 3', 'arm 4']);
    expect(classCounts(s)).toEqual([100, 100, 100, 100]);
    const g = gaussianClusters({ classes: 2, count: 100 });
    expect(g.info.task).toBe('binary');
    expect(classCounts(g)).toEqual([50, 50]);
    expect(() => spiral({ classes: 1 })).toThrow(/classes must be a whole number from 2 to 10/);
    expect(() => gaussianClusters({ classes: 11 })).toThrow(DatasetError);
  });
});

describe('label geometry', () => {
  it('xor labels are the sign rule on clean data', () => {
    const d = xor({ count: 200, noise: 0 });
    for (let i = 0; i < 200; i++) {
      expect(d.y[i]).toBe(d.x[2 * i]! * d.x[2 * i + 1]! < 0 ? 1 : 0);
    }
  });

  it('circles: inner disc within radius 0.5, outer ring from 0.7 to 1 on clean data', () => {
    const d = circles({ count: 200, noise: 0 });
    for (let i = 0; i < 200; i++) {
      const r = Math.hypot(d.x[2 * i]!, d.x[2 * i + 1]!);
      if (d.y[i] === 0) expect(r).toBeLessThanOrEqual(0.5 + 1e-6);
      else expect(r >= 0.7 - 1e-6 && r <= 1 + 1e-6).toBe(true);
    }
  });

  it('gaussian: spread grows with noise', () => {
    const spread = (noise: number): number => {
      const d = gaussianClusters({ count: 3000, noise, seed: 4 });
      let sum = 0;
      for (let i = 0; i < 3000; i++) {
        const angle = Math.PI / 4 + (2 * Math.PI * d.y[i]!) / 3;
        sum += (d.x[2 * i]! - 0.6 * Math.cos(angle)) ** 2;
      }
      return Math.sqrt(sum / 3000);
    };
    expect(spread(0)).toBeCloseTo(0.05, 2);
    expect(spread(1)).toBeCloseTo(0.35, 1);
  });
});

describe('regression', () => {
  function residualStd(d: Dataset, f: (i: number) => number): number {
    let sum = 0;
    for (let i = 0; i < d.info.count; i++) sum += (d.y[i]! - f(i)) ** 2;
    return Math.sqrt(sum / d.info.count);
  }

  it('sine: y = sin(x), x in [-π, π], noise scales the residual', () => {
    const clean = sine({ count: 2000, noise: 0 });
    expect(clean.info.inputShape).toEqual([1]);
    expect(clean.info.targetShape).toEqual([1]);
    expect(residualStd(clean, (i) => Math.sin(clean.x[i]!))).toBeLessThan(1e-6);
    const noisy = sine({ count: 2000, noise: 1 });
    expect(residualStd(noisy, (i) => Math.sin(noisy.x[i]!))).toBeCloseTo(0.3, 1);
  });

  it('peaks: the MATLAB peaks surface scaled to unit range, noise scales the residual', () => {
    // peaks(0, 0) = 3e^-1 - e^-1/3 = (8/3)e^-1, divided by 8.
    expect(peaksSurface(0, 0)).toBeCloseTo(Math.exp(-1) / 3, 12);
    const clean = peaks({ count: 2000, noise: 0 });
    expect(clean.info.inputShape).toEqual([2]);
    expect(residualStd(clean, (i) => peaksSurface(clean.x[2 * i]!, clean.x[2 * i + 1]!))).toBeLessThan(1e-5);
    expect(Math.max(...clean.y.map(Math.abs))).toBeLessThan(1.1);
    const noisy = peaks({ count: 2000, noise: 1 });
    expect(residualStd(noisy, (i) => peaksSurface(noisy.x[2 * i]!, noisy.x[2 * i + 1]!))).toBeCloseTo(0.2, 1);
  });
});
