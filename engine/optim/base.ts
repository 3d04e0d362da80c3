import { arenaOf, type Arena } from '../core/arena';
import { EngineError } from '../core/errors';
import type { WasmKernels } from '../kernels/wasm';
import type { CommonOptimizerConfig, Optimizer, OptimizerKind, OptimizerParam } from './types';
import { DEFAULT_LEARNING_RATE } from './types';

const EMPTY = new Float32Array(0);

/** Slots of `OptimizerBase.scalars`: the step's learning rate, clip factor and gradient norm. */
export const LR = 0;
export const CLIP = 1;
const GRAD_NORM = 2;

/**
 * What every optimizer shares: hyperparameter checks, global-norm clipping, coupled l2, and the
 * per-parameter norms the UI reads. A subclass implements `updateParam`, one tight loop over one
 * parameter, in which the effective gradient is `clip·grad[j] + l2·w[j]`, and writes that
 * parameter's lastUpdateNorm/lastWeightNorm itself.
 *
 * No allocation in step(): the per-step numbers (learning rate, clip factor, gradient norm) travel
 * through a Float64Array, never as arguments, return values or fields, because V8 boxes a double
 * passed to a call it does not inline (16 bytes each time).
 */
export abstract class OptimizerBase implements Optimizer {
  readonly params: readonly OptimizerParam[];
  learningRate: number;
  readonly l2: number;
  readonly clipNorm: number | undefined;
  iterations = 0;
  readonly lastUpdateNorm: Float32Array;
  readonly lastWeightNorm: Float32Array;
  /** [learning rate, clip factor, gradient norm] of the current step. */
  protected readonly scalars = new Float64Array(3);
  private readonly clipAt: number;
  /**
   * The WebAssembly arena the parameters, their gradients and (then) the optimizer's state live in,
   * and its kernels: the update runs there (the same float64 arithmetic as the TypeScript loops).
   */
  protected arena: Arena | undefined;
  protected kernels: WasmKernels | undefined;

  constructor(
    readonly kind: OptimizerKind,
    params: readonly OptimizerParam[],
    config: CommonOptimizerConfig,
  ) {
    for (const p of params) {
      if (p.grad.length !== p.value.length) {
        throw this.error(`parameter '${p.name}' has ${p.value.length} values but a gradient of ${p.grad.length}`);
      }
    }
    this.params = params.slice();
    this.learningRate = config.learningRate ?? DEFAULT_LEARNING_RATE[kind];
    if (!(this.learningRate >= 0 && this.learningRate < Infinity)) throw this.badLearningRate();
    this.l2 = this.atLeastZero('l2', config.l2 ?? 0);
    if (config.clipNorm !== undefined && !(config.clipNorm > 0 && Number.isFinite(config.clipNorm))) {
      throw this.error(`clipNorm must be a finite number > 0, got ${config.clipNorm}`);
    }
    this.clipNorm = config.clipNorm;
    this.clipAt = config.clipNorm ?? Infinity;
    this.lastUpdateNorm = new Float32Array(params.length);
    this.lastWeightNorm = new Float32Array(params.length);
    const arena = params.length > 0 ? arenaOf(params[0]!.value.buffer) : undefined;
    this.kernels = arena?.kernelsFor(...params.flatMap((p) => [p.value, p.grad]));
    this.arena = this.kernels ? arena : undefined;
  }

  get lastGradNorm(): number {
    return this.scalars[GRAD_NORM]!;
  }

  step(): void {
    const lr = this.learningRate;
    if (!(lr >= 0 && lr < Infinity)) throw this.badLearningRate();
    const params = this.params;
    let sum = 0;
    const k = this.kernels;
    if (k) {
      const results = this.arena!.results;
      results[0] = 0;
      for (let i = 0; i < params.length; i++) k.addSumSquares(params[i]!.grad.byteOffset, params[i]!.grad.length, this.arena!.resultsAddress);
      sum = results[0]!;
    } else {
      for (let i = 0; i < params.length; i++) {
        const g = params[i]!.grad;
        for (let j = 0; j < g.length; j++) sum += g[j]! * g[j]!;
      }
    }
    const norm = Math.sqrt(sum);
    const s = this.scalars;
    s[LR] = lr;
    s[GRAD_NORM] = norm;
    // A NaN or infinite gradient would poison the weights and the moments: skip the update, so the
    // weights stay as they were for inspection. The caller sees it in lastGradNorm.
    if (!Number.isFinite(norm)) return;
    // Keras's clip_by_global_norm: factor clipNorm/‖g‖ (PyTorch divides by ‖g‖ + 1e-6).
    s[CLIP] = norm > this.clipAt ? this.clipAt / norm : 1;
    this.iterations++;
    this.beginStep();
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      this.updateParam(i, p.value, p.grad);
    }
  }

  reset(): void {
    this.iterations = 0;
    this.scalars.fill(0);
    this.lastUpdateNorm.fill(0);
    this.lastWeightNorm.fill(0);
    this.resetState();
  }

  /** Called once per step after `iterations` is incremented (Adam's bias corrections). */
  protected beginStep(): void {}

  /**
   * Updates parameter `i` in place, reading the learning rate and clip factor from
   * `scalars[LR]` and `scalars[CLIP]`, and fills lastUpdateNorm[i] and lastWeightNorm[i].
   */
  protected abstract updateParam(i: number, w: Float32Array, grad: Float32Array): void;

  /** Zeroes the optimizer's moment buffers. */
  protected abstract resetState(): void;

  /**
   * One zeroed state buffer per parameter (slot 0 or 1: an optimizer keeps at most two), or empty
   * buffers when `needed` is false. In a WebAssembly arena the buffers are the arena's, the same
   * ones for every optimizer made on these parameters (a run that changes optimizer mid-way takes
   * no more memory), zeroed here.
   */
  protected stateBuffers(needed: boolean, slot: 0 | 1 = 0): Float32Array[] {
    const arena = this.arena;
    const buffers = this.params.map((p) => {
      if (!needed) return EMPTY;
      if (!arena) return new Float32Array(p.value.length);
      const state = arena.stateFor(p.value, slot);
      state.fill(0);
      return state;
    });
    // An arena too small for the state hands out heap arrays: then the TypeScript loops run.
    if (arena && needed && !arena.kernelsFor(...buffers)) {
      this.kernels = undefined;
      this.arena = undefined;
    }
    return buffers;
  }

  /** Writes the norms a kernel left in the arena's results into lastUpdateNorm[i] and lastWeightNorm[i]. */
  protected takeKernelNorms(i: number): void {
    const r = this.arena!.results;
    this.lastUpdateNorm[i] = Math.sqrt(r[0]!);
    this.lastWeightNorm[i] = Math.sqrt(r[1]!);
  }

  protected error(detail: string): EngineError {
    return new EngineError(this.kind, undefined, detail);
  }

  protected atLeastZero(name: string, x: number): number {
    if (!(x >= 0 && Number.isFinite(x))) throw this.error(`${name} must be a finite number >= 0, got ${x}`);
    return x;
  }

  /** For decay rates such as momentum, rho and the betas. */
  protected inUnitInterval(name: string, x: number): number {
    if (!(x >= 0 && x < 1)) throw this.error(`${name} must be in [0, 1), got ${x}`);
    return x;
  }

  private badLearningRate(): EngineError {
    return this.error(`learning rate must be a finite number >= 0, got ${this.learningRate}`);
  }
}
