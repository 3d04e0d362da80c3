import { formatShape, normalizeAxis } from '../core/shape';
import type { Tape, Var } from '../core/tape';

export interface ReduceOptions {
  /** Keep each reduced axis as a 1 (as TF.js / numpy keepdims). */
  keepDims?: boolean;
}

/** Which axes to reduce: one axis, a list (negative counts from the end), or undefined for all. */
export type Axes = number | readonly number[] | undefined;

type ReduceOp = 'sum' | 'mean';

/** Sum over `axes`. Reducing axis 0 of a batched tensor sums over the batch and gives an unbatched tensor. */
export function sum(tape: Tape, x: Var, axes?: Axes, options: ReduceOptions = {}): Var {
  return reduce(tape, 'sum', x, axes, options.keepDims ?? false);
}

/** Mean over `axes`. Over the batch axis it divides by the live batch (tape.batch), not maxBatch. */
export function mean(tape: Tape, x: Var, axes?: Axes, options: ReduceOptions = {}): Var {
  return reduce(tape, 'mean', x, axes, options.keepDims ?? false);
}

function reduce(tape: Tape, op: ReduceOp, x: Var, axes: Axes, keepDims: boolean): Var {
  const reduced = resolveAxes(tape, op, x, axes);
  const outShape: number[] = [];
  x.shape.forEach((d, a) => {
    if (!reduced[a]) outShape.push(d);
    else if (keepDims) outShape.push(1);
  });
  const batchReduced = x.batched && reduced[0]!;
  const out = tape.output(op, outShape, x.batched && !batchReduced, x.requiresGrad);

  // Merge neighbouring axes that are all kept or all reduced into runs (size-1 axes join either):
  // the layout then reads as [outer, reduced, inner] in all common cases.
  const sizes: number[] = [];
  const isReduced: boolean[] = [];
  x.shape.forEach((d, a) => {
    if (d === 1) return;
    if (isReduced.length > 0 && isReduced[isReduced.length - 1] === reduced[a]) sizes[sizes.length - 1]! *= d;
    else {
      sizes.push(d);
      isReduced.push(reduced[a]!);
    }
  });
  let reducedCount = 1;
  x.shape.forEach((d, a) => (reducedCount *= reduced[a] ? d : 1));
  const maxBatch = tape.maxBatch;
  // The batch, when it is not a size-1 axis, is the leading factor of the first run.
  const live = (n: number): number => (x.batched ? (n / maxBatch) * tape.batch : n);
  // A mean divides by the number of reduced elements, counting the live batch when it is reduced.
  const scale = (): number => (op === 'mean' ? 1 / (batchReduced ? live(reducedCount) : reducedCount) : 1);

  const reducedRuns = isReduced.filter(Boolean).length;
  if (reducedRuns <= 1) {
    const r = isReduced.indexOf(true);
    const outer = (r < 0 ? sizes : sizes.slice(0, r)).reduce((p, d) => p * d, 1);
    const red = r < 0 ? 1 : sizes[r]!;
    const inner = r < 0 ? 1 : sizes.slice(r + 1).reduce((p, d) => p * d, 1);
    const batchInReduced = r === 0;
    const liveOuter = (): number => (batchInReduced ? outer : live(outer));
    const liveRed = (): number => (batchInReduced ? live(red) : red);
    const acc = new Float64Array(inner);
    return tape.record(op, {
      out,
      inputs: [x],
      forward() {
        reduceBlocks(x.value, out.value, liveOuter(), liveRed(), inner, scale(), acc);
      },
      backward() {
        if (x.requiresGrad) spreadBlocks(out.grad, x.grad, liveOuter(), liveRed(), inner, scale());
      },
    });
  }

  // Rare: two or more separate reduced runs ([B, T, D] over axes 0 and 2). Walk x with an odometer.
  const outStrides = new Int32Array(sizes.length);
  for (let d = sizes.length - 1, s = 1; d >= 0; d--) {
    outStrides[d] = isReduced[d] ? 0 : s;
    if (!isReduced[d]) s *= sizes[d]!;
  }
  const dims = Int32Array.from(sizes);
  const counter = new Int32Array(sizes.length);
  const acc = new Float64Array(out.value.length);
  return tape.record(op, {
    out,
    inputs: [x],
    forward() {
      const m = out.size;
      const k = scale();
      acc.fill(0, 0, m);
      walk(dims, outStrides, counter, x.size, x.value, acc, 1, false);
      const y = out.value;
      for (let o = 0; o < m; o++) y[o] = acc[o]! * k;
    },
    backward() {
      if (x.requiresGrad) walk(dims, outStrides, counter, x.size, x.grad, out.grad, scale(), true);
    },
  });
}

