/**
 * Which engine path runs: the WebAssembly SIMD kernels or the TypeScript ones (engine/core/arena.ts),
 * and, when it is TypeScript, why. The worker reports it for the loaded plan (LoadInfo.engine); the
 * page may ask the same of its own thread before anything is loaded (the About view).
 */
import { preferredKernelPath, type Arena, type KernelPath } from '../engine/core/arena';
import { wasmKernelsSupported } from '../engine/kernels/wasm';
import { KERNELS_WASM_BASE64 } from '../engine/kernels/wasm-module';
import type { EngineInfo } from './protocol';
import { requestedHere, threadsHere } from './threads';

/** What runs a plan whose buffers live in `arena`: which kernels, on how many threads, and why not more. */
export function engineInfo(arena: Pick<Arena, 'path' | 'threadCount'>, requested = requestedHere()): EngineInfo {
  return describe(arena.path, arena.threadCount, requested);
}

/** What a plan made now would run on, here (`requested`: threads asked for by `?threads=N`, read where it lands). */
export function engineHere(requested = requestedHere()): EngineInfo {
  const kernels = preferredKernelPath();
  return describe(kernels, kernels === 'wasm' ? threadsHere(requested).threads : 1, requested);
}

function describe(kernels: KernelPath, threads: number, requested?: number): EngineInfo {
  const info: EngineInfo = { kernels, threads };
  if (kernels !== 'wasm') info.fallbackReason = whyNotWasm();
  if (threads === 1) info.oneThreadReason = kernels === 'wasm' ? (threadsHere(requested).whyOne ?? 'threads are turned off') : 'the TypeScript kernels run on one thread';
  return info;
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
