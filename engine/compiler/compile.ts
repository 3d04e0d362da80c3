/**
 * compile(graph, dataset): the pure, cheap analysis the app runs on every edit and the plan builder
 * runs before training. It orders the graph, finds cycles, infers every tensor's shape, and
 * reports every problem at once, each attached to the node or edge it is about and worded for a
 * learner. A problem never stops the analysis: nodes downstream of an unknown shape are skipped
 * silently, so one mistake does not cause a cascade of messages.
 */
import type { Shape } from '../core/shape';
import type { DatasetInfo } from '../data/types';
import { validateParams } from '../layers/params';
import { getLayer, LAYER_TYPES } from '../layers/registry';
import { resolveLoss } from '../layers/output';
import type { LayerProblem } from '../layers/types';
import { budgetIssue, DEFAULT_BATCH_SIZE, estimateSize } from './budget';
import type { CompileIssue, CompiledEdge, CompiledGraph, CompiledNode, GraphSpec } from './types';

export function compile(graph: GraphSpec, dataset: DatasetInfo): CompiledGraph {
  const issues: CompileIssue[] = [];
  const nodes = new Map<string, CompiledNode>();
  const edges = new Map<string, CompiledEdge>();
  const counters = new Map<string, number>();

  for (const n of graph.nodes) {
    if (nodes.has(n.id)) {
      issues.push({ severity: 'error', nodeId: n.id, message: `Two nodes share the id '${n.id}'.` });
      continue;
    }
    const layer = getLayer(n.type);
    const count = (counters.get(n.type) ?? 0) + 1;
    counters.set(n.type, count);
    const name = n.label?.trim() || `${n.type}_${count}`;
    let params = {};
    if (!layer) {
      const guess = LAYER_TYPES.find((t) => t.includes(n.type.toLowerCase()) || n.type.toLowerCase().includes(t));
      issues.push({ severity: 'error', nodeId: n.id, message: `Unknown layer type '${n.type}'.`, fix: guess ? `Did you mean '${guess}'?` : `Known types: ${LAYER_TYPES.join(', ')}.` });
    } else {
      const checked = validateParams(layer.label, layer.params, n.params ?? {});
      params = checked.params;
      for (const p of checked.problems) issues.push({ severity: 'error', nodeId: n.id, param: p.param, message: p.message });
    }
    nodes.set(n.id, { id: n.id, type: n.type, name, layer, params, shape: undefined, paramCount: 0, caption: '', inputs: [], outputs: [], reachesOutput: false });
  }

  // Edges: endpoints must exist, the slot must exist, and a slot takes one edge.
  const slotTaken = new Map<string, string>();
  for (const e of graph.edges) {
    const slot = e.targetSlot ?? 0;
    const source = nodes.get(e.source);
    const target = nodes.get(e.target);
    const fail = (message: string, fix?: string): void => {
      issues.push({ severity: 'error', edgeId: e.id, message, ...(fix ? { fix } : {}) });
    };
    if (edges.has(e.id)) { fail(`Two connections share the id '${e.id}'.`); continue; }
    if (!source) { fail(`This connection starts at a node that does not exist ('${e.source}').`); continue; }
    if (!target) { fail(`This connection ends at a node that does not exist ('${e.target}').`); continue; }
    if (e.source === e.target) { fail(`${target.name} is connected to itself.`, 'Remove this connection.'); continue; }
    const maxSlots = target.layer?.inputs.max ?? Infinity;
    if (maxSlots === 0) { fail(`${target.layer!.label} takes no inputs: it is where data enters the network.`, 'Connect it the other way round.'); continue; }
    if (!Number.isInteger(slot) || slot < 0 || slot >= maxSlots) {
      fail(`${target.layer?.label ?? target.name} has ${maxSlots === 1 ? 'one input' : `${maxSlots} inputs`}; this connection goes into input ${slot + 1}.`);
      continue;
    }
    const key = `${e.target}#${slot}`;
    if (slotTaken.has(key)) {
      fail(`Input ${slot + 1} of ${target.name} already has a connection.`, target.layer && target.layer.inputs.max > 1 ? 'Use a free input of this node.' : 'Merge the two with an Add or Concat first.');
      continue;
    }
    slotTaken.set(key, e.id);
    edges.set(e.id, { id: e.id, source: e.source, target: e.target, targetSlot: slot, shape: undefined });
    source.outputs.push(e.id);
    target.inputs.push(e.id);
  }
  for (const n of nodes.values()) n.inputs.sort((a, b) => edges.get(a)!.targetSlot - edges.get(b)!.targetSlot);

  const order = topologicalOrder(nodes, edges, issues);
  const inputId = findRole(nodes, 'input', issues);
  const outputId = findRole(nodes, 'output', issues);
  markReachesOutput(nodes, edges, outputId);

  // Shape inference in order; a node whose inputs are unknown is skipped silently.
  for (const id of order) {
    const node = nodes.get(id)!;
    const layer = node.layer;
    if (!layer) continue;
    const slots = node.inputs.map((e) => edges.get(e)!);
    if (slots.length < layer.inputs.min) {
      const need = layer.inputs.min === 1 ? 'an input' : `at least ${layer.inputs.min} inputs`;
      issues.push({ severity: 'error', nodeId: id, message: `${layer.label} needs ${need}, but ${slots.length === 0 ? 'nothing is connected to it' : `has ${slots.length}`}.`, fix: `Connect ${slots.length === 0 ? 'a layer' : 'another layer'} into it.` });
      continue;
    }
    const shapes = slots.map((e) => nodes.get(e.source)!.shape);
    if (shapes.some((s) => s === undefined)) continue;
    let result: Shape | LayerProblem[];
    try {
      result = layer.infer(shapes as Shape[], node.params as never, { dataset });
    } catch (err) {
      // A layer's inference should not throw; if it does, say so on the node rather than crash the editor.
      result = [{ message: `${layer.label} could not work out its output shape: ${(err as Error).message}` }];
    }
    if (isProblems(result)) {
      for (const p of result) {
        const edge = p.slot !== undefined ? slots[p.slot] : undefined;
        issues.push({ severity: 'error', nodeId: id, message: p.message, ...(p.fix ? { fix: p.fix } : {}) });
        if (edge) issues.push({ severity: 'error', edgeId: edge.id, message: p.message, ...(p.fix ? { fix: p.fix } : {}) });
      }
      continue;
    }
    node.shape = result;
    node.paramCount = layer.paramCount?.(shapes as Shape[], node.params as never, { dataset }) ?? 0;
    node.caption = layer.caption?.(node.params as never) ?? '';
    for (const e of node.outputs) edges.get(e)!.shape = result;
  }

  for (const node of nodes.values()) {
    if (node.layer && !node.reachesOutput && node.layer.role !== 'output' && outputId) {
      issues.push({ severity: 'warning', nodeId: node.id, message: `${node.name} does not lead to the Output, so it is not trained.`, fix: 'Connect it into the network or delete it.' });
    }
  }

  const batch = graph.training?.batchSize;
  const size = estimateSize({ nodes, edges }, dataset, Number.isInteger(batch) && batch! >= 1 ? batch! : DEFAULT_BATCH_SIZE);
  const overBudget = budgetIssue({ nodes }, size);
  if (overBudget) issues.push(overBudget);

  const outputNode = outputId ? nodes.get(outputId) : undefined;
  const lossKind = outputNode?.shape ? resolveLoss(String(outputNode.params.loss ?? 'auto'), dataset, outputNode.shape) : undefined;
  const rows = order
    .map((id) => nodes.get(id)!)
    .filter((n) => n.layer)
    .map((n) => ({ nodeId: n.id, name: n.name, label: n.layer!.label, shape: n.shape, params: n.paramCount, bytes: size.nodeBytes.get(n.id) ?? 0 }));
  return {
    ok: !issues.some((i) => i.severity === 'error'),
    issues,
    order,
    nodes,
    edges,
    inputId,
    outputId,
    lossKind,
    summary: { rows, totalParams: rows.reduce((s, r) => s + r.params, 0) },
    size,
  };
}

