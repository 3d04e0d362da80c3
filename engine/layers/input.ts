import type { LayerDef } from './types';

export const inputLayer: LayerDef = {
  type: 'input',
  label: 'Input',
  category: 'Core',
  description: "The dataset's features, one sample at a time",
  keywords: ['data', 'features'],
  params: {},
  inputs: { min: 0, max: 0 },
  role: 'input',
  infer: (_inputs, _params, { dataset }) => dataset.inputShape,
  build: (ctx) => ctx.dataInput,
  // The model's argument: a batch of the dataset's features.
  torch: { forward: () => 'x' },
  onnx: { write: () => 'x' },
};
