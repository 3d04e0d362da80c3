/** PyTorch export cases: norm layers (see engine/export/pytorch.test.ts). */
import { chain, classification, regression, type TorchCase } from './testing/torch-cases';

/** Token ids 0..vocab-1 as the dataset stores them (floats), for an Embedding. */
const tokenIds = (vocab: number) => (rng: () => number): number => Math.floor(rng() * vocab);

/** Six token ids per sample from a vocabulary of ten. */
const tokens = { ...classification([6], 3), vocabSize: 10 };

export const NORM_CASES: TorchCase[] = [
  // BatchNorm: channels-last statistics over every axis but the last, biased variance. In training
  // mode the Dense before it has no bias: the batch mean cancels it, so its gradient is exactly 0 and
  // both sides give only round-off (1e-9 against 1e-17), which no relative tolerance can compare.
  {
    name: 'BatchNorm after Dense, training (batch statistics)',
    graph: chain([['dense', { units: 6, useBias: false }], 'batchnorm', 'relu', ['dense', { units: 3 }]]),
    dataset: classification([4]),
  },
  {
    name: 'BatchNorm after Dense, epsilon 0.1, training',
    graph: chain([['dense', { units: 6, useBias: false }], ['batchnorm', { epsilon: 0.1, momentum: 0.5 }], 'tanh', ['dense', { units: 2 }]]),
    dataset: regression([3]),
    batch: 7,
  },
  {
    name: 'BatchNorm after Dense, evaluating (running statistics)',
    graph: chain([['dense', { units: 6 }], ['batchnorm', { epsilon: 0.1 }], 'relu', ['dense', { units: 3 }]]),
    dataset: classification([4]),
    training: false,
  },
  {
    name: 'BatchNorm on an image input [4,4,3], training',
    graph: chain(['batchnorm', 'flatten', ['dense', { units: 3 }]]),
    dataset: classification([4, 4, 3]),
  },
  {
    name: 'BatchNorm on an image input [4,4,3], evaluating',
    graph: chain([['batchnorm', { epsilon: 0.05 }], 'flatten', ['dense', { units: 3 }]]),
    dataset: classification([4, 4, 3]),
    training: false,
  },
  {
    name: 'BatchNorm on a sequence [5,3] then Last Step, training',
    graph: chain([['dense', { units: 4, useBias: false }], 'batchnorm', 'last_step', ['dense', { units: 2 }]]),
    dataset: regression([5, 3]),
    batch: 3,
  },
  {
    name: 'BatchNorm on a sequence [5,3], evaluating',
    graph: chain([['dense', { units: 4 }], ['batchnorm', { epsilon: 0.2 }], 'last_step', ['dense', { units: 2 }]]),
    dataset: regression([5, 3]),
    training: false,
  },
  // LayerNorm: per row over the last axis.
  {
    name: 'LayerNorm after Dense',
    graph: chain([['dense', { units: 6 }], 'layernorm', 'relu', ['dense', { units: 3 }]]),
    dataset: classification([4]),
  },
  {
    name: 'LayerNorm on a sequence, epsilon 0.1, then Last Step',
    graph: chain([['dense', { units: 5 }], ['layernorm', { epsilon: 0.1 }], 'last_step', ['dense', { units: 2 }]]),
    dataset: regression([4, 3]),
  },
  {
    name: 'LayerNorm on an image input [4,4,3] (each pixel over its channels), epsilon 0.01',
    graph: chain([['layernorm', { epsilon: 0.01 }], 'flatten', ['dense', { units: 3 }]]),
    dataset: classification([4, 4, 3]),
  },
  // Last Step of a one-step sequence: the step index is 0.
  {
    name: 'Last Step of a single time step [1,3]',
    graph: chain([['dense', { units: 4 }], 'last_step', ['dense', { units: 2 }]]),
    dataset: regression([1, 3]),
  },
  // Embedding (ids as floats; repeated ids accumulate) and positional encodings.
  {
    name: 'Embedding of token ids, Flatten, Dense',
    graph: chain([['embedding', { outputDim: 4 }], 'flatten', ['dense', { units: 3 }]]),
    dataset: tokens,
    x: tokenIds(10),
  },
  {
    name: 'Embedding + sinusoidal Positional Encoding + LayerNorm',
    graph: chain([['embedding', { outputDim: 6 }], 'positional_encoding', 'layernorm', 'flatten', ['dense', { units: 3 }]]),
    dataset: tokens,
    x: tokenIds(10),
  },
  {
    name: 'Embedding + learned Positional Encoding',
    graph: chain([['embedding', { outputDim: 5 }], ['positional_encoding', { mode: 'learned' }], 'flatten', ['dense', { units: 3 }]]),
    dataset: tokens,
    x: tokenIds(10),
  },
  {
    name: 'sinusoidal Positional Encoding on a long sequence [40,7]',
    graph: chain(['positional_encoding', 'flatten', ['dense', { units: 2 }]]),
    dataset: regression([40, 7]),
  },
  {
    name: 'Embedding + BatchNorm over tokens, evaluating',
    graph: chain([['embedding', { outputDim: 4 }], ['batchnorm', { epsilon: 0.01 }], 'flatten', ['dense', { units: 3 }]]),
    dataset: tokens,
    x: tokenIds(10),
    training: false,
  },
];
