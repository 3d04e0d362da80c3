/**
 * Chart series from a run's history, in uPlot's aligned layout: one x array (steps) and one y
 * array per series, with null where a series has no point at that step. Pure, so it is tested
 * under Node; the charts call it at most once per animation frame.
 */
import type { EvaluationPoint } from '../training/history';

/** [steps, train, test]: the layout both time charts draw. */
export type ChartData = [number[], (number | null)[], (number | null)[]];

/** The part of RunHistory the charts read. */
export interface HistoryView {
  /** The steps of `trainLoss`. */
  lossSteps: readonly number[];
  trainLoss: readonly number[];
  evaluations: readonly EvaluationPoint[];
}

/** The metric beside the loss: accuracy for classifiers, mean absolute error for regression. */
export type ChartMetric = 'accuracy' | 'mae';

/** A value a chart can draw: finite, and positive on a log axis (anything else is a gap). */
function plottable(v: number | undefined, log: boolean): number | null {
  if (v === undefined || !Number.isFinite(v)) return null;
  return log && v <= 0 ? null : v;
}

/**
 * Train loss at every recorded step and test loss at every evaluation, on the union of their
 * steps (both lists ascend; an evaluation out of order, from a run that started over, is skipped).
 */
export function lossSeries(history: HistoryView, log = false): ChartData {
  const { lossSteps: steps, trainLoss, evaluations } = history;
  const xs: number[] = [];
  const train: (number | null)[] = [];
  const test: (number | null)[] = [];
  let i = 0;
  let j = 0;
  let lastEval = -Infinity;
  while (i < steps.length || j < evaluations.length) {
    const e = evaluations[j];
    if (e && e.step <= lastEval) {
      j++;
      continue;
    }
    const s = steps[i];
    if (e === undefined || (s !== undefined && s < e.step)) {
      xs.push(s!);
      train.push(plottable(trainLoss[i], log));
      test.push(null);
      i++;
    } else {
      xs.push(e.step);
      test.push(plottable(e.test.loss, log));
      train.push(s === e.step ? plottable(trainLoss[i], log) : null);
      if (s === e.step) i++;
      lastEval = e.step;
      j++;
    }
  }
  return [xs, train, test];
}

/** Train and test accuracy (or MAE) at each evaluation. */
export function metricSeries(history: HistoryView, metric: ChartMetric): ChartData {
  const xs: number[] = [];
  const train: (number | null)[] = [];
  const test: (number | null)[] = [];
  let lastEval = -Infinity;
  for (const e of history.evaluations) {
    if (e.step <= lastEval) continue;
    lastEval = e.step;
    xs.push(e.step);
    train.push(plottable(e.train[metric], false));
    test.push(plottable(e.test[metric], false));
  }
  return [xs, train, test];
}

/**
 * The value a legend shows for a series: at `idx` (the hovered point) or, where the series has a
 * gap there, the nearest point before it; with no idx, the series' latest value.
 */
export function valueAtOrBefore(values: readonly (number | null | undefined)[], idx: number | null): number | null {
  for (let k = Math.min(idx ?? values.length - 1, values.length - 1); k >= 0; k--) {
    const v = values[k];
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

export function formatLoss(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (!Number.isFinite(v)) return String(v);
  // A diverging run's numbers stay short enough for the legend: 6.7e+28, not 67146092247525000000000000000.0.
  if (a >= 1e5) return v.toExponential(1);
  return a >= 100 ? v.toFixed(1) : a >= 1 ? v.toFixed(3) : a >= 1e-3 ? v.toPrecision(3) : v.toExponential(1);
}

export function formatMetric(metric: ChartMetric, v: number): string {
  return metric === 'accuracy' ? `${(v * 100).toFixed(1)}%` : formatLoss(v);
}

/** Axis tick labels: compact, so the y axis stays narrow (1.2k, 0.05, 1e-4). */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6) return v.toExponential(0);
  if (a >= 1e4) return `${+(v / 1000).toFixed(0)}k`;
  if (a >= 1000) return `${+(v / 1000).toFixed(1)}k`;
  if (a < 1e-3) return v.toExponential(0);
  return String(+v.toPrecision(3));
}

/**
 * Tick values for a log axis: 1, 2 and 5 times each power of ten in [min, max], or only the
 * powers when the range spans more than three decades (uPlot's default marks every 1..9, which
 * crowds a short chart).
 */
export function logSplits(min: number, max: number): number[] {
  if (!(min > 0) || !(max >= min)) return [];
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const mantissas = hi - lo > 3 ? [1] : [1, 2, 5];
  const out: number[] = [];
  for (let e = lo; e <= hi; e++) {
    for (const m of mantissas) {
      const v = Number((m * 10 ** e).toPrecision(12));
      if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) out.push(v);
    }
  }
  return out;
}
