import { CLIP, LR, OptimizerBase } from './base';
import type { AdamConfig, AdamWConfig, OptimizerParam } from './types';

/**
 * Adam, Kingma & Ba Algorithm 1, and AdamW (weightDecay > 0):
 *   m = β1·m + (1-β1)·g;  v = β2·v + (1-β2)·g²
 *   m̂ = m/(1-β1ᵗ);  v̂ = v/(1-β2ᵗ)
 *   w -= lr·wd·w + lr·m̂/(√v̂ + ε)
 * This is TF.js's tf.train.adam and PyTorch's Adam/AdamW (whose decay also uses the pre-update w).
 * βᵗ is computed in float64; TF.js keeps it in float32, which puts 1.3e-5 of relative error into
 * its 1 − β2ᵗ at β2 = 0.999.
 * Keras adds ε to √v rather than √v̂ ("epsilon hat"), i.e. its ε is ours times √(1-β2ᵗ):
 * the same up to a difference that matters only when gradients are about ε in size.
 */
class AdamBase extends OptimizerBase {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Decoupled weight decay (AdamW); 0 for plain Adam. */
  readonly weightDecay: number;
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  /** 1 − β1ᵗ and 1 − β2ᵗ for the current step (a typed array so that setting them never boxes). */
  private readonly corrections = new Float64Array(2);

  constructor(kind: 'adam' | 'adamw', params: readonly OptimizerParam[], config: Omit<AdamConfig, 'kind'>, weightDecay: number) {
    super(kind, params, config);
    this.beta1 = this.inUnitInterval('beta1', config.beta1 ?? 0.9);
    this.beta2 = this.inUnitInterval('beta2', config.beta2 ?? 0.999);
    this.epsilon = this.atLeastZero('epsilon', config.epsilon ?? 1e-7);
    this.weightDecay = this.atLeastZero('weightDecay', weightDecay);
    this.m = this.stateBuffers(true, 0);
    this.v = this.stateBuffers(true, 1);
  }

  protected override beginStep(): void {
    this.corrections[0] = 1 - Math.pow(this.beta1, this.iterations);
    this.corrections[1] = 1 - Math.pow(this.beta2, this.iterations);
  }

  protected updateParam(i: number, w: Float32Array, grad: Float32Array): void {
    const lr = this.scalars[LR]!;
    const clip = this.scalars[CLIP]!;
    const l2 = this.l2;
    const b1 = this.beta1;
    const b2 = this.beta2;
    const eps = this.epsilon;
    const decay = lr * this.weightDecay;
    const c1 = this.corrections[0]!;
    const c2 = this.corrections[1]!;
    const m = this.m[i]!;
    const v = this.v[i]!;
    const k = this.kernels;
    if (k) {
      const arena = this.arena!;
      const args = arena.args;
      args[0] = lr;
      args[1] = clip;
      args[2] = l2;
      args[3] = b1;
      args[4] = b2;
      args[5] = eps;
      args[6] = decay;
      args[7] = c1;
      args[8] = c2;
      k.adamUpdate(w.byteOffset, grad.byteOffset, m.byteOffset, v.byteOffset, w.length, arena.argsAddress, arena.resultsAddress);
      this.takeKernelNorms(i);
      return;
    }
    let du = 0;
    let ww = 0;
    for (let j = 0; j < w.length; j++) {
      const wj = w[j]!;
      const g = clip * grad[j]! + l2 * wj;
      const mj = b1 * m[j]! + (1 - b1) * g;
      const vj = b2 * v[j]! + (1 - b2) * g * g;
      m[j] = mj;
      v[j] = vj;
      const d = decay * wj + (lr * (mj / c1)) / (Math.sqrt(vj / c2) + eps);
      const next = (w[j] = wj - d);
      du += d * d;
      ww += next * next;
    }
    this.lastUpdateNorm[i] = Math.sqrt(du);
    this.lastWeightNorm[i] = Math.sqrt(ww);
  }

  protected resetState(): void {
    for (const m of this.m) m.fill(0);
    for (const v of this.v) v.fill(0);
  }
}

export class Adam extends AdamBase {
  constructor(params: readonly OptimizerParam[], config: Omit<AdamConfig, 'kind'> = {}) {
    super('adam', params, config, 0);
  }
}

/** AdamW: Adam with decoupled weight decay (default 0.01, as PyTorch). */
export class AdamW extends AdamBase {
  constructor(params: readonly OptimizerParam[], config: Omit<AdamWConfig, 'kind'> = {}) {
    super('adamw', params, config, config.weightDecay ?? 0.01);
  }
}
