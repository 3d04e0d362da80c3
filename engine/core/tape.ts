import { defaultArena, type Arena } from './arena';
import { EngineError } from './errors';
import { Rng } from './rng';
import { formatShape, sizeOf, type Shape } from './shape';

export type VarKind = 'input' | 'param' | 'const' | 'op';

/**
 * A tensor on the tape. Its buffers are allocated once, for the tape's largest batch.
 * A batched tensor's first dimension is the batch: at run time only the first
 * `tape.batch * innerSize` elements are live, so a smaller final batch needs no new buffers.
 */
export class Var {
  /** Gradient of the loss with respect to this tensor; readable after backward(). */
  grad: Float32Array;

  constructor(
    readonly tape: Tape,
    readonly id: number,
    readonly name: string,
    readonly kind: VarKind,
    /** Shape at the tape's largest batch. */
    readonly shape: Shape,
    readonly batched: boolean,
    readonly value: Float32Array,
    readonly requiresGrad: boolean,
    /** Another tensor's gradient buffer to share (an edge that is its source's only reader: `edgeOf`). */
    sharedGrad?: Float32Array,
  ) {
    this.grad = sharedGrad ?? (requiresGrad ? tape.floats(value.length) : EMPTY);
    this.innerSize = batched ? sizeOf(shape.slice(1)) : sizeOf(shape);
  }

  /** Elements per batch item (the whole size for an unbatched tensor). */
  readonly innerSize: number;

  get rank(): number {
    return this.shape.length;
  }

  /** Number of live elements at the tape's current batch. */
  get size(): number {
    return this.batched ? this.tape.batch * this.innerSize : this.value.length;
  }

  /** The live shape (first dimension replaced by the current batch when batched). */
  currentShape(): number[] {
    const s = this.shape.slice();
    if (this.batched) s[0] = this.tape.batch;
    return s;
  }
}

const EMPTY = new Float32Array(0);

/** One recorded primitive step: forward computes `out` from its inputs, backward adds gradients into them. */
export interface Step {
  readonly op: string;
  readonly node: string | undefined;
  readonly out: Var;
  readonly inputs: readonly Var[];
  forward(): void;
  backward(): void;
}

export interface StepSpec {
  out: Var;
  inputs: readonly Var[];
  forward(): void;
  backward(): void;
}

export interface TapeOptions {
  /** The largest batch the tape will run; buffers are sized for it. */
  maxBatch: number;
  /** Seed of the tape's random stream (dropout masks). */
  seed?: number;
  /**
   * Where the buffers live (engine/core/arena.ts): a WebAssembly arena runs the SIMD kernels in
   * place. Default: the JavaScript heap, which runs the TypeScript kernels (`defaultArena`).
   */
  arena?: Arena;
}

/**
 * The static tape: ops record steps once, with shapes known and buffers allocated;
 * forward() runs the list, backward() runs it in reverse accumulating gradients.
 * Nothing is allocated by forward() or backward().
 */
export class Tape {
  readonly maxBatch: number;
  /** The batch size of the current run, at most maxBatch. */
  batch: number;
  /** Training mode: dropout drops, batch norm uses batch statistics. */
  training = true;
  readonly rng: Rng;
  readonly vars: Var[] = [];
  /** The tensors with a gradient buffer of their own: what zeroGrads clears (a shared buffer once). */
  private readonly gradOwners: Var[] = [];
  readonly steps: Step[] = [];
  /** The graph node that ops recorded now belong to (for error messages and per-node grouping). */
  node: string | undefined = undefined;
  /** Where every buffer of the tape is allocated. */
  readonly arena: Arena;

  constructor(options: TapeOptions) {
    if (!(options.maxBatch >= 1) || !Number.isInteger(options.maxBatch)) {
      throw new EngineError('tape', undefined, `maxBatch must be a positive integer, got ${options.maxBatch}`);
    }
    this.maxBatch = options.maxBatch;
    this.batch = options.maxBatch;
    this.rng = new Rng(options.seed ?? 0);
    this.arena = options.arena ?? defaultArena();
  }

  /**
   * `n` zeroed floats in the tape's arena: ops take their scratch (im2col patches, masks) here, so
   * that the kernels can work on it in place.
   */
  floats(n: number): Float32Array {
    return this.arena.floats(n);
  }

  /** Runs `record` with `node` as the current graph node, so its ops and errors carry that name. */
  inNode<T>(node: string, record: () => T): T {
    const previous = this.node;
    this.node = node;
    try {
      return record();
    } finally {
      this.node = previous;
    }
  }

