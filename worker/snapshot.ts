/**
 * Building snapshots, apart from the loop that decides when to send them.
 *
 * Per-edge and per-node statistics describe the last training step: they are read from the tape
 * right after it (`captureStats`), before an evaluation or a prediction runs other batches through
 * the same buffers. A snapshot is then assembled from those statistics and whatever else is new.
 */
import { EDGE_STATS, NODE_STATS, type Plan } from '../engine/compiler/plan';
import { histogram } from '../engine/train/histogram';
import type { DistributionSeries, PredictionGrid, Snapshot } from './protocol';

export interface Watched {
  edgeId: string | null;
  nodeId: string | null;
}

/** What a snapshot says about the last training step. */
export interface StepStats {
  step: number;
  edgeStats: Float32Array;
  nodeStats: Float32Array;
  edgeTimeRms?: Float32Array;
  watched?: Snapshot['watched'];
}

/**
 * Reads the statistics of the step the tape holds. `valuesFresh` says whether the tape's forward
 * values are still the training batch's (an evaluation since then overwrote them; the gradients
 * stay, since only backward writes those): without it, activation numbers are not read.
 */
export function captureStats(plan: Plan, step: number, lastUpdateNorm: Float32Array | undefined, watched: Watched, valuesFresh: boolean): StepStats {
  const edgeStats = new Float32Array(plan.edges.length * EDGE_STATS);
  const nodeStats = new Float32Array(plan.nodes.length * NODE_STATS);
  const edgeTimeRms = plan.timeStatsLength > 0 ? new Float32Array(plan.timeStatsLength) : undefined;
  if (step === 0) {
    edgeStats.fill(NaN);
    nodeStats.fill(NaN);
    edgeTimeRms?.fill(NaN);
    return { step, edgeStats, nodeStats, ...(edgeTimeRms ? { edgeTimeRms } : {}) };
  }
  plan.edgeStats(edgeStats);
  if (edgeTimeRms) plan.edgeTimeRms(edgeTimeRms);
  plan.nodeStats(nodeStats, lastUpdateNorm);
  const histograms = watchedHistograms(plan, step, watched, valuesFresh);
  return { step, edgeStats, nodeStats, ...(edgeTimeRms ? { edgeTimeRms } : {}), ...(histograms ? { watched: histograms } : {}) };
}

/** Histograms of the watched edge (its gradient, and its values while fresh) and node (its weights); none before a step. */
export function watchedHistograms(plan: Plan, step: number, { edgeId, nodeId }: Watched, valuesFresh: boolean): Snapshot['watched'] {
  if (step === 0) return undefined;
  const out: NonNullable<Snapshot['watched']> = {};
  const edge = edgeId ? plan.edges.find((e) => e.id === edgeId) : undefined;
  if (edge?.tensor) {
    const t = edge.tensor;
    out.edgeId = edge.id;
    if (t.grad.length > 0) out.gradient = histogram(t.grad, t.size);
    if (valuesFresh) out.activation = histogram(t.value, t.size);
  }
  const node = nodeId ? plan.nodes.find((n) => n.id === nodeId) : undefined;
  if (node && node.params.length > 0) {
    let total = 0;
    for (const p of node.params) total += p.size;
    const all = new Float32Array(total);
    let at = 0;
    for (const p of node.params) {
      all.set(p.value.subarray(0, p.size), at);
      at += p.size;
    }
    out.nodeId = node.id;
    out.weights = histogram(all, total);
  }
  return out.edgeId || out.nodeId ? out : undefined;
}

function cloneGrid(grid: PredictionGrid): PredictionGrid {
  const units = grid.units?.map((u) => ({
    ...u,
    values: u.values.slice(),
    ...(u.incoming ? { incoming: { ...u.incoming, weights: u.incoming.weights.slice(), bias: u.incoming.bias?.slice() ?? null } } : {}),
  }));
  return { ...grid, values: grid.values.slice(), ...(units ? { units } : {}) };
}

