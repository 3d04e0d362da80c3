/**
 * buildPlan: a compiled graph on the engine's static tape, ready to train.
 *
 * Each edge gets its own tensor: an identity that shares the source's values but has its own
 * gradient, so after backward `edge.grad` holds dL/dx through that edge alone (a fan-out gives
 * each edge its own gradient, and they sum to the source's). An edge that is its source's only
 * reader shares the source's gradient buffer instead, which holds the same numbers
 * (`edgeSharesGradient`). Statistics are computed on demand, into caller-owned packed arrays, so
 * snapshots cost nothing when nobody asks.
 */
import { Arena, preferredKernelPath, type KernelPath } from '../core/arena';
import { EngineError } from '../core/errors';
import { Rng } from '../core/rng';
import type { Shape } from '../core/shape';
import { Tape, type Var } from '../core/tape';
import type { DatasetInfo } from '../data/types';
import { initialize, type InitializerConfig } from '../init/initializers';
import type { BuildContext, LossBuild, LossKind } from '../layers/types';
import { edgeOf } from '../ops/unary';
import { edgeSharesGradient, estimateSize, isAllocationFailure, OutOfMemory } from './budget';
import { compile } from './compile';
import type { CompileIssue, CompiledGraph, GraphSpec } from './types';

/** Where each number sits in an edge's block of `edgeStats` (read them by name, never by position). */
export const EDGE_STAT = {
  /** RMS of the edge's gradient over the batch and every element. */
  gradRms: 0,
  /** Mean |g| of the edge's gradient. */
  gradMeanAbs: 1,
  /** Mean of the values the edge carries forward. */
  actMean: 2,
  /** Standard deviation of the values the edge carries forward. */
  actStd: 3,
  /** Sparsity: the share of exact zeros among the values the edge carries (over the batch and every element). */
  zeroFraction: 4,
  /**
   * Dead units: the share of the edge's units (`edgeUnits`: features, or channels of an image or a
   * sequence) that are exactly zero for every sample of the batch, at every position. A ReLU with
   * half its outputs at zero is sparse, not dead; a dead unit passes no gradient to its weights.
   */
  deadFraction: 5,
} as const;
export type EdgeStatName = keyof typeof EDGE_STAT;
/** Floats per edge in `edgeStats`. */
export const EDGE_STATS = Object.keys(EDGE_STAT).length;

/**
 * The units of a tensor with this per-sample shape, as `deadFraction` counts them: its last axis
 * (a Dense's units, a Conv2D's filters, a recurrent layer's units at every step), whose weights
 * are shared by every position along the other axes; 1 for a scalar per sample.
 */
export function edgeUnits(shape: Shape): number {
  return shape.length === 0 ? 1 : shape[shape.length - 1]!;
}

/** Where each number sits in a node's block of `nodeStats`. */
export const NODE_STAT = {
  /** L2 norm of the node's weights. */
  weightNorm: 0,
  /** L2 norm of their gradient. */
  gradNorm: 1,
  /** The last update's norm over the weight norm. */
  updateRatio: 2,
} as const;
export type NodeStatName = keyof typeof NODE_STAT;
/** Floats per node in `nodeStats`. */
export const NODE_STATS = Object.keys(NODE_STAT).length;

export class CompileFailed extends Error {
  constructor(
    readonly issues: CompileIssue[],
    /** Each node's display name ("dense_2") by id, to say where an issue is. */
    readonly names: ReadonlyMap<string, string> = new Map(),
  ) {
    super([...new Set(issues.filter((i) => i.severity === 'error').map((i) => i.message))].join('\n'));
    this.name = 'CompileFailed';
  }
}

export interface PlanOptions {
  maxBatch: number;
  seed: number;
  /** Compute dL/d(input), so edges leaving the Input are colored too (default true). */
  inputGradient?: boolean;
  /**
   * Which kernels run the plan: 'wasm' (WebAssembly SIMD, on one arena) or 'js' (TypeScript).
   * Default: wasm where supported (engine/core/arena.ts preferredKernelPath).
   */
  kernels?: KernelPath;
  /** The arena to build on (createPlan sizes one; pass one only to build on a given memory). */
  arena?: Arena;
  /** Bytes of the first WebAssembly arena createPlan tries, instead of the budget's estimate (tests). */
  firstArenaBytes?: number;
  /** Let an edge that is its source's only reader share its gradient buffer (default true; `edgeSharesGradient`). */
  shareEdgeGradients?: boolean;
}

interface ParamInit {
  v: Var;
  shape: Shape;
  init: InitializerConfig;
}

