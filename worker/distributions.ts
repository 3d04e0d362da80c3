/**
 * Distributions over time (TensorBoard's distributions view): for every edge, the quantiles of its
 * gradient, and for every layer with weights, the quantiles of its weights, captured as training
 * goes and kept thinned. The page gets the series of the edge and the node it inspects.
 *
 * Captured with the step's statistics (at most once per snapshot). A capture is kept when it comes
 * at least `every` steps after the last one kept; one that comes sooner stands as the series' last
 * column until the next capture replaces it, so the series always ends at the latest step (the
 * step a paused run shows). When DISTRIBUTION_COLUMNS are full, every other kept column goes (the
 * first stays) and `every` doubles, so the series spans the whole run at an even spacing. Each
 * capture reads a strided sample of DISTRIBUTION_SAMPLE values per tensor (engine/train/histogram.ts).
 */
import type { Plan } from '../engine/compiler/plan';
import { QUANTILE_LEVELS, quantiles } from '../engine/train/histogram';
import type { DistributionSeries } from './protocol';

/** Columns kept per tensor. */
export const DISTRIBUTION_COLUMNS = 120;
/** Values sampled per tensor per capture. */
export const DISTRIBUTION_SAMPLE = 512;

const LEVELS = QUANTILE_LEVELS.length;

export class DistributionHistory {
  /** Steps apart that captures are at least. */
  private every = 1;
  private readonly steps = new Int32Array(DISTRIBUTION_COLUMNS);
  /** Columns kept. */
  private count = 0;
  /** The step of the column after them (a capture not kept), or −1 for none. */
  private pending = -1;
  /** Per edge (the plan's edge order): its gradient's columns. */
  private readonly gradients: Float32Array[];
  /** Per node (the plan's node order): its weights' columns, or null without weights. */
  private readonly weights: (Float32Array | null)[];
  private readonly scratch = new Float32Array(DISTRIBUTION_SAMPLE);
  /** Bumped by every capture and reset: what the page last got is stale when it differs. */
  version = 0;

  constructor(plan: Plan) {
    this.gradients = plan.edges.map(() => new Float32Array(DISTRIBUTION_COLUMNS * LEVELS));
    this.weights = plan.nodes.map((n) => (n.params.length > 0 ? new Float32Array(DISTRIBUTION_COLUMNS * LEVELS) : null));
  }

  /** Takes the current step's gradients and weights (kept when due, else as the last column for now); returns whether it took them. */
  capture(plan: Plan, step: number): boolean {
    if (step === 0 || step === this.pending || (this.count > 0 && step === this.steps[this.count - 1])) return false;
    if (this.count === DISTRIBUTION_COLUMNS) this.thin();
    const c = this.count;
    plan.edges.forEach((edge, i) => {
      const t = edge.tensor;
      const out = this.gradients[i]!.subarray(c * LEVELS, (c + 1) * LEVELS);
      if (t && t.grad.length > 0) quantiles([{ values: t.grad, size: t.size }], this.scratch, out);
      else out.fill(NaN);
    });
    plan.nodes.forEach((node, i) => {
      const columns = this.weights[i];
      if (columns) quantiles(node.params.map((p) => ({ values: p.value, size: p.size })), this.scratch, columns.subarray(c * LEVELS, (c + 1) * LEVELS));
    });
    this.steps[c] = step;
    const due = c === 0 || step - this.steps[c - 1]! >= this.every;
    if (due) this.count++;
    this.pending = due ? -1 : step;
    this.version++;
    return true;
  }

  /** Keeps columns 0, 2, 4, …: the first stays and the spacing doubles. */
  private thin(): void {
    const keep = Math.ceil(this.count / 2);
    const all = [...this.gradients, ...this.weights];
    for (let k = 0; k < keep; k++) {
      this.steps[k] = this.steps[2 * k]!;
      for (const columns of all) columns?.copyWithin(k * LEVELS, 2 * k * LEVELS, (2 * k + 1) * LEVELS);
    }
    this.count = keep;
    this.every *= 2;
  }

  /** Forgets every column (a reset run starts over). */
  clear(): void {
    this.count = 0;
    this.pending = -1;
    this.every = 1;
    this.version++;
  }

  /** The series of one edge's gradient, or of one node's weights (copies), or undefined when it has none. */
  series(plan: Plan, kind: 'gradient' | 'weights', id: string): DistributionSeries | undefined {
    const columns = kind === 'gradient' ? this.gradients[plan.edges.findIndex((e) => e.id === id)] : this.weights[plan.nodes.findIndex((n) => n.id === id)];
    const n = this.count + (this.pending >= 0 ? 1 : 0);
    if (!columns || n === 0) return undefined;
    return { levels: LEVELS, steps: this.steps.slice(0, n), quantiles: columns.slice(0, n * LEVELS) };
  }
}
