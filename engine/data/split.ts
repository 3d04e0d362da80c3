/**
 * Train/test split: a seeded shuffle, stratified by class for classification (each class keeps
 * its share of the test set, to within one sample), and optional standardization fitted on the
 * training split only, so no statistic of the test set leaks into training.
 *
 * Windows cut in order from one text (`info.windows`) are split by position instead: the last
 * windows are the test set, and the windows between the two regions that would share characters
 * with both are left out, so no test target was ever a training input or target.
 */
import { Rng } from '../core/rng';
import { DatasetError } from './types';
import type { Dataset, SplitDataset } from './types';

export interface SplitOptions {
  /** Share of the samples held out for testing, in [0, 1). */
  testFraction: number;
  seed: number;
  /** Standardize the features; default: `dataset.info.standardize` (set for tables). */
  standardize?: boolean;
}

/** Per-feature statistics; `std` is 1 where a feature is constant on the training split. */
export interface Standardization {
  mean: Float32Array;
  std: Float32Array;
}

export function splitDataset(dataset: Dataset, options: SplitOptions): SplitDataset {
  const { info } = dataset;
  const { testFraction } = options;
  if (!(testFraction >= 0 && testFraction < 1)) {
    throw new DatasetError(`testFraction must be at least 0 and below 1 (got ${testFraction})`);
  }
  const n = info.count;
  // At least one sample on each side whenever a test set is asked for and there are two samples.
  let testCount = Math.round(n * testFraction);
  if (testFraction > 0 && n >= 2) testCount = Math.min(Math.max(testCount, 1), n - 1);

  const { trainIdx, testIdx } = info.windows
    ? contiguousIndices(n, testCount, info.windows, info.name)
    : shuffledIndices(dataset, testCount, options.seed);

  const sampleSize = product(info.inputShape);
  const targetSize = product(info.targetShape);
  const train = gather(dataset, trainIdx, sampleSize, targetSize);
  const test = gather(dataset, testIdx, sampleSize, targetSize);

  const split: SplitDataset = { info, train, test };
  if (options.standardize ?? info.standardize ?? false) {
    const stats = fitStandardization(train.x, sampleSize);
    standardizeRows(train.x, stats, train.x);
    standardizeRows(test.x, stats, test.x);
    split.standardization = stats;
  }
  return split;
}

/** A seeded shuffle; classification (class ids, targetShape []) is stratified. */
function shuffledIndices(dataset: Dataset, testCount: number, seed: number): { trainIdx: number[]; testIdx: number[] } {
  const { info } = dataset;
  const n = info.count;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  new Rng(seed).shuffle(order);
  const isTest = new Uint8Array(n);
  const classes = info.targetShape.length === 0 && info.numClasses ? info.numClasses : 0;
  if (classes > 0) markStratified(order, dataset.y, classes, testCount, isTest);
  else for (let i = 0; i < testCount; i++) isTest[order[i]!] = 1;
  const trainIdx: number[] = [];
  const testIdx: number[] = [];
  for (const i of order) (isTest[i] ? testIdx : trainIdx).push(i);
  return { trainIdx, testIdx };
}

/**
 * Windows in text order: the last `testCount` are the test set. Window i covers positions
 * [i·stride, i·stride + span), so windows fewer than span/stride apart overlap; the
 * ⌈span/stride⌉ − 1 windows before the test region are dropped. (The trainer shuffles the
 * training windows each epoch, so their order here does not matter.)
 */
function contiguousIndices(n: number, testCount: number, windows: { stride: number; span: number }, name: string): { trainIdx: number[]; testIdx: number[] } {
  const gap = testCount > 0 ? Math.ceil(windows.span / windows.stride) - 1 : 0;
  const trainCount = n - testCount - gap;
  if (trainCount < 1) {
    throw new DatasetError(`${name}: ${n} windows leave none for training after ${testCount} test windows and ${gap} between them; lower the test split or use shorter windows.`);
  }
  const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, k) => from + k);
  return { trainIdx: range(0, trainCount), testIdx: range(n - testCount, n) };
}

/**
 * Marks `testCount` samples as test, each class contributing its share (largest remainders
 * round up), taking each class's samples in the shuffled order.
 */
function markStratified(order: Int32Array, y: Float32Array, classes: number, testCount: number, isTest: Uint8Array): void {
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (const i of order) {
    const members = byClass[y[i]!];
    if (!members) throw new DatasetError(`sample ${i + 1} has class ${y[i]}, outside 0..${classes - 1}`, { row: i + 1 });
    members.push(i);
  }
  const n = order.length;
  const exact = byClass.map((members) => (members.length * testCount) / n);
  const quota = exact.map(Math.floor);
  let left = testCount - quota.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, c) => ({ c, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.c - b.c);
  for (const { c } of byRemainder) {
    if (left === 0) break;
    if (quota[c]! < byClass[c]!.length) {
      quota[c]! += 1;
      left--;
    }
  }
  byClass.forEach((members, c) => {
    for (let k = 0; k < quota[c]!; k++) isTest[members[k]!] = 1;
  });
}

function gather(dataset: Dataset, indices: number[], sampleSize: number, targetSize: number) {
  const x = new Float32Array(indices.length * sampleSize);
  const y = new Float32Array(indices.length * targetSize);
  indices.forEach((src, dst) => {
    x.set(dataset.x.subarray(src * sampleSize, (src + 1) * sampleSize), dst * sampleSize);
    y.set(dataset.y.subarray(src * targetSize, (src + 1) * targetSize), dst * targetSize);
  });
  return { x, y, count: indices.length };
}

/** Mean and population std of each of `features` columns of the row-major `x`. */
export function fitStandardization(x: Float32Array, features: number): Standardization {
  const rows = x.length / features;
  const mean = new Float32Array(features);
  const std = new Float32Array(features).fill(1);
  for (let f = 0; f < features; f++) {
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let r = 0; r < rows; r++) {
      const v = x[r * features + f]!;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (rows === 0) continue;
    const m = sum / rows;
    mean[f] = m;
    // A constant feature keeps std 1: dividing by a rounding-error std would blow it up.
    if (min === max) continue;
    let squares = 0;
    for (let r = 0; r < rows; r++) squares += (x[r * features + f]! - m) ** 2;
    std[f] = Math.sqrt(squares / rows);
  }
  return { mean, std };
}

/**
 * Standardizes one row or many (any length that is a multiple of the feature count) with stored
 * statistics, e.g. a point the user asks the trained model about. Writes to `out` (may be `x`).
 */
export function standardizeRows(
  x: ArrayLike<number>,
  stats: Standardization,
  out: Float32Array = new Float32Array(x.length),
): Float32Array {
  const features = stats.mean.length;
  if (x.length % features !== 0) {
    throw new DatasetError(`standardizeRows: ${x.length} values are not whole rows of ${features} features`);
  }
  for (let i = 0; i < x.length; i++) {
    const f = i % features;
    out[i] = (x[i]! - stats.mean[f]!) / stats.std[f]!;
  }
  return out;
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
