import { mean } from '../ops/reduce';
import type { LayerDef } from './types';
import { needSequence } from './sequence';

/** The mean over time of each feature: [T, F] → [F]. */
export const globalAvgpool1dLayer: LayerDef = {
  type: 'global_avgpool1d',
  label: 'Global AvgPool 1D',
  category: 'Convolution',
  description: 'Averages each feature over the time steps',
  keywords: ['pooling', 'average', 'sequence', 'time', 'mean'],
  params: {},
  inputs: { min: 1, max: 1 },
  infer: ([x]) => needSequence('Global AvgPool 1D', x) ?? [x![1]!],
  build: (ctx, [x]) => mean(ctx.tape, x!, x!.rank - 2),
  // The mean over the time axis of [B, T, F], the axis before the features as in build.
  torch: { forward: ([x]) => `${x}.mean(dim=-2)` },
  // The mean over the time axis of [B, T, F], the axis before the features (axes an attribute in opset 17).
  onnx: { write: (b, [x]) => b.op('ReduceMean', [x!], { axes: { ints: [-2] }, keepdims: { i: 0 } }) },
};
