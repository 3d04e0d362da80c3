import { activationLayer } from './activation';

export const tanhLayer = activationLayer({
  type: 'tanh',
  op: 'tanh',
  label: 'Tanh',
  description: 'Squashes to (−1, 1)',
  activation: { kind: 'saturating', suggestedInit: 'glorot', canDie: false },
  torch: (x) => `torch.tanh(${x})`,
  onnx: (b, x) => b.op('Tanh', [x]),
});
