/**
 * The arena: where a tape's buffers live. A WebAssembly arena is one `WebAssembly.Memory`, sized
 * once before the first buffer is handed out and never grown (growing would detach every view), so
 * the WebAssembly kernels work on the tape's values, gradients, optimizer state and scratch in
 * place, and the TypeScript ops keep working on plain Float32Array views of the same bytes.
 *
 * A request past the capacity is served from the JavaScript heap instead and counted in
 * `overflowBytes`: the results stay right (a kernel given an array outside its arena runs the
 * TypeScript path), and the plan builder, seeing the overflow, builds again on an arena of the
 * exact size. The JS arena (`Arena.js()`) allocates every buffer on the heap: the TypeScript path.
 */
import { CONTROL_BYTES, GemmThreads, MAX_HELPERS, threadPool } from '../kernels/threads';
import { instantiateKernels, instantiateSharedKernels, sharedKernelsSupported, wasmKernelsSupported, type WasmKernels } from '../kernels/wasm';

/** Every buffer starts on a 16-byte boundary, so SIMD loads and stores are aligned. */
const ALIGN = 16;
/** Where the threaded matrix multiply's job slots are (engine/kernels/threads.ts). */
const CONTROL = 1024;
/**
 * Bytes kept at the start of the memory: a null area nothing uses, then the kernels' results and
 * arguments, then the job slots of helper threads (rounded up to 2 KB).
 */
const RESERVED = CONTROL + CONTROL_BYTES + 64;
/**
 * Where kernels write the numbers they return (up to RESULT_COUNT float64s) and read their float64
 * settings (up to ARG_COUNT), so that no call passes or returns a double, which JavaScript may box.
 */
const RESULTS = 512;
const RESULT_COUNT = 4;
const ARGS = RESULTS + 8 * RESULT_COUNT;
const ARG_COUNT = 16;

export type KernelPath = 'wasm' | 'js';

let preferred: KernelPath | undefined;

/** The kernels a plan runs on when nobody says: WebAssembly SIMD where this runtime has it. */
export function preferredKernelPath(): KernelPath {
  return preferred ?? (wasmKernelsSupported() ? 'wasm' : 'js');
}

/** Makes plans run on `path` when nobody says (undefined: back to the default), for tests of both paths. */
export function setPreferredKernelPath(path: KernelPath | undefined): void {
  preferred = path;
}

let makeDefaultArena: () => Arena = () => Arena.js();

/** The arena of a tape made without one: the JS heap, unless a test runs the ops on WebAssembly. */
export function defaultArena(): Arena {
  return makeDefaultArena();
}

/** For tests that run the op suites on the WebAssembly path. */
export function setDefaultArena(make: () => Arena): void {
  makeDefaultArena = make;
}

let scratch: number | undefined;

/** Bytes of the matrix kernel's scratch (asked of the module once), or undefined without WebAssembly SIMD. */
function gemmScratchBytes(): number | undefined {
  if (scratch === undefined) scratch = instantiateKernels(0)?.kernels.gemmScratchBytes();
  return wasmKernelsSupported() ? scratch : undefined;
}

const arenas = new WeakMap<ArrayBufferLike, Arena>();

/** The WebAssembly arena whose memory `buffer` is, if any. */
export function arenaOf(buffer: ArrayBufferLike): Arena | undefined {
  return arenas.get(buffer);
}

export class Arena {
  /** Bytes requested beyond the capacity (served from the heap). */
  overflowBytes = 0;
  private top: number;

  private constructor(
    /** The WebAssembly kernels bound to this arena's memory; undefined for the JS arena. */
    readonly kernels: WasmKernels | undefined,
    readonly buffer: ArrayBuffer | undefined,
    private readonly end: number,
    /** Address of the matrix kernel's packing scratch. */
    readonly gemmScratch: number,
    private readonly start: number,
    /** The helper threads that share this arena's products, on a shared memory; else undefined. */
    readonly threads?: GemmThreads,
  ) {
    this.top = start;
    // Made now, so that no kernel call makes a view.
    this.results = buffer ? new Float64Array(buffer, RESULTS, RESULT_COUNT) : new Float64Array(RESULT_COUNT);
    this.args = buffer ? new Float64Array(buffer, ARGS, ARG_COUNT) : new Float64Array(ARG_COUNT);
    if (buffer) arenas.set(buffer, this);
  }

