import { describe, expect, it } from 'vitest';
import { histogram } from './histogram';

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
