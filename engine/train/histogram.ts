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

/** The levels `quantiles` reads: every 5% from the smallest (0) to the largest (1). */
export const QUANTILE_LEVELS: readonly number[] = Array.from({ length: 21 }, (_, k) => k / 20);

/**
 * The QUANTILE_LEVELS quantiles of the finite values among `parts` (the first `size` of each), read
 * from an evenly strided sample of at most `scratch.length` of them (all when there are fewer),
 * sorted in `scratch`; written to `out` (QUANTILE_LEVELS.length numbers, NaN when no value is finite).
 * Quantile k is the sample's value at rank round(level × (count − 1)). Allocates nothing.
 */
export function quantiles(parts: readonly { values: Float32Array; size: number }[], scratch: Float32Array, out: Float32Array): void {
  let total = 0;
  for (const p of parts) total += p.size;
  const stride = Math.max(1, total / scratch.length);
  let count = 0;
  // Position `at` runs over the concatenation of the parts, stepping by `stride`.
  let part = 0;
  let offset = 0;
  for (let at = 0; at < total && count < scratch.length; at += stride) {
    const index = Math.floor(at);
    while (index - offset >= parts[part]!.size) offset += parts[part++]!.size;
    const v = parts[part]!.values[index - offset]!;
    if (Number.isFinite(v)) scratch[count++] = v;
  }
  const sample = scratch.subarray(0, count);
  sample.sort();
  for (let k = 0; k < QUANTILE_LEVELS.length; k++) out[k] = count === 0 ? NaN : sample[Math.round(QUANTILE_LEVELS[k]! * (count - 1))]!;
}
