/**
 * What a run has streamed so far, for charts and inspectors: the loss curve, the evaluations, and
 * every edge's gradient RMS over time. Kept in plain growable arrays outside React state (a
 * version number in the training store tells subscribers that it changed). When a series reaches
 * MAX_POINTS, every other point is dropped, so memory stays bounded and the curve keeps its shape.
 */
import { EDGE_STATS } from '../../engine/compiler/plan';
import type { Metrics } from '../../engine/train/metrics';
import type { Snapshot } from '../../worker/protocol';

export const MAX_POINTS = 4000;

export interface EvaluationPoint {
  step: number;
  epoch: number;
  train: Metrics;
  test: Metrics;
}

export class RunHistory {
  steps: number[] = [];
  trainLoss: number[] = [];
  /** Per edge, aligned with `steps`. */
  readonly edgeRms = new Map<string, number[]>();
  evaluations: EvaluationPoint[] = [];
  private edgeIds: readonly string[] = [];

  /** Starts over for a newly loaded graph (edges in the snapshot's packed order). */
  reset(edgeIds: readonly string[]): void {
    this.edgeIds = edgeIds;
    this.steps = [];
    this.trainLoss = [];
    this.evaluations = [];
    this.edgeRms.clear();
    for (const id of edgeIds) this.edgeRms.set(id, []);
  }

  /** Names the edges of the loaded graph (the snapshot's packed order) without dropping what was recorded since the reset. */
  setEdges(edgeIds: readonly string[]): void {
    this.edgeIds = edgeIds;
    for (const id of edgeIds) if (!this.edgeRms.has(id)) this.edgeRms.set(id, []);
  }

  /** Adds a snapshot; one before any step, or a repeat of the last step, adds nothing. Returns whether it added a point. */
  push(s: Snapshot): boolean {
    if (s.evaluation && this.evaluations.at(-1)?.step !== s.evaluation.step) this.evaluations.push(s.evaluation);
    if (s.step === 0) return false;
    const last = this.steps.at(-1);
    if (last !== undefined && s.step <= last) {
      // Reset to fresh weights: the step counter went back, so the curve starts over.
      if (s.step < last) this.reset(this.edgeIds);
      else return false;
    }
    this.steps.push(s.step);
    this.trainLoss.push(s.trainLoss);
    this.edgeIds.forEach((id, i) => this.edgeRms.get(id)!.push(s.edgeStats[i * EDGE_STATS]!));
    if (this.steps.length > MAX_POINTS) this.thin();
    return true;
  }

  private thin(): void {
    const keep = <T>(a: T[]): T[] => a.filter((_, i) => i % 2 === 1 || i === a.length - 1);
    this.steps = keep(this.steps);
    this.trainLoss = keep(this.trainLoss);
    for (const [id, series] of this.edgeRms) this.edgeRms.set(id, keep(series));
  }
}
