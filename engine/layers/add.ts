import { sameShape, sizeOf } from '../core/shape';
import { add } from '../ops/binary';
import { describeShape, type LayerDef, type LayerProblem } from './types';

/** Elementwise sum of two or more tensors of one shape: the residual connection. */
export const addLayer: LayerDef = {
  type: 'add',
  label: 'Add',
  category: 'Merge',
  description: 'Sums its inputs: residual connections',
  keywords: ['residual', 'skip', 'sum'],
  params: {},
  inputs: { min: 2, max: 8, labels: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] },
  infer(inputs) {
    const first = inputs[0]!;
    const problems: LayerProblem[] = [];
    inputs.forEach((x, slot) => {
      if (slot > 0 && !sameShape(x, first)) {
        const units = first.length === 1 && x.length === 1 ? ` — make both layers ${first[0]} units` : '';
        problems.push({
          message: `Add needs inputs of one shape, but gets ${describeShape(first)} and ${describeShape(x)}${units}.`,
          fix: units ? `Set the layer feeding input ${slot + 1} to ${first[0]} units.` : 'Make the shapes feeding Add equal.',
          slot,
        });
      }
    });
    return problems.length ? problems : [...first];
  },
  // One sum per input after the first, each with its gradient.
  bufferFloats: (inputs, out) => 2 * (inputs.length - 1) * sizeOf(out),
  build(ctx, inputs) {
    let sum = inputs[0]!;
    for (let i = 1; i < inputs.length; i++) sum = add(ctx.tape, sum, inputs[i]!);
    return sum;
  },
  torch: { forward: (inputs) => `(${inputs.join(' + ')})` },
  onnx: { write: (b, inputs) => inputs.slice(1).reduce((sum, x) => b.op('Add', [sum, x]), inputs[0]!) },
};
