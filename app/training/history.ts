/**
 * What a run has streamed so far, for charts and inspectors: the loss curve, the evaluations, and
 * every edge's gradient RMS over time. Kept in plain growable arrays outside React state (a
 * version number in the training store tells subscribers that it changed). When a series reaches
 * MAX_POINTS, every other point is dropped, so memory stays bounded and the curve keeps its shape.
 */
import { EDGE_STAT, EDGE_STATS } from '../../engine/compiler/plan';
import type { EvaluationPoint, SettingChange, Snapshot } from '../../worker/protocol';

export const MAX_POINTS = 4000;
/** Rows kept of each sequence edge's gradient-through-time history (thinned like the other series). */
export const MAX_TIME_ROWS = 240;

/** One sequence edge's gradient RMS per time step, one row per snapshot. */
export interface TimeHistory {
  steps: number[];
  rows: Float32Array[];
}

export type { EvaluationPoint };

export class RunHistory {
  /** Steps that have edge statistics (one per snapshot). */
  steps: number[] = [];
  /** Every step's batch loss (from the snapshots' loss traces), at `lossSteps`. */
  lossSteps: number[] = [];
  trainLoss: number[] = [];
  /** Per edge, aligned with `steps`. */
  readonly edgeRms = new Map<string, number[]>();
  evaluations: EvaluationPoint[] = [];
  /** Live setting changes during the run (the loss chart marks learning-rate changes). */
  settingChanges: SettingChange[] = [];
  /** Sequence edges only: the gradient RMS at each time step over training. */
  readonly timeRms = new Map<string, TimeHistory>();
  private edgeIds: readonly string[] = [];
  /** Per edge, its time steps (0 for edges that do not carry a sequence) and where they sit in a snapshot's edgeTimeRms. */
  private timeLayout: { id: string; steps: number; offset: number }[] = [];

  /** Starts over for a newly loaded graph (edges in the snapshot's packed order). */
  reset(edgeIds: readonly string[], edgeTimeSteps: readonly number[] = []): void {
    this.edgeIds = edgeIds;
    this.layoutTime(edgeIds, edgeTimeSteps);
    this.steps = [];
    this.lossSteps = [];
    this.trainLoss = [];
    this.evaluations = [];
    this.settingChanges = [];
    this.edgeRms.clear();
    for (const id of edgeIds) this.edgeRms.set(id, []);
    this.timeRms.clear();
    for (const t of this.timeLayout) this.timeRms.set(t.id, { steps: [], rows: [] });
  }

  private layoutTime(edgeIds: readonly string[], edgeTimeSteps: readonly number[]): void {
    let offset = 0;
    this.timeLayout = [];
    edgeIds.forEach((id, i) => {
      const steps = edgeTimeSteps[i] ?? 0;
      if (steps > 0) this.timeLayout.push({ id, steps, offset });
      offset += steps;
    });
  }

  /** Names the edges of the loaded graph (the snapshot's packed order) without dropping what was recorded since the reset. */
  setEdges(edgeIds: readonly string[], edgeTimeSteps: readonly number[] = []): void {
    this.edgeIds = edgeIds;
    for (const id of edgeIds) if (!this.edgeRms.has(id)) this.edgeRms.set(id, []);
    this.layoutTime(edgeIds, edgeTimeSteps);
    for (const t of this.timeLayout) if (!this.timeRms.has(t.id)) this.timeRms.set(t.id, { steps: [], rows: [] });
  }

  /** Adds a snapshot; one before any step, or a repeat of the last step, adds nothing. Returns whether it added a point. */
  push(s: Snapshot): boolean {
    const last = this.steps.at(-1) ?? this.lossSteps.at(-1);
    // Reset to fresh weights (its snapshot is at step 0): the step counter went back, so the curves start over.
    if (last !== undefined && s.step < last) this.reset(this.edgeIds, this.timeStepsByEdge());
    for (const e of s.evaluations ?? (s.evaluation ? [s.evaluation] : [])) {
      if (e.step > (this.evaluations.at(-1)?.step ?? -1)) this.evaluations.push(e);
    }
    if (this.evaluations.length > MAX_POINTS) this.evaluations = thinned(this.evaluations);
    if (s.settingChanges) this.settingChanges.push(...s.settingChanges);
    if (s.step === 0 || s.step === this.steps.at(-1)) return false;
    this.steps.push(s.step);
    this.pushLosses(s);
    this.edgeIds.forEach((id, i) => this.edgeRms.get(id)!.push(s.edgeStats[i * EDGE_STATS + EDGE_STAT.gradRms]!));
    if (s.edgeTimeRms) this.pushTime(s.step, s.edgeTimeRms);
    if (this.steps.length > MAX_POINTS) {
      this.steps = thinned(this.steps);
      for (const [id, series] of this.edgeRms) this.edgeRms.set(id, thinned(series));
    }
    return true;
  }

  private timeStepsByEdge(): number[] {
    const byId = new Map(this.timeLayout.map((t) => [t.id, t.steps]));
    return this.edgeIds.map((id) => byId.get(id) ?? 0);
  }

  private pushTime(step: number, packed: Float32Array): void {
    for (const { id, steps, offset } of this.timeLayout) {
      if (offset + steps > packed.length) continue;
      const h = this.timeRms.get(id)!;
      h.steps.push(step);
      h.rows.push(packed.slice(offset, offset + steps));
      if (h.steps.length > MAX_TIME_ROWS) {
        h.steps = thinned(h.steps);
        h.rows = thinned(h.rows);
      }
    }
  }

  /** The trace's steps after the last recorded one (or, without a trace, the snapshot's own batch loss). */
  private pushLosses(s: Snapshot): void {
    const lastStep = this.lossSteps.at(-1) ?? 0;
    const trace = s.lossTrace;
    if (!trace) {
      this.lossSteps.push(s.step);
      this.trainLoss.push(s.trainLoss);
    } else {
      for (let k = 0; k < trace.losses.length; k++) {
        const step = trace.firstStep + k;
        if (step <= lastStep) continue;
        this.lossSteps.push(step);
        this.trainLoss.push(trace.losses[k]!);
      }
    }
    while (this.lossSteps.length > MAX_POINTS) {
      this.lossSteps = thinned(this.lossSteps);
      this.trainLoss = thinned(this.trainLoss);
    }
  }
}

/** Every other point, always keeping the last. */
function thinned<T>(a: T[]): T[] {
  return a.filter((_, i) => i % 2 === 1 || i === a.length - 1);
}
