import { layerNorm } from '../ops/layernorm';
import { pyNumber, pySource } from './torch';
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
  torch: {
    definitions: {
      // Mirrors engine/ops/layernorm.ts: each row normalized over the last axis by its own mean and
      // biased variance, epsilon inside the sqrt, then gamma and beta of shape [D] (F.layer_norm's formula).
      LayerNorm: pySource(
        'class LayerNorm(nn.Module):',
        '    """Layer normalization over the last axis (per sample, per time step): y = gamma * (x - mean) / sqrt(var + epsilon) + beta, biased variance."""',
        '',
        '    def __init__(self, features, epsilon=1e-5):',
        '        super().__init__()',
        '        self.epsilon = epsilon',
        '        self.gamma = nn.Parameter(torch.ones(features))',
        '        self.beta = nn.Parameter(torch.zeros(features))',
        '',
        '    def forward(self, x):',
        '        return F.layer_norm(x, self.gamma.shape, self.gamma, self.beta, self.epsilon)',
      ),
    },
    module: (p, { inputs: [x] }) => `LayerNorm(${x![x!.length - 1]}, epsilon=${pyNumber(p.epsilon)})`,
    forward: ([x], _p, { module }) => `${module}(${x})`,
  },
  // engine/ops/layernorm.ts's formula: over the last axis, biased variance, epsilon inside the sqrt,
  // then gamma and beta of shape [D] (LayerNormalization's own definition, opset 17).
  onnx: { write: (b, [x], p) => b.op('LayerNormalization', [x!, b.weight('gamma'), b.weight('beta')], { axis: { i: -1 }, epsilon: { f: p.epsilon } }) },
};
