import { globalAvgPool2d } from '../ops/pool2d';
import { needImage } from './image';
import type { LayerDef } from './types';

export const globalAvgpoolLayer: LayerDef = {
  type: 'global_avgpool',
  label: 'Global AvgPool',
  category: 'Convolution',
  description: 'Averages each channel over the image',
  keywords: ['pooling', 'average', 'gap'],
  params: {},
  inputs: { min: 1, max: 1 },
  infer: ([x]) => needImage('Global AvgPool', x) ?? [x![2]!],
  build: (ctx, [x]) => globalAvgPool2d(ctx.tape, x!),
  // The mean over height and width of [B, H, W, C] (engine/ops/pool2d.ts globalAvgPool2d).
  torch: { forward: ([x]) => `${x}.mean(dim=(1, 2))` },
  // The same mean over height and width of [B, H, W, C] (axes an attribute in opset 17).
  onnx: { write: (b, [x]) => b.op('ReduceMean', [x!], { axes: { ints: [1, 2] }, keepdims: { i: 0 } }) },
};
