import { EngineError } from '../core/errors';
import { formatShape } from '../core/shape';
import type { Tape, Var } from '../core/tape';

/**
 * Embedding lookup: row indices[i] of table [V, D] for every element of `indices`, whose float
 * values hold integer ids. Indices [B, T] give [B, T, D]. The backward pass adds each output
 * row's gradient into its table row (repeated ids accumulate); indices get no gradient.
 */
export function gather(tape: Tape, table: Var, indices: Var): Var {
  if (table.rank !== 2 || table.batched) {
    throw tape.error('gather', `the table must be an unbatched [vocabulary, features] matrix, got ${formatShape(table.shape)}${table.batched ? ' (batched)' : ''}`);
  }
  const vocab = table.shape[0]!;
  const width = table.shape[1]!;
  const out = tape.output('gather', [...indices.shape, width], indices.batched, table.requiresGrad);
  // Ids are data, so they are checked when the step runs; tape.node is not set then.
  const node = tape.node;
  return tape.record('gather', {
    out,
    inputs: [table, indices],
    forward() {
      const ids = indices.value;
      const w = table.value;
      const y = out.value;
      for (let i = 0, n = indices.size, o = 0; i < n; i++) {
        const id = ids[i]!;
        if (!(id >= 0 && id < vocab && Math.floor(id) === id)) {
          throw new EngineError('gather', node, `id ${id} is outside the vocabulary of size ${vocab} (ids 0..${vocab - 1})`);
        }
        for (let k = 0, src = id * width; k < width; k++) y[o++] = w[src + k]!;
      }
    },
    backward() {
      if (!table.requiresGrad) return;
      const ids = indices.value;
      const gw = table.grad;
      const gy = out.grad;
      for (let i = 0, n = indices.size, o = 0; i < n; i++) {
        for (let k = 0, dst = ids[i]! * width; k < width; k++) gw[dst + k]! += gy[o++]!;
      }
    },
  });
}
