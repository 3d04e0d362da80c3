import { softmax } from '../ops/softmax';
import { problem, type LayerDef } from './types';

export const softmaxLayer: LayerDef = {
  type: 'softmax',
  label: 'Softmax',
  category: 'Activations',
  description: 'Scores to probabilities',
  params: {},
  inputs: { min: 1, max: 1 },
  activation: { kind: 'distribution', suggestedInit: 'glorot', canDie: false },
  infer: ([x]) => {
    if (!x || x.length === 0) return problem('Softmax needs a vector of scores per sample, but gets a scalar.', undefined, 0);
    return [...x];
  },
  build: (ctx, [x]) => softmax(ctx.tape, x!),
  torch: { forward: ([x]) => `torch.softmax(${x}, dim=-1)` },
  onnx: { write: (b, [x]) => b.op('Softmax', [x!], { axis: { i: -1 } }) },
};
