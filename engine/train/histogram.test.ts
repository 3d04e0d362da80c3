import { describe, expect, it } from 'vitest';
import { histogram, QUANTILE_LEVELS, quantiles } from './histogram';

describe('histogram', () => {
  it('bins values between min and max, the max in the last bin', () => {
    const h = histogram(new Float32Array([0, 1, 2, 3, 4, 99]), 5, 4);
    expect(h).toEqual({ min: 0, max: 4, counts: [1, 1, 1, 2], nonFinite: 0 });
  });

  it('counts non-finite values apart', () => {
    const h = histogram(new Float32Array([NaN, 1, Infinity, 1]), 4, 2);
    expect(h.nonFinite).toBe(2);
    expect(h.counts.reduce((a, b) => a + b)).toBe(2);
  });

  it('puts equal values in one bin and handles no values', () => {
    expect(histogram(new Float32Array([5, 5, 5]), 3, 3).counts).toEqual([3, 0, 0]);
    expect(histogram(new Float32Array(0), 0, 3)).toEqual({ min: 0, max: 0, counts: [0, 0, 0], nonFinite: 0 });
  });
});

describe('quantiles', () => {
  const levels = QUANTILE_LEVELS.length;
  it('reads every 5% of the values, exactly when they all fit in the sample', () => {
    const values = Float32Array.from({ length: 101 }, (_, i) => 100 - i); // 100 … 0, unsorted order
    const out = new Float32Array(levels);
    quantiles([{ values, size: 101 }], new Float32Array(512), out);
    expect(Array.from(out)).toEqual(QUANTILE_LEVELS.map((_, k) => k * 5));
  });

  it('samples evenly across several tensors (a layer’s kernel and bias)', () => {
    const kernel = Float32Array.from({ length: 10_000 }, (_, i) => i / 10_000); // uniform on [0, 1)
    const bias = Float32Array.from({ length: 10_000 }, (_, i) => 1 + i / 10_000); // uniform on [1, 2)
    const out = new Float32Array(levels);
    quantiles([{ values: kernel, size: 10_000 }, { values: bias, size: 10_000 }], new Float32Array(1000), out);
    // Half the values are under 1: the median sits at 1, the quartiles at 0.5 and 1.5 (to the sample's resolution).
    expect(out[10]).toBeCloseTo(1, 1);
    expect(out[5]).toBeCloseTo(0.5, 1);
    expect(out[15]).toBeCloseTo(1.5, 1);
    expect(out[0]).toBe(0);
    expect(out[20]).toBeGreaterThan(1.99);
    for (let k = 1; k < levels; k++) expect(out[k]).toBeGreaterThanOrEqual(out[k - 1]!);
  });

  it('skips what is not finite, gives NaN when nothing is, and reads only the first `size` values', () => {
    const out = new Float32Array(levels);
    quantiles([{ values: new Float32Array([NaN, 5, Infinity, 1, -Infinity, 3]), size: 6 }], new Float32Array(8), out);
    expect([out[0], out[10], out[20]]).toEqual([1, 3, 5]);
    quantiles([{ values: new Float32Array([NaN, Infinity]), size: 2 }], new Float32Array(8), out);
    expect(Number.isNaN(out[0]!)).toBe(true);
    quantiles([{ values: new Float32Array([3, 1, 2, 99]), size: 3 }], new Float32Array(8), out);
    expect([out[0], out[10], out[20]]).toEqual([1, 2, 3]);
  });
});
