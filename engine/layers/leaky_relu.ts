import { pyNumber } from './torch';
import { activationLayer } from './activation';

export const leakyReluLayer = activationLayer({
  type: 'leaky_relu',
  op: 'leaky_relu',
  label: 'Leaky ReLU',
  description: 'ReLU with a small slope below zero',
  params: { alpha: { kind: 'number', label: 'Slope', help: 'Slope for negative inputs; keeps units from dying.', default: 0.2, min: 0, max: 1, step: 0.01 } },
  paramOf: (p) => p.alpha as number,
  // Negative inputs keep a slope, so no unit dies (at slope 0 it is a ReLU; use ReLU to watch for that).
  activation: { kind: 'relu-like', suggestedInit: 'he', canDie: false },
  torch: (x, alpha) => `F.leaky_relu(${x}, ${pyNumber(alpha)})`,
  onnx: (b, x, alpha) => b.op('LeakyRelu', [x], { alpha: { f: alpha } }),
});
