import { formatShape, sizeOf, type Shape } from '../core/shape';
import type { Tape, Var } from '../core/tape';

/**
 * The same values under a new shape (one entry may be -1, inferred). For a batched x, `shape` is
 * the inner shape, without the batch, as Keras's Reshape. The output shares x's values buffer
 * and has its own gradient.
 */
export function reshape(tape: Tape, x: Var, shape: Shape): Var {
  const wanted = x.innerSize;
  const unknown = shape.filter((d) => d === -1).length;
  const known = sizeOf(shape.filter((d) => d !== -1));
  const what = x.batched ? `per batch item ${formatShape(x.shape.slice(1))}` : `${formatShape(x.shape)}`;
  if (unknown > 1 || shape.some((d) => d !== -1 && !(Number.isInteger(d) && d >= 1))) {
    throw tape.error('reshape', `shape ${formatShape(shape)} needs positive integer sizes and at most one -1`);
  }
  if (unknown === 1 ? wanted % known !== 0 : known !== wanted) {
    throw tape.error('reshape', `cannot reshape ${wanted} values ${what} into ${formatShape(shape)}`);
  }
  const inner = shape.map((d) => (d === -1 ? wanted / known : d));
  const out = tape.output('reshape', x.batched ? [tape.maxBatch, ...inner] : inner, x.batched, x.requiresGrad, x);
  return tape.record('reshape', {
    out,
    inputs: [x],
    forward() {
      // The output shares x's values (buffers are never swapped): nothing to compute.
    },
    backward() {
      if (!x.requiresGrad) return;
      const gx = x.grad;
      const gy = out.grad;
      for (let i = 0, n = x.size; i < n; i++) gx[i]! += gy[i]!;
    },
  });
}
