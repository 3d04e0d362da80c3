/**
 * PyTorch export cases: Conv2D, MaxPool2D, AvgPool2D and the global pools (see
 * engine/export/pytorch.test.ts). Images are non-square with several channels, and the sizes are
 * picked so that TF 'same' padding is often odd in total (split with the smaller half top / left),
 * windows run past the edge, and 'valid' windows leave a remainder.
 */
import { chain, classification, regression, type TorchCase } from './testing/torch-cases';

/** 7×5 images with 3 channels: most cases. */
const image = classification([7, 5, 3]);

export const CONV_CASES: TorchCase[] = [
  {
    // 7×5 → 5×3.
    name: "Conv2D 'valid', stride 1, odd 3×3 kernel with bias",
    graph: chain([['conv2d', { filters: 4, kernelSize: [3, 3], strides: [1, 1], padding: 'valid' }], 'relu', 'flatten', ['dense', { units: 3 }]]),
    dataset: image,
  },
  {
    // 7×5 → 4×3: padding 1 top, 2 bottom; 0 left, 1 right.
    name: "Conv2D 'same', stride 2, even 4×2 kernel without bias (uneven padding)",
    graph: chain([['conv2d', { filters: 4, kernelSize: [4, 2], strides: [2, 2], padding: 'same', useBias: false }], 'tanh', 'flatten', ['dense', { units: 3 }]]),
    dataset: image,
  },
  {
    // 7×5 → 7×5 twice: a 2×2 kernel pads 0 top / left, 1 bottom / right; a 3×3 one pads 1 on each side.
    name: "Conv2D 'same', stride 1, even 2×2 then odd 3×3 kernel",
    graph: chain([
      ['conv2d', { filters: 5, kernelSize: [2, 2], strides: [1, 1], padding: 'same' }],
      'tanh',
      ['conv2d', { filters: 3, kernelSize: [3, 3], strides: [1, 1], padding: 'same', useBias: false }],
      'flatten',
      ['dense', { units: 3 }],
    ]),
    dataset: image,
  },
  {
    // 6×5 → 3×3: the odd 3×3 kernel pads 0 top, 1 bottom (total 1) and 1 left, 1 right; then
    // 'valid' with strides [2, 1] and a 2×3 kernel: 3×3 → 1×1 (the last row is left over).
    name: "Conv2D 'same', stride 2, odd kernel, then 'valid' with strides [2, 1]",
    graph: chain([
      ['conv2d', { filters: 4, kernelSize: [3, 3], strides: [2, 2], padding: 'same' }],
      'relu',
      ['conv2d', { filters: 6, kernelSize: [2, 3], strides: [2, 1], padding: 'valid' }],
      'flatten',
      ['dense', { units: 3 }],
    ]),
    dataset: classification([6, 5, 2]),
  },
  {
    // 7×5 → 3×2 with a 2×4 kernel, strides [2, 1] (the last row left over); regression (mean squared error).
    name: "Conv2D 'valid', strides [2, 1], even 2×4 kernel, regression",
    graph: chain([['conv2d', { filters: 2, kernelSize: [2, 4], strides: [2, 1], padding: 'valid' }], 'flatten', ['dense', { units: 2 }]]),
    dataset: regression([7, 5, 3]),
  },
  {
    // Height: a 2-high kernel every 3 rows, 7 → 3 (padding 0 top, 1 bottom); width: a 1-wide kernel
    // every 3 columns, 5 → 2 (the total padding would be -1: none), as the pools below.
    name: "Conv2D 'same' with strides larger than the kernel",
    graph: chain([['conv2d', { filters: 3, kernelSize: [2, 1], strides: [3, 3], padding: 'same' }], 'relu', 'flatten', ['dense', { units: 3 }]]),
    dataset: image,
  },
  {
    // 7×5 → 4×3: the last row and column of windows hang one cell past the edge (padding 0 top / left,
    // 1 bottom / right); the conv before gives negative values, so a zero in the padding would win.
    name: "MaxPool2D 'same' 2×2, stride 2: windows past the edge",
    graph: chain([['conv2d', { filters: 4, kernelSize: [3, 3], padding: 'same' }], ['maxpool2d', { poolSize: [2, 2], strides: [2, 2], padding: 'same' }], 'flatten', ['dense', { units: 3 }]]),
    dataset: image,
  },
  {
    // 8×6 → 7×5 (conv), → 7×5 (3×3, stride 1, 1 cell each side) → 4×3 (3×3, stride 2, 1 cell each side): overlapping windows.
    name: "MaxPool2D 'same' 3×3, strides 1 then 2: overlapping windows",
    graph: chain([
      ['conv2d', { filters: 3, kernelSize: [2, 2], padding: 'valid' }],
      ['maxpool2d', { poolSize: [3, 3], strides: [1, 1], padding: 'same' }],
      ['maxpool2d', { poolSize: [3, 3], strides: [2, 2], padding: 'same' }],
      'flatten',
      ['dense', { units: 3 }],
    ]),
    dataset: classification([8, 6, 3]),
  },
  {
    // 11×7 → 5×3 (overlapping 3×3 windows, stride 2) → 2×1 (2×2: the last row and column left over).
    name: "MaxPool2D 'valid': overlapping 3×3 stride 2, then 2×2 with a remainder",
    graph: chain([
      ['conv2d', { filters: 4, kernelSize: [1, 1], padding: 'valid' }],
      ['maxpool2d', { poolSize: [3, 3], strides: [2, 2], padding: 'valid' }],
      ['maxpool2d', { poolSize: [2, 2], strides: [2, 2], padding: 'valid' }],
      'flatten',
      ['dense', { units: 3 }],
    ]),
    dataset: classification([11, 7, 3]),
  },
  {
    // Height: 2-high windows every 3 rows, 7 → 3 (padding 0 top, 1 bottom); width: 1-wide windows
    // every 3 columns, 5 → 2 (the total padding would be -1: none).
    name: "MaxPool2D 'same' with strides larger than the window",
    graph: chain([['conv2d', { filters: 4, kernelSize: [3, 3], padding: 'same' }], ['maxpool2d', { poolSize: [2, 1], strides: [3, 3], padding: 'same' }], 'flatten', ['dense', { units: 3 }]]),
    dataset: image,
  },
  {
    // As above: 7×5 → 3×2, the last window of each column averages its one row.
    name: "AvgPool2D 'same' with strides larger than the window",
    graph: chain([['conv2d', { filters: 4, kernelSize: [3, 3], padding: 'same' }], ['avgpool2d', { poolSize: [2, 1], strides: [3, 3], padding: 'same' }], 'flatten', ['dense', { units: 3 }]]),
    dataset: image,
  },
  {
    // 7×5 → 4×3: border windows average 1 or 2 cells, not 4 (padding is not counted).
    name: "AvgPool2D 'same' 2×2, stride 2: border windows average only the input",
    graph: chain([['conv2d', { filters: 4, kernelSize: [3, 3], padding: 'same' }], ['avgpool2d', { poolSize: [2, 2], strides: [2, 2], padding: 'same' }], 'flatten', ['dense', { units: 3 }]]),
    dataset: image,
  },
  {
    // 7×5 → 7×5: corner windows average 4 cells, edge windows 6; then 7×5 → 3×4.
    name: "AvgPool2D 'same' 3×3, stride 1, then 'valid' 3×2 with strides [2, 1]",
    graph: chain([
      ['conv2d', { filters: 3, kernelSize: [3, 3], padding: 'same', useBias: false }],
      ['avgpool2d', { poolSize: [3, 3], strides: [1, 1], padding: 'same' }],
      ['avgpool2d', { poolSize: [3, 2], strides: [2, 1], padding: 'valid' }],
      'flatten',
      ['dense', { units: 3 }],
    ]),
    dataset: image,
  },
  {
    name: 'Global AvgPool over height and width',
    graph: chain([['conv2d', { filters: 6, kernelSize: [3, 3], padding: 'same' }], 'relu', 'global_avgpool', ['dense', { units: 3 }]]),
    dataset: image,
  },
  {
    // 6 time steps of 4 features: a Dense per step, then the mean over time.
    name: 'Global AvgPool 1D over time steps',
    graph: chain([['dense', { units: 5 }], 'tanh', 'global_avgpool1d', ['dense', { units: 2 }]]),
    dataset: regression([6, 4]),
  },
  {
    // 9×7 → 9×7 → 5×4 (max, padding 0 top / left, 1 bottom / right) → 3×2 (conv) → 3×2 (avg, stride 1) → 6 features.
    name: 'a small CNN (Conv2D, MaxPool2D, AvgPool2D, Global AvgPool), evaluating, one logit',
    graph: chain([
      ['conv2d', { filters: 4, kernelSize: [3, 3], strides: [1, 1], padding: 'same' }],
      'relu',
      ['maxpool2d', { poolSize: [2, 2], strides: [2, 2], padding: 'same' }],
      ['conv2d', { filters: 6, kernelSize: [2, 2], strides: [2, 2], padding: 'same', useBias: false }],
      'elu',
      ['avgpool2d', { poolSize: [2, 2], strides: [1, 1], padding: 'same' }],
      'global_avgpool',
      ['dense', { units: 1 }],
    ]),
    dataset: classification([9, 7, 3], 2),
    training: false,
  },
];
