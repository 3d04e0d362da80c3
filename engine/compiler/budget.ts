/**
 * The size budget: how large a model Gradflow trains, and what a model costs against it. The
 * compiler refuses a graph over either limit (on every edit in the app, and in `npm run train`),
 * so a model that would take a tab's memory, or a minute per step, is never built.
 *
 * The cost is estimated from shapes alone, before anything is allocated: every parameter four
 * times (its value, its gradient, and an optimizer's two moments — Adam's, the most any optimizer
 * keeps, since the optimizer can change during a run), and per sample of the training batch what
 * each layer keeps on the tape (`LayerDef.bufferFloats`), each edge's own gradient, and the input;
 * and the matrix kernel's packing buffers, as large as the largest layer's weights. Measured
 * against what building the plan and an Adam optimizer allocates, it is within a few percent for
 * most layers; convolutions' packed patches make it low by up to a quarter (budget.test.ts).
 */
import { sizeOf, type Shape } from '../core/shape';
import { formatBytes } from '../data/csv';
import type { DatasetInfo } from '../data/types';
import type { CompiledGraph, CompiledNode, CompileIssue } from './types';

export const MODEL_BUDGET = {
  /**
   * Trainable parameters. The largest example (MNIST MLP) has 235k; 20M take 320 MB with their
   * gradients and Adam's moments, and a step of 32 samples costs about 4 GFLOP: seconds per step
   * on a two-core laptop, the most a learner will wait for.
   */
  params: 20_000_000,
  /**
   * Bytes of training buffers at the training batch size. The largest example (the character
   * LSTM) needs about 25 MB; a browser tab on a laptop allocates a few GB before it fails.
   */
  bufferBytes: 1.5 * 1024 ** 3,
} as const;

/** The batch size of a model file that does not say (the model format's default). */
export const DEFAULT_BATCH_SIZE = 32;

/** Float32 numbers an optimizer step keeps per parameter: the value, its gradient and two moments. */
const FLOATS_PER_PARAM = 4;
const BYTES_PER_FLOAT = 4;

export interface ModelSize {
  params: number;
  /** Estimated bytes of the buffers a training run holds at `batchSize`. */
  bytes: number;
  batchSize: number;
  /** Per node id: the bytes it accounts for (its parameters, its buffers and its inputs' edge gradients). */
  nodeBytes: ReadonlyMap<string, number>;
}

/** Counts for people: 950 → "950", 52,138 → "52.1K", 102,764,544 → "102.8M", 1.6e9 → "1.6B". */
export function compactCount(n: number): string {
  const oneDecimal = (v: number, unit: string): string => `${v.toFixed(1).replace(/\.0$/, '')}${unit}`;
  if (n >= 1e9) return oneDecimal(n / 1e9, 'B');
  if (n >= 1e6) return oneDecimal(n / 1e6, 'M');
  if (n >= 1e4) return oneDecimal(n / 1e3, 'K');
  return String(n);
}

/** A count over `limit` in words that never read as the limit itself ("20,000,001", not "20M"). */
function countOver(n: number, limit: number): string {
  return compactCount(n) === compactCount(limit) ? n.toLocaleString('en-US') : compactCount(n);
}

/**
 * Whether an edge's tensor shares its source's gradient buffer (engine/ops/unary.ts `edgeOf`): when
 * it is the only edge leaving a node other than the Input, dL/d(source) through it is all of
 * dL/d(source), so one buffer holds both. A fan-out's edges keep gradients of their own, which
 * sum to the source's; the Input's output is the data tensor every layer could read.
 */
export function edgeSharesGradient(graph: Pick<CompiledGraph, 'nodes' | 'edges'>, edgeId: string): boolean {
  const edge = graph.edges.get(edgeId);
  const source = edge ? graph.nodes.get(edge.source) : undefined;
  return !!source && source.layer?.role !== 'input' && source.outputs.length === 1;
}

/** What training the compiled graph costs at `batchSize`; nodes whose shapes are unknown count nothing. */
export function estimateSize(graph: Pick<CompiledGraph, 'nodes' | 'edges'>, dataset: DatasetInfo, batchSize: number): ModelSize {
  const nodeBytes = new Map<string, number>();
  let params = 0;
  let bytes = 0;
  for (const node of graph.nodes.values()) {
    params += node.paramCount;
    const floats = FLOATS_PER_PARAM * node.paramCount + batchSize * perSampleFloats(node, graph, dataset);
    nodeBytes.set(node.id, floats * BYTES_PER_FLOAT);
    bytes += floats * BYTES_PER_FLOAT;
  }
  // The targets, and the matrix kernel's packing buffers (shared by every product; the largest
  // copies a layer's weights once more).
  const largestWeights = Math.max(0, ...[...graph.nodes.values()].map((n) => n.paramCount));
  bytes += (batchSize * sizeOf(dataset.targetShape) + largestWeights) * BYTES_PER_FLOAT;
  return { params, bytes, batchSize, nodeBytes };
}