  /** Every buffer on the JavaScript heap: the TypeScript kernels. */
  static js(): Arena {
    return new Arena(undefined, undefined, 0, 0, 0);
  }

  /**
   * An arena of `capacityBytes` for buffers in one WebAssembly memory, plus the kernels' scratch,
   * or the JS arena where WebAssembly SIMD is not available.
   */
  static wasm(capacityBytes: number): Arena {
    const scratchBytes = gemmScratchBytes();
    if (scratchBytes === undefined) return Arena.js();
    const capacity = Math.max(0, Math.ceil(capacityBytes / ALIGN) * ALIGN);
    const pool = threadPool();
    if (pool && pool.size > 0 && sharedKernelsSupported()) {
      // A shared memory, with a matrix kernel scratch for the engine's thread and each helper.
      const helpers = Math.min(pool.size, MAX_HELPERS);
      const scratchTotal = (helpers + 1) * scratchBytes;
      const shared = instantiateSharedKernels(RESERVED + scratchTotal + capacity);
      if (shared) {
        const threads = GemmThreads.start(shared.kernels, shared.memory, shared.module, shared.buffer, CONTROL, RESERVED, scratchBytes);
        return new Arena(shared.kernels, shared.buffer as ArrayBuffer, shared.buffer.byteLength, RESERVED, RESERVED + scratchTotal, threads);
      }
    }
    const instance = instantiateKernels(RESERVED + scratchBytes + capacity);
    if (!instance) return Arena.js();
    const start = RESERVED + scratchBytes;
    return new Arena(instance.kernels, instance.buffer, instance.buffer.byteLength, RESERVED, start);
  }

  /** The kernels' results area (RESULT_COUNT float64s; `resultsAddress` in the memory). */
  readonly results: Float64Array;

  readonly resultsAddress = RESULTS;

  /** The kernels' float64 arguments area (`argsAddress` in the memory). */
  readonly args: Float64Array;

  readonly argsAddress = ARGS;

  /**
   * The WebAssembly kernels, when every array given lives in this arena (an op asks once, when it
   * is recorded, for the arrays it will pass); otherwise undefined and the op runs its TypeScript loop.
   */
  kernelsFor(...arrays: readonly (Float32Array | Int32Array)[]): WasmKernels | undefined {
    if (!this.kernels) return undefined;
    for (const a of arrays) if (a.buffer !== this.buffer) return undefined;
    return this.kernels;
  }

  get path(): KernelPath {
    return this.kernels ? 'wasm' : 'js';
  }

  /** Threads that compute this arena's matrix products: the engine's own plus its helpers. */
  get threadCount(): number {
    return 1 + (this.threads?.helpers ?? 0);
  }

  /** Bytes handed out so far, in the memory and (past the capacity) on the heap. */
  get usedBytes(): number {
    return (this.buffer ? this.top - this.start : 0) + this.overflowBytes;
  }

  private readonly states = new Map<string, Float32Array>();

  /**
   * Optimizer state for the parameter whose values are `value` (slot 0 or 1): made once per
   * parameter and slot, then the same buffer for every optimizer after (its contents are the caller's).
   */
  stateFor(value: Float32Array, slot: number): Float32Array {
    const key = `${value.byteOffset}:${value.length}:${slot}`;
    let state = this.states.get(key);
    if (!state) {
      state = this.floats(value.length);
      this.states.set(key, state);
    }
    return state;
  }

  /** `n` zeroed floats. */
  floats(n: number): Float32Array {
    const at = this.claim(n);
    return at < 0 ? new Float32Array(n) : new Float32Array(this.buffer!, at, n);
  }

  /** `n` zeroed 32-bit integers (index tables the kernels read). */
  ints(n: number): Int32Array {
    const at = this.claim(n);
    return at < 0 ? new Int32Array(n) : new Int32Array(this.buffer!, at, n);
  }

  /** The address of 4·n bytes in the memory, or -1 when they must come from the heap. */
  private claim(n: number): number {
    const bytes = Math.ceil((n * 4) / ALIGN) * ALIGN;
    if (!this.buffer) return -1;
    if (this.top + bytes > this.end) {
      this.overflowBytes += bytes;
      return -1;
    }
    const at = this.top;
    this.top += bytes;
    return at;
  }
}
