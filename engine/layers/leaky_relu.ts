import { activationLayer } from './activation';

export const leakyReluLayer = activationLayer({
  type: 'leaky_relu',
  op: 'leaky_relu',
  label: 'Leaky ReLU',
  description: 'ReLU with a small slope below zero',
  params: { alpha: { kind: 'number', label: 'Slope', help: 'Slope for negative inputs; keeps units from dying.', default: 0.2, min: 0, max: 1, step: 0.01 } },
  paramOf: (p) => p.alpha as number,
});
