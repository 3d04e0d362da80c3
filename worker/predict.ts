/**
 * Predictions for the page: the decision boundary over a 2D input space (or the fitted curve over
 * a 1D one), and predictions on a few test images. They run the training plan in eval mode in
 * batches of its largest size, and leave it in training mode.
 */
import type { SplitDataset } from '../engine/data/types';
import type { Plan, PlanNode } from '../engine/compiler/plan';
import { getLayer } from '../engine/layers/registry';
import { UNIT_MAP_LIMIT, type PredictionGrid, type SampleImages, type UnitMaps, type UnitWeights } from './protocol';

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
export function predictRows(plan: Plan, x: Float32Array, count: number, out: Float32Array, afterBatch?: (start: number, batch: number) => void): number {
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
    afterBatch?.(start, batch);
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

/**
 * The nodes whose units the canvas can map (their layer's `unitMaps`; a flat output per sample),
 * each with where its incoming weights are: its own kernel and bias, or those of the Dense an
 * activation follows directly.
 */
export function unitMapNodes(plan: Plan): { node: PlanNode; units: number; weightsOf?: PlanNode }[] {
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const ownWeights = (n: PlanNode | undefined): PlanNode | undefined => (n && getLayer(n.type)?.unitMaps === 'weights' && n.params.length > 0 && n.params[0]!.rank === 2 ? n : undefined);
  const out: { node: PlanNode; units: number; weightsOf?: PlanNode }[] = [];
  for (const node of plan.nodes) {
    const kind = getLayer(node.type)?.unitMaps;
    const v = node.output;
    if (!kind || !v || !v.batched || v.rank !== 2) continue;
    const source = kind === 'follows' ? plan.edges.find((e) => e.target === node.id)?.source : node.id;
    const weightsOf = ownWeights(source === undefined ? undefined : byId.get(source));
    const units = v.innerSize;
    out.push({ node, units, ...(weightsOf && weightsOf.params[0]!.shape[1] === units ? { weightsOf } : {}) });
  }
  return out;
}

function unitWeights(dense: PlanNode, shown: number): UnitWeights {
  const [kernel, bias] = dense.params as [PlanNode['params'][number], PlanNode['params'][number] | undefined];
  const [inputs, units] = kernel.shape as [number, number];
  const weights = new Float32Array(shown * inputs);
  for (let u = 0; u < shown; u++) for (let i = 0; i < inputs; i++) weights[u * inputs + i] = kernel.value[i * units + u]!;
  return { nodeId: dense.id, inputs, weights, bias: bias && bias.rank === 1 ? bias.value.slice(0, shown) : null };
}

export function predictGrid(plan: Plan, extent: PredictionGrid['extent'], resolution: number, withUnits = false): PredictionGrid {
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
  if (!withUnits || dims !== 2) {
    predictRows(plan, x, cells, values);
    return { resolution, extent, channels, values };
  }
  const maps = unitMapNodes(plan).map(({ node, units, weightsOf }): UnitMaps => {
    const shown = Math.min(units, UNIT_MAP_LIMIT);
    return { nodeId: node.id, units, shown, values: new Float32Array(shown * cells), ...(weightsOf ? { incoming: unitWeights(weightsOf, shown) } : {}) };
  });
  const outputs = maps.map((m) => plan.nodes.find((n) => n.id === m.nodeId)!.output!.value);
  predictRows(plan, x, cells, values, (start, batch) => {
    maps.forEach((m, k) => {
      const v = outputs[k]!;
      for (let r = 0; r < batch; r++) for (let u = 0; u < m.shown; u++) m.values[u * cells + start + r] = v[r * m.units + u]!;
    });
  });
  return { resolution, extent, channels, values, units: maps };
}

/** Whether the run's data are images classified into classes (the sample grid and confusion matrix apply). */
export function isImageClassification(split: SplitDataset): boolean {
  const { inputShape, numClasses } = split.info;
  return inputShape.length === 3 && (numClasses ?? 0) >= 2;
}

/**
 * The first `n` test images as 8-bit grayscale (the first channel, values clamped to [0, 1]) with
 * their true labels, sent to the page once per load; predictions on them follow in snapshots.
 */
export function sampleImages(split: SplitDataset, n: number): SampleImages {
  const count = Math.min(n, split.test.count);
  const [rows, cols, channels] = split.info.inputShape as [number, number, number];
  const inner = rows * cols * channels;
  const pixels = new Uint8Array(count * rows * cols);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = split.test.y[i]!;
    for (let k = 0; k < rows * cols; k++) {
      const v = split.test.x[i * inner + k * channels]!;
      pixels[i * rows * cols + k] = Math.round(Math.min(1, Math.max(0, v)) * 255);
    }
  }
  return { rows, cols, count, pixels, labels, classNames: split.info.classNames ?? Array.from({ length: split.info.numClasses ?? 0 }, (_, c) => String(c)) };
}

/** Predicted class and its probability for the first `count` rows of `x` (a classification plan). */
export function predictClasses(plan: Plan, x: Float32Array, count: number): { predicted: Int32Array; confidence: Float32Array } {
  const channels = plan.prediction.innerSize;
  const probabilities = new Float32Array(count * channels);
  predictRows(plan, x, count, probabilities);
  const predicted = new Int32Array(count);
  const confidence = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const o = i * channels;
    if (channels === 1) {
      // One sigmoid unit: the probability of class 1.
      const p = probabilities[o]!;
      predicted[i] = p >= 0.5 ? 1 : 0;
      confidence[i] = p >= 0.5 ? p : 1 - p;
      continue;
    }
    let best = 0;
    for (let c = 1; c < channels; c++) if (probabilities[o + c]! > probabilities[o + best]!) best = c;
    predicted[i] = best;
    confidence[i] = probabilities[o + best]!;
  }
  return { predicted, confidence };
}

/** Counts over the whole test split: `counts[true * classes + predicted]`. */
export function confusionMatrix(plan: Plan, split: SplitDataset): { classes: number; counts: Int32Array } {
  const classes = split.info.numClasses ?? 2;
  const { predicted } = predictClasses(plan, split.test.x, split.test.count);
  const counts = new Int32Array(classes * classes);
  for (let i = 0; i < split.test.count; i++) counts[split.test.y[i]! * classes + predicted[i]!]!++;
  return { classes, counts };
}
