import { pyNumber } from './torch';
import { sizeOf } from '../core/shape';
import { dropout } from '../ops/dropout';
import { problem, type LayerDef } from './types';

type DropoutParams = { rate: number };

export const dropoutLayer: LayerDef<DropoutParams> = {
  type: 'dropout',
  label: 'Dropout',
  category: 'Normalization & Regularization',
  description: 'Randomly zeroes units while training',
  keywords: ['regularization'],
  params: { rate: { kind: 'number', label: 'Rate', help: 'Fraction of units dropped at each training step (none when evaluating).', default: 0.5, min: 0, max: 0.95, step: 0.05 } },
  inputs: { min: 1, max: 1 },
  normalizes: false,
  caption: (p) => `${p.rate}`,
  infer: ([x]) => (x ? [...x] : problem('Dropout needs an input.')),
  // Its output with the gradient, and the mask it draws.
  bufferFloats: (_inputs, out) => 3 * sizeOf(out),
  build: (ctx, [x], p) => dropout(ctx.tape, x!, p.rate),
  // Inverted dropout, as the engine's: kept units are scaled by 1 / (1 − rate) while training.
  torch: { module: (p) => `nn.Dropout(p=${pyNumber(p.rate)})`, forward: ([x], _p, { module }) => `${module}(${x})` },
  // Inference: it passes its input on.
  onnx: { write: (_b, [x]) => x! },
};
