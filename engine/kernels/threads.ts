/**
 * The threaded matrix multiply: helper threads on the arena's shared memory each compute a block of
 * a product while the engine's own thread computes the first block.
 *
 * The engine stays pure: it never makes a thread. The host (the app's training worker, or Node in
 * tests and benchmarks) makes helper threads and hands the engine a `ThreadPool` (setThreadPool).
 * When a WebAssembly arena is made while a pool is set and this runtime can share a memory (a
 * cross-origin isolated page, engine/kernels/wasm.ts), the arena's memory is a shared one, and the
 * pool starts every helper on it: each helper runs `runGemmHelper`, which instantiates the same
 * kernels on the same memory and then sleeps on its job slot until given a block.
 *
 * Job slots are 64 bytes each in the arena's reserved bytes: an int32 state, then gemmStrided's 13
 * int32 arguments. The engine writes the arguments, stores JOB and notifies; the helper computes
 * its block (kernels.gemmJob reads the arguments itself), stores DONE and notifies; the engine,
 * having computed its own block, waits for DONE on every slot it used and stores IDLE. Splitting
 * by rows of C (or, for short and wide products, by columns) gives every element of C the same
 * sums in the same order as one thread does, so threaded and single-threaded results are equal bit
 * for bit. A helper that has not yet joined (its slot still NONE) is simply not given work, so a
 * product never waits for a thread to start; a small product runs on the engine's thread alone.
 *
 * Blocking: the engine's thread waits with Atomics.wait, which a worker (and Node) may do; a page's
 * main thread may not, so a pool is set only where the engine runs in a worker.
 */
import type { WasmKernels } from './wasm';
import { instantiateOn } from './wasm';

/** Helper threads made by the host. */
export interface ThreadPool {
  /** How many helpers there are (the engine's own thread not counted). */
  readonly size: number;
  /**
   * Starts helper `slot` (0 .. size-1) on `memory`: the host posts the three to that helper, which
   * calls runGemmHelper(memory, module, control, slot) and returns when the engine lets it go.
   */
  attach(memory: object, module: object, control: number): void;
}

let pool: ThreadPool | undefined;

/** Makes WebAssembly arenas made from now on use `next`'s helpers (undefined: one thread). */
export function setThreadPool(next: ThreadPool | undefined): void {
  pool = next;
}

export function threadPool(): ThreadPool | undefined {
  return pool;
}

/** The most helpers an arena serves: the job slots that fit in CONTROL_BYTES. */
export const MAX_HELPERS = 15;
const SLOT_BYTES = 64;
const SLOT_INTS = SLOT_BYTES / 4;
/** Bytes of job slots an arena reserves. */
export const CONTROL_BYTES = MAX_HELPERS * SLOT_BYTES;

/** Slot states. */
const NONE = 0; // no helper has joined
const IDLE = 1; // a helper sleeps on the slot
const JOB = 2; // a block is posted
const DONE = 3; // the block is computed
const QUIT = 4; // the arena is let go: the helper returns

/**
 * Below this many multiply-adds a product runs on one thread, untried: waking a helper and hearing
 * back costs about 30 µs (measured here with Atomics.wait and notify), which is what the SIMD kernel
 * takes for 2^20 multiply-adds.
 */
export const MIN_THREADED_MACS = 1 << 20;

/** Shapes the autotuner keeps apart (a power of two); a tape has a few dozen. */
const TABLE = 256;
/** Timed products per way before the tuner decides. */
const TRIALS = 3;
/** A split must take under this share of the one-thread time to be chosen. */
const SPLIT_GAIN = 0.9;
/** Products of a shape between two tunings. */
const RETUNE_CALLS = 2000;

/** The helpers waiting on the most recent threaded arena (only one arena holds the pool at a time). */
let current: GemmThreads | undefined;

/** One threaded arena's side of the job slots. */
export class GemmThreads {
  private readonly state: Int32Array;
  private readonly used: Int32Array;

  constructor(
    private readonly kernels: WasmKernels,
    buffer: ArrayBufferLike,
    /** Address of the job slots. */
    control: number,
    /** Helpers given this arena. */
    readonly helpers: number,
    /** Address of the engine thread's scratch; helper i's is i+1 scratches further. */
    private readonly scratch: number,
    private readonly scratchBytes: number,
  ) {
    this.state = new Int32Array(buffer, control, helpers * SLOT_INTS);
    this.used = new Int32Array(helpers);
  }

