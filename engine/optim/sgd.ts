import { CLIP, LR, OptimizerBase } from './base';
import type { OptimizerParam, SgdConfig } from './types';

/**
 * Stochastic gradient descent with PyTorch's momentum (no dampening):
 *   v = μ·v + g;  w -= lr·v            (heavy ball)
 *   v = μ·v + g;  w -= lr·(g + μ·v)    (Nesterov)
 * TF.js's tf.train.momentum is the same. Keras keeps v' = μ·v' - lr·g instead, which equals
 * -lr·v while the learning rate is constant and differs right after it changes.
 */
export class Sgd extends OptimizerBase {
  readonly momentum: number;
  readonly nesterov: boolean;
  private readonly velocity: Float32Array[];

  constructor(params: readonly OptimizerParam[], config: Omit<SgdConfig, 'kind'> = {}) {
    super('sgd', params, config);
    this.momentum = this.inUnitInterval('momentum', config.momentum ?? 0);
    this.nesterov = config.nesterov ?? false;
    if (this.nesterov && this.momentum === 0) throw this.error('nesterov needs a momentum > 0');
    this.velocity = this.stateBuffers(this.momentum > 0);
  }

  protected updateParam(i: number, w: Float32Array, grad: Float32Array): void {
    const lr = this.scalars[LR]!;
    const clip = this.scalars[CLIP]!;
    const l2 = this.l2;
    const mu = this.momentum;
    const k = this.kernels;
    if (k) {
      const arena = this.arena!;
      const args = arena.args;
      args[0] = lr;
      args[1] = clip;
      args[2] = l2;
      args[3] = mu;
      if (mu === 0) k.sgdUpdate(w.byteOffset, grad.byteOffset, w.length, arena.argsAddress, arena.resultsAddress);
      else k.sgdMomentumUpdate(w.byteOffset, grad.byteOffset, this.velocity[i]!.byteOffset, w.length, this.nesterov ? 1 : 0, arena.argsAddress, arena.resultsAddress);
      this.takeKernelNorms(i);
      return;
    }
    let du = 0;
    let ww = 0;
    if (mu === 0) {
      for (let j = 0; j < w.length; j++) {
        const wj = w[j]!;
        const d = lr * (clip * grad[j]! + l2 * wj);
        const next = (w[j] = wj - d);
        du += d * d;
        ww += next * next;
      }
    } else {
      const v = this.velocity[i]!;
      const nesterov = this.nesterov;
      for (let j = 0; j < w.length; j++) {
        const wj = w[j]!;
        const g = clip * grad[j]! + l2 * wj;
        const vj = mu * v[j]! + g;
        v[j] = vj;
        const d = lr * (nesterov ? g + mu * vj : vj);
        const next = (w[j] = wj - d);
        du += d * d;
        ww += next * next;
      }
    }
    this.lastUpdateNorm[i] = Math.sqrt(du);
    this.lastWeightNorm[i] = Math.sqrt(ww);
  }

  protected resetState(): void {
    for (const v of this.velocity) v.fill(0);
  }
}
