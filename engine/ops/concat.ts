import { formatShape, normalizeAxis } from '../core/shape';
import type { Tape, Var } from '../core/tape';

/**
 * Joins 2 or more tensors along `axis` (negative counts from the end). All must be batched or
 * all unbatched, with equal sizes on every other axis; a batched tensor cannot be joined along
 * its batch axis.
 */
export function concat(tape: Tape, xs: readonly Var[], axis: number): Var {
  const first = xs[0];
  if (!first || xs.length < 2) throw tape.error('concat', `needs at least 2 tensors, got ${xs.length}`);
  const rank = first.rank;
  const a = Number.isInteger(axis) ? normalizeAxis(axis, rank) : -1;
  const shapes = xs.map((x) => formatShape(x.shape)).join(', ');
  if (a < 0) throw tape.error('concat', `axis ${axis} is out of range for tensors of rank ${rank}`);
  if (xs.some((x) => x.batched !== first.batched)) throw tape.error('concat', `cannot join batched and unbatched tensors (${shapes})`);
  if (first.batched && a === 0) throw tape.error('concat', 'cannot join along the batch axis');
  for (const x of xs) {
    if (x.rank !== rank || x.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      throw tape.error('concat', `shapes ${shapes} differ outside axis ${axis}`);
    }
  }
  const outShape = first.shape.slice();
  outShape[a] = xs.reduce((s, x) => s + x.shape[a]!, 0);
  const out = tape.output('concat', outShape, first.batched, xs.some((x) => x.requiresGrad));

  // Each index over the axes before `axis` holds one contiguous chunk of every input, in order.
  let inner = 1;
  for (let i = a + 1; i < rank; i++) inner *= first.shape[i]!;
  const chunks = xs.map((x) => x.shape[a]! * inner);
  const outChunk = outShape[a]! * inner;
  const offsets = chunks.map((_, k) => chunks.slice(0, k).reduce((s, c) => s + c, 0));
  return tape.record('concat', {
    out,
    inputs: xs,
    forward() {
      const y = out.value;
      const outer = out.size / outChunk;
      for (let k = 0; k < xs.length; k++) {
        const x = xs[k]!.value;
        const chunk = chunks[k]!;
        for (let o = 0, src = 0, dst = offsets[k]!; o < outer; o++, dst += outChunk) {
          for (let j = 0; j < chunk; j++) y[dst + j] = x[src++]!;
        }
      }
    },
    backward() {
      const gy = out.grad;
      const outer = out.size / outChunk;
      for (let k = 0; k < xs.length; k++) {
        const x = xs[k]!;
        if (!x.requiresGrad) continue;
        const gx = x.grad;
        const chunk = chunks[k]!;
        for (let o = 0, src = 0, dst = offsets[k]!; o < outer; o++, dst += outChunk) {
          for (let j = 0; j < chunk; j++) gx[src++]! += gy[dst + j]!;
        }
      }
    },
  });
}
