/**
 * The worker protocol (DESIGN.md, "Worker protocol"): what the session streams to the page.
 * Numeric arrays are packed in a fixed order — edges in `LoadInfo.edgeIds` order, nodes in
 * `LoadInfo.nodeIds` order — and transferred, not cloned.
 */
import type { CompileIssue, SummaryRow } from '../engine/compiler/types';
import type { DatasetInfo } from '../engine/data/types';
import type { Metrics } from '../engine/train/metrics';
import type { Histogram } from '../engine/train/histogram';
import type { Divergence } from '../engine/train/trainer';
import type { LossKind } from '../engine/layers/types';
import type { TrainingSettings } from '../engine/train/settings';
import type { KernelPath } from '../engine/core/arena';

/** Snapshots are throttled to at most this many per second. */
export const MAX_SNAPSHOTS_PER_SECOND = 20;

/**
 * While training, building and posting snapshots may take at most this share of the worker's time:
 * where a snapshot costs more than SNAPSHOT_BUDGET / MAX_SNAPSHOTS_PER_SECOND of a second (a large
 * model's edges, a fine decision-boundary grid), they come less often, down to MIN_SNAPSHOTS_PER_SECOND.
 * Every step's loss still reaches the page (each snapshot carries the losses since the last).
 */
export const SNAPSHOT_BUDGET = 0.03;

/** The fewest snapshots per second while training, whatever they cost. */
export const MIN_SNAPSHOTS_PER_SECOND = 4;

/** The training loop runs in slices of about this many milliseconds, then yields. */
export const SLICE_MS = 15;

/** Decision-boundary grids are recomputed at most this many times per second. */
export const GRID_PER_SECOND = 4;

/** Default resolution of the decision-boundary grid (per side). */
export const GRID_RESOLUTION = 64;

/** 'done': the run reached its epoch count (Train goes on for as many more). */
export type SessionState = 'empty' | 'ready' | 'training' | 'paused' | 'done' | 'diverged';

/** What a successful load tells the page: the fixed orders of the packed arrays, and the summary. */
export interface LoadInfo {
  ok: true;
  dataset: DatasetInfo;
  trainCount: number;
  testCount: number;
  edgeIds: string[];
  /** Per edge (edgeIds order): its time steps when it carries a sequence, else 0 (see Snapshot.edgeTimeRms). */
  edgeTimeSteps: number[];
  nodeIds: string[];
  lossKind: LossKind;
  summary: { rows: SummaryRow[]; totalParams: number };
  warnings: CompileIssue[];
  /**
   * A loss the model should get under, for the loss chart: for text, the unigram baseline (the
   * cross-entropy of always predicting each character's frequency in the training text).
   */
  baseline?: { loss: number; label: string };
  /** Image classification: the test images the sample grid shows (snapshots carry the predictions on them). */
  samples?: SampleImages;
  /** The engine path the loaded plan runs on. */
  engine: EngineInfo;
}

/** How the engine runs a plan (issue 14): which kernels, on how many threads. */
export interface EngineInfo {
  /** 'wasm': the WebAssembly SIMD kernels, on one memory arena; 'js': the TypeScript kernels (same results, slower). */
  kernels: KernelPath;
  /** Threads the matrix products are split across: the engine's own plus helper workers (engine/kernels/threads.ts). */
  threads: number;
  /** With one thread: why no more, as a phrase ('the page is not cross-origin isolated, so threads cannot share memory'). */
  oneThreadReason?: string;
  /** With 'js': why the WebAssembly kernels do not run, as a phrase ('WebAssembly SIMD is not available in this browser'). */
  fallbackReason?: string;
}

/** How many test images the sample grid shows. */
export const SAMPLE_GRID_SIZE = 24;

/** The first test images of an image dataset, 8-bit grayscale, row-major, `count` × rows × cols. */
export interface SampleImages {
  rows: number;
  cols: number;
  count: number;
  pixels: Uint8Array;
  labels: Int32Array;
  classNames: string[];
}

export interface LoadFailure {
  ok: false;
  /** Problems in the model file (path + message), in the graph (node/edge ids) or the dataset. */
  errors: { message: string; path?: string; nodeId?: string; edgeId?: string }[];
}

export type LoadResult = LoadInfo | LoadFailure;

/** What a load is doing, for the page's progress line: a large dataset or model takes seconds. */
export interface LoadProgress {
  phase: 'dataset' | 'model' | 'evaluate';
  message: string;
  /** 0..1 where the phase can tell. */
  fraction?: number;
}

export type ProgressCallback = (progress: LoadProgress) => void;

/** Train and test metrics of the weights after `step`. */
export interface EvaluationPoint {
  step: number;
  /** Epochs completed when evaluated. */
  epoch: number;
  train: Metrics;
  test: Metrics;
}

/** Live settings that took effect before step `step + 1` (the loss chart marks learning-rate changes). */
export interface SettingChange {
  step: number;
  settings: Partial<TrainingSettings>;
}

/** A decision-boundary grid over the data's 2D range: `values` holds `channels` numbers per cell, row-major from (xMin, yMin). */
export interface PredictionGrid {
  resolution: number;
  extent: { xMin: number; xMax: number; yMin: number; yMax: number };
  /** Class probabilities per cell (channels = classes), or the predicted value (channels = 1). */
  channels: number;
  values: Float32Array;
  /** With unit maps on (2D inputs): what the first units of each Dense and activation output over the same grid. */
  units?: UnitMaps[];
}

