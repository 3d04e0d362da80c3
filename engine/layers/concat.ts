import { concat } from '../ops/concat';
import { describeShape, type LayerDef, type LayerProblem } from './types';

type ConcatParams = { axis: number };

/** Joins inputs along one axis (the last by default); the others must match. */
export const concatLayer: LayerDef<ConcatParams> = {
  type: 'concat',
  label: 'Concat',
  category: 'Merge',
  description: 'Joins its inputs along an axis',
  keywords: ['concatenate', 'join'],
  params: { axis: { kind: 'int', label: 'Axis', help: 'The axis to join along, counted per sample; −1 is the last.', default: -1, min: -4, max: 3 } },
  inputs: { min: 2, max: 8, labels: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] },
  caption: (p) => (p.axis === -1 ? '' : `axis ${p.axis}`),
  infer(inputs, p) {
    const first = inputs[0]!;
    const rank = first.length;
    const axis = p.axis < 0 ? p.axis + rank : p.axis;
    if (rank === 0 || axis < 0 || axis >= rank) {
      return [{ message: `Concat axis ${p.axis} does not exist for ${describeShape(first)} inputs (they have ${rank} axes).`, fix: 'Use −1 to join along the last axis.' }];
    }
    const problems: LayerProblem[] = [];
    let total = 0;
    inputs.forEach((x, slot) => {
      const ok = x.length === rank && x.every((d, i) => i === axis || d === first[i]);
      if (!ok) {
        problems.push({ message: `Concat along axis ${p.axis} needs inputs that match on every other axis, but gets ${describeShape(first)} and ${describeShape(x)}.`, slot });
      }
      total += x[axis] ?? 0;
    });
    if (problems.length) return problems;
    return first.map((d, i) => (i === axis ? total : d));
  },
  build: (ctx, inputs, p) => concat(ctx.tape, inputs, p.axis < 0 ? p.axis + inputs[0]!.rank : p.axis + 1),
  // The axis counts per sample; in PyTorch the batch axis comes first.
  torch: { forward: (inputs, p) => `torch.cat([${inputs.join(', ')}], dim=${p.axis < 0 ? p.axis : p.axis + 1})` },
  onnx: { write: (b, inputs, p) => b.op('Concat', inputs, { axis: { i: p.axis < 0 ? p.axis : p.axis + 1 } }) },
};
