import type { Shape } from '../core/shape';
import type { LayerDef, LossKind, Params } from '../layers/types';
import type { ModelSize } from './budget';

/** The part of a model definition the compiler reads (the model file adds training settings and layout). */
export interface GraphSpec {
  nodes: readonly { id: string; type: string; params?: Readonly<Record<string, unknown>>; label?: string }[];
  edges: readonly { id: string; source: string; target: string; targetSlot?: number }[];
  /** The batch size training will use, for the memory budget (default DEFAULT_BATCH_SIZE). */
  training?: { readonly batchSize?: number };
}

/** A problem found while compiling, attached to the node or edge it is about. */
export interface CompileIssue {
  severity: 'error' | 'warning';
  nodeId?: string;
  edgeId?: string;
  /** The parameter it is about, when it is about one. */
  param?: string;
  message: string;
  /** The fix, when there is an obvious one. */
  fix?: string;
}

export interface CompiledNode {
  id: string;
  type: string;
  /** Display name: the node's label, else type and a counter ("dense_2"). */
  name: string;
  layer: LayerDef | undefined;
  params: Params;
  /** Output shape per sample, when it could be inferred. */
  shape: Shape | undefined;
  paramCount: number;
  caption: string;
  /** Incoming edge ids ordered by input slot. */
  inputs: string[];
  /** Outgoing edge ids. */
  outputs: string[];
  /** Whether the node feeds the output (directly or not); nodes that do not are never trained. */
  reachesOutput: boolean;
}

export interface CompiledEdge {
  id: string;
  source: string;
  target: string;
  targetSlot: number;
  /** The shape of the tensor the edge carries, per sample. */
  shape: Shape | undefined;
}

export interface SummaryRow {
  nodeId: string;
  name: string;
  label: string;
  shape: Shape | undefined;
  params: number;
  /** Estimated bytes of training buffers the layer accounts for, at the training batch size. */
  bytes: number;
}

export interface CompiledGraph {
  ok: boolean;
  issues: CompileIssue[];
  /** Topological order of the nodes that are not on a cycle. */
  order: string[];
  nodes: Map<string, CompiledNode>;
  edges: Map<string, CompiledEdge>;
  inputId: string | undefined;
  outputId: string | undefined;
  lossKind: LossKind | undefined;
  summary: { rows: SummaryRow[]; totalParams: number };
  /** What training it costs, measured against MODEL_BUDGET (a model over it has an error). */
  size: ModelSize;
}
