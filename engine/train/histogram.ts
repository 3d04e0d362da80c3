/** A histogram of a tensor's values: equal-width bins between the smallest and largest finite value. */
export interface Histogram {
  min: number;
  max: number;
  counts: number[];
  /** Values that were not finite (left out of the bins). */
  nonFinite: number;
}

/** Bins the first `n` values of `values` into `bins` equal-width bins. Allocates only the counts. */
export function histogram(values: Float32Array, n: number, bins = 40): Histogram {
  let min = Infinity;
  let max = -Infinity;
  let nonFinite = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      nonFinite++;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const counts = new Array<number>(bins).fill(0);
  if (min > max) return { min: 0, max: 0, counts, nonFinite };
  const width = (max - min) / bins || 1;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.floor((v - min) / width))]!++;
  }
  return { min, max, counts, nonFinite };
}