function isProblems(r: Shape | LayerProblem[]): r is LayerProblem[] {
  return r.length > 0 && typeof r[0] === 'object';
}

/** Kahn's algorithm; the edges of any cycle are reported, and cyclic nodes are left out of the order. */
function topologicalOrder(nodes: Map<string, CompiledNode>, edges: Map<string, CompiledEdge>, issues: CompileIssue[]): string[] {
  const indegree = new Map<string, number>();
  for (const n of nodes.values()) indegree.set(n.id, n.inputs.length);
  const queue = [...nodes.values()].filter((n) => n.inputs.length === 0).map((n) => n.id);
  const order: string[] = [];
  while (queue.length) {
    const id = queue.shift()!;
    order.push(id);
    for (const e of nodes.get(id)!.outputs) {
      const t = edges.get(e)!.target;
      const d = indegree.get(t)! - 1;
      indegree.set(t, d);
      if (d === 0) queue.push(t);
    }
  }
  if (order.length < nodes.size) {
    const placed = new Set(order);
    // An edge is on a cycle when both ends are unplaced and the target can reach the source.
    for (const e of edges.values()) {
      if (placed.has(e.source) || placed.has(e.target)) continue;
      const path = findPath(nodes, edges, e.target, e.source);
      if (path) {
        const names = [e.source, ...path].map((id) => nodes.get(id)!.name);
        issues.push({ severity: 'error', edgeId: e.id, message: `This connection closes a loop: ${names.join(' → ')}.`, fix: 'Networks here flow one way; remove one connection of the loop (recurrent layers keep their own loop inside).' });
      }
    }
    for (const n of nodes.values()) {
      if (!placed.has(n.id)) issues.push({ severity: 'error', nodeId: n.id, message: `${n.name} is part of a loop or fed by one.`, fix: 'Remove a connection of the loop.' });
    }
  }
  return order;
}

