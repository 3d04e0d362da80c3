/**
 * What the Runs view draws, from kept runs: each chosen run's loss, test metric and gradient-by-
 * depth as lines, aligned on one x axis for uPlot (null where a run has no point at an x). Pure.
 */
import { depthProfile, finalLoss, firstToLastRatio, lastEvaluation, type RunRecord } from './record';

export type Line = [xs: readonly number[], ys: readonly (number | null)[]];
/** uPlot's aligned layout: the union of the xs, then one y array per line. */
export type Aligned = [number[], ...(number | null)[][]];

/** A value a log axis can draw, else a gap. */
const positive = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) && v > 0 ? v : null);
const finiteOrNull = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) ? v : null);

/** The train loss over steps (gaps where it was not finite or not positive: the axis is logarithmic). */
export function lossLine(r: RunRecord): Line {
  return [r.loss.steps, r.loss.values.map(positive)];
}

/** The test metric (accuracy, or MAE) at each evaluation. */
export function metricLine(r: RunRecord): Line {
  return [r.evaluations.map((e) => e.step), r.evaluations.map((e) => finiteOrNull(e.test[r.metric]))];
}

/** The gradient RMS by depth at a moment of the run (a share of its recorded steps; 1: the end). */
export function depthLine(r: RunRecord, at = 1): Line {
  const profile = depthProfile(r, at);
  return [profile.map((p) => p.depth), profile.map((p) => p.rms)];
}

/** Lines on the union of their xs (each line's xs ascending). */
export function alignLines(lines: readonly Line[]): Aligned {
  const xs = [...new Set(lines.flatMap(([x]) => x))].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const ys = lines.map(([x, y]) => {
    const out = new Array<number | null>(xs.length).fill(null);
    x.forEach((v, i) => (out[at.get(v)!] = y[i] ?? null));
    return out;
  });
  return [xs, ...ys];
}

/** The numbers a person compares runs by, as the table under the charts shows them. */
export interface RunFigures {
  steps: number;
  loss: number | null;
  /** The test metric at the last evaluation. */
  test: number | null;
  /** The first layers' gradient over the last layers' (depth profile), at the end. */
  ratio: number | null;
}

export function runFigures(r: RunRecord): RunFigures {
  const e = lastEvaluation(r);
  return { steps: r.steps, loss: finalLoss(r), test: finiteOrNull(e?.test[r.metric]), ratio: firstToLastRatio(depthProfile(r)) };
}

/** "1/2,400" for a small ratio, "0.42" or "3.1×" otherwise: how the first layers' gradient compares with the last ones'. */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio) || ratio <= 0) return '—';
  if (ratio < 0.1) return `1/${Math.round(1 / ratio).toLocaleString('en-US')}`;
  return ratio < 1 ? ratio.toFixed(2) : `${ratio.toPrecision(2)}×`;
}
