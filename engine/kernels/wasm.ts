/**
 * The WebAssembly SIMD kernels (engine/kernels/assembly/, compiled into wasm-module.ts): feature
 * detection, and one instance per arena, bound to that arena's memory.
 *
 * The engine is pure computation, so it reaches WebAssembly through `globalThis` (the engine's
 * TypeScript lib has no DOM or Node types). Where WebAssembly or its SIMD proposal is missing
 * (an old browser, a locked-down runtime), `wasmKernelsSupported()` is false and the engine runs
 * its TypeScript kernels, which compute the same results.
 */
import { KERNELS_SHARED_WASM_BASE64, KERNELS_WASM_BASE64 } from './wasm-module';

/** The part of the WebAssembly JS API the engine uses. */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  validate(bytes: Uint8Array): boolean;
}

/** The kernels' exports. Addresses are byte offsets in the arena; flags are 0 or 1. */
export interface WasmKernels {
  gemm(transA: number, transB: number, m: number, n: number, k: number, a: number, b: number, c: number, accumulate: number, scratch: number): void;
  /** gemm on blocks of larger matrices: lda, ldb, ldc are the stored row lengths in floats. */
  gemmStrided(transA: number, transB: number, m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, accumulate: number, scratch: number): void;
  /** gemmStrided with its 13 arguments read as int32s from `job` (engine/kernels/threads.ts). */
  gemmJob(job: number): void;
  gemmScratchBytes(): number;
  addTo(dst: number, src: number, n: number): void;
  reluForward(x: number, y: number, n: number): void;
  reluBackward(x: number, gy: number, gx: number, n: number): void;
  biasAdd(a: number, b: number, y: number, rows: number, p: number): void;
  biasGrad(g: number, gb: number, rows: number, p: number): void;
  copyRuns(runs: number, count: number, x: number, col: number, images: number, inImage: number, colImage: number): void;
  addRuns(runs: number, count: number, dcol: number, gx: number, b0: number, n: number, inImage: number, colImage: number): void;
  maxPoolForward(x: number, y: number, argmax: number, start: number, taps: number, images: number, positions: number, c: number, inImage: number): void;
  maxPoolBackward(gy: number, gx: number, argmax: number, n: number): void;
  addSumSquares(v: number, n: number, out: number): void;
  /** Adds Σv, Σv², Σ|v| and the count of zeros over n floats at v to the four float64s at out. */
  addMoments(v: number, n: number, out: number): void;
  /** args: float64 rate, keep; rng: the four sfc32 words (int32), updated in place. */
  dropoutForward(x: number, y: number, mask: number, n: number, rng: number, args: number): void;
  mulAddTo(gx: number, gy: number, mask: number, n: number): void;
  /** args: float64 lr, clip, l2. */
  sgdUpdate(w: number, grad: number, n: number, args: number, out: number): void;
  /** args: float64 lr, clip, l2, μ. */
  sgdMomentumUpdate(w: number, grad: number, vel: number, n: number, nesterov: number, args: number, out: number): void;
  /** args: float64 lr, clip, l2, β1, β2, ε, lr·weightDecay, 1-β1ᵗ, 1-β2ᵗ. */
  adamUpdate(w: number, grad: number, m: number, v: number, n: number, args: number, out: number): void;
}

export const WASM_PAGE_BYTES = 65536;

let compiled: object | null | undefined;
let compiledShared: object | null | undefined;

function api(): WasmApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
}

function decodeBase64(text: string): Uint8Array {
  const atob = (globalThis as unknown as { atob: (s: string) => string }).atob;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** `base64` compiled, or null where this runtime cannot (no WebAssembly, no SIMD, a CSP that forbids it). */
function compile(base64: string): object | null {
  const wasm = api();
  if (!wasm || typeof wasm.validate !== 'function') return null;
  try {
    const bytes = decodeBase64(base64);
    // validate() is false where the SIMD (or threads) proposal is not implemented.
    return wasm.validate(bytes) ? new wasm.Module(bytes) : null;
  } catch {
    return null;
  }
}

/** The compiled module, or null where WebAssembly with SIMD is not available. Compiled once. */
function kernelModule(): object | null {
  if (compiled === undefined) compiled = compile(KERNELS_WASM_BASE64);
  return compiled;
}

/**
 * The kernels for a shared memory, or null where this runtime cannot share one between threads:
 * no SharedArrayBuffer, or a page that is not cross-origin isolated. Compiled once.
 */
function sharedKernelModule(): object | null {
  if (compiledShared !== undefined) return compiledShared;
  compiledShared = null;
  const wasm = api();
  const isolated = (globalThis as unknown as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  if (!wasm || isolated === false || typeof SharedArrayBuffer !== 'function') return compiledShared;
  try {
    const probe = new wasm.Memory({ initial: 1, maximum: 1, shared: true });
    if (!(probe.buffer instanceof SharedArrayBuffer)) return compiledShared;
  } catch {
    return compiledShared;
  }
  compiledShared = compile(KERNELS_SHARED_WASM_BASE64);
  return compiledShared;
}

let disabled = false;

/** True when the WebAssembly SIMD kernels can run here (and have not been turned off). */
export function wasmKernelsSupported(): boolean {
  return !disabled && kernelModule() !== null;
}

/**
 * Turns the WebAssembly kernels off (or back on) for arenas made from now on: for tests that run
 * both paths, and for a runtime that should not use them.
 */
export function setWasmKernelsDisabled(value: boolean): void {
  disabled = value;
}

export interface WasmInstance {
  readonly buffer: ArrayBuffer;
  readonly kernels: WasmKernels;
}

/** True when the kernels can run on a memory shared with helper threads (engine/kernels/threads.ts). */
export function sharedKernelsSupported(): boolean {
  return wasmKernelsSupported() && sharedKernelModule() !== null;
}

export interface SharedWasmInstance extends WasmInstance {
  /** The shared memory and the compiled module, which helper threads instantiate on it. */
  readonly memory: object;
  readonly module: object;
}

/** A new shared memory of `bytes` (whole pages) with the kernels instantiated on it, or undefined where unsupported. */
export function instantiateSharedKernels(bytes: number): SharedWasmInstance | undefined {
  const module = sharedKernelsSupported() ? sharedKernelModule() : null;
  const wasm = api();
  if (!module || !wasm) return undefined;
  const pages = Math.max(1, Math.ceil(bytes / WASM_PAGE_BYTES));
  const memory = new wasm.Memory({ initial: pages, maximum: pages, shared: true });
  return { memory, module, buffer: memory.buffer, kernels: instantiateOn(memory, module) };
}

/** The kernels of `module` (from instantiateSharedKernels) on `memory`: how a helper thread joins an arena. */
export function instantiateOn(memory: object, module: object): WasmKernels {
  const wasm = api()!;
  const instance = new wasm.Instance(module, { env: { memory } });
  return instance.exports as unknown as WasmKernels;
}

/** A new memory of `bytes` (rounded up to whole pages) with its own instance of the kernels, or undefined where unsupported. */
export function instantiateKernels(bytes: number): WasmInstance | undefined {
  const module = wasmKernelsSupported() ? kernelModule() : null;
  const wasm = api();
  if (!module || !wasm) return undefined;
  const memory = new wasm.Memory({ initial: Math.ceil(bytes / WASM_PAGE_BYTES) });
  const instance = new wasm.Instance(module, { env: { memory } });
  return { buffer: memory.buffer, kernels: instance.exports as unknown as WasmKernels };
}
