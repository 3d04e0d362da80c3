import { describe, expect, it } from 'vitest';
import { countAllocations } from './alloc';

describe('countAllocations', () => {
  it('counts constructors, copies and views', () => {
    const a = new Float32Array(4);
    expect(countAllocations(() => new Float32Array(3))).toBe(1);
    expect(countAllocations(() => a.slice())).toBeGreaterThanOrEqual(1);
    expect(countAllocations(() => a.subarray(1))).toBeGreaterThanOrEqual(1);
    expect(countAllocations(() => new ArrayBuffer(8))).toBe(1);
    expect(countAllocations(() => Float64Array.from([1, 2]))).toBeGreaterThanOrEqual(1);
  });
  it('counts nothing for in-place work and restores the globals', () => {
    const a = new Float32Array(4);
    expect(countAllocations(() => a.fill(2))).toBe(0);
    expect(new Float32Array(2)).toBeInstanceOf(Float32Array);
    expect(Object.getPrototypeOf(Float32Array.prototype).slice.name).toBe('slice');
  });
});