export interface PlanEdge {
  id: string;
  source: string;
  target: string;
  /** The edge's own tensor (shares values with the source's output); undefined for edges that do not lead to the output. */
  tensor: Var | undefined;
  /**
   * Time steps, for an edge that carries a sequence (a per-sample shape [T, F]: the first axis is
   * time); 0 otherwise. Such edges also get a gradient RMS per time step (`edgeTimeRms`).
   */
  timeSteps: number;
  /** Where this edge's time steps start in `edgeTimeRms`'s output. */
  timeOffset: number;
  /** `edgeUnits` of the tensor's per-sample shape, counted once here so the statistics allocate nothing. */
  units: number;
}

export interface PlanNode {
  id: string;
  name: string;
  type: string;
  output: Var | undefined;
  params: Var[];
  /** Where each of `params` sits in `tape.params`, the order the optimizer's per-parameter norms use. */
  paramIndices: number[];
  /** Inner tensors the layer exposed for the UI (attention weights), by name. */
  exposed: Record<string, Var>;
  /** State saved with the weights that is not a parameter (batch norm's running statistics), by name. */
  buffers: Record<string, Float32Array>;
}

export class Plan implements LossBuild {
  readonly tape: Tape;
  readonly input: Var;
  readonly target: Var;
  readonly loss: Var;
  readonly prediction: Var;
  readonly predictionKind: LossBuild['predictionKind'];
  readonly lossKind: LossKind;
  /** In the compiled graph's edge order: the order of `edgeStats`. */
  readonly edges: PlanEdge[] = [];
  /** In the compiled graph's node order: the order of `nodeStats`. */
  readonly nodes: PlanNode[] = [];
  private readonly inits: ParamInit[] = [];
  private readonly resets: (() => void)[] = [];

  constructor(readonly compiled: CompiledGraph, readonly dataset: DatasetInfo, options: PlanOptions) {
    if (!compiled.ok) throw new CompileFailed(compiled.issues, new Map([...compiled.nodes.values()].map((n) => [n.id, n.name])));
    const tape = (this.tape = new Tape({ maxBatch: options.maxBatch, seed: options.seed, arena: options.arena }));
    const rng = new Rng(options.seed);
    this.input = tape.input('x', dataset.inputShape, { requiresGrad: options.inputGradient ?? true });
    this.target = tape.input('target', dataset.targetShape);

    const outputs = new Map<string, Var>();
    const edgeTensors = new Map<string, Var>();
    /** The sources whose one edge shares their gradient buffer. */
    const sharedSources: Var[] = [];
    let lossBuild: LossBuild | undefined;
    for (const id of compiled.order) {
      const node = compiled.nodes.get(id)!;
      const planNode: PlanNode = { id, name: node.name, type: node.type, output: undefined, params: [], paramIndices: [], exposed: {}, buffers: {} };
      this.nodes.push(planNode);
      if (!node.reachesOutput) continue;
      const layer = node.layer!;
      const inputs = node.inputs.map((e) => {
        const edge = compiled.edges.get(e)!;
        const source = outputs.get(edge.source)!;
        const share = options.shareEdgeGradients !== false && edgeSharesGradient(compiled, e);
        if (share) sharedSources.push(source);
        const t = tape.inNode(`${compiled.nodes.get(edge.source)!.name} → ${node.name}`, () => edgeOf(tape, source, share));
        edgeTensors.set(e, t);
        return t;
      });
      // 'Auto' initializers follow the activation this node feeds, when it feeds exactly one.
      const next = node.outputs.length === 1 ? compiled.nodes.get(compiled.edges.get(node.outputs[0]!)!.target)!.layer : undefined;
      const ctx: BuildContext = {
        tape,
        rng,
        dataset,
        nodeId: id,
        nextActivation: next?.activation,
        dataInput: this.input,
        target: this.target,
        inputTypes: node.inputs.map((e) => compiled.nodes.get(compiled.edges.get(e)!.source)!.type),
        param: (name, shape, init) => {
          const v = tape.param(`${node.name}/${name}`, shape);
          initialize(v.value, shape, init, rng);
          // Every parameter is made here, in order, so its index among the tape's parameters is the count so far.
          planNode.paramIndices.push(this.inits.length);
          this.inits.push({ v, shape, init });
          planNode.params.push(v);
          return v;
        },
        onReset: (reset) => this.resets.push(reset),
        buffer: (name, values) => {
          planNode.buffers[name] = values;
        },
        expose: (name, v) => {
          planNode.exposed[name] = v;
        },
      };
      tape.inNode(node.name, () => {
        const out = layer.build(ctx, inputs, node.params as never);
        outputs.set(id, out);
        planNode.output = out;
        if (layer.buildLoss) lossBuild = layer.buildLoss(ctx, out, node.params as never);
      });
    }
    if (!lossBuild) throw new EngineError('compile', undefined, 'the graph has no output node to train');
    // A shared gradient buffer is right only while the edge is its source's one reader; a layer that
    // read its own output again would have its gradient land in the edge's numbers.
    for (const source of sharedSources) {
      const readers = tape.steps.filter((s) => s.inputs.includes(source)).length;
      if (readers !== 1) throw new EngineError('compile', undefined, `${source.name} is read by ${readers} steps, but its one edge shares its gradient`);
    }
    this.loss = lossBuild.loss;
    this.prediction = lossBuild.prediction;
    this.predictionKind = lossBuild.predictionKind;
    this.lossKind = lossBuild.lossKind;
    let timeOffset = 0;
    for (const e of compiled.edges.values()) {
      const tensor = edgeTensors.get(e.id);
      const timeSteps = tensor && tensor.rank === 3 && tensor.grad.length > 0 ? tensor.shape[1]! : 0;
      const units = tensor ? edgeUnits(tensor.shape.slice(1)) : 0;
      this.edges.push({ id: e.id, source: e.source, target: e.target, tensor, timeSteps, timeOffset, units });
      timeOffset += timeSteps;
    }
    this.timeStatsLength = timeOffset;
  }