function perSampleFloats(node: CompiledNode, graph: Pick<CompiledGraph, 'nodes' | 'edges'>, dataset: DatasetInfo): number {
  // Only what reaches the Output is built; an Input keeps the features and their gradient.
  if (!node.layer || !node.shape || !node.reachesOutput) return 0;
  if (node.layer.role === 'input') return 2 * sizeOf(dataset.inputShape);
  const inputs = node.inputs.map((e) => graph.edges.get(e)!.shape);
  if (inputs.some((s) => s === undefined)) return 0;
  const shapes = inputs as Shape[];
  // An edge into the node has a gradient of its own (its values are its source's), unless it shares its source's.
  const edgeGradients = shapes.reduce((sum, s, i) => sum + (edgeSharesGradient(graph, node.inputs[i]!) ? 0 : sizeOf(s)), 0);
  const own = node.layer.bufferFloats?.(shapes, node.shape, node.params as never, { dataset }) ?? 2 * sizeOf(node.shape);
  return own + edgeGradients;
}

/**
 * The problem with a model over the budget, on the node that dominates it, or none. Parameters
 * come first: a model over that limit is usually over the memory one for the same reason.
 */
export function budgetIssue(graph: Pick<CompiledGraph, 'nodes'>, size: ModelSize): CompileIssue | undefined {
  const nodes = [...graph.nodes.values()].filter((n) => n.layer);
  if (size.params > MODEL_BUDGET.params) {
    const top = nodes.reduce((a, b) => (b.paramCount > a.paramCount ? b : a));
    return {
      severity: 'error',
      nodeId: top.id,
      message: `The model has ${countOver(size.params, MODEL_BUDGET.params)} parameters; Gradflow trains at most ${compactCount(MODEL_BUDGET.params)} in the browser. ${describe(top)} holds ${compactCount(top.paramCount)} of them.`,
      fix: top.layer!.shrink ?? 'Make it smaller.',
    };
  }
  if (size.bytes > MODEL_BUDGET.bufferBytes) {
    const bytesOf = (n: CompiledNode): number => size.nodeBytes.get(n.id) ?? 0;
    const top = nodes.reduce((a, b) => (bytesOf(b) > bytesOf(a) ? b : a));
    // Advise a smaller batch when the batch, not the weights, makes most of the layer's share.
    const perBatch = bytesOf(top) - FLOATS_PER_PARAM * BYTES_PER_FLOAT * top.paramCount > bytesOf(top) / 2;
    const shrink = top.layer!.shrink ?? 'Make it smaller.';
    return {
      severity: 'error',
      nodeId: top.id,
      message: `Training this model needs about ${formatBytes(size.bytes)} of memory at batch size ${size.batchSize}; Gradflow trains models of at most ${formatBytes(MODEL_BUDGET.bufferBytes)} in the browser. ${describe(top)} takes ${formatBytes(bytesOf(top))} of it.`,
      fix: perBatch ? `${shrink} Or train with a smaller batch size.` : shrink,
    };
  }
  return undefined;
}

function describe(node: CompiledNode): string {
  return `${node.name} (${node.layer!.label})`;
}

/**
 * Whether an error is the runtime refusing to allocate a buffer: V8 says "Array buffer allocation
 * failed" when memory runs out and "Invalid typed array length" past its largest array.
 */
export function isAllocationFailure(e: unknown): boolean {
  return e instanceof OutOfMemory || (e instanceof RangeError && /allocation failed|invalid typed array length|out of memory|could not allocate memory/i.test(e.message));
}

/** Building a plan failed to allocate its buffers; `bytes` is what the model was estimated to need. */
export class OutOfMemory extends RangeError {
  constructor(readonly bytes: number, cause: unknown) {
    super(`could not allocate about ${formatBytes(bytes)} for the model`, { cause });
    this.name = 'OutOfMemory';
  }
}

/**
 * An allocation failure told as the model's size, or undefined for any other error. `holder` is
 * what ran out ("this tab", "this process").
 */
export function describeOutOfMemory(e: unknown, holder: string): string | undefined {
  if (!isAllocationFailure(e)) return undefined;
  const needs = e instanceof OutOfMemory ? `The model needs about ${formatBytes(e.bytes)} of memory, more than ${holder} could allocate.` : `The model needs more memory than ${holder} could allocate.`;
  return `${needs} Make it smaller (fewer units or filters, or pooling before a Flatten), or train with a smaller batch size.`;
}
