import { sizeOf } from '../core/shape';
import { add } from '../ops/binary';
import { conv2d } from '../ops/conv2d';
import type { Padding } from '../ops/window';
import { needImage, paddingSpec, pairSpec, windowOutput } from './image';
import type { LayerDef } from './types';
import { kernelInitializer, kernelInitializerSpec, useBiasSpec } from './weights';

type Conv2dParams = { filters: number; kernelSize: readonly number[]; strides: readonly number[]; padding: string; useBias: boolean; kernelInitializer: string };

export const conv2dLayer: LayerDef<Conv2dParams> = {
  type: 'conv2d',
  label: 'Conv2D',
  category: 'Convolution',
  description: 'Learned filters slid over an image',
  keywords: ['cnn', 'filter', 'kernel'],
  params: {
    filters: { kind: 'int', label: 'Filters', help: 'Number of filters, i.e. output channels.', default: 16, min: 1, max: 512 },
    kernelSize: pairSpec('Kernel', 'Height and width of each filter.', 3, 15),
    strides: pairSpec('Strides', 'Step between filter positions; 2 halves the image.', 1, 8),
    padding: { ...paddingSpec, default: 'same' },
    useBias: useBiasSpec,
    kernelInitializer: kernelInitializerSpec,
  },
  inputs: { min: 1, max: 1 },
  caption: (p) => `${p.filters} · ${p.kernelSize[0]}×${p.kernelSize[1]}`,
  infer([x], p) {
    const bad = needImage('Conv2D', x);
    if (bad) return bad;
    const out = windowOutput('Conv2D', x!, p.kernelSize, p.strides, p.padding as Padding);
    return Array.isArray(out) ? out : [out.height, out.width, p.filters];
  },
  paramCount: ([x], p) => p.kernelSize[0]! * p.kernelSize[1]! * x![2]! * p.filters + (p.useBias ? p.filters : 0),
  bufferFloats([x], out, p) {
    // The output and its bias sum with gradients, and the patches (im2col) the convolution reads,
    // one row of kernel·channels numbers per output position (none for a 1×1 kernel at stride 1),
    // twice: the matrix kernel packs them again (its packing buffer is shared, so a network of
    // several large convolutions is overcounted a little).
    const direct = p.kernelSize[0] === 1 && p.kernelSize[1] === 1 && p.strides[0] === 1 && p.strides[1] === 1;
    const patches = direct ? 0 : out[0]! * out[1]! * p.kernelSize[0]! * p.kernelSize[1]! * x![2]!;
    return sizeOf(out) * (p.useBias ? 4 : 2) + 2 * patches;
  },
  shrink: 'Give it fewer filters, or make the image smaller before it (pooling, or strides of 2).',
  build(ctx, [x], p) {
    const channels = x!.shape[3]!;
    const w = ctx.param('kernel', [p.kernelSize[0]!, p.kernelSize[1]!, channels, p.filters], kernelInitializer(p.kernelInitializer, ctx.nextActivation));
    const y = conv2d(ctx.tape, x!, w, { strides: [p.strides[0]!, p.strides[1]!], padding: p.padding as Padding });
    return p.useBias ? add(ctx.tape, y, ctx.param('bias', [p.filters], { kind: 'zeros' })) : y;
  },
};