function resolveAxes(tape: Tape, op: ReduceOp, x: Var, axes: Axes): boolean[] {
  const reduced = new Array<boolean>(x.rank).fill(axes === undefined);
  if (axes === undefined) return reduced;
  for (const axis of typeof axes === 'number' ? [axes] : axes) {
    const a = Number.isInteger(axis) ? normalizeAxis(axis, x.rank) : -1;
    if (a < 0) throw tape.error(op, `axis ${axis} is out of range for a tensor of shape ${formatShape(x.shape)}`);
    if (reduced[a]) throw tape.error(op, `axis ${axis} is listed twice`);
    reduced[a] = true;
  }
  return reduced;
}

/** y[o, i] = scale · Σ_r x[o, r, i] for x viewed as [outer, red, inner]; float64 accumulation. */
function reduceBlocks(x: Float32Array, y: Float32Array, outer: number, red: number, inner: number, scale: number, acc: Float64Array): void {
  if (inner === 1) {
    // Reducing the last axis, or everything (outer = 1). Four partial sums break the add chain.
    const red4 = red & ~3;
    for (let o = 0, base = 0; o < outer; o++, base += red) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let r = 0;
      for (; r < red4; r += 4) {
        s0 += x[base + r]!;
        s1 += x[base + r + 1]!;
        s2 += x[base + r + 2]!;
        s3 += x[base + r + 3]!;
      }
      for (; r < red; r++) s0 += x[base + r]!;
      y[o] = (s0 + s1 + s2 + s3) * scale;
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    for (let r = 0, base = o * red * inner; r < red; r++, base += inner) {
      for (let i = 0; i < inner; i++) acc[i]! += x[base + i]!;
    }
    for (let i = 0, yo = o * inner; i < inner; i++) y[yo + i] = acc[i]! * scale;
  }
}

/** gx[o, r, i] += scale · gy[o, i]: the gradient of a sum is its output gradient, copied to every term. */
function spreadBlocks(gy: Float32Array, gx: Float32Array, outer: number, red: number, inner: number, scale: number): void {
  if (inner === 1) {
    for (let o = 0, base = 0; o < outer; o++, base += red) {
      const g = gy[o]! * scale;
      for (let r = 0; r < red; r++) gx[base + r]! += g;
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    const yo = o * inner;
    for (let r = 0, base = o * red * inner; r < red; r++, base += inner) {
      for (let i = 0; i < inner; i++) gx[base + i]! += gy[yo + i]! * scale;
    }
  }
}

/**
 * Walks the first n elements of x with an odometer over the merged runs, o being the output index:
 * forward (spread = false) adds xs[i] into ys[o]; backward (spread = true) adds scale · ys[o] into xs[i].
 */
function walk(dims: Int32Array, outStrides: Int32Array, counter: Int32Array, n: number,
  xs: Float32Array, ys: Float32Array | Float64Array, scale: number, spread: boolean): void {
  counter.fill(0);
  const last = dims.length - 1;
  for (let i = 0, o = 0; i < n; i++) {
    if (spread) xs[i]! += ys[o]! * scale;
    else ys[o]! += xs[i]!;
    for (let d = last; d >= 0; d--) {
      counter[d]!++;
      o += outStrides[d]!;
      if (counter[d]! < dims[d]!) break;
      o -= outStrides[d]! * dims[d]!;
      counter[d] = 0;
    }
  }
}
