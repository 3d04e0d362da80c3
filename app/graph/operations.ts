/**
 * Edits of a graph document, as pure functions: each takes a document and returns a new one (or
 * a refusal with the reason, in words for the user). The store wraps them with undo history;
 * tests call them directly.
 */
import { checkValue } from '../../engine/layers/params';
import { getLayer } from '../../engine/layers/registry';
import type { ParamValue } from '../../engine/layers/types';
import type { TrainingSettings } from '../../engine/model/schema';
import { initialParams, inputCounts, nodesById, type GraphDocument, type GraphEdge, type GraphNode, type Position } from './document';

export type Refusal = { ok: false; reason: string };
export type Edit<T = object> = ({ ok: true; doc: GraphDocument } & T) | Refusal;

export interface Connection {
  source: string;
  target: string;
  /** The input slot of the target; for merge layers an occupied slot means "the next free one". */
  targetSlot: number;
}

/** The smallest `<prefix><k>` id not used by any node or edge. */
export function freshId(doc: GraphDocument, prefix: 'n' | 'e', taken: ReadonlySet<string> = new Set()): string {
  const used = new Set<string>([...doc.nodes.map((n) => n.id), ...doc.edges.map((e) => e.id), ...taken]);
  let k = 1;
  for (const id of used) {
    const m = id.startsWith(prefix) ? /^\d+$/.exec(id.slice(1)) : null;
    if (m) k = Math.max(k, Number(id.slice(1)) + 1);
  }
  while (used.has(`${prefix}${k}`)) k++;
  return `${prefix}${k}`;
}

export function addNode(doc: GraphDocument, type: string, position: Position): Edit<{ id: string }> {
  const layer = getLayer(type);
  if (!layer) return { ok: false, reason: `There is no layer type '${type}'.` };
  const id = freshId(doc, 'n');
  const node: GraphNode = { id, type, params: initialParams(type), position: { x: Math.round(position.x), y: Math.round(position.y) } };
  return { ok: true, doc: { ...doc, nodes: [...doc.nodes, node] }, id };
}

/** How many input handles a node shows: every slot of a fixed layer; a merge shows its connected slots and one free one. */
export function visibleSlots(doc: GraphDocument, nodeId: string): number {
  const node = nodesById(doc).get(nodeId);
  const layer = node && getLayer(node.type);
  if (!layer) return 1;
  const { min, max } = layer.inputs;
  if (max <= 1) return max;
  const used = inputCounts(doc).get(nodeId) ?? 0;
  return Math.min(max, Math.max(min, used + 1));
}

/** Why the connection cannot be made, or null. Used by React Flow's isValidConnection and by connect(). */
export function connectionProblem(doc: GraphDocument, c: Connection): string | null {
  const source = doc.nodes.find((n) => n.id === c.source);
  const target = doc.nodes.find((n) => n.id === c.target);
  if (!source || !target) return 'Both ends of a connection must be layers on the canvas.';
  if (c.source === c.target) return 'A layer cannot feed itself.';
  const sourceLayer = getLayer(source.type);
  const targetLayer = getLayer(target.type);
  if (sourceLayer?.role === 'output') return 'Output is the end of the network; nothing can follow it.';
  if (targetLayer && targetLayer.inputs.max === 0) return `${targetLayer.label} takes no inputs: it reads the dataset.`;
  if (doc.edges.some((e) => e.source === c.source && e.target === c.target)) {
    if (!targetLayer || targetLayer.inputs.max <= 1) return 'These two layers are already connected.';
  }
  if (reaches(doc, c.target, c.source)) return 'That connection would make a cycle: the network must flow one way, from Input to Output.';
  if (targetLayer) {
    const { max } = targetLayer.inputs;
    const used = doc.edges.filter((e) => e.target === c.target);
    if (max <= 1 && used.length > 0) {
      return `${targetLayer.label} takes one input and it is already connected. Delete that edge first, or use Add or Concat to merge.`;
    }
    if (used.length >= max) return `${targetLayer.label} takes at most ${max} inputs.`;
  }
  return null;
}

/** Whether `to` can be reached from `from` along edges. */
function reaches(doc: GraphDocument, from: string, to: string): boolean {
  const next = new Map<string, string[]>();
  for (const e of doc.edges) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  return false;
}

