import { activationLayer } from './activation';

export const reluLayer = activationLayer({
  type: 'relu',
  op: 'relu',
  label: 'ReLU',
  description: 'max(0, x); units can die',
  activation: { kind: 'relu-like', suggestedInit: 'he', canDie: true },
  torch: (x) => `torch.relu(${x})`,
  onnx: (b, x) => b.op('Relu', [x]),
});
