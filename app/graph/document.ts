/**
 * The document the canvas edits: layer nodes with their canvas positions, the edges between them,
 * and the training settings. It is immutable (every edit makes a new one), so undo keeps old
 * documents as they were and selectors can compare by identity.
 *
 * It converts to and from the engine's `gradflow.model` definition, which keeps layout apart.
 */
import { defaultParams } from '../../engine/layers/params';
import { getLayer } from '../../engine/layers/registry';
import type { ParamValue } from '../../engine/layers/types';
import { CURRENT_VERSION, MODEL_FORMAT, parseModelObject, type ModelDefinition } from '../../engine/model';
import { withinReach, type TrainingSettings } from '../../engine/model/schema';

export interface Position {
  x: number;
  y: number;
}

export interface GraphNode {
  id: string;
  type: string;
  label?: string;
  params: Readonly<Record<string, ParamValue>>;
  position: Position;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  targetSlot: number;
}

export interface GraphDocument {
  name?: string;
  description?: string;
  nodes: readonly GraphNode[];
  edges: readonly GraphEdge[];
  training: TrainingSettings;
}

/** The training settings of a new document (the schema's defaults). */
export function defaultTraining(): TrainingSettings {
  const parsed = parseModelObject({ format: MODEL_FORMAT, version: CURRENT_VERSION, nodes: [], edges: [] });
  if (!parsed.ok) throw new Error('the empty model must parse');
  return parsed.model.training;
}

export function emptyDocument(): GraphDocument {
  return { nodes: [], edges: [], training: defaultTraining() };
}

/** The parameters a new node of `type` starts with (the registry's defaults). */
export function initialParams(type: string): Record<string, ParamValue> {
  const layer = getLayer(type);
  return layer ? defaultParams(layer.params) : {};
}

/**
 * The model file for a document: nodes, edges, training, and the layout apart. The layout is made
 * with Object.fromEntries, never `layout[id] = …`: for a node whose id is `__proto__` that
 * assignment would set the object's prototype instead of adding the node's position.
 */
export function toModelDefinition(doc: GraphDocument): ModelDefinition {
  const layout = Object.fromEntries(doc.nodes.map((n) => [n.id, canvasPosition(n.position)]));
  return {
    format: MODEL_FORMAT,
    version: CURRENT_VERSION,
    ...(doc.name !== undefined ? { name: doc.name } : {}),
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    nodes: doc.nodes.map((n) => ({ id: n.id, type: n.type, ...(n.label !== undefined ? { label: n.label } : {}), params: { ...n.params } })),
    edges: doc.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, targetSlot: e.targetSlot })),
    training: { ...doc.training },
    layout,
  } as ModelDefinition;
}

/**
 * The document for a parsed model. Nodes without a saved position are placed by `place`
 * (auto-layout); by default in a left-to-right row. Positions are read by own key only: a node
 * called `constructor` or `toString` must not find Object's built-in where it has no entry.
 */
export function fromModelDefinition(model: ModelDefinition, place?: (missing: readonly string[]) => Map<string, Position>): GraphDocument {
  const layout = new Map(Object.entries(model.layout ?? {}));
  const missing = model.nodes.filter((n) => !layout.has(n.id)).map((n) => n.id);
  const placed = missing.length > 0 ? (place?.(missing) ?? rowLayout(missing)) : new Map<string, Position>();
  return {
    ...(model.name !== undefined ? { name: model.name } : {}),
    ...(model.description !== undefined ? { description: model.description } : {}),
    nodes: model.nodes.map((n) => ({
      id: n.id,
      type: n.type,
      ...(n.label !== undefined ? { label: n.label } : {}),
      params: { ...(n.params as Record<string, ParamValue>) },
      position: canvasPosition(layout.get(n.id) ?? placed.get(n.id) ?? { x: 0, y: 0 }),
    })),
    edges: model.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, targetSlot: e.targetSlot })),
    training: model.training,
  };
}

function rowLayout(ids: readonly string[]): Map<string, Position> {
  return new Map(ids.map((id, i) => [id, { x: i * 220, y: 0 }]));
}

/**
 * A position as the model file keeps it: on a 0.1 grid, within the canvas' reach (so that ×10
 * cannot overflow to Infinity, which JSON writes as null), never NaN or -0 (which JSON cannot
 * write either). Loading and saving both go through it, so a loaded document saves as it loaded.
 */
export function canvasPosition(at: Position): Position {
  return { x: onGrid(at.x), y: onGrid(at.y) };
}

function onGrid(v: number): number {
  if (Number.isNaN(v)) return 0;
  return Math.round(withinReach(v) * 10) / 10 || 0;
}

const nodeIndexCache = new WeakMap<readonly GraphNode[], ReadonlyMap<string, GraphNode>>();
const inputCountCache = new WeakMap<readonly GraphEdge[], ReadonlyMap<string, number>>();

/** The document's nodes by id, computed once per nodes array (selectors call this per node per change). */
export function nodesById(doc: GraphDocument): ReadonlyMap<string, GraphNode> {
  let map = nodeIndexCache.get(doc.nodes);
  if (!map) {
    map = new Map(doc.nodes.map((n) => [n.id, n]));
    nodeIndexCache.set(doc.nodes, map);
  }
  return map;
}

/** How many edges enter each node, computed once per edges array. */
export function inputCounts(doc: GraphDocument): ReadonlyMap<string, number> {
  let map = inputCountCache.get(doc.edges);
  if (!map) {
    const counts = new Map<string, number>();
    for (const e of doc.edges) counts.set(e.target, (counts.get(e.target) ?? 0) + 1);
    map = counts;
    inputCountCache.set(doc.edges, map);
  }
  return map;
}
