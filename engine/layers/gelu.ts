import { activationLayer } from './activation';

export const geluLayer = activationLayer({
  type: 'gelu',
  op: 'gelu',
  label: 'GELU',
  description: 'Smooth gate of transformers',
  activation: { kind: 'relu-like', suggestedInit: 'he', canDie: false },
  // Exact (erf), as the engine computes it; F.gelu's default.
  torch: (x) => `F.gelu(${x})`,
});
