/** PyTorch export cases: dense layers, activations, shapes, merges, dropout, and every loss. */
import { chain, classification, regression, type TorchCase } from './testing/torch-cases';

const branches = {
  nodes: [
    { id: 'in', type: 'input' },
    { id: 'a', type: 'dense', params: { units: 6 } },
    { id: 'b', type: 'dense', params: { units: 6, useBias: false } },
    { id: 'sum', type: 'add' },
    { id: 'act', type: 'tanh' },
    { id: 'cat', type: 'concat' },
    { id: 'head', type: 'dense', params: { units: 3 } },
    { id: 'out', type: 'output' },
  ],
  edges: [
    { id: 'e1', source: 'in', target: 'a' },
    { id: 'e2', source: 'in', target: 'b' },
    { id: 'e3', source: 'a', target: 'sum' },
    { id: 'e4', source: 'b', target: 'sum', targetSlot: 1 },
    { id: 'e5', source: 'sum', target: 'act' },
    { id: 'e6', source: 'act', target: 'cat' },
    { id: 'e7', source: 'in', target: 'cat', targetSlot: 1 },
    { id: 'e8', source: 'cat', target: 'head' },
    { id: 'e9', source: 'head', target: 'out' },
  ],
};

export const CORE_CASES: TorchCase[] = [
  { name: 'Dense + ReLU, cross-entropy on logits', graph: chain([['dense', { units: 8 }], 'relu', ['dense', { units: 3 }]]), dataset: classification([4]) },
  {
    name: 'every elementwise activation',
    graph: chain([['dense', { units: 8 }], ['leaky_relu', { alpha: 0.1 }], ['dense', { units: 8 }], ['elu', { alpha: 0.7 }], ['dense', { units: 8 }], 'gelu', ['dense', { units: 8 }], 'sigmoid', ['dense', { units: 8 }], 'tanh', ['dense', { units: 3 }]]),
    dataset: classification([4]),
  },
  { name: 'Softmax before the output: cross-entropy on probabilities', graph: chain([['dense', { units: 3 }], 'softmax']), dataset: classification([4]) },
  { name: 'one logit: binary cross-entropy on logits', graph: chain([['dense', { units: 5 }], 'relu', ['dense', { units: 1 }]]), dataset: classification([3], 2) },
  { name: 'Sigmoid before the output: binary cross-entropy on probabilities', graph: chain([['dense', { units: 1 }], 'sigmoid']), dataset: classification([3], 2) },
  { name: 'mean squared error', graph: chain([['dense', { units: 6 }], 'tanh', ['dense', { units: 2 }]]), dataset: regression([3]) },
  { name: 'Flatten and Reshape, channels-last', graph: chain(['flatten', ['reshape', { targetShape: [3, -1] }], ['dense', { units: 2 }], 'flatten', ['dense', { units: 3 }]]), dataset: classification([2, 3, 2]) },
  { name: 'Add and Concat of branches', graph: branches, dataset: classification([4]) },
  {
    name: 'layer names that are not Python names, or are nn.Module’s own',
    graph: {
      nodes: [
        { id: 'in', type: 'input', label: 'x' },
        { id: 'a', type: 'dense', label: 'forward', params: { units: 5 } },
        { id: 'b', type: 'relu', label: 'class' },
        { id: 'c', type: 'dense', label: '1st layer!', params: { units: 5 } },
        { id: 'd', type: 'dense', label: 'training', params: { units: 3 } },
        { id: 'out', type: 'output', label: 'loss' },
      ],
      edges: [
        { id: 'e1', source: 'in', target: 'a' },
        { id: 'e2', source: 'a', target: 'b' },
        { id: 'e3', source: 'b', target: 'c' },
        { id: 'e4', source: 'c', target: 'd' },
        { id: 'e5', source: 'd', target: 'out' },
      ],
    },
    dataset: classification([4]),
  },
  { name: 'Dropout, evaluating (the identity)', graph: chain([['dense', { units: 8 }], ['dropout', { rate: 0.5 }], ['dense', { units: 3 }]]), dataset: classification([4]), training: false },
];