export function connect(doc: GraphDocument, c: Connection): Edit<{ id: string }> {
  const reason = connectionProblem(doc, c);
  if (reason) return { ok: false, reason };
  const layer = getLayer(doc.nodes.find((n) => n.id === c.target)!.type);
  let slot = c.targetSlot;
  const taken = new Set(doc.edges.filter((e) => e.target === c.target).map((e) => e.targetSlot));
  if (layer && layer.inputs.max > 1 && taken.has(slot)) {
    slot = 0;
    while (taken.has(slot)) slot++;
  }
  const id = freshId(doc, 'e');
  const edge: GraphEdge = { id, source: c.source, target: c.target, targetSlot: slot };
  return { ok: true, doc: { ...doc, edges: [...doc.edges, edge] }, id };
}

/**
 * Removes nodes (with their edges) and edges. Merge layers that lose an input have their
 * remaining inputs renumbered 0, 1, ... so no slot is left empty in between.
 */
export function removeElements(doc: GraphDocument, nodeIds: Iterable<string>, edgeIds: Iterable<string> = []): GraphDocument {
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  if (nodes.size === 0 && edges.size === 0) return doc;
  const keptEdges = doc.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target));
  const touched = new Set(doc.edges.filter((e) => !keptEdges.includes(e)).map((e) => e.target));
  const renumbered = keptEdges.map((e) => e);
  for (const target of touched) {
    const layer = getLayer(doc.nodes.find((n) => n.id === target)?.type ?? '');
    if (!layer || layer.inputs.max <= 1) continue;
    const into = renumbered.filter((e) => e.target === target).sort((a, b) => a.targetSlot - b.targetSlot);
    into.forEach((e, slot) => {
      if (e.targetSlot !== slot) renumbered[renumbered.indexOf(e)] = { ...e, targetSlot: slot };
    });
  }
  return { ...doc, nodes: doc.nodes.filter((n) => !nodes.has(n.id)), edges: renumbered };
}

/**
 * Moves nodes to new positions (whole pixels, so a saved file holds exactly what is on screen);
 * unknown ids are ignored. Returns the same document if nothing moved.
 */
export function moveNodes(doc: GraphDocument, positions: ReadonlyMap<string, Position>): GraphDocument {
  let changed = false;
  const nodes = doc.nodes.map((n) => {
    const p = positions.get(n.id);
    if (!p) return n;
    const x = Math.round(p.x);
    const y = Math.round(p.y);
    if (x === n.position.x && y === n.position.y) return n;
    changed = true;
    return { ...n, position: { x, y } };
  });
  return changed ? { ...doc, nodes } : doc;
}

/** Sets one layer parameter; a value the registry refuses is refused with the reason, and nothing changes. */
export function setParam(doc: GraphDocument, nodeId: string, name: string, value: ParamValue): Edit {
  const node = doc.nodes.find((n) => n.id === nodeId);
  if (!node) return { ok: false, reason: `There is no node '${nodeId}'.` };
  const layer = getLayer(node.type);
  const spec = layer?.params[name];
  if (!layer || !spec) return { ok: false, reason: `${layer?.label ?? node.type} has no parameter '${name}'.` };
  const problem = checkValue(spec, value);
  if (problem) return { ok: false, reason: `${spec.label} ${problem}.` };
  if (sameValue(node.params[name], value)) return { ok: true, doc };
  const nodes = doc.nodes.map((n) => (n.id === nodeId ? { ...n, params: { ...n.params, [name]: value } } : n));
  return { ok: true, doc: { ...doc, nodes } };
}

export function setLabel(doc: GraphDocument, nodeId: string, label: string): GraphDocument {
  const trimmed = label.trim();
  const nodes = doc.nodes.map((n) => {
    if (n.id !== nodeId) return n;
    const { label: _old, ...rest } = n;
    return trimmed ? { ...rest, label: trimmed } : rest;
  });
  return { ...doc, nodes };
}

export function setTraining(doc: GraphDocument, patch: Partial<TrainingSettings>): GraphDocument {
  return { ...doc, training: { ...doc.training, ...patch } };
}

function sameValue(a: ParamValue | undefined, b: ParamValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}
