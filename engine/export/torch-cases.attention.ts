/** PyTorch export cases: attention layers (see engine/export/pytorch.test.ts). */
import { chain, classification, regression, type TorchCase } from './testing/torch-cases';

/** Sequences of 6 steps of 4 features: self-attention, then Flatten + Dense to the output. */
const SEQUENCES = [6, 4];

export const ATTENTION_CASES: TorchCase[] = [
  {
    name: 'Attention: 1 head, causal, with biases',
    graph: chain([['attention', { numHeads: 1, keyDim: 5, causal: true, useBias: true }], 'flatten', ['dense', { units: 3 }]]),
    dataset: classification(SEQUENCES),
  },
  {
    name: 'Attention: 3 heads, not causal, with biases',
    graph: chain([['attention', { numHeads: 3, keyDim: 4, causal: false, useBias: true }], 'flatten', ['dense', { units: 3 }]]),
    dataset: classification(SEQUENCES),
  },
  {
    name: 'Attention: 2 heads, causal, no biases',
    graph: chain([['attention', { numHeads: 2, keyDim: 3, causal: true, useBias: false }], 'flatten', ['dense', { units: 3 }]]),
    dataset: classification(SEQUENCES),
  },
  {
    name: 'Attention: 4 heads of key size 1, not causal, no biases, regression',
    graph: chain([['attention', { numHeads: 4, keyDim: 1, causal: false, useBias: false }], 'flatten', ['dense', { units: 2 }]]),
    dataset: regression(SEQUENCES),
  },
  {
    name: 'Attention: two stacked (causal, then not) after a per-step Dense',
    graph: chain([
      ['dense', { units: 8 }],
      ['attention', { numHeads: 2, keyDim: 4, causal: true }],
      'tanh',
      ['attention', { numHeads: 2, keyDim: 2, causal: false }],
      'flatten',
      ['dense', { units: 3 }],
    ]),
    dataset: classification(SEQUENCES),
    batch: 3,
  },
  {
    name: 'Attention: 2 heads, causal, evaluating',
    graph: chain([['attention', { numHeads: 2, keyDim: 4, causal: true }], 'flatten', ['dense', { units: 1 }]]),
    dataset: classification(SEQUENCES, 2),
    training: false,
  },
];
