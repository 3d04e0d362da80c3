/**
 * What to try when an edge's gradient vanishes or explodes, fitted to the graph. The gradient on an
 * edge has come back from the loss through every layer between the edge and the loss, so those
 * layers are what shrank or grew it: their activations, their weights' initializers and whether a
 * normalization sits among them; and the learning rate moves every weight. Facts come from the
 * layer modules (activation kind, normalizes, parameter count), never from lists of type names, so
 * an all-ReLU network is never told to drop its sigmoids.
 */
import type { CompiledGraph } from '../../engine/compiler/types';
import type { TrainingSettings } from '../../engine/model/schema';
import { isFixedScaleInit } from '../../engine/layers/weights';
import { formatMagnitude, formatRatio, type HealthReading } from './edgeColors';

/** What lies between an edge and the loss, and the settings that move the weights. */
export interface GradientPath {
  /** Labels of the saturating activations (sigmoid, tanh) the gradient passed back through, each once, in forward order. */
  saturating: string[];
  /** Labels of activations whose units can die (ReLU) on the way. */
  canDie: string[];
  /** Whether a normalization layer (BatchNorm, LayerNorm) is on the way. */
  normalized: boolean;
  /** Labels of fixed-scale weight initializers chosen on the way ("Normal (σ 0.05)"), each once. */
  fixedInits: string[];
  /** Layers with weights (other than normalization) on the way: how deep the path is. */
  weightedLayers: number;
  learningRate: number;
  clipNorm: number | undefined;
}

/** The layers from the edge's target to the loss, read from the compiled graph and the training settings. */
export function gradientPath(graph: CompiledGraph, edgeId: string, training: Pick<TrainingSettings, 'learningRate' | 'clipNorm'>): GradientPath {
  const path: GradientPath = { saturating: [], canDie: [], normalized: false, fixedInits: [], weightedLayers: 0, learningRate: training.learningRate, clipNorm: training.clipNorm };
  const start = graph.edges.get(edgeId)?.target;
  const onPath = new Set<string>();
  const stack = start === undefined ? [] : [start];
  while (stack.length) {
    const id = stack.pop()!;
    if (onPath.has(id)) continue;
    onPath.add(id);
    for (const e of graph.nodes.get(id)?.outputs ?? []) stack.push(graph.edges.get(e)!.target);
  }
  const addOnce = (list: string[], label: string) => {
    if (!list.includes(label)) list.push(label);
  };
  for (const id of graph.order) {
    const node = graph.nodes.get(id)!;
    const layer = node.layer;
    if (!onPath.has(id) || !layer) continue;
    if (layer.activation?.kind === 'saturating') addOnce(path.saturating, layer.label);
    if (layer.activation?.canDie) addOnce(path.canDie, layer.label);
    if (layer.normalizes) path.normalized = true;
    else if (node.paramCount > 0) path.weightedLayers++;
    const init = node.params.kernelInitializer;
    const spec = layer.params.kernelInitializer;
    if (isFixedScaleInit(init) && spec?.kind === 'select') addOnce(path.fixedInits, spec.options.find((o) => o.value === init)?.label ?? String(init));
  }
  return path;
}

/** Paths at least this many weighted layers deep are offered a residual connection. */
const DEEP = 4;

/** The flag's text: what the ratio means, then what to try, only what fits the path. */
export function healthAdvice({ health, ratio }: HealthReading, path: GradientPath): string {
  const lr = formatMagnitude(path.learningRate);
  if (health === 'exploding') {
    const parts = [
      `Exploding gradient: ${formatRatio(ratio)} the gradient at the loss. Updates before this edge can be huge.`,
      `Try a lower learning rate (now ${lr}).`,
      path.clipNorm === undefined ? 'Clip the gradient (a clip norm caps each step).' : `Clip harder (the clip norm is ${formatMagnitude(path.clipNorm)}).`,
    ];
    if (!path.normalized) parts.push('Normalization (BatchNorm or LayerNorm) after this edge keeps the scale in check.');
    return parts.join(' ');
  }
  const parts = [`Vanishing gradient: ${formatRatio(ratio)} of the gradient at the loss. The layers before this edge barely learn.`];
  if (path.saturating.length > 0) {
    parts.push(
      `On its way back from the loss the gradient passes through ${list(path.saturating, 'and')} layers, whose slope is at most 1 and near 0 where they saturate, so each one shrinks it. Try ReLU or Leaky ReLU instead of ${list(path.saturating)}.`,
    );
  }
  if (path.fixedInits.length > 0) {
    parts.push(`Weights after this edge start at a fixed small scale (${list(path.fixedInits)}), which shrinks the gradient at every layer: set their Weight init to Auto (He or Glorot, scaled to each layer's size).`);
  }
  if (path.canDie.length > 0 && path.saturating.length === 0) {
    parts.push(`${list(path.canDie)} units that are zero for every sample pass no gradient back: look at their dead units (click the layer). A lower learning rate than ${lr} keeps units alive; Leaky ReLU cannot die.`);
  }
  const more: string[] = [];
  if (!path.normalized) more.push('normalization (BatchNorm or LayerNorm)');
  if (path.weightedLayers >= DEEP) more.push('a residual connection (Add) around the deep part');
  if (more.length > 0) parts.push(`${parts.length > 1 ? 'Also try' : 'Try'} ${list(more)}.`);
  if (parts.length === 1) parts.push(`Check the update-to-weight ratio of the layers before it (click one): near 1e-3 they still learn; far below, raise the learning rate (now ${lr}).`);
  return parts.join(' ');
}

/** "a", "a or b", "a, b or c" (or "and"). */
function list(items: readonly string[], conjunction: 'or' | 'and' = 'or'): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}
