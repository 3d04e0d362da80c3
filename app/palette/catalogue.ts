/*
 * PLACEHOLDER until the engine's layer registry exists.
 *
 * The design has one registry (one module per layer type) that the palette, compiler, inspector
 * and exporters all read. Until it lands, the palette shows this static list so the shell can be
 * built and tested. The next issue deletes this file and reads the registry instead; keep the
 * `type` ids identical to the registry ids (they are the e2e hook `palette-item-<type>`).
 */
import type { LayerCategoryId } from './categories';

export interface PaletteEntry {
  /** Registry id, e.g. `dense`. */
  readonly type: string;
  readonly label: string;
  readonly category: LayerCategoryId;
  /** One line, shown under the label. */
  readonly description: string;
  /** Other words people search for, e.g. "linear" for Dense. */
  readonly keywords?: readonly string[];
}

export const PALETTE_ENTRIES: readonly PaletteEntry[] = [
  { type: 'input', label: 'Input', category: 'core', description: 'The dataset’s features' },
  { type: 'dense', label: 'Dense', category: 'core', description: 'Fully connected: W·x + b', keywords: ['linear', 'fully connected', 'fc', 'mlp'] },
  { type: 'flatten', label: 'Flatten', category: 'core', description: 'Unrolls a tensor into a vector' },
  { type: 'reshape', label: 'Reshape', category: 'core', description: 'Same values, new shape' },

  { type: 'relu', label: 'ReLU', category: 'activation', description: 'max(0, x); units can die' },
  { type: 'leaky_relu', label: 'Leaky ReLU', category: 'activation', description: 'ReLU with a slope below zero' },
  { type: 'elu', label: 'ELU', category: 'activation', description: 'Smooth curve below zero' },
  { type: 'sigmoid', label: 'Sigmoid', category: 'activation', description: 'Squashes to (0, 1)', keywords: ['logistic'] },
  { type: 'tanh', label: 'Tanh', category: 'activation', description: 'Squashes to (−1, 1)' },
  { type: 'gelu', label: 'GELU', category: 'activation', description: 'Smooth gate of transformers' },
  { type: 'softmax', label: 'Softmax', category: 'activation', description: 'Scores to probabilities' },

  { type: 'conv2d', label: 'Conv2D', category: 'convolution', description: 'Learned filters over an image', keywords: ['cnn', 'filter', 'kernel'] },
  { type: 'maxpool2d', label: 'MaxPool2D', category: 'convolution', description: 'Max of each window', keywords: ['pooling'] },
  { type: 'avgpool2d', label: 'AvgPool2D', category: 'convolution', description: 'Mean of each window', keywords: ['pooling', 'average'] },
  { type: 'global_avgpool', label: 'Global AvgPool', category: 'convolution', description: 'One mean per channel', keywords: ['pooling', 'average', 'gap'] },

  { type: 'batchnorm', label: 'BatchNorm', category: 'normalization', description: 'Normalizes over the batch' },
  { type: 'layernorm', label: 'LayerNorm', category: 'normalization', description: 'Normalizes over features' },
  { type: 'dropout', label: 'Dropout', category: 'normalization', description: 'Drops random units in training' },

  { type: 'add', label: 'Add', category: 'merge', description: 'Sums inputs: residual links', keywords: ['residual', 'skip', 'sum'] },
  { type: 'concat', label: 'Concat', category: 'merge', description: 'Joins inputs side by side', keywords: ['concatenate', 'join'] },

  { type: 'embedding', label: 'Embedding', category: 'recurrent', description: 'A learned vector per token', keywords: ['token', 'lookup'] },
  { type: 'rnn', label: 'RNN', category: 'recurrent', description: 'Simple recurrent cell', keywords: ['sequence'] },
  { type: 'lstm', label: 'LSTM', category: 'recurrent', description: 'Gated memory for sequences', keywords: ['sequence'] },
  { type: 'gru', label: 'GRU', category: 'recurrent', description: 'Lighter gated recurrent cell', keywords: ['sequence'] },
  { type: 'attention', label: 'Attention', category: 'recurrent', description: 'Each position attends to all', keywords: ['transformer', 'self-attention'] },

  { type: 'output', label: 'Output', category: 'output', description: 'Loss: where gradients start', keywords: ['loss', 'head', 'cross-entropy', 'mse'] },
];