/** A path of node ids from `from` to `to` (inclusive), or null. */
function findPath(nodes: Map<string, CompiledNode>, edges: Map<string, CompiledEdge>, from: string, to: string): string[] | null {
  const previous = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  while (queue.length) {
    const id = queue.shift()!;
    if (id === to) {
      const path = [id];
      for (let p = previous.get(id); p; p = previous.get(p)) path.unshift(p);
      return path;
    }
    for (const e of nodes.get(id)!.outputs) {
      const t = edges.get(e)!.target;
      if (!previous.has(t)) {
        previous.set(t, id);
        queue.push(t);
      }
    }
  }
  return null;
}

/** The one node whose layer has this role ('input' or 'output'); missing or repeated ones are reported. */
function findRole(nodes: Map<string, CompiledNode>, type: 'input' | 'output', issues: CompileIssue[]): string | undefined {
  const found = [...nodes.values()].filter((n) => n.layer?.role === type);
  if (found.length > 1) {
    for (const extra of found.slice(1)) issues.push({ severity: 'error', nodeId: extra.id, message: `The network has ${found.length} ${type === 'input' ? 'Input' : 'Output'} nodes; it takes one.`, fix: 'Delete the extra one.' });
  }
  if (found.length === 0 && nodes.size > 0) {
    // Attach to the nodes where the missing one belongs: sources for an input, sinks for an output.
    const ends = [...nodes.values()].filter((n) => (type === 'input' ? n.inputs.length === 0 : n.outputs.length === 0));
    const message = type === 'input'
      ? 'The network has no Input: add an Input node and connect it to the first layer.'
      : 'Nothing reaches an Output: connect the last layer to an Output node, which holds the loss.';
    for (const n of ends.length ? ends : [nodes.values().next().value!]) issues.push({ severity: 'error', nodeId: n.id, message });
  }
  return found[0]?.id;
}

function markReachesOutput(nodes: Map<string, CompiledNode>, edges: Map<string, CompiledEdge>, outputId: string | undefined): void {
  if (!outputId) return;
  const stack = [outputId];
  while (stack.length) {
    const node = nodes.get(stack.pop()!)!;
    if (node.reachesOutput) continue;
    node.reachesOutput = true;
    for (const e of node.inputs) stack.push(edges.get(e)!.source);
  }
}