/** A tensor's distribution over training: quantiles (engine/train/histogram.ts QUANTILE_LEVELS) at some steps. */
export interface DistributionSeries {
  /** Quantiles per column (QUANTILE_LEVELS.length). */
  levels: number;
  /** The step of each column, ascending. */
  steps: Int32Array;
  /** columns × levels: column c's quantiles, smallest first, at c * levels. */
  quantiles: Float32Array;
}

/** Units per node that a unit map shows; the rest are counted ("+N more"). */
export const UNIT_MAP_LIMIT = 16;

/** One node's unit maps: the outputs of its first `shown` units at every cell of the grid, in eval mode. */
export interface UnitMaps {
  nodeId: string;
  /** The node's units (its output's size). */
  units: number;
  /** min(units, UNIT_MAP_LIMIT). */
  shown: number;
  /** shown × cells, unit after unit, each row-major like the grid's values. */
  values: Float32Array;
  /** The incoming weights of the shown units: the node's own (a Dense) or those of the Dense it follows (an activation). */
  incoming?: UnitWeights;
}

export interface UnitWeights {
  /** The Dense the weights belong to. */
  nodeId: string;
  /** Its inputs (the kernel's rows). */
  inputs: number;
  /** shown × inputs: unit u's weight from input i at u * inputs + i. */
  weights: Float32Array;
  /** One per shown unit; null without a bias. */
  bias: Float32Array | null;
}

export interface Snapshot {
  /** The load this snapshot belongs to (the page passes it to load): a snapshot of an older run is ignored. */
  runId: number;
  state: SessionState;
  step: number;
  epoch: number;
  samplesSeen: number;
  samplesPerSecond: number;
  /** Loss of the last training batch. */
  trainLoss: number;
  /** The batch loss of every step since the previous snapshot: steps firstStep, firstStep + 1, … (absent when no step ran). */
  lossTrace?: { firstStep: number; losses: Float32Array };
  /** Training loss averaged over the batches of the epoch in progress, as Keras reports it (NaN before any step). */
  runningLoss: number;
  /** Training stops when this many epochs are complete; null while it trains until paused. */
  epochTarget: number | null;
  /** Optimizer steps per epoch at the current batch size. */
  stepsPerEpoch: number;
  /** The latest train and test metrics, once an evaluation has run (at least once per epoch). */
  evaluation?: EvaluationPoint;
  /** Every evaluation since the previous snapshot, oldest first (the test curve gets each point). */
  evaluations?: EvaluationPoint[];
  /** Live settings changed since the previous snapshot, with the step they took effect after. */
  settingChanges?: SettingChange[];
  /** EDGE_STATS floats per edge, laid out as EDGE_STAT names them (gradient RMS, mean |g|, activation mean and std, zero fraction, dead-unit fraction). */
  edgeStats: Float32Array;
  /** NODE_STATS floats per node: weight norm, gradient norm, update-to-weight ratio. */
  nodeStats: Float32Array;
  /**
   * Gradients through time: for each sequence edge in edgeIds order (LoadInfo.edgeTimeSteps > 0),
   * its gradient RMS at each time step, packed one edge after another. Absent when no edge carries a sequence.
   */
  edgeTimeRms?: Float32Array;
  /** For 2D datasets, at a lower rate. */
  grid?: PredictionGrid;
  /**
   * Distributions over time of the edge's gradient and the node's weights the page inspects (the
   * whole run so far, thinned; see worker/distributions.ts): sent when a capture or a watch changed them.
   */
  distributions?: { edgeId?: string; gradient?: DistributionSeries; nodeId?: string; weights?: DistributionSeries };
  /** Histograms of the edge and node the page inspects (see TrainingSession.watch). */
  watched?: { edgeId?: string; gradient?: Histogram; activation?: Histogram; nodeId?: string; weights?: Histogram };
  divergence?: Divergence;
  /** Image classification, at the grid's rate: the predicted class of each of LoadInfo.samples and its probability. */
  samples?: { predicted: Int32Array; confidence: Float32Array };
  /** Image classification, with each evaluation: the test split's confusion matrix, counts[true × classes + predicted]. */
  confusion?: { step: number; classes: number; counts: Int32Array };
}

/** The transferable buffers of a prediction grid, its unit maps' included. */
export function gridBuffers(grid: PredictionGrid): ArrayBuffer[] {
  const buffers = [grid.values.buffer];
  for (const u of grid.units ?? []) {
    buffers.push(u.values.buffer);
    if (u.incoming) buffers.push(u.incoming.weights.buffer, ...(u.incoming.bias ? [u.incoming.bias.buffer] : []));
  }
  return buffers as ArrayBuffer[];
}

/** The transferable buffers of a snapshot (for Comlink.transfer). */
export function snapshotBuffers(s: Snapshot): ArrayBuffer[] {
  const buffers = [s.edgeStats.buffer, s.nodeStats.buffer];
  if (s.grid) buffers.push(...gridBuffers(s.grid));
  if (s.lossTrace) buffers.push(s.lossTrace.losses.buffer);
  if (s.edgeTimeRms) buffers.push(s.edgeTimeRms.buffer);
  if (s.samples) buffers.push(s.samples.predicted.buffer, s.samples.confidence.buffer);
  if (s.confusion) buffers.push(s.confusion.counts.buffer);
  for (const d of [s.distributions?.gradient, s.distributions?.weights]) if (d) buffers.push(d.steps.buffer, d.quantiles.buffer);
  return buffers as ArrayBuffer[];
}
