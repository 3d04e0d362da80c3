import { sizeOf } from '../core/shape';
import { add } from '../ops/binary';
import { conv2d } from '../ops/conv2d';
import { windowAxis, type Padding } from '../ops/window';
import { needImage, paddingSpec, pairSpec, windowOutput } from './image';
import { pyBool, pySource, pyTuple } from './torch';
import type { LayerDef, OnnxBuilder } from './types';
import { kernelInitializer, kernelInitializerSpec, useBiasSpec } from './weights';

/**
 * TF/Keras 'same' padding in Python, shared by Conv2D and the pooling layers (pool.ts): one text
 * under one key, as the exporter requires. It mirrors windowAxis (engine/ops/window.ts):
 * out = ceil(size / stride), total = max((out - 1)·stride + window - size, 0), the smaller half
 * before (top / left). `value` fills the padding (-inf for max pooling, so it never wins).
 */
export const TF_SAME_PAD: Readonly<Record<string, string>> = {
  tf_same_pad: pySource(
    'def tf_same_pad(x, window, strides, value=0.0):',
    `    """Pads an NCHW tensor as TensorFlow's 'same' padding: out = ceil(size / stride), the total`,
    '    padding (out - 1) * stride + window - size split with the smaller half first (top, left)."""',
    '    pads = []',
    '    for size, k, s in zip(x.shape[-2:], window, strides):  # height, then width',
    '        out = -(-size // s)',
    '        total = max((out - 1) * s + k - size, 0)',
    '        pads.append((total // 2, total - total // 2))',
    '    (top, bottom), (left, right) = pads',
    '    return F.pad(x, (left, right, top, bottom), value=value)',
  ),
};

/**
 * ONNX `pads` [top, left, bottom, right] of a window over an [H, W, C] image, shared by Conv2D and
 * the pooling layers (pool.ts). TF 'same' as windowAxis (engine/ops/window.ts): out = ceil(size /
 * stride), total = max((out - 1)·stride + window - size, 0), the smaller half before (top / left);
 * 'valid' pads nothing (ONNX's floor output size then drops the remainder, as the engine does).
 */
export function onnxPads(image: readonly number[], window: readonly number[], strides: readonly number[], padding: string): number[] {
  const before: number[] = [];
  const after: number[] = [];
  for (let axis = 0; axis < 2; axis++) {
    const size = image[axis]!;
    const k = window[axis]!;
    const s = strides[axis]!;
    const { out, padBefore } = windowAxis(size, k, s, padding as Padding);
    const total = padding === 'same' ? Math.max((out - 1) * s + k - size, 0) : 0;
    before.push(padBefore);
    after.push(total - padBefore);
  }
  return [...before, ...after];
}

/**
 * Runs an NCHW ONNX operator (Conv, MaxPool, AveragePool) on the engine's channels-last [B, H, W, C]
 * image: Transpose to NCHW, the operator, Transpose back.
 */
export function onnxNchw(b: OnnxBuilder, x: string, op: (nchw: string) => string): string {
  const y = op(b.op('Transpose', [x], { perm: { ints: [0, 3, 1, 2] } }));
  return b.op('Transpose', [y], { perm: { ints: [0, 2, 3, 1] } });
}

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
  torch: {
    definitions: {
      ...TF_SAME_PAD,
      Conv2D: pySource(
        'class Conv2D(nn.Module):',
        '    """Keras Conv2D on channels-last images [B, H, W, C]: a cross-correlation (as TF) with kernel',
        `    [kh, kw, in, filters] (as Keras stores it), TF 'same' or 'valid' padding, bias on the last axis."""`,
        '',
        '    def __init__(self, in_channels, filters, kernel_size, strides=(1, 1), padding="valid", bias=True):',
        '        super().__init__()',
        '        self.kernel_size = tuple(kernel_size)',
        '        self.strides = tuple(strides)',
        '        self.padding = padding',
        '        self.kernel = nn.Parameter(torch.empty(*kernel_size, in_channels, filters))',
        '        self.bias = nn.Parameter(torch.zeros(filters)) if bias else None',
        "        # Glorot uniform on PyTorch's [out, in, kh, kw] view of the kernel, so the fans are Keras's.",
        '        nn.init.xavier_uniform_(self.kernel.permute(3, 2, 0, 1))',
        '',
        '    def forward(self, x):',
        '        x = x.permute(0, 3, 1, 2)  # NHWC -> NCHW for F.conv2d',
        '        if self.padding == "same":',
        '            x = tf_same_pad(x, self.kernel_size, self.strides)',
        '        y = F.conv2d(x, self.kernel.permute(3, 2, 0, 1), stride=self.strides)',
        '        y = y.permute(0, 2, 3, 1)  # back to NHWC',
        '        return y if self.bias is None else y + self.bias',
      ),
    },
    // Kernel [kh, kw, in, filters] and bias [filters], the engine's params (build above).
    module: (p, { inputs: [x] }) =>
      `Conv2D(${x![2]}, ${p.filters}, ${pyTuple(p.kernelSize)}, strides=${pyTuple(p.strides)}, padding="${p.padding}", bias=${pyBool(p.useBias)})`,
    forward: ([x], _p, { module }) => `${module}(${x})`,
  },
  // ONNX Conv (a cross-correlation, as the engine's) in NCHW with explicit TF 'same' pads. The
  // kernel [kh, kw, in, out] is transposed in the graph to ONNX's [out, in, kh, kw]; the bias
  // [filters] is Conv's B, added per output channel as the engine adds it on the last axis.
  onnx: {
    write(b, [x], p, { inputs: [image] }) {
      const w = b.op('Transpose', [b.weight('kernel')], { perm: { ints: [3, 2, 0, 1] } });
      const attributes = {
        kernel_shape: { ints: [p.kernelSize[0]!, p.kernelSize[1]!] },
        strides: { ints: [p.strides[0]!, p.strides[1]!] },
        pads: { ints: onnxPads(image!, p.kernelSize, p.strides, p.padding) },
      };
      return onnxNchw(b, x!, (nchw) => b.op('Conv', p.useBias ? [nchw, w, b.weight('bias')] : [nchw, w], attributes));
    },
  },
};