  private newVar(name: string, kind: VarKind, shape: Shape, batched: boolean, value: Float32Array, requiresGrad: boolean, sharedGrad?: Float32Array): Var {
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 1) {
        throw new EngineError(kind === 'op' ? name : kind, this.node, `shape ${formatShape(shape)} has a dimension that is not a positive integer`);
      }
    }
    if (batched && shape[0] !== this.maxBatch) {
      throw new EngineError(name, this.node, `a batched tensor must lead with the tape's batch ${this.maxBatch}, got ${formatShape(shape)}`);
    }
    const v = new Var(this, this.vars.length, name, kind, [...shape], batched, value, requiresGrad, sharedGrad);
    this.vars.push(v);
    if (requiresGrad && !sharedGrad) this.gradOwners.push(v);
    return v;
  }

  /**
   * A data input. `innerShape` excludes the batch dimension; the tensor is batched.
   * Pass requiresGrad to get dL/dinput (the gradient on the edge leaving an input node).
   */
  input(name: string, innerShape: Shape, options: { requiresGrad?: boolean } = {}): Var {
    const shape = [this.maxBatch, ...innerShape];
    return this.newVar(name, 'input', shape, true, this.floats(sizeOf(shape)), options.requiresGrad ?? false);
  }

  /** An unbatched constant (for example a fixed positional encoding or a mask). */
  constant(name: string, shape: Shape, values?: ArrayLike<number>): Var {
    const value = this.floats(sizeOf(shape));
    if (values) value.set(values);
    return this.newVar(name, 'const', shape, false, value, false);
  }

  /** A trainable parameter. Its values are set by an initializer or copied in. */
  param(name: string, shape: Shape, values?: ArrayLike<number>): Var {
    const value = this.floats(sizeOf(shape));
    if (values) value.set(values);
    return this.newVar(name, 'param', shape, false, value, true);
  }

  /**
   * The output of an op. `shape` is at max batch when batched. Pass `alias` to share another
   * tensor's values, and `shareGradient` to share its gradient buffer too (same shape and batch).
   */
  output(op: string, shape: Shape, batched: boolean, requiresGrad: boolean, alias?: Var, shareGradient = false): Var {
    const value = alias ? alias.value : this.floats(sizeOf(shape));
    const sharedGrad = shareGradient && alias && requiresGrad && alias.requiresGrad ? alias.grad : undefined;
    return this.newVar(op, 'op', shape, batched, value, requiresGrad, sharedGrad);
  }

  /** Records a step. Ops call this once, at record time. */
  record(op: string, spec: StepSpec): Var {
    this.steps.push({ op, node: this.node, ...spec });
    return spec.out;
  }

  /** An error for `op` in the current node. */
  error(op: string, detail: string): EngineError {
    return new EngineError(op, this.node, detail);
  }

  get params(): Var[] {
    return this.vars.filter((v) => v.kind === 'param');
  }

  setBatch(batch: number): void {
    if (!Number.isInteger(batch) || batch < 1 || batch > this.maxBatch) {
      throw new EngineError('tape', undefined, `batch ${batch} is outside 1..${this.maxBatch}`);
    }
    this.batch = batch;
  }

  forward(): void {
    const steps = this.steps;
    for (let i = 0; i < steps.length; i++) steps[i]!.forward();
  }

  /** Zeroes every gradient, seeds d(loss)/d(loss) = 1, and runs the steps in reverse. */
  backward(loss: Var): void {
    if (loss.value.length !== 1 || loss.batched) {
      throw new EngineError('backward', undefined, `the loss must be a scalar, got ${formatShape(loss.shape)}`);
    }
    this.zeroGrads();
    loss.grad[0] = 1;
    this.runBackward();
  }

  /**
   * Backward from any tensor with a given output gradient (vector-Jacobian product):
   * afterwards x.grad holds seed · d(out)/dx for every x. Used by gradient checks.
   */
  backwardFrom(out: Var, seed: ArrayLike<number>): void {
    this.zeroGrads();
    for (let i = 0; i < out.size; i++) out.grad[i] = seed[i]!;
    this.runBackward();
  }

  private runBackward(): void {
    const steps = this.steps;
    for (let i = steps.length - 1; i >= 0; i--) {
      const step = steps[i]!;
      if (step.out.requiresGrad) step.backward();
    }
  }

  zeroGrads(): void {
    const vars = this.gradOwners;
    for (let i = 0; i < vars.length; i++) {
      const v = vars[i]!;
      v.grad.fill(0, 0, v.size);
    }
  }

  /** Total number of Float32 elements held by the tape's buffers (values and gradients). */
  get bufferElements(): number {
    const seen = new Set<Float32Array>();
    let n = 0;
    for (const v of this.vars) {
      for (const b of [v.value, v.grad]) {
        if (!seen.has(b)) {
          seen.add(b);
          n += b.length;
        }
      }
    }
    return n;
  }
}
