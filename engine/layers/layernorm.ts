import { layerNorm } from '../ops/layernorm';
import { problem, type LayerDef } from './types';

type LayerNormParams = { epsilon: number };

export const layernormLayer: LayerDef<LayerNormParams> = {
  type: 'layernorm',
  label: 'LayerNorm',
  category: 'Normalization & Regularization',
  description: 'Normalizes each sample over its features',
  keywords: ['layer normalization'],
  params: { epsilon: { kind: 'number', label: 'Epsilon', help: 'Added to the variance to avoid dividing by zero.', default: 1e-5, min: 1e-9, max: 1, step: 1e-5 } },
  inputs: { min: 1, max: 1 },
  normalizes: true,
  infer: ([x]) => (x && x.length > 0 ? [...x] : problem('LayerNorm needs features to normalize, but gets a scalar per sample.', undefined, 0)),
  paramCount: ([x]) => 2 * x![x!.length - 1]!,
  build(ctx, [x], p) {
    const d = x!.shape[x!.rank - 1]!;
    return layerNorm(ctx.tape, x!, ctx.param('gamma', [d], { kind: 'ones' }), ctx.param('beta', [d], { kind: 'zeros' }), { epsilon: p.epsilon });
  },
};
