import { describe, expect, it } from 'vitest';
import { bytesAllocated, countAllocations } from './alloc';

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

describe('bytesAllocated', () => {
  it('counts the bytes of new buffers and copies, not of views', () => {
    const buffer = new ArrayBuffer(64);
    expect(bytesAllocated(() => new Float32Array(10))).toBe(40);
    expect(bytesAllocated(() => new Float64Array([1, 2, 3]))).toBe(24);
    expect(bytesAllocated(() => new ArrayBuffer(8))).toBe(8);
    expect(bytesAllocated(() => new Float32Array(buffer, 0, 4))).toBe(0);
    expect(new Float32Array(2)).toBeInstanceOf(Float32Array);
  });
});
