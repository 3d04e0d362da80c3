/**
 * Colors of the data views: one color per class, a diverging scale for regression values, and
 * the decision-boundary grid turned into RGBA pixels. Confident regions are drawn strongly and
 * uncertain ones fade into the dark background, so the boundary itself reads as a dark seam
 * (the dark-theme take on TF Playground's white one).
 */
import type { PredictionGrid } from '../../worker/protocol';

export type Rgb = readonly [number, number, number];

/** Class colors, chosen to stay apart from each other on the dark background. */
export const CLASS_COLORS = ['#f08a3c', '#3d9be9', '#3ccf91', '#e55c8a', '#a77cf2', '#e8d14a', '#4fc9d1', '#ef4b5b', '#9bbf4a', '#b0b3bd'] as const;

/** Regression values: low to high (orange, through a dark neutral, to blue). */
export const DIVERGING = { low: '#f08a3c', mid: '#23252c', high: '#3d9be9' } as const;

/** What an uncertain cell fades into: a shade under the panel color. */
export const HEATMAP_BACKGROUND = '#101116';

/** How strongly a cell shows its color at no confidence and at full confidence. */
const MIN_STRENGTH = 0.1;
const MAX_STRENGTH = 0.52;

export function classColor(c: number): string {
  return CLASS_COLORS[((c % CLASS_COLORS.length) + CLASS_COLORS.length) % CLASS_COLORS.length]!;
}

export function hexToRgb(hex: string): Rgb {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function rgbToCss([r, g, b]: Rgb): string {
  return `rgb(${Math.round(r)} ${Math.round(g)} ${Math.round(b)})`;
}

/** Linear blend from `a` (t = 0) to `b` (t = 1); t is clamped. */
export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  const u = Math.min(1, Math.max(0, t));
  return [a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u, a[2] + (b[2] - a[2]) * u];
}

/** The range a regression color scale spans: symmetric about 0 when the values straddle it. */
export interface ValueDomain {
  lo: number;
  hi: number;
}

export function valueDomain(values: ArrayLike<number>): ValueDomain {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return { lo: -1, hi: 1 };
  if (lo < 0 && hi > 0) {
    const m = Math.max(-lo, hi);
    return { lo: -m, hi: m };
  }
  if (lo === hi) return { lo: lo - 1, hi: hi + 1 };
  return { lo, hi };
}

const LOW = hexToRgb(DIVERGING.low);
const MID = hexToRgb(DIVERGING.mid);
const HIGH = hexToRgb(DIVERGING.high);

/** A value's color on the diverging scale over `domain` (clamped at the ends). */
export function divergingColor(v: number, domain: ValueDomain): Rgb {
  const t = (2 * (v - domain.lo)) / (domain.hi - domain.lo) - 1;
  return t < 0 ? mix(MID, LOW, -t) : mix(MID, HIGH, t);
}

/** Binary: the two class colors blended by P(class 1), fading toward the background where p ≈ 0.5. */
export function binaryCellColor(p: number, classes: readonly Rgb[], background: Rgb): Rgb {
  const confidence = Math.abs(2 * p - 1);
  return mix(background, mix(classes[0]!, classes[1]!, p), MIN_STRENGTH + (MAX_STRENGTH - MIN_STRENGTH) * confidence);
}

/** Multiclass: the color of the most likely class, stronger the more probable it is. */
export function multiclassCellColor(probabilities: ArrayLike<number>, offset: number, k: number, classes: readonly Rgb[], background: Rgb): Rgb {
  let best = 0;
  for (let c = 1; c < k; c++) if (probabilities[offset + c]! > probabilities[offset + best]!) best = c;
  const p = probabilities[offset + best]!;
  const confidence = (p - 1 / k) / (1 - 1 / k);
  return mix(background, classes[best % classes.length]!, MIN_STRENGTH + (MAX_STRENGTH - MIN_STRENGTH) * confidence);
}

export type HeatmapMode = { kind: 'classification' } | { kind: 'regression'; domain: ValueDomain };

/**
 * A 2D grid as RGBA pixels, `resolution` × `resolution`, top row first. The grid's rows run from
 * yMin upward, so they are flipped: the picture has y growing up, like a plot. A cell that is not
 * a number (a diverged model) shows the background.
 */
export function gridToPixels(grid: PredictionGrid, mode: HeatmapMode): Uint8ClampedArray<ArrayBuffer> {
  const { resolution: n, channels, values } = grid;
  const out = new Uint8ClampedArray(n * n * 4);
  const background = hexToRgb(HEATMAP_BACKGROUND);
  const classes = CLASS_COLORS.map(hexToRgb);
  for (let row = 0; row < n; row++) {
    for (let i = 0; i < n; i++) {
      const cell = row * n + i;
      const o = cell * channels;
      let color: Rgb;
      if (!Number.isFinite(values[o]!)) color = background;
      else if (mode.kind === 'regression') color = mix(background, divergingColor(values[o]!, mode.domain), 0.85);
      else if (channels === 1) color = binaryCellColor(values[o]!, classes, background);
      else if (channels === 2) color = binaryCellColor(values[o + 1]!, classes, background);
      else color = multiclassCellColor(values, o, channels, classes, background);
      const p = ((n - 1 - row) * n + i) * 4;
      out[p] = color[0];
      out[p + 1] = color[1];
      out[p + 2] = color[2];
      out[p + 3] = 255;
    }
  }
  return out;
}
