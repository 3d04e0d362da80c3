import { avgPool2d, maxPool2d } from '../ops/pool2d';
import type { Padding } from '../ops/window';
import { needImage, paddingSpec, pairSpec, windowOutput } from './image';
import type { LayerDef } from './types';

type PoolParams = { poolSize: readonly number[]; strides: readonly number[]; padding: string };

/** Max and average pooling share everything but the op. */
export function poolLayer(type: 'maxpool2d' | 'avgpool2d'): LayerDef<PoolParams> {
  const max = type === 'maxpool2d';
  const label = max ? 'MaxPool2D' : 'AvgPool2D';
  const op = max ? maxPool2d : avgPool2d;
  return {
    type,
    label,
    category: 'Convolution',
    description: max ? 'Keeps the largest value of each window' : 'Averages each window',
    keywords: max ? ['pooling', 'downsample'] : ['pooling', 'average', 'downsample'],
    params: {
      poolSize: pairSpec('Pool size', 'Height and width of each window.', 2, 8),
      strides: pairSpec('Strides', 'Step between windows; usually the pool size.', 2, 8),
      padding: { ...paddingSpec, default: 'valid' },
    },
    inputs: { min: 1, max: 1 },
    caption: (p) => `${p.poolSize[0]}×${p.poolSize[1]}`,
    infer([x], p) {
      const bad = needImage(label, x);
      if (bad) return bad;
      const out = windowOutput(label, x!, p.poolSize, p.strides, p.padding as Padding);
      return Array.isArray(out) ? out : [out.height, out.width, x![2]!];
    },
    build: (ctx, [x], p) =>
      op(ctx.tape, x!, { poolSize: [p.poolSize[0]!, p.poolSize[1]!], strides: [p.strides[0]!, p.strides[1]!], padding: p.padding as Padding }),
  };
}
