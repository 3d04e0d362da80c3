import { formatShape } from '../core/shape';
import type { Tape, Var } from '../core/tape';
import { planRuns, recordRuns } from './copy-runs';

/**
 * A box of x: `begin` and `size` give one entry per axis, as tf.slice; size -1 runs to the end.
 * For a batched x they include the batch axis, which must be taken whole (begin 0, size -1),
 * so the same arguments mean the same thing in TF.js at any live batch.
 */
export function slice(tape: Tape, x: Var, begin: readonly number[], size: readonly number[]): Var {
  const rank = x.rank;
  if (begin.length !== rank || size.length !== rank) {
    throw tape.error('slice', `begin ${formatShape(begin)} and size ${formatShape(size)} need one entry per axis of ${formatShape(x.shape)}`);
  }
  if (x.batched && (begin[0] !== 0 || size[0] !== -1)) {
    throw tape.error('slice', `the batch axis is taken whole: begin[0] must be 0 and size[0] -1, got ${begin[0]} and ${size[0]}`);
  }
  const outShape = x.shape.map((dim, a) => {
    const b = begin[a]!;
    const s = size[a] === -1 ? dim - b : size[a]!;
    if (!Number.isInteger(b) || b < 0 || b >= dim) {
      throw tape.error('slice', `axis ${a} has ${dim} entries, begin ${b} is outside 0..${dim - 1}`);
    }
    if (!Number.isInteger(s) || s < 1 || b + s > dim) {
      throw tape.error('slice', `axis ${a} has ${dim} entries, size ${size[a]} from begin ${b} does not fit`);
    }
    return s;
  });
  const out = tape.output('slice', outShape, x.batched, x.requiresGrad);
  const skip = x.batched ? 1 : 0;
  const axes = outShape.slice(skip).map((_, a) => a);
  const plan = planRuns(x.shape.slice(skip), outShape.slice(skip), axes, begin.slice(skip));
  return recordRuns(tape, 'slice', x, out, plan);
}