  /**
   * Makes a new arena's helpers: takes the pool from the arena that held it (its helpers return),
   * then starts the pool's helpers on this one. Undefined when no pool is set.
   */
  static start(kernels: WasmKernels, memory: object, module: object, buffer: ArrayBufferLike, control: number, scratch: number, scratchBytes: number): GemmThreads | undefined {
    const helpers = Math.min(pool?.size ?? 0, MAX_HELPERS);
    if (!pool || helpers < 1) return undefined;
    current?.release();
    current = new GemmThreads(kernels, buffer, control, helpers, scratch, scratchBytes);
    pool.attach(memory, module, control);
    return current;
  }

  /** Products of fewer multiply-adds run on the engine's thread alone. */
  minMacs = MIN_THREADED_MACS;

  /** Blocks handed to helpers so far (a product split in p parts hands out p - 1). */
  blocksHandedOut = 0;

  /** Helpers that have joined and wait for work now. */
  get ready(): number {
    let n = 0;
    for (let s = 0; s < this.helpers; s++) if (Atomics.load(this.state, s * SLOT_INTS) === IDLE) n++;
    return n;
  }

  /** Lets this arena's helpers go (they return to their host for the next arena). */
  release(): void {
    for (let s = 0; s < this.helpers; s++) {
      Atomics.store(this.state, s * SLOT_INTS, QUIT);
      Atomics.notify(this.state, s * SLOT_INTS);
    }
    if (current === this) current = undefined;
  }

  /**
   * kernels.gemm (byte addresses in the arena), split across the helpers that are ready when that
   * pays: see `autotune`.
   */
  gemm(transA: number, transB: number, m: number, n: number, k: number, a: number, b: number, c: number, accumulate: number): void {
    if (m * n * k < this.minMacs) {
      this.kernels.gemm(transA, transB, m, n, k, a, b, c, accumulate, this.scratch);
      return;
    }
    const e = this.autotune ? this.entry(transA, transB, m, n, k) : -1;
    if (e < 0) {
      // Not tuned (turned off, or more shapes than the table holds): split whenever helpers are ready.
      this.split(transA, transB, m, n, k, a, b, c, accumulate);
      return;
    }
    const calls = this.calls[e]!;
    this.calls[e] = calls + 1 >= RETUNE_CALLS ? 0 : calls + 1;
    if (calls >= 2 * TRIALS) {
      if (this.splits[e]) this.split(transA, transB, m, n, k, a, b, c, accumulate);
      else this.kernels.gemm(transA, transB, m, n, k, a, b, c, accumulate, this.scratch);
      return;
    }
    // A trial: even calls on one thread, odd calls split, each timed; the best of each decides.
    if (calls === 0) this.best.fill(Infinity, 2 * e, 2 * e + 2);
    const t0 = this.clock();
    let parts = 1;
    if (calls % 2 === 0) this.kernels.gemm(transA, transB, m, n, k, a, b, c, accumulate, this.scratch);
    else parts = this.split(transA, transB, m, n, k, a, b, c, accumulate);
    const time = this.clock() - t0;
    if (calls % 2 === 1 && parts < 2) {
      // No helper was ready: this was no trial of splitting; try again next call.
      this.calls[e] = calls;
      return;
    }
    const slot = 2 * e + (calls % 2);
    if (time < this.best[slot]!) this.best[slot] = time;
    if (calls + 1 === 2 * TRIALS) this.splits[e] = this.best[2 * e + 1]! < SPLIT_GAIN * this.best[2 * e]! ? 1 : 0;
  }

  /**
   * Whether to choose, shape by shape, between splitting a product and running it on one thread,
   * by timing both: a tape runs the same products every step, and what a split costs (waking a
   * helper, moving C between cores' caches) differs from machine to machine, and on a virtual
   * machine from minute to minute. The first 2·TRIALS products of a shape alternate, the faster
   * way (the split needing a SPLIT_GAIN edge) is used for the next RETUNE_CALLS, then it is timed
   * again. Results are the same bits either way. Off: split every product of at least minMacs.
   */
  autotune = true;

  /** The tuner's clock (milliseconds): performance.now, which workers and Node both have. */
  clock: () => number = () => (globalThis as unknown as { performance: { now(): number } }).performance.now();

  /** Shapes seen: m, n, k, and the two transpose flags plus 4 (0: a free entry), TABLE entries, probed linearly. */
  private readonly shapes = new Int32Array(TABLE * 4);
  private readonly calls = new Int32Array(TABLE);
  private readonly splits = new Uint8Array(TABLE);
  /** Per shape: the fastest trial on one thread, then split (ms). */
  private readonly best = new Float64Array(TABLE * 2);

