import { afterEach, describe, expect, it, vi } from 'vitest';
import { setWasmKernelsDisabled } from '../engine/kernels/wasm';
import { engineHere, engineInfo } from './engine';
import { requestedThreads, workerName } from './threads';

afterEach(() => {
  vi.unstubAllGlobals();
  setWasmKernelsDisabled(false);
});

describe('engineInfo: which kernels run, and why not WebAssembly', () => {
  it('is WebAssembly SIMD where the kernels run (Node has them), on one thread outside a cross-origin isolated page', () => {
    vi.stubGlobal('crossOriginIsolated', undefined);
    const oneThread = 'the page is not cross-origin isolated, so threads cannot share memory';
    expect(engineHere()).toEqual({ kernels: 'wasm', threads: 1, oneThreadReason: oneThread });
    expect(engineInfo({ path: 'wasm', threadCount: 1 })).toEqual({ kernels: 'wasm', threads: 1, oneThreadReason: oneThread });
  });

  it('uses a thread per core on an isolated page with 4 cores or more (up to 16), and says why one on fewer', () => {
    vi.stubGlobal('crossOriginIsolated', true);
    vi.stubGlobal('navigator', { hardwareConcurrency: 8 });
    expect(engineHere()).toEqual({ kernels: 'wasm', threads: 8 });
    expect(engineInfo({ path: 'wasm', threadCount: 8 })).toEqual({ kernels: 'wasm', threads: 8 });
    vi.stubGlobal('navigator', { hardwareConcurrency: 64 });
    expect(engineHere().threads).toBe(16);
    vi.stubGlobal('navigator', { hardwareConcurrency: 4 });
    expect(engineHere().threads).toBe(4);
    vi.stubGlobal('navigator', { hardwareConcurrency: 2 });
    expect(engineHere()).toEqual({ kernels: 'wasm', threads: 1, oneThreadReason: 'this device reports 2 cores and threads pay from 4 (?threads=2 in the address asks for 2)' });
    vi.stubGlobal('navigator', { hardwareConcurrency: 1 });
    expect(engineHere().oneThreadReason).toBe('this device reports one core and threads pay from 4');
  });

  it('?threads=N in the address (the worker: in its name) asks for N threads whatever the cores, within isolation', () => {
    expect(workerName('?threads=2')).toBe('gradflow-training threads=2');
    expect(workerName('?a=1&threads=3&b')).toBe('gradflow-training threads=3');
    expect(workerName('')).toBe('gradflow-training');
    expect(workerName('?threads=0')).toBe('gradflow-training');
    expect(workerName('?threads=x')).toBe('gradflow-training');
    expect(workerName('?mythreads=2')).toBe('gradflow-training');
    expect(requestedThreads('gradflow-training threads=99')).toBe(16);
    vi.stubGlobal('crossOriginIsolated', true);
    vi.stubGlobal('navigator', { hardwareConcurrency: 2 });
    expect(engineHere(2)).toEqual({ kernels: 'wasm', threads: 2 });
    expect(engineHere(1)).toEqual({ kernels: 'wasm', threads: 1, oneThreadReason: 'the address asks for one (?threads=1)' });
    // In the worker, the name says it.
    vi.stubGlobal('name', 'gradflow-training threads=3');
    expect(engineHere()).toEqual({ kernels: 'wasm', threads: 3 });
    // Isolation is still needed: no shared memory without it.
    vi.stubGlobal('crossOriginIsolated', false);
    expect(engineHere(2).threads).toBe(1);
  });

  it('tells a browser without WebAssembly, one without SIMD and a page whose policy forbids compiling from kernels turned off', () => {
    setWasmKernelsDisabled(true);
    expect(engineHere()).toEqual({
      kernels: 'js', threads: 1, fallbackReason: 'the WebAssembly kernels are turned off', oneThreadReason: 'the TypeScript kernels run on one thread',
    });
    const real = WebAssembly;
    vi.stubGlobal('WebAssembly', undefined);
    expect(engineInfo({ path: 'js', threadCount: 1 }).fallbackReason).toBe('WebAssembly is not available in this browser');
    vi.stubGlobal('WebAssembly', { validate: () => false, Module: real.Module });
    expect(engineInfo({ path: 'js', threadCount: 1 }).fallbackReason).toBe('WebAssembly SIMD is not available in this browser');
    // What Chromium throws under a CSP without 'wasm-unsafe-eval': validating is allowed, compiling is not.
    const refused = class {
      constructor() {
        throw new real.CompileError("WebAssembly.Module(): Refused to compile or instantiate WebAssembly module because 'unsafe-eval' is not an allowed source");
      }
    };
    vi.stubGlobal('WebAssembly', { validate: real.validate, Module: refused });
    expect(engineInfo({ path: 'js', threadCount: 1 }).fallbackReason).toBe('this page’s security policy does not allow WebAssembly');
  });
});
