import { stridesOf, type Shape } from '../core/shape';
import type { Tape, Var } from '../core/tape';

/**
 * The data movement under transpose and slice, planned once at record time. Within one item
 * (one batch row, or the whole tensor when unbatched) the output is a sequence of contiguous
 * runs of `run` elements, and run r is read from offset `from[r]` of the input item. The run is
 * the trailing part of the layout the op leaves contiguous, so a slice of whole rows or a
 * transpose that keeps the last axis copies rows, not single elements.
 */
export interface RunPlan {
  readonly from: Int32Array;
  readonly run: number;
  readonly inItem: number;
  readonly outItem: number;
}

/**
 * Plans out[idx] = in[Σ (start[a] + idx[a]) · inStrides[a]] over the output item shape `outShape`,
 * where `source[a]` names the input axis output axis a reads (a permutation for transpose,
 * the identity for slice) and `start[a]` its first index along that axis.
 */
export function planRuns(inShape: Shape, outShape: Shape, source: readonly number[], start: readonly number[]): RunPlan {
  const rank = outShape.length;
  const inStrides = stridesOf(inShape);
  // Trailing output axes that read the same input axis, whole, form the contiguous run,
  // plus the first axis before them that reads its own axis (possibly partly, as a slice).
  let t = rank;
  while (t > 0 && source[t - 1] === t - 1 && outShape[t - 1] === inShape[t - 1]) t--;
  if (t > 0 && source[t - 1] === t - 1) t--;
  let run = 1;
  for (let a = t; a < rank; a++) run *= outShape[a]!;
  let base = 0;
  for (let a = 0; a < rank; a++) base += start[a]! * inStrides[source[a]!]!;

  let rows = 1;
  for (let a = 0; a < t; a++) rows *= outShape[a]!;
  const from = new Int32Array(rows);
  const idx = new Array<number>(t).fill(0);
  for (let r = 0, offset = base; r < rows; r++) {
    from[r] = offset;
    for (let a = t - 1; a >= 0; a--) {
      const stride = inStrides[source[a]!]!;
      offset += stride;
      if (++idx[a]! < outShape[a]!) break;
      offset -= stride * outShape[a]!;
      idx[a] = 0;
    }
  }
  let inItem = 1;
  for (const d of inShape) inItem *= d;
  return { from, run, inItem, outItem: rows * run };
}

/** y = the planned runs of x, for `items` consecutive items. */
export function gatherRuns(plan: RunPlan, items: number, x: Float32Array, y: Float32Array): void {
  const { from, run, inItem, outItem } = plan;
  const rows = from.length;
  for (let b = 0; b < items; b++) {
    const xo = b * inItem;
    let o = b * outItem;
    if (run === 1) {
      for (let r = 0; r < rows; r++) y[o++] = x[xo + from[r]!]!;
      continue;
    }
    for (let r = 0; r < rows; r++) {
      const src = xo + from[r]!;
      for (let k = 0; k < run; k++) y[o++] = x[src + k]!;
    }
  }
}

/** gx += gy routed back through the plan (the transpose of gatherRuns). */
export function scatterRunsAdd(plan: RunPlan, items: number, gy: Float32Array, gx: Float32Array): void {
  const { from, run, inItem, outItem } = plan;
  const rows = from.length;
  for (let b = 0; b < items; b++) {
    const xo = b * inItem;
    let o = b * outItem;
    if (run === 1) {
      for (let r = 0; r < rows; r++) gx[xo + from[r]!]! += gy[o++]!;
      continue;
    }
    for (let r = 0; r < rows; r++) {
      const dst = xo + from[r]!;
      for (let k = 0; k < run; k++) gx[dst + k]! += gy[o++]!;
    }
  }
}

/**
 * Records an op that only moves data by a run plan (slice, transpose): forward gathers the runs
 * into `out`, backward scatters the gradient back. The plan is per item, so a batched tensor
 * repeats it for each live batch row.
 */
export function recordRuns(tape: Tape, op: string, x: Var, out: Var, plan: RunPlan): Var {
  const items = (): number => (x.batched ? tape.batch : 1);
  return tape.record(op, {
    out,
    inputs: [x],
    forward() {
      gatherRuns(plan, items(), x.value, out.value);
    },
    backward() {
      if (x.requiresGrad) scatterRunsAdd(plan, items(), out.grad, x.grad);
    },
  });
}
