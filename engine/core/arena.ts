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
import { instantiateKernels, wasmKernelsSupported, type WasmKernels } from '../kernels/wasm';

/** Every buffer starts on a 16-byte boundary, so SIMD loads and stores are aligned. */
const ALIGN = 16;
/** Bytes left unused at address 0, so a stray null address reads and writes nothing of ours. */
const RESERVED = 1024;

export type KernelPath = 'wasm' | 'js';

/** The kernels a plan runs on when nobody says: WebAssembly SIMD where this runtime has it. */
export function preferredKernelPath(): KernelPath {
  return wasmKernelsSupported() ? 'wasm' : 'js';
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
    start: number,
  ) {
    this.top = start;
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
    const probe = instantiateKernels(0);
    if (!probe) return Arena.js();
    const scratchBytes = probe.kernels.gemmScratchBytes();
    const capacity = Math.max(0, Math.ceil(capacityBytes / ALIGN) * ALIGN);
    const instance = instantiateKernels(RESERVED + scratchBytes + capacity);
    if (!instance) return Arena.js();
    const start = RESERVED + scratchBytes;
    return new Arena(instance.kernels, instance.buffer, instance.buffer.byteLength, RESERVED, start);
  }

  get path(): KernelPath {
    return this.kernels ? 'wasm' : 'js';
  }

  /** Bytes handed out so far, in the memory and (past the capacity) on the heap. */
  get usedBytes(): number {
    return (this.buffer ? this.top - RESERVED - this.gemmScratchBytes : 0) + this.overflowBytes;
  }

  private get gemmScratchBytes(): number {
    return this.kernels ? this.kernels.gemmScratchBytes() : 0;
  }

  /** `n` zeroed floats. */
  floats(n: number): Float32Array {
    const bytes = Math.ceil((n * 4) / ALIGN) * ALIGN;
    if (this.buffer) {
      if (this.top + bytes <= this.end) {
        const view = new Float32Array(this.buffer, this.top, n);
        this.top += bytes;
        return view;
      }
      this.overflowBytes += bytes;
    }
    return new Float32Array(n);
  }
}
