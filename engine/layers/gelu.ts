import { activationLayer } from './activation';

export const geluLayer = activationLayer({
  type: 'gelu',
  op: 'gelu',
  label: 'GELU',
  description: 'Smooth gate of transformers',
  activation: { kind: 'relu-like', suggestedInit: 'he', canDie: false },
  // Exact (erf), as the engine computes it; F.gelu's default.
  torch: (x) => `F.gelu(${x})`,
  // Exact GELU in opset 17 (Gelu itself is opset 20): x · ½(1 + erf(x/√2)).
  onnx: (b, x) => b.op('Mul', [b.op('Mul', [x, b.op('Add', [b.op('Erf', [b.op('Mul', [x, b.constant([Math.SQRT1_2], [])])]), b.constant([1], [])])]), b.constant([0.5], [])]),
});
