/**
 * The optimizer interface and its configuration. An optimizer updates a fixed list of
 * parameters in place from their `.grad`; its state is allocated when it is created and
 * `step()` allocates nothing.
 */

/** What an optimizer needs of a parameter; a tape's `Var` of kind 'param' is one. */
export interface OptimizerParam {
  readonly name: string;
  value: Float32Array;
  grad: Float32Array;
}

/** Options every optimizer accepts. */
export interface CommonOptimizerConfig {
  /** Step size; defaults to Keras's default for the optimizer (see DEFAULT_LEARNING_RATE). */
  learningRate?: number;
  /**
   * Coupled L2 weight decay: g += l2·w before the update, as PyTorch's `weight_decay` on SGD/Adam.
   * A Keras `l2(λ)` kernel regularizer adds λ·Σw² to the loss, i.e. l2 = 2λ here. With Adam this
   * decay is rescaled by the adaptive denominator, so Adam + l2 is not AdamW (use `adamw`).
   */
  l2?: number;
  /**
   * Global gradient-norm clipping: when ‖g‖ over all parameters exceeds clipNorm, the update uses
   * g·clipNorm/‖g‖ (Keras `global_clipnorm`, PyTorch `clip_grad_norm_`). Applied to the loss
   * gradient before l2 is added. The `.grad` buffers themselves are left untouched.
   */
  clipNorm?: number;
}

/** SGD, with PyTorch's momentum: v = μv + g; w -= lr·v. Nesterov: w -= lr·(g + μv). */
export interface SgdConfig extends CommonOptimizerConfig {
  kind: 'sgd';
  /** Default 0. */
  momentum?: number;
  /** Default false; requires momentum > 0. */
  nesterov?: boolean;
}

/** RMSprop as Keras: s = ρs + (1-ρ)g²; Δ = lr·g/√(s + ε); with momentum: m = μm + Δ; w -= m. */
export interface RmspropConfig extends CommonOptimizerConfig {
  kind: 'rmsprop';
  /** Default 0.9. */
  rho?: number;
  /** Default 1e-7 (Keras). */
  epsilon?: number;
  /** Default 0. */
  momentum?: number;
}

/** Adam (Kingma & Ba, Algorithm 1): w -= lr·m̂/(√v̂ + ε), m̂ and v̂ bias-corrected. */
export interface AdamConfig extends CommonOptimizerConfig {
  kind: 'adam';
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-7 (Keras, TF.js; PyTorch uses 1e-8). */
  epsilon?: number;
}

/** AdamW (Loshchilov & Hutter): Adam plus decoupled decay w -= lr·weightDecay·w, as PyTorch and Keras. */
export interface AdamWConfig extends Omit<AdamConfig, 'kind'> {
  kind: 'adamw';
  /** Default 0.01 (PyTorch; Keras defaults to 0.004). */
  weightDecay?: number;
}

export type OptimizerConfig = SgdConfig | RmspropConfig | AdamConfig | AdamWConfig;
export type OptimizerKind = OptimizerConfig['kind'];

/** Keras's default learning rates. */
export const DEFAULT_LEARNING_RATE: Readonly<Record<OptimizerKind, number>> = {
  sgd: 0.01,
  rmsprop: 0.001,
  adam: 0.001,
  adamw: 0.001,
};

export interface Optimizer {
  readonly kind: OptimizerKind;
  readonly params: readonly OptimizerParam[];
  /** May be changed between steps (schedules, the UI's slider); read at the start of each step. */
  learningRate: number;
  /** Steps taken since creation or the last reset(). */
  readonly iterations: number;
  /** Global L2 norm of the gradients at the last step, before clipping and before l2. */
  readonly lastGradNorm: number;
  /** Per parameter (same order as `params`): ‖Δw‖₂ of the last step, all terms included. */
  readonly lastUpdateNorm: Float32Array;
  /** Per parameter: ‖w‖₂ after the last step, so the update/weight ratio is lastUpdateNorm[i] / lastWeightNorm[i]. */
  readonly lastWeightNorm: Float32Array;
  /** Updates every parameter in place from its `.grad`. Allocates nothing. */
  step(): void;
  /** Clears the optimizer's state (moments, step count, last norms); the learning rate is kept. */
  reset(): void;
}
