/**
 * Predictions for the page: the decision boundary over a 2D input space (or the fitted curve over
 * a 1D one), and predictions on a few test images. They run the training plan in eval mode in
 * batches of its largest size, and leave it in training mode.
 */
import type { Plan } from '../engine/compiler/plan';
import type { SplitDataset } from '../engine/data/types';
import type { PredictionGrid } from './protocol';

/** The data's range with a 10% margin, for 1D and 2D inputs; null for others. */
export function gridExtent(split: SplitDataset): PredictionGrid['extent'] | null {
  const shape = split.info.inputShape;
  if (shape.length !== 1 || (shape[0] !== 1 && shape[0] !== 2)) return null;
  const dims = shape[0]!;
  const lo = [Infinity, Infinity];
  const hi = [-Infinity, -Infinity];
  for (const part of [split.train, split.test]) {
    for (let i = 0; i < part.count; i++) {
      for (let d = 0; d < dims; d++) {
        const v = part.x[i * dims + d]!;
        if (v < lo[d]!) lo[d] = v;
        if (v > hi[d]!) hi[d] = v;
      }
    }
  }
  const pad = (d: number): number => Math.max(1e-3, (hi[d]! - lo[d]!) * 0.1);
  return {
    xMin: lo[0]! - pad(0),
    xMax: hi[0]! + pad(0),
    yMin: dims === 2 ? lo[1]! - pad(1) : 0,
    yMax: dims === 2 ? hi[1]! + pad(1) : 0,
  };
}

/**
 * Runs the plan in eval mode on `count` rows of `x` and writes each row's prediction into `out`:
 * probabilities for classification (softmax or sigmoid applied to logits), values for regression.
 */
export function predictRows(plan: Plan, x: Float32Array, count: number, out: Float32Array): number {
  const tape = plan.tape;
  const inner = plan.input.innerSize;
  const channels = plan.prediction.innerSize;
  const kind = plan.predictionKind;
  tape.training = false;
  for (let start = 0; start < count; start += tape.maxBatch) {
    const batch = Math.min(tape.maxBatch, count - start);
    tape.setBatch(batch);
    plan.input.value.set(x.subarray(start * inner, (start + batch) * inner));
    tape.forward();
    const p = plan.prediction.value;
    for (let r = 0; r < batch; r++) {
      const o = (start + r) * channels;
      const src = r * channels;
      if (kind !== 'logits') {
        for (let c = 0; c < channels; c++) out[o + c] = p[src + c]!;
      } else if (channels === 1) {
        out[o] = 1 / (1 + Math.exp(-p[src]!));
      } else {
        let max = -Infinity;
        for (let c = 0; c < channels; c++) max = Math.max(max, p[src + c]!);
        let sum = 0;
        for (let c = 0; c < channels; c++) sum += out[o + c] = Math.exp(p[src + c]! - max);
        for (let c = 0; c < channels; c++) out[o + c]! /= sum;
      }
    }
  }
  tape.training = true;
  return channels;
}

export function predictGrid(plan: Plan, extent: PredictionGrid['extent'], resolution: number): PredictionGrid {
  const dims = plan.input.innerSize;
  const cells = dims === 2 ? resolution * resolution : resolution;
  const x = new Float32Array(cells * dims);
  const step = (lo: number, hi: number, i: number): number => lo + ((hi - lo) * (i + 0.5)) / resolution;
  for (let j = 0, k = 0; j < (dims === 2 ? resolution : 1); j++) {
    for (let i = 0; i < resolution; i++, k++) {
      x[k * dims] = step(extent.xMin, extent.xMax, i);
      if (dims === 2) x[k * dims + 1] = step(extent.yMin, extent.yMax, j);
    }
  }
  const channels = plan.prediction.innerSize;
  const values = new Float32Array(cells * channels);
  predictRows(plan, x, cells, values);
  return { resolution, extent, channels, values };
}

export interface SamplePrediction {
  /** Grayscale pixels 0-255, rows × cols. */
  pixels: Uint8Array;
  rows: number;
  cols: number;
  label: number;
  predicted: number;
  probabilities: Float32Array;
}

export function samplePredictions(plan: Plan, split: SplitDataset, n: number): SamplePrediction[] {
  const count = Math.min(n, split.test.count);
  const [rows, cols] = split.info.inputShape as [number, number, number];
  const inner = plan.input.innerSize;
  const channels = plan.prediction.innerSize;
  const probabilities = new Float32Array(count * channels);
  predictRows(plan, split.test.x, count, probabilities);
  return Array.from({ length: count }, (_, i) => {
    const p = probabilities.slice(i * channels, (i + 1) * channels);
    let best = 0;
    for (let c = 1; c < channels; c++) if (p[c]! > p[best]!) best = c;
    const pixels = new Uint8Array(rows * cols);
    for (let k = 0; k < rows * cols; k++) pixels[k] = Math.round(Math.min(1, Math.max(0, split.test.x[i * inner + k]!)) * 255);
    return { pixels, rows, cols, label: split.test.y[i]!, predicted: best, probabilities: p };
  });
}
