import { sizeOf } from '../core/shape';
import { reshape } from '../ops/reshape';
import { problem, type LayerDef } from './types';

export const flattenLayer: LayerDef = {
  type: 'flatten',
  label: 'Flatten',
  category: 'Core',
  description: 'Unrolls a tensor into a vector',
  keywords: ['vector'],
  params: {},
  inputs: { min: 1, max: 1 },
  infer: ([x]) => (x ? [sizeOf(x)] : problem('Flatten needs an input.')),
  // A view of its input: only the gradient is its own.
  bufferFloats: (_inputs, out) => sizeOf(out),
  build: (ctx, [x]) => reshape(ctx.tape, x!, [x!.innerSize]),
  // Channels-last in both, so the order of the values is the engine's.
  torch: { forward: ([x]) => `${x}.reshape(${x}.shape[0], -1)` },
  onnx: { write: (b, [x]) => b.op('Flatten', [x!], { axis: { i: 1 } }) },
};
