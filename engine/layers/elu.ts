import { pyNumber } from './torch';
import { activationLayer } from './activation';

export const eluLayer = activationLayer({
  type: 'elu',
  op: 'elu',
  label: 'ELU',
  description: 'Smooth curve below zero',
  params: { alpha: { kind: 'number', label: 'Alpha', help: 'Value the output approaches for very negative inputs (as −alpha).', default: 1, min: 0, max: 10, step: 0.1 } },
  paramOf: (p) => p.alpha as number,
  activation: { kind: 'relu-like', suggestedInit: 'he', canDie: false },
  torch: (x, alpha) => `F.elu(${x}, ${pyNumber(alpha)})`,
  onnx: (b, x, alpha) => b.op('Elu', [x], { alpha: { f: alpha } }),
});
