import { stridesOf, type Shape } from '../core/shape';

/**
 * How an input of a broadcasting op maps onto the output. Computed once at record time.
 *
 * kind 'same': the input has the output's shape (flat loop);
 * kind 'suffix': the input is the output's trailing dimensions (a bias): input[i % period];
 * kind 'general': any other numpy broadcast, walked with per-dimension strides (0 where broadcast).
 */
export interface BroadcastMap {
  readonly kind: 'same' | 'suffix' | 'general';
  /** For 'suffix': the input's size. */
  readonly period: number;
  /** For 'general': the output's shape and the input's stride along each output dimension. */
  readonly outShape: Int32Array;
  readonly inStrides: Int32Array;
  /** Odometer scratch, one slot per output dimension. */
  readonly counter: Int32Array;
}

export function broadcastMap(inShape: Shape, outShape: Shape): BroadcastMap {
  const rank = outShape.length;
  const padded = [...new Array<number>(rank - inShape.length).fill(1), ...inShape];
  const inStridesFull = stridesOf(padded);
  const strides = new Int32Array(rank);
  for (let d = 0; d < rank; d++) strides[d] = padded[d] === 1 && outShape[d] !== 1 ? 0 : inStridesFull[d]!;
  const inSize = padded.reduce((a, b) => a * b, 1);
  const same = padded.every((d, i) => d === outShape[i]);
  // A suffix: leading dims all broadcast (1), trailing dims equal to the output's.
  let firstReal = 0;
  while (firstReal < rank && padded[firstReal] === 1) firstReal++;
  const suffix = !same && padded.slice(firstReal).every((d, i) => d === outShape[firstReal + i]);
  return {
    kind: same ? 'same' : suffix ? 'suffix' : 'general',
    period: inSize,
    outShape: Int32Array.from(outShape),
    inStrides: strides,
    counter: new Int32Array(rank),
  };
}

/**
 * Calls visit(outIndex, inIndex) for every live output element, in order.
 * Only used on the 'general' path; `outSize` is the live output size (a smaller batch has fewer rows).
 */
export function forEachBroadcast(map: BroadcastMap, outSize: number, visit: (o: number, i: number) => void): void {
  const { outShape, inStrides, counter } = map;
  const rank = outShape.length;
  counter.fill(0);
  let inIdx = 0;
  for (let o = 0; o < outSize; o++) {
    visit(o, inIdx);
    // Advance the odometer.
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]!++;
      inIdx += inStrides[d]!;
      if (counter[d]! < outShape[d]!) break;
      inIdx -= inStrides[d]! * outShape[d]!;
      counter[d] = 0;
    }
  }
}

/** Reads the input value that lands on each output element into `out` (a materialized broadcast). */
export function gatherBroadcast(map: BroadcastMap, src: Float32Array, out: Float32Array, outSize: number): void {
  if (map.kind === 'same') {
    for (let i = 0; i < outSize; i++) out[i] = src[i]!;
  } else if (map.kind === 'suffix') {
    const p = map.period;
    for (let i = 0, j = 0; i < outSize; i++) {
      out[i] = src[j]!;
      if (++j === p) j = 0;
    }
  } else {
    forEachBroadcast(map, outSize, (o, i) => {
      out[o] = src[i]!;
    });
  }
}

/**
 * The one place broadcast gradients are reduced back to an input's shape:
 * gradIn[i] += sum of gradOut[o] (times factor[o] when given) over the output elements o that read input i.
 */
export function unbroadcastAdd(
  map: BroadcastMap,
  gradOut: Float32Array,
  gradIn: Float32Array,
  outSize: number,
  factor?: Float32Array,
  factorMap?: BroadcastMap,
  sign = 1,
): void {
  if (sign !== 1) {
    // Only subtraction needs a sign, and it has no factor.
    unbroadcastSigned(map, gradOut, gradIn, outSize, sign);
    return;
  }
  if (factor) {
    // gradIn += unbroadcast(gradOut * broadcast(factor)); factorMap says how factor maps onto the output.
    const fm = factorMap!;
    if (map.kind === 'same' && fm.kind === 'same') {
      for (let i = 0; i < outSize; i++) gradIn[i]! += gradOut[i]! * factor[i]!;
      return;
    }
    if (map.kind === 'same' && fm.kind === 'suffix') {
      const p = fm.period;
      for (let i = 0, j = 0; i < outSize; i++) {
        gradIn[i]! += gradOut[i]! * factor[j]!;
        if (++j === p) j = 0;
      }
      return;
    }
    if (map.kind === 'suffix' && fm.kind === 'same') {
      const p = map.period;
      for (let i = 0, j = 0; i < outSize; i++) {
        gradIn[j]! += gradOut[i]! * factor[i]!;
        if (++j === p) j = 0;
      }
      return;
    }
    // General: walk both maps together.
    walkPair(map, fm, outSize, (o, i, f) => {
      gradIn[i]! += gradOut[o]! * factor[f]!;
    });
    return;
  }
  if (map.kind === 'same') {
    for (let i = 0; i < outSize; i++) gradIn[i]! += gradOut[i]!;
  } else if (map.kind === 'suffix') {
    const p = map.period;
    for (let i = 0, j = 0; i < outSize; i++) {
      gradIn[j]! += gradOut[i]!;
      if (++j === p) j = 0;
    }
  } else {
    forEachBroadcast(map, outSize, (o, i) => {
      gradIn[i]! += gradOut[o]!;
    });
  }
}

/** Walks two broadcast maps onto the same output at once: visit(outIndex, indexInA, indexInB). */
export function walkPair(a: BroadcastMap, b: BroadcastMap, outSize: number, visit: (o: number, ia: number, ib: number) => void): void {
  const { outShape, counter } = a;
  const sa = a.inStrides;
  const sb = b.inStrides;
  const rank = outShape.length;
  counter.fill(0);
  let ia = 0;
  let ib = 0;
  for (let o = 0; o < outSize; o++) {
    visit(o, ia, ib);
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]!++;
      ia += sa[d]!;
      ib += sb[d]!;
      if (counter[d]! < outShape[d]!) break;
      ia -= sa[d]! * outShape[d]!;
      ib -= sb[d]! * outShape[d]!;
      counter[d] = 0;
    }
  }
}

function unbroadcastSigned(map: BroadcastMap, gradOut: Float32Array, gradIn: Float32Array, outSize: number, sign: number): void {
  if (map.kind === 'same') {
    for (let i = 0; i < outSize; i++) gradIn[i]! += sign * gradOut[i]!;
  } else if (map.kind === 'suffix') {
    const p = map.period;
    for (let i = 0, j = 0; i < outSize; i++) {
      gradIn[j]! += sign * gradOut[i]!;
      if (++j === p) j = 0;
    }
  } else {
    forEachBroadcast(map, outSize, (o, i) => {
      gradIn[i]! += sign * gradOut[o]!;
    });
  }
}
