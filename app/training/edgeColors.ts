/**
 * How edges are colored by what flows along them (DESIGN.md, "Per-edge gradients"): a statistic
 * per edge, its log10 on a perceptual sequential color map (plasma), over a range that adapts to
 * the run robustly (5th to 95th percentile, eased over snapshots) unless frozen. Grey before data;
 * an alarm color for non-finite values. Also the gradient-health flags, with their thresholds.
 */
import { interpolatePlasma } from 'd3-scale-chromatic';
import { scaleLog } from 'd3-scale';
import type { EdgeStatName } from '../../engine/compiler/plan';

export type EdgeMetric = 'gradRms' | 'actStd' | 'deadFraction';

export interface MetricInfo {
  label: string;
  /** Which of the edge's snapshot numbers it shows. */
  stat: EdgeStatName;
  log: boolean;
  /** What the colors mean, for the legend and the help popover. */
  help: string;
}

export const EDGE_METRICS: Readonly<Record<EdgeMetric, MetricInfo>> = {
  gradRms: { label: 'Gradient RMS', stat: 'gradRms', log: true, help: 'Root mean square of dL/dx flowing back along the edge, over the batch.' },
  actStd: { label: 'Activation std', stat: 'actStd', log: true, help: 'Standard deviation of the values the edge carries forward.' },
  deadFraction: {
    label: 'Dead units',
    stat: 'deadFraction',
    log: false,
    help: 'Share of the units (features or channels) that are zero for every sample in the batch: dead ReLU units, which pass no gradient back. Not sparsity: a ReLU with half its outputs at zero is healthy.',
  },
};

/** Colors outside the map. */
export const NO_DATA_COLOR = '#5a5e6b';
export const ALARM_COLOR = '#ef4b5b';

/** The part of plasma that stays visible on the dark canvas (its darkest blues vanish into it). */
const MAP_START = 0.12;

/** The smallest range shown, in decades, so near-equal values do not fill the whole map. */
const MIN_DECADES = 1;
/** How far the range moves toward a new snapshot's range (0..1); it widens faster than it narrows. */
const EASE_WIDEN = 0.5;
const EASE_NARROW = 0.08;

/** A value's color for `t` in [0, 1] along the map. */
export function mapColor(t: number): string {
  const c = Math.min(1, Math.max(0, t));
  return interpolatePlasma(MAP_START + (1 - MAP_START) * c);
}

/** The range on which colors are laid out: log10 units for log metrics, raw for the others. */
export interface ColorRange {
  lo: number;
  hi: number;
}

export function toScale(value: number, metric: EdgeMetric): number {
  return EDGE_METRICS[metric].log ? Math.log10(value) : value;
}

/**
 * Whether a value is an alarm: infinite, or NaN in a run that diverged. (An edge that does not
 * lead to the output has no gradient and reads NaN in a healthy run: that is "no data".)
 */
export function isAlarm(value: number | undefined, diverged: boolean): boolean {
  return value !== undefined && (value === Infinity || value === -Infinity || (Number.isNaN(value) && diverged));
}

/** The color of a value, or grey (no data) / alarm (non-finite). */
export function edgeColor(value: number | undefined, metric: EdgeMetric, range: ColorRange | null, diverged = false): string {
  if (isAlarm(value, diverged)) return ALARM_COLOR;
  if (value === undefined || !Number.isFinite(value) || !range) return NO_DATA_COLOR;
  const info = EDGE_METRICS[metric];
  if (info.log && value <= 0) return mapColor(0);
  const t = (toScale(value, metric) - range.lo) / (range.hi - range.lo || 1);
  return mapColor(t);
}

/** Stroke width for a position along the range: magnitude read twice, by color and by width. */
export function edgeWidth(value: number | undefined, metric: EdgeMetric, range: ColorRange | null): number {
  if (value === undefined || !Number.isFinite(value) || !range) return 2.25;
  const t = (toScale(Math.max(value, 1e-30), metric) - range.lo) / (range.hi - range.lo || 1);
  return 1.5 + 3 * Math.min(1, Math.max(0, t));
}

function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const i = Math.floor(pos);
  const f = pos - i;
  return i + 1 < sorted.length ? sorted[i]! * (1 - f) + sorted[i + 1]! * f : sorted[i]!;
}

