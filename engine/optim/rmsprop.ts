import { CLIP, LR, OptimizerBase } from './base';
import type { OptimizerParam, RmspropConfig } from './types';

/**
 * RMSprop as Keras 3 (and TF.js's tf.train.rmsprop), uncentered:
 *   s = ρ·s + (1-ρ)·g²;  Δ = lr·g / √(s + ε)
 *   without momentum: w -= Δ;  with momentum: m = μ·m + Δ;  w -= m
 * ε sits inside the square root (PyTorch puts it outside: g / (√s + ε)), and the learning rate
 * is folded into the momentum buffer (PyTorch's buffer holds g/(√s+ε) and multiplies by lr after).
 * s starts at zero, as in Keras, PyTorch and TF.js (TF1's RMSPropOptimizer started it at one).
 */
export class Rmsprop extends OptimizerBase {
  readonly rho: number;
  readonly epsilon: number;
  readonly momentum: number;
  private readonly meanSquare: Float32Array[];
  private readonly moment: Float32Array[];

  constructor(params: readonly OptimizerParam[], config: Omit<RmspropConfig, 'kind'> = {}) {
    super('rmsprop', params, config);
    this.rho = this.inUnitInterval('rho', config.rho ?? 0.9);
    this.epsilon = this.atLeastZero('epsilon', config.epsilon ?? 1e-7);
    this.momentum = this.inUnitInterval('momentum', config.momentum ?? 0);
    this.meanSquare = this.stateBuffers(true);
    this.moment = this.stateBuffers(this.momentum > 0, 1);
  }

  protected updateParam(i: number, w: Float32Array, grad: Float32Array): void {
    const lr = this.scalars[LR]!;
    const clip = this.scalars[CLIP]!;
    const l2 = this.l2;
    const rho = this.rho;
    const eps = this.epsilon;
    const mu = this.momentum;
    const s = this.meanSquare[i]!;
    const m = this.moment[i]!;
    let du = 0;
    let ww = 0;
    for (let j = 0; j < w.length; j++) {
      const wj = w[j]!;
      const g = clip * grad[j]! + l2 * wj;
      const sj = rho * s[j]! + (1 - rho) * g * g;
      s[j] = sj;
      let d = (lr * g) / Math.sqrt(sj + eps);
      if (mu > 0) d = m[j] = mu * m[j]! + d;
      const next = (w[j] = wj - d);
      du += d * d;
      ww += next * next;
    }
    this.lastUpdateNorm[i] = Math.sqrt(du);
    this.lastWeightNorm[i] = Math.sqrt(ww);
  }

  protected resetState(): void {
    for (const s of this.meanSquare) s.fill(0);
    for (const m of this.moment) m.fill(0);
  }
}
