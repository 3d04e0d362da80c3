import { describe, expect, it } from 'vitest';
import { forecastSeries, RECALL_MARKER, recall, sineForecast } from './sequences';
import { DatasetError } from './types';

/** The raw bytes, so that "equal" means bit-identical. */
function bits(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

describe('sine forecast', () => {
  it('gives windows [T, 1] and the next value [1], with seqLength and count as asked', () => {
    const d = sineForecast({ count: 30, seqLength: 12 });
    expect(d.info).toMatchObject({ id: 'sine_forecast', task: 'regression', inputShape: [12, 1], targetShape: [1], count: 30, kind: 'synthetic' });
    expect(d.x).toHaveLength(30 * 12);
    expect(d.y).toHaveLength(30);
    expect(sineForecast().info).toMatchObject({ inputShape: [20, 1], count: 1000 });
  });

  it('is the same series for the same seed and another for another seed', () => {
    const a = sineForecast({ seed: 5, count: 40 });
    expect(bits(sineForecast({ seed: 5, count: 40 }).x)).toEqual(bits(a.x));
    expect(bits(sineForecast({ seed: 5, count: 40 }).y)).toEqual(bits(a.y));
    expect(bits(sineForecast({ seed: 6, count: 40 }).x)).not.toEqual(bits(a.x));
  });

  it('without noise, the target continues the window: the series obeys its recurrence', () => {
    // A sum of two sines with angular steps a and b satisfies a linear recurrence of order 4:
    // s[t] = c1 s[t-1] + c2 s[t-2] + c1 s[t-3] - s[t-4], with (1 - 2cos a z + z²)(1 - 2cos b z + z²).
    const a = (2 * Math.PI) / 20;
    const b = (2 * Math.PI) / 7;
    const c1 = 2 * Math.cos(a) + 2 * Math.cos(b);
    const c2 = -(2 + 4 * Math.cos(a) * Math.cos(b));
    const steps = 10;
    const d = sineForecast({ count: 50, noise: 0, seqLength: steps, seed: 3 });
    for (let i = 0; i < 50; i++) {
      const w = (k: number) => d.x[i * steps + steps - k]!;
      expect(d.y[i]).toBeCloseTo(c1 * w(1) + c2 * w(2) + c1 * w(3) - w(4), 4);
    }
  });

  it('adds noise of std 0.3 × noise to every value', () => {
    const clean = sineForecast({ count: 2000, noise: 0, seqLength: 4, seed: 9 });
    const noisy = sineForecast({ count: 2000, noise: 1, seqLength: 4, seed: 9 });
    // The noise draws interleave with the phase draws, so the two series differ; compare spreads:
    // the noisy targets' variance is the clean one (0.7²/2 + 0.3²/2) plus 0.3².
    const variance = (v: Float32Array) => {
      const mean = v.reduce((s, x) => s + x, 0) / v.length;
      return v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length;
    };
    expect(variance(noisy.y) - variance(clean.y)).toBeCloseTo(0.09, 1);
    expect(Math.max(...clean.y.map(Math.abs))).toBeLessThanOrEqual(1);
  });

  it('follows the documented series', () => {
    expect(forecastSeries(0, 0, 0)).toBe(0);
    expect(forecastSeries(5, 0, -(2 * Math.PI * 5) / 7 + Math.PI / 2)).toBeCloseTo(0.7 + 0.3, 10);
  });

  it('refuses bad options with the dataset and option named', () => {
    expect(() => sineForecast({ seqLength: 1 })).toThrow(new DatasetError('sine_forecast: seqLength must be a whole number from 2 to 256 (got 1)'));
    expect(() => sineForecast({ seqLength: 2.5 })).toThrow('sine_forecast: seqLength must be a whole number');
    expect(() => sineForecast({ noise: 2 })).toThrow('sine_forecast: noise must be between 0 and 1 (got 2)');
    expect(() => sineForecast({ count: 100_000, seqLength: 256 })).toThrow(
      'sine_forecast: 100,000 samples of 256 steps is 25,600,000 values; the limit is 4,000,000. Use fewer samples or shorter sequences.',
    );
  });
});

describe('recall', () => {
  it('hides the symbol to recall after a marker in the first half, at least `distance` steps before the end', () => {
    const d = recall({ count: 200, distance: 6 });
    const steps = 14;
    expect(d.info).toMatchObject({
      id: 'recall',
      task: 'multiclass',
      inputShape: [steps],
      targetShape: [],
      numClasses: 4,
      classNames: ['A', 'B', 'C', 'D'],
      vocabSize: 5,
      vocabulary: ['A', 'B', 'C', 'D', RECALL_MARKER],
    });
    const markerAt = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const row = Array.from(d.x.subarray(i * steps, (i + 1) * steps));
      expect(row.filter((id) => id === 4)).toHaveLength(1);
      const p = row.indexOf(4);
      markerAt.add(p);
      expect(row[p + 1]).toBe(d.y[i]);
      // Between distance and 2·distance steps from the recalled symbol to the last token.
      expect(steps - 1 - (p + 1)).toBeGreaterThanOrEqual(6);
      expect(steps - 1 - (p + 1)).toBeLessThanOrEqual(12);
      expect(d.y[i]).toBe(i % 4);
    }
    expect([...markerAt].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('fills the rest with uniform symbols, so they say nothing about the one to recall', () => {
    const d = recall({ count: 4000, distance: 3, seed: 2 });
    const steps = 8;
    // How often each symbol appears elsewhere in sequences recalling each symbol: all about equal.
    const counts = Array.from({ length: 4 }, () => new Array<number>(4).fill(0));
    for (let i = 0; i < 4000; i++) {
      const row = Array.from(d.x.subarray(i * steps, (i + 1) * steps));
      const p = row.indexOf(4);
      row.forEach((id, t) => {
        if (t !== p && t !== p + 1) counts[d.y[i]!]![id]!++;
      });
    }
    for (const row of counts) for (const c of row) expect(Math.abs(c - 1500)).toBeLessThan(150);
  });

  it('is seeded', () => {
    const a = recall({ seed: 1, count: 50 });
    expect(bits(recall({ seed: 1, count: 50 }).x)).toEqual(bits(a.x));
    expect(bits(recall({ seed: 2, count: 50 }).x)).not.toEqual(bits(a.x));
  });

  it('takes the number of symbols from `classes`; two make it binary', () => {
    expect(recall({ classes: 2 }).info).toMatchObject({ task: 'binary', numClasses: 2, vocabSize: 3, vocabulary: ['A', 'B', '#'] });
    expect(recall({ classes: 10 }).info).toMatchObject({ numClasses: 10, vocabSize: 11 });
  });

  it('ignores noise: the difficulty is the distance', () => {
    expect(bits(recall({ noise: 0.9, count: 20 }).x)).toEqual(bits(recall({ count: 20 }).x));
    expect(recall().info.inputShape).toEqual([22]);
  });

  it('refuses a distance out of bounds', () => {
    expect(() => recall({ distance: 0 })).toThrow('recall: distance must be a whole number from 1 to 100 (got 0)');
    expect(() => recall({ distance: 101 })).toThrow('recall: distance must be a whole number from 1 to 100 (got 101)');
    expect(() => recall({ distance: 2.5 })).toThrow('recall: distance must be a whole number from 1 to 100 (got 2.5)');
    expect(() => recall({ classes: 11 })).toThrow('recall: classes must be a whole number from 2 to 10 (got 11)');
  });
});
