import { pyNumber } from './torch';
import { sizeOf } from '../core/shape';
import { reshape } from '../ops/reshape';
import { describeShape, problem, type LayerDef } from './types';

type ReshapeParams = { targetShape: readonly number[] };

export const reshapeLayer: LayerDef<ReshapeParams> = {
  type: 'reshape',
  label: 'Reshape',
  category: 'Core',
  description: 'Same values, new shape',
  params: {
    targetShape: { kind: 'ints', label: 'Shape', help: 'The new shape of each sample; one entry may be −1 to take what is left.', default: [-1], minLength: 1, maxLength: 4, min: 1, max: 100000, allowMinusOne: true },
  },
  inputs: { min: 1, max: 1 },
  caption: (p) => p.targetShape.map((d) => (d === -1 ? '?' : d)).join('×'),
  infer([x], p) {
    if (!x) return problem('Reshape needs an input.');
    const n = sizeOf(x);
    const known = sizeOf(p.targetShape.filter((d) => d !== -1));
    const free = p.targetShape.includes(-1);
    if (free ? n % known !== 0 : n !== known) {
      return problem(
        `Reshape cannot arrange the ${n} values of ${describeShape(x)} as ${p.targetShape.map((d) => (d === -1 ? '?' : d)).join('×')}.`,
        `Pick a shape whose sizes multiply to ${n}.`,
        0,
      );
    }
    return p.targetShape.map((d) => (d === -1 ? n / known : d));
  },
  // A view of its input: only the gradient is its own.
  bufferFloats: (_inputs, out) => sizeOf(out),
  build: (ctx, [x], p) => reshape(ctx.tape, x!, p.targetShape),
  torch: { forward: ([x], p) => `${x}.reshape(${x}.shape[0], ${p.targetShape.map(pyNumber).join(', ')})` },
  // 0 keeps the batch axis as it is.
  onnx: { write: (b, [x], p) => b.op('Reshape', [x!, b.constant([0, ...p.targetShape], [p.targetShape.length + 1], 'int64')]) },
};
