import { batchNorm, batchNormState } from '../ops/batchnorm';
import { problem, type LayerDef } from './types';

type BatchNormParams = { momentum: number; epsilon: number };

/** Normalizes each channel (the last axis) with batch statistics while training and running averages when evaluating. */
export const batchnormLayer: LayerDef<BatchNormParams> = {
  type: 'batchnorm',
  label: 'BatchNorm',
  category: 'Normalization & Regularization',
  description: 'Normalizes each channel over the batch',
  keywords: ['batch normalization'],
  params: {
    momentum: { kind: 'number', label: 'Momentum', help: 'How slowly the running averages used for evaluation follow the batch statistics.', default: 0.99, min: 0, max: 0.9999, step: 0.01 },
    epsilon: { kind: 'number', label: 'Epsilon', help: 'Added to the variance to avoid dividing by zero.', default: 1e-3, min: 1e-8, max: 1, step: 1e-4 },
  },
  inputs: { min: 1, max: 1 },
  normalizes: true,
  infer: ([x]) => (x && x.length > 0 ? [...x] : problem('BatchNorm needs features (a channel axis) to normalize, but gets a scalar per sample.', undefined, 0)),
  paramCount: ([x]) => 2 * x![x!.length - 1]!,
  build(ctx, [x], p) {
    const channels = x!.shape[x!.rank - 1]!;
    const gamma = ctx.param('gamma', [channels], { kind: 'ones' });
    const beta = ctx.param('beta', [channels], { kind: 'zeros' });
    const state = batchNormState(channels);
    ctx.onReset(() => {
      state.runningMean.fill(0);
      state.runningVar.fill(1);
    });
    return batchNorm(ctx.tape, x!, gamma, beta, state, { momentum: p.momentum, epsilon: p.epsilon });
  },
};
