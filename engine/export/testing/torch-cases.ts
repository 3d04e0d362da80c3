/**
 * Graphs the PyTorch export is checked on (engine/export/pytorch.test.ts): every layer type appears
 * in at least one, and the test fails for a type that appears in none.
 */
import type { Plan } from '../../compiler/plan';
import type { GraphSpec } from '../../compiler/types';
import type { Rng } from '../../core/rng';
import type { DatasetInfo } from '../../data/types';

export interface TorchCase {
  name: string;
  graph: GraphSpec;
  dataset: DatasetInfo;
  /** Samples in the batch (default 5). */
  batch?: number;
  /** Training mode (dropout on, BatchNorm on batch statistics); default true. */
  training?: boolean;
  /** The features of sample row `i`, element `j` (default: uniform in [-1, 1)); token ids for an Embedding. */
  x?: (rng: () => number, i: number, j: number) => number;
}

/** Input → the given layers → Output, wired in a line. */
export function chain(layers: readonly (string | [string, Record<string, unknown>])[], output: Record<string, unknown> = {}): GraphSpec {
  const all: [string, Record<string, unknown>][] = [['input', {}], ...layers.map((l): [string, Record<string, unknown>] => (typeof l === 'string' ? [l, {}] : l)), ['output', output]];
  const nodes = all.map(([type, params], i) => ({ id: `n${i}`, type, params }));
  const edges = nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i]!.id, target: n.id }));
  return { nodes, edges };
}

/** A classification dataset of `classes` classes on features of `shape`. */
export function classification(shape: number[], classes = 3): DatasetInfo {
  return { id: 'test', name: 'test data', task: classes === 2 ? 'binary' : 'multiclass', inputShape: shape, targetShape: [], numClasses: classes, count: 16 };
}

/** A regression dataset on features of `shape` with `outputs` targets per sample. */
export function regression(shape: number[], outputs = 2): DatasetInfo {
  return { id: 'test', name: 'test data', task: 'regression', inputShape: shape, targetShape: [outputs], count: 16 };
}

/**
 * Every parameter uniform in [-0.5, 0.5) and BatchNorm's running statistics away from their start,
 * so that a writer that mishandles a bias (zero at initialization) or a running variance (one) shows.
 */
export function randomizeWeights(plan: Plan, rng: Rng): void {
  for (const node of plan.nodes) {
    for (const p of node.params) for (let i = 0; i < p.value.length; i++) p.value[i] = rng.range(-0.5, 0.5);
    for (const [name, values] of Object.entries(node.buffers)) for (let i = 0; i < values.length; i++) values[i] = name.includes('var') ? rng.range(0.5, 2) : rng.range(-0.5, 0.5);
  }
}