  /** Length of `edgeTimeRms`'s output: the time steps of all sequence edges. */
  readonly timeStatsLength: number;

  /**
   * Gradients through time: for each edge that carries a sequence ([B, T, F]), the RMS of its
   * gradient at each time step over the live batch and the features, written at the edge's
   * `timeOffset`: how far back through time the gradient reaches (an untrained LSTM's fades
   * hundreds of times over 30 steps while its forget gates sit near 0.73, and stops fading as it
   * learns to remember; a simple RNN's can vanish or explode). Allocates nothing.
   */
  edgeTimeRms(out: Float32Array): void {
    for (const { tensor, timeSteps: steps, timeOffset } of this.edges) {
      if (!tensor || steps === 0) continue;
      const g = tensor.grad;
      const features = tensor.shape[2]!;
      const batch = this.tape.batch;
      for (let t = 0; t < steps; t++) {
        let g2 = 0;
        for (let b = 0; b < batch; b++) {
          const o = (b * steps + t) * features;
          for (let f = 0; f < features; f++) g2 += g[o + f]! * g[o + f]!;
        }
        out[timeOffset + t] = Math.sqrt(g2 / (batch * features));
      }
    }
  }

  get params(): Var[] {
    return this.tape.params;
  }

  /** Re-initializes every weight from `seed` and restores layer state (batch norm's running statistics). */
  reset(seed: number): void {
    const rng = new Rng(seed);
    for (const { v, shape, init } of this.inits) initialize(v.value, shape, init, rng);
    for (const r of this.resets) r();
    this.tape.rng.reseed(seed);
  }

  /**
   * Per edge (in `edges` order), EDGE_STATS floats over the live batch: RMS and mean |g| of the
   * edge's gradient, and mean, std, zero fraction and dead-unit fraction of the tensor it carries.
   * NaN for edges that are not trained. Allocates nothing.
   */
  edgeStats(out: Float32Array): void {
    for (let i = 0; i < this.edges.length; i++) {
      const t = this.edges[i]!.tensor;
      const o = i * EDGE_STATS;
      if (!t) {
        out.fill(NaN, o, o + EDGE_STATS);
        continue;
      }
      const n = t.size;
      const g = t.grad;
      const x = t.value;
      let g2 = 0;
      let gAbs = 0;
      let sum = 0;
      let sum2 = 0;
      let zeros = 0;
      const arena = this.tape.arena;
      const k = arena.kernels;
      if (k && x.buffer === arena.buffer && (g.length === 0 || g.buffer === arena.buffer)) {
        // The same sums in WebAssembly SIMD (a snapshot reads every edge, ~1M floats on the MNIST CNN).
        const r = arena.results;
        const at = arena.resultsAddress;
        if (g.length > 0) {
          r.fill(0);
          k.addMoments(g.byteOffset, n, at);
          g2 = r[1]!;
          gAbs = r[2]!;
        }
        r.fill(0);
        k.addMoments(x.byteOffset, n, at);
        sum = r[0]!;
        sum2 = r[1]!;
        zeros = r[3]!;
      } else {
        if (g.length > 0) {
          for (let j = 0; j < n; j++) {
            const v = g[j]!;
            g2 += v * v;
            gAbs += Math.abs(v);
          }
        }
        for (let j = 0; j < n; j++) {
          const v = x[j]!;
          sum += v;
          sum2 += v * v;
          if (v === 0) zeros++;
        }
      }
      const mean = sum / n;
      out[o + EDGE_STAT.gradRms] = g.length > 0 ? Math.sqrt(g2 / n) : NaN;
      out[o + EDGE_STAT.gradMeanAbs] = g.length > 0 ? gAbs / n : NaN;
      out[o + EDGE_STAT.actMean] = mean;
      out[o + EDGE_STAT.actStd] = Math.sqrt(Math.max(0, sum2 / n - mean * mean));
      out[o + EDGE_STAT.zeroFraction] = zeros / n;
      // A dead unit is zeros all the way down, so without zeros there is nothing to look for.
      const { units } = this.edges[i]!;
      out[o + EDGE_STAT.deadFraction] = zeros === 0 ? 0 : deadUnits(x, n, units) / units;
    }
  }

