import { activationLayer } from './activation';

export const sigmoidLayer = activationLayer({
  type: 'sigmoid',
  op: 'sigmoid',
  label: 'Sigmoid',
  description: 'Squashes to (0, 1)',
  keywords: ['logistic'],
  activation: { kind: 'saturating', suggestedInit: 'glorot', canDie: false },
  torch: (x) => `torch.sigmoid(${x})`,
  onnx: (b, x) => b.op('Sigmoid', [x]),
});
