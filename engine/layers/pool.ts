import { avgPool2d, maxPool2d } from '../ops/pool2d';
import type { Padding } from '../ops/window';
import { onnxNchw, onnxPads, TF_SAME_PAD } from './conv2d';
import { needImage, paddingSpec, pairSpec, windowOutput } from './image';
import { pySource, pyTuple } from './torch';
import type { LayerDef, OnnxExport, TorchExport } from './types';

type PoolParams = { poolSize: readonly number[]; strides: readonly number[]; padding: string };

/**
 * The pooling ops in Python, TF semantics as engine/ops/pool2d.ts: 'same' padding from
 * tf_same_pad, and padding never takes part in a window (poolWindows clips each window to the input).
 */
const POOL_TORCH: Record<'maxpool2d' | 'avgpool2d', TorchExport<PoolParams>> = {
  maxpool2d: {
    definitions: {
      ...TF_SAME_PAD,
      tf_max_pool2d: pySource(
        'def tf_max_pool2d(x, pool_size, strides, padding):',
        `    """TF max pooling on channels-last images [B, H, W, C]: 'same' pads with -inf, so padding never wins."""`,
        '    x = x.permute(0, 3, 1, 2)  # NHWC -> NCHW for F.max_pool2d',
        '    if padding == "same":',
        '        x = tf_same_pad(x, pool_size, strides, value=-math.inf)',
        '    return F.max_pool2d(x, pool_size, strides).permute(0, 2, 3, 1)',
      ),
    },
    forward: ([x], p) => `tf_max_pool2d(${x}, ${pyTuple(p.poolSize)}, ${pyTuple(p.strides)}, "${p.padding}")`,
  },
  avgpool2d: {
    definitions: {
      ...TF_SAME_PAD,
      tf_avg_pool2d: pySource(
        'def tf_avg_pool2d(x, pool_size, strides, padding):',
        `    """TF average pooling on channels-last images [B, H, W, C]: with 'same' padding a window at the`,
        '    border averages only the input cells it covers (the padding is not counted)."""',
        '    x = x.permute(0, 3, 1, 2)  # NHWC -> NCHW for F.avg_pool2d',
        '    if padding == "same":',
        '        # The mean over the zero-padded window, over the share of that window that is input.',
        '        inside = F.avg_pool2d(tf_same_pad(torch.ones_like(x[:1, :1]), pool_size, strides), pool_size, strides)',
        '        x = F.avg_pool2d(tf_same_pad(x, pool_size, strides), pool_size, strides) / inside',
        '    else:',
        '        x = F.avg_pool2d(x, pool_size, strides)',
        '    return x.permute(0, 2, 3, 1)',
      ),
    },
    forward: ([x], p) => `tf_avg_pool2d(${x}, ${pyTuple(p.poolSize)}, ${pyTuple(p.strides)}, "${p.padding}")`,
  },
};

/**
 * The pooling ops in ONNX (NCHW, so transposed around), TF semantics as engine/ops/pool2d.ts: TF
 * 'same' as explicit pads, and padding never takes part in a window. MaxPool ignores its padding;
 * AveragePool with count_include_pad = 0 divides by the input cells the window covers.
 */
function poolOnnx(opType: 'MaxPool' | 'AveragePool'): OnnxExport<PoolParams> {
  return {
    write: (b, [x], p, { inputs: [image] }) =>
      onnxNchw(b, x!, (nchw) =>
        b.op(opType, [nchw], {
          kernel_shape: { ints: [p.poolSize[0]!, p.poolSize[1]!] },
          strides: { ints: [p.strides[0]!, p.strides[1]!] },
          pads: { ints: onnxPads(image!, p.poolSize, p.strides, p.padding) },
          ...(opType === 'AveragePool' ? { count_include_pad: { i: 0 } } : {}),
        }),
      ),
  };
}

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
    torch: POOL_TORCH[type],
    onnx: poolOnnx(max ? 'MaxPool' : 'AveragePool'),
  };
}
