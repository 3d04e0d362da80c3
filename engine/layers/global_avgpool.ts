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
};
