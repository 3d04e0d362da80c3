import { describe, expect, it } from 'vitest';
import { describeEngine } from './enginePath';

describe('the engine path in words', () => {
  it('names WebAssembly SIMD briefly for the readout and in full for About', () => {
    expect(describeEngine({ kernels: 'wasm', threads: 1 })).toEqual({
      tag: 'WASM SIMD',
      name: 'WebAssembly SIMD, one thread',
      sentence: 'Engine: WebAssembly SIMD kernels, on one thread.',
    });
  });

  it('says why the TypeScript kernels run', () => {
    const words = describeEngine({ kernels: 'js', threads: 1, fallbackReason: 'WebAssembly SIMD is not available in this browser' });
    expect(words.tag).toBe('TS');
    expect(words.name).toBe('TypeScript kernels, one thread');
    expect(words.why).toBe('WebAssembly SIMD is not available in this browser');
    expect(words.sentence).toMatch(/^Engine: TypeScript kernels, on one thread, because WebAssembly SIMD is not available in this browser: the same results/);
  });

  it('counts threads once the engine uses several', () => {
    expect(describeEngine({ kernels: 'wasm', threads: 4 })).toMatchObject({ tag: 'WASM SIMD ×4', name: 'WebAssembly SIMD, 4 threads' });
  });
});