  /**
   * Per node (in `nodes` order), NODE_STATS floats: the L2 norm of its weights, of their gradient,
   * and the last update's norm over the weight norm (from the optimizer's per-parameter norms,
   * given in `tape.params` order). NaN for nodes without weights.
   */
  nodeStats(out: Float32Array, lastUpdateNorm?: Float32Array): void {
    for (let i = 0; i < this.nodes.length; i++) {
      const { params, paramIndices } = this.nodes[i]!;
      const o = i * NODE_STATS;
      if (params.length === 0) {
        out.fill(NaN, o, o + NODE_STATS);
        continue;
      }
      let w2 = 0;
      let g2 = 0;
      let u2 = 0;
      for (let j = 0; j < params.length; j++) {
        const p = params[j]!;
        for (let k = 0; k < p.value.length; k++) {
          w2 += p.value[k]! * p.value[k]!;
          g2 += p.grad[k]! * p.grad[k]!;
        }
        if (lastUpdateNorm) {
          const u = lastUpdateNorm[paramIndices[j]!] ?? 0;
          u2 += u * u;
        }
      }
      out[o + NODE_STAT.weightNorm] = Math.sqrt(w2);
      out[o + NODE_STAT.gradNorm] = Math.sqrt(g2);
      out[o + NODE_STAT.updateRatio] = lastUpdateNorm && w2 > 0 ? Math.sqrt(u2) / Math.sqrt(w2) : NaN;
    }
  }
}

/**
 * How many of `units` interleaved units (x laid out as [rows, units], units fastest) are zero in
 * every row of the first n values. Stops reading a unit at its first non-zero, so a healthy layer
 * costs one row.
 */
function deadUnits(x: Float32Array, n: number, units: number): number {
  let dead = 0;
  for (let u = 0; u < units; u++) {
    let k = u;
    while (k < n && x[k] === 0) k += units;
    if (k >= n) dead++;
  }
  return dead;
}

/**
 * Compiles and builds in one go; throws CompileFailed (with every issue) when the graph has errors,
 * and OutOfMemory (with the estimated size) when its buffers cannot be allocated.
 */
export function buildPlan(graph: GraphSpec, dataset: DatasetInfo, options: PlanOptions): Plan {
  const compiled = compile(graph, dataset);
  try {
    return createPlan(compiled, dataset, options);
  } catch (e) {
    throw isAllocationFailure(e) ? new OutOfMemory(compiled.size.bytes, e) : e;
  }
}

/**
 * A plan on the kernels `options.kernels` asks for (default: WebAssembly where supported). On the
 * WebAssembly path the arena is sized from the budget's estimate, with room for the optimizer's
 * moments; when the estimate falls short (the plan overflowed onto the heap), the plan is built
 * again on an arena of exactly what it used, so every buffer is in the memory the kernels see.
 * Same seed, same weights: the second build is the first one again.
 */
export function createPlan(compiled: CompiledGraph, dataset: DatasetInfo, options: PlanOptions): Plan {
  if (options.arena || !compiled.ok) return new Plan(compiled, dataset, options);
  if ((options.kernels ?? preferredKernelPath()) === 'js') return new Plan(compiled, dataset, { ...options, arena: Arena.js() });
  const estimate = estimateSize(compiled, dataset, options.maxBatch).bytes;
  const first = new Plan(compiled, dataset, { ...options, arena: Arena.wasm(options.firstArenaBytes ?? estimate + estimate / 8 + (1 << 20)) });
  const arena = first.tape.arena;
  if (arena.overflowBytes === 0) return first;
  // What the plan used, and what the optimizer will take: at most two moments per parameter.
  const paramFloats = first.params.reduce((n, p) => n + p.value.length, 0);
  return new Plan(compiled, dataset, { ...options, arena: Arena.wasm(arena.usedBytes + 2 * 4 * paramFloats + (1 << 16)) });
}
