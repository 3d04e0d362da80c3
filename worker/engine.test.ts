import { afterEach, describe, expect, it, vi } from 'vitest';
import { setWasmKernelsDisabled } from '../engine/kernels/wasm';
import { engineHere, engineInfo } from './engine';

afterEach(() => {
  vi.unstubAllGlobals();
  setWasmKernelsDisabled(false);
});

describe('engineInfo: which kernels run, and why not WebAssembly', () => {
  it('is WebAssembly SIMD on one thread where the kernels run (Node has them)', () => {
    expect(engineHere()).toEqual({ kernels: 'wasm', threads: 1 });
    expect(engineInfo('wasm')).toEqual({ kernels: 'wasm', threads: 1 });
  });

  it('tells a browser without WebAssembly, one without SIMD and a page whose policy forbids compiling from kernels turned off', () => {
    setWasmKernelsDisabled(true);
    expect(engineHere()).toEqual({ kernels: 'js', threads: 1, fallbackReason: 'the WebAssembly kernels are turned off' });
    const real = WebAssembly;
    vi.stubGlobal('WebAssembly', undefined);
    expect(engineInfo('js').fallbackReason).toBe('WebAssembly is not available in this browser');
    vi.stubGlobal('WebAssembly', { validate: () => false, Module: real.Module });
    expect(engineInfo('js').fallbackReason).toBe('WebAssembly SIMD is not available in this browser');
    // What Chromium throws under a CSP without 'wasm-unsafe-eval': validating is allowed, compiling is not.
    const refused = class {
      constructor() {
        throw new real.CompileError("WebAssembly.Module(): Refused to compile or instantiate WebAssembly module because 'unsafe-eval' is not an allowed source");
      }
    };
    vi.stubGlobal('WebAssembly', { validate: real.validate, Module: refused });
    expect(engineInfo('js').fallbackReason).toBe('this page’s security policy does not allow WebAssembly');
  });
});
