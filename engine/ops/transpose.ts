import { formatShape } from '../core/shape';
import type { Tape, Var } from '../core/tape';
import { planRuns, recordRuns } from './copy-runs';

/**
 * Permutes axes: output axis a is input axis perm[a] (as tf.transpose). A batched tensor keeps
 * its batch first (perm[0] = 0); the permutation is planned once per batch item.
 */
export function transpose(tape: Tape, x: Var, perm: readonly number[]): Var {
  const rank = x.rank;
  const seen = new Set(perm);
  if (perm.length !== rank || seen.size !== rank || perm.some((p) => !Number.isInteger(p) || p < 0 || p >= rank)) {
    throw tape.error('transpose', `perm ${formatShape(perm)} is not a permutation of the ${rank} axes of ${formatShape(x.shape)}`);
  }
  if (x.batched && perm[0] !== 0) {
    throw tape.error('transpose', `the batch axis must stay first, but perm ${formatShape(perm)} moves axis ${perm[0]} to the front`);
  }
  const outShape = perm.map((p) => x.shape[p]!);
  const out = tape.output('transpose', outShape, x.batched, x.requiresGrad);
  // Plan within one item: drop the batch axis and renumber the rest.
  const skip = x.batched ? 1 : 0;
  const inner = perm.slice(skip).map((p) => p - skip);
  const plan = planRuns(x.shape.slice(skip), outShape.slice(skip), inner, inner.map(() => 0));
  return recordRuns(tape, 'transpose', x, out, plan);
}