/** The robust range of a snapshot's values: 5th to 95th percentile, at least MIN_DECADES wide (log metrics). */
export function robustRange(values: readonly number[], metric: EdgeMetric): ColorRange | null {
  const info = EDGE_METRICS[metric];
  if (!info.log) return { lo: 0, hi: 1 };
  const logs = values.filter((v) => Number.isFinite(v) && v > 0).map(Math.log10).sort((a, b) => a - b);
  if (logs.length === 0) return null;
  let lo = quantile(logs, 0.05);
  let hi = quantile(logs, 0.95);
  if (hi - lo < MIN_DECADES) {
    const mid = (lo + hi) / 2;
    lo = mid - MIN_DECADES / 2;
    hi = mid + MIN_DECADES / 2;
  }
  return { lo, hi };
}

/** Moves the shown range toward a new one: quickly when it must widen, slowly when it may narrow, so colors do not flicker. */
export function easeRange(current: ColorRange | null, target: ColorRange): ColorRange {
  if (!current) return target;
  const lo = current.lo + (target.lo - current.lo) * (target.lo < current.lo ? EASE_WIDEN : EASE_NARROW);
  const hi = current.hi + (target.hi - current.hi) * (target.hi > current.hi ? EASE_WIDEN : EASE_NARROW);
  return { lo, hi };
}

/** Legend ticks in real numbers over a range (log metrics: powers of ten). */
export function legendTicks(range: ColorRange, metric: EdgeMetric): { t: number; label: string }[] {
  if (!EDGE_METRICS[metric].log) return [0, 0.25, 0.5, 0.75, 1].map((v) => ({ t: v, label: `${Math.round(v * 100)}%` }));
  const scale = scaleLog().domain([10 ** range.lo, 10 ** range.hi]);
  const ticks = scale.ticks(4).filter((v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9);
  const chosen = ticks.length >= 2 ? ticks : [10 ** range.lo, 10 ** range.hi];
  return chosen.map((v) => ({ t: (Math.log10(v) - range.lo) / (range.hi - range.lo), label: formatMagnitude(v) }));
}

export function formatMagnitude(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const e = Math.floor(Math.log10(Math.abs(v)));
  if (e >= -2 && e <= 3) return Number(v.toPrecision(2)).toString();
  const m = v / 10 ** e;
  return Math.abs(m - 1) < 1e-9 ? `1e${e}` : `${m.toFixed(1)}e${e}`;
}

// ---- Gradient health ---------------------------------------------------------------------------

/** An edge whose gradient RMS is this many times smaller than the loss side's is flagged as vanishing. */
export const VANISHING_FACTOR = 100;
/** An edge whose gradient RMS is this many times larger than the loss side's is flagged as exploding (hidden-layer gradients of a healthy, well-fit network often sit 10-30× above the small loss-side gradient, so 10× gave false alarms). */
export const EXPLODING_FACTOR = 100;

export type Health = 'vanishing' | 'exploding';

/** A flagged edge: which way its gradient is off, and by how much (rms / reference: finite and above 0). */
export interface HealthReading {
  health: Health;
  ratio: number;
}

/**
 * An edge's gradient RMS over the loss side's, or undefined when either is missing, zero or not
 * finite: after a divergence, or on an edge whose gradient is exactly 0, there is no ratio to print
 * ("1/Infinity" said nothing true).
 */
export function gradientRatio(rms: number | undefined, reference: number | undefined): number | undefined {
  if (rms === undefined || reference === undefined || !(rms > 0 && rms < Infinity) || !(reference > 0 && reference < Infinity)) return undefined;
  const ratio = rms / reference;
  return ratio > 0 && Number.isFinite(ratio) && Number.isFinite(1 / ratio) ? ratio : undefined;
}

/** Vanishing or exploding against the loss side, or null (also when there is no finite ratio). */
export function gradientHealth(rms: number | undefined, reference: number | undefined): HealthReading | null {
  const ratio = gradientRatio(rms, reference);
  if (ratio === undefined) return null;
  if (ratio * VANISHING_FACTOR < 1) return { health: 'vanishing', ratio };
  if (ratio > EXPLODING_FACTOR) return { health: 'exploding', ratio };
  return null;
}

/** "300×" or "1/300" for a finite ratio above 0. */
export function formatRatio(ratio: number): string {
  return ratio >= 1 ? `${formatMagnitude(ratio)}×` : `1/${formatMagnitude(1 / ratio)}`;
}
