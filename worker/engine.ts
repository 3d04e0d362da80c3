/**
 * Which engine path runs: the WebAssembly SIMD kernels or the TypeScript ones (engine/core/arena.ts),
 * and, when it is TypeScript, why. The worker reports it for the loaded plan (LoadInfo.engine); the
 * page may ask the same of its own thread before anything is loaded (the About view).
 */
import { preferredKernelPath, type KernelPath } from '../engine/core/arena';
import { wasmKernelsSupported } from '../engine/kernels/wasm';
import { KERNELS_WASM_BASE64 } from '../engine/kernels/wasm-module';
import type { EngineInfo } from './protocol';

/** What runs a plan on `kernels`, on one thread (the threaded engine will say how many it uses). */
export function engineInfo(kernels: KernelPath): EngineInfo {
  return kernels === 'wasm' ? { kernels, threads: 1 } : { kernels, threads: 1, fallbackReason: whyNotWasm() };
}

/** What a plan made now would run on, here. */
export function engineHere(): EngineInfo {
  return engineInfo(preferredKernelPath());
}

interface WasmProbe {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
}

/**
 * Why the TypeScript kernels run. Only asked on that path: it tells a browser without WebAssembly
 * SIMD from a page whose Content-Security-Policy forbids compiling WebAssembly (validating a module
 * is allowed where compiling is not), and both from kernels turned off on purpose.
 */
function whyNotWasm(): string {
  if (wasmKernelsSupported()) return 'the WebAssembly kernels are turned off';
  const wasm = (globalThis as unknown as { WebAssembly?: WasmProbe }).WebAssembly;
  if (!wasm || typeof wasm.validate !== 'function') return 'WebAssembly is not available in this browser';
  const bytes = Uint8Array.from(atob(KERNELS_WASM_BASE64), (c) => c.charCodeAt(0));
  if (!wasm.validate(bytes)) return 'WebAssembly SIMD is not available in this browser';
  try {
    new wasm.Module(bytes);
  } catch {
    return 'this page’s security policy does not allow WebAssembly';
  }
  return 'the WebAssembly kernels are turned off';
}
