import { pyBool, pySource } from './torch';
import { sizeOf } from '../core/shape';
import { add } from '../ops/binary';
import { matmul } from '../ops/matmul';
import { describeShape, problem, type LayerDef } from './types';
import { kernelInitializer, kernelInitializerSpec, useBiasSpec } from './weights';

type DenseParams = { units: number; useBias: boolean; kernelInitializer: string };

/** Fully connected: y = x·W + b on the last axis (so it applies per time step on sequences, as in Keras). */
export const denseLayer: LayerDef<DenseParams> = {
  type: 'dense',
  label: 'Dense',
  category: 'Core',
  description: 'Fully connected: W·x + b',
  keywords: ['linear', 'fully connected', 'fc', 'mlp'],
  params: {
    units: { kind: 'int', label: 'Units', help: 'Number of outputs (neurons).', default: 32, min: 1, max: 4096 },
    useBias: useBiasSpec,
    kernelInitializer: kernelInitializerSpec,
  },
  inputs: { min: 1, max: 1 },
  unitMaps: 'weights',
  caption: (p) => `${p.units}`,
  infer([x], p) {
    if (!x || x.length === 0) return problem('Dense needs features to act on, but gets a scalar per sample.', undefined, 0);
    if (x.length >= 3) {
      return problem(
        `Dense acts on the last axis, but gets an image-shaped ${describeShape(x)} tensor.`,
        'Add a Flatten before this Dense (or a Global AvgPool) to turn the image into a vector.',
        0,
      );
    }
    return [...x.slice(0, -1), p.units];
  },
  paramCount: ([x], p) => x![x!.length - 1]! * p.units + (p.useBias ? p.units : 0),
  // The product and, with a bias, the sum: each with its gradient.
  bufferFloats: (_inputs, out, p) => sizeOf(out) * (p.useBias ? 4 : 2),
  shrink: 'Give it fewer units, or make its input smaller (pooling or a strided Conv2D before the Flatten).',
  build(ctx, [x], p) {
    const features = x!.shape[x!.rank - 1]!;
    const w = ctx.param('kernel', [features, p.units], kernelInitializer(p.kernelInitializer, ctx.nextActivation));
    const y = matmul(ctx.tape, x!, w);
    if (!p.useBias) return y;
    return add(ctx.tape, y, ctx.param('bias', [p.units], { kind: 'zeros' }));
  },
  torch: {
    definitions: {
      Dense: pySource(
        'class Dense(nn.Module):',
        '    """y = x @ kernel + bias on the last axis (per time step on sequences); kernel is [in, units], as Keras stores it."""',
        '',
        '    def __init__(self, in_features, units, bias=True):',
        '        super().__init__()',
        '        self.kernel = nn.Parameter(torch.empty(in_features, units))',
        '        self.bias = nn.Parameter(torch.zeros(units)) if bias else None',
        '        nn.init.xavier_uniform_(self.kernel)',
        '',
        '    def forward(self, x):',
        '        y = x @ self.kernel',
        '        return y if self.bias is None else y + self.bias',
      ),
    },
    module: (p, { inputs: [x] }) => `Dense(${x![x!.length - 1]}, ${p.units}, bias=${pyBool(p.useBias)})`,
    forward: ([x], _p, { module }) => `${module}(${x})`,
  },
  // MatMul broadcasts over leading axes: per time step on sequences, as the engine's matmul.
  onnx: {
    write(b, [x], p) {
      const y = b.op('MatMul', [x!, b.weight('kernel')]);
      return p.useBias ? b.op('Add', [y, b.weight('bias')]) : y;
    },
  },
};