function cloneDistributions(d: NonNullable<Snapshot['distributions']>): NonNullable<Snapshot['distributions']> {
  const copy = (series: DistributionSeries | undefined) => (series ? { ...series, steps: series.steps.slice(), quantiles: series.quantiles.slice() } : undefined);
  const gradient = copy(d.gradient);
  const weights = copy(d.weights);
  return { ...d, ...(gradient ? { gradient } : {}), ...(weights ? { weights } : {}) };
}

/** A copy whose arrays can be transferred separately (one per listener). */
export function cloneSnapshot(s: Snapshot): Snapshot {
  return {
    ...s,
    edgeStats: s.edgeStats.slice(),
    nodeStats: s.nodeStats.slice(),
    ...(s.grid ? { grid: cloneGrid(s.grid) } : {}),
    ...(s.edgeTimeRms ? { edgeTimeRms: s.edgeTimeRms.slice() } : {}),
    ...(s.lossTrace ? { lossTrace: { ...s.lossTrace, losses: s.lossTrace.losses.slice() } } : {}),
    ...(s.samples ? { samples: { predicted: s.samples.predicted.slice(), confidence: s.samples.confidence.slice() } } : {}),
    ...(s.confusion ? { confusion: { ...s.confusion, counts: s.confusion.counts.slice() } } : {}),
    ...(s.distributions ? { distributions: cloneDistributions(s.distributions) } : {}),
  };
}

/**
 * A copy of the values on the plan's edges, taken before an evaluation or a prediction runs other
 * batches through the tape and put back after it: the last training step's activations stay
 * readable (for statistics and for the histogram of an edge the page starts watching while
 * paused). Buffers are allocated once per plan; saving and restoring copies, nothing more.
 */
export class EdgeValueKeeper {
  private readonly tensors: { value: Float32Array; size: () => number }[];
  private readonly copies: Float32Array[];
  private readonly counts: number[];
  private saved = false;

  constructor(plan: Plan) {
    const unique = [...new Set(plan.edges.flatMap((e) => (e.tensor ? [e.tensor] : [])))];
    this.tensors = unique.map((t) => ({ value: t.value, size: () => t.size }));
    this.copies = unique.map((t) => new Float32Array(t.value.length));
    this.counts = unique.map(() => 0);
  }

  /** Copies the live values (the tape at the training batch's size). */
  save(): void {
    this.tensors.forEach((t, i) => {
      const n = t.size();
      this.copies[i]!.set(t.value.subarray(0, n));
      this.counts[i] = n;
    });
    this.saved = true;
  }

  /** Puts the saved values back; returns whether there were any. */
  restore(): boolean {
    if (!this.saved) return false;
    this.tensors.forEach((t, i) => t.value.set(this.copies[i]!.subarray(0, this.counts[i]!)));
    this.saved = false;
    return true;
  }

  /** Forgets the saved values (a new step made them stale). */
  drop(): void {
    this.saved = false;
  }
}

/** At most this many steps' losses wait for the page (it normally takes a snapshot every 50 ms). */
const MAX_LOSS_TRACE = 4096;

/**
 * The batch loss of every step since the last snapshot (the chart draws every step, not only
 * each snapshot's), in one buffer allocated once: the training loop allocates nothing for it.
 */
export class LossTrace {
  private readonly losses = new Float32Array(MAX_LOSS_TRACE);
  private firstStep = 1;
  count = 0;

  push(step: number, loss: number): void {
    if (this.count === 0) this.firstStep = step;
    if (this.count === MAX_LOSS_TRACE) {
      // The page is not taking snapshots; keep the latest half and go on.
      const drop = MAX_LOSS_TRACE / 2;
      this.losses.copyWithin(0, drop);
      this.count -= drop;
      this.firstStep += drop;
    }
    this.losses[this.count++] = loss;
  }

  /** The steps traced so far, as a snapshot carries them; the trace starts over. */
  take(): NonNullable<Snapshot['lossTrace']> {
    const out = { firstStep: this.firstStep, losses: this.losses.slice(0, this.count) };
    this.count = 0;
    return out;
  }

  clear(): void {
    this.count = 0;
  }
}