  /** The table entry of a shape (made on first sight), or -1 when the table is full. */
  private entry(transA: number, transB: number, m: number, n: number, k: number): number {
    const flags = 4 | (transA << 1) | transB;
    let i = (Math.imul(m, 73856093) ^ Math.imul(n, 19349663) ^ Math.imul(k, 83492791) ^ flags) & (TABLE - 1);
    for (let probe = 0; probe < TABLE; probe++, i = (i + 1) & (TABLE - 1)) {
      const at = i * 4;
      const f = this.shapes[at + 3]!;
      if (f === 0) {
        this.shapes[at] = m;
        this.shapes[at + 1] = n;
        this.shapes[at + 2] = k;
        this.shapes[at + 3] = flags;
        return i;
      }
      if (f === flags && this.shapes[at] === m && this.shapes[at + 1] === n && this.shapes[at + 2] === k) return i;
    }
    return -1;
  }

  /** The product split across the helpers that are ready; returns the parts it ran in (1: all on this thread). */
  private split(transA: number, transB: number, m: number, n: number, k: number, a: number, b: number, c: number, accumulate: number): number {
    const lda = transA ? m : k;
    const ldb = transB ? k : n;
    let parts = 1;
    for (let s = 0; s < this.helpers; s++) if (Atomics.load(this.state, s * SLOT_INTS) === IDLE) this.used[parts++ - 1] = s;
    // Rows of C in multiples of 4 (the kernel's tile), or else columns in multiples of 8.
    const byRows = m >= 8 * parts || n < 16;
    const dim = byRows ? m : n;
    const quantum = byRows ? 4 : 8;
    const chunk = Math.ceil(dim / parts / quantum) * quantum;
    parts = Math.min(parts, Math.ceil(dim / chunk));
    if (parts < 2) {
      this.kernels.gemm(transA, transB, m, n, k, a, b, c, accumulate, this.scratch);
      return 1;
    }
    this.blocksHandedOut += parts - 1;
    for (let p = 1; p < parts; p++) {
      const s = this.used[p - 1]!;
      const at = p * chunk;
      const size = Math.min(chunk, dim - at);
      const base = s * SLOT_INTS;
      const job = this.state;
      job[base + 1] = transA;
      job[base + 2] = transB;
      job[base + 3] = byRows ? size : m;
      job[base + 4] = byRows ? n : size;
      job[base + 5] = k;
      // Row i of op(A) starts at a + i·(transA ? 1 : lda) floats; column j of op(B) at b + j·(transB ? ldb : 1).
      job[base + 6] = byRows ? a + at * (transA ? 4 : lda * 4) : a;
      job[base + 7] = lda;
      job[base + 8] = byRows ? b : b + at * (transB ? ldb * 4 : 4);
      job[base + 9] = ldb;
      job[base + 10] = byRows ? c + at * n * 4 : c + at * 4;
      job[base + 11] = n;
      job[base + 12] = accumulate;
      job[base + 13] = this.scratch + (s + 1) * this.scratchBytes;
      Atomics.store(job, base, JOB);
      Atomics.notify(job, base, 1);
    }
    this.kernels.gemmStrided(transA, transB, byRows ? chunk : m, byRows ? n : chunk, k, a, lda, b, ldb, c, n, accumulate, this.scratch);
    for (let p = 1; p < parts; p++) {
      const base = this.used[p - 1]! * SLOT_INTS;
      while (Atomics.load(this.state, base) !== DONE) Atomics.wait(this.state, base, JOB);
      Atomics.store(this.state, base, IDLE);
    }
    return parts;
  }
}

/**
 * A helper thread's whole life on one arena: joins slot `slot` of the job slots at `control`,
 * computes the blocks it is given, and returns when the arena lets it go. The host calls it with
 * what ThreadPool.attach was given; it blocks (Atomics.wait), so only a worker may call it.
 */
export function runGemmHelper(memory: object, module: object, control: number, slot: number): void {
  const kernels = instantiateOn(memory, module);
  const buffer = (memory as { buffer: ArrayBufferLike }).buffer;
  const state = new Int32Array(buffer, control + slot * SLOT_BYTES, SLOT_INTS);
  // An arena let go before this helper got to it: nothing to join.
  if (Atomics.compareExchange(state, 0, NONE, IDLE) !== NONE) return;
  for (;;) {
    const s = Atomics.load(state, 0);
    if (s === JOB) {
      kernels.gemmJob(control + slot * SLOT_BYTES + 4);
      Atomics.store(state, 0, DONE);
      Atomics.notify(state, 0);
    } else if (s === QUIT) {
      return;
    } else {
      // IDLE or DONE: sleep until the engine posts a block or lets the arena go (both notify).
      Atomics.wait(state, 0, s);
    }
  }
}
