/**
 * Unit maps (the canvas's per-unit pictures, as in TensorFlow Playground): what one unit of a Dense
 * or an activation outputs at every cell of the decision-boundary grid, colored on the diverging
 * scale (orange below zero, blue above), each unit scaled to its own largest |value|.
 */
import type { UnitMaps } from '../../worker/protocol';
import { DIVERGING, hexToRgb, mix } from '../monitor/heatmap';

/** The diverging scale in LEVELS steps from −1 to +1 (an odd count, so the middle one is exactly zero): pixels look colors up, no per-cell mixing. */
const LEVELS = 255;
const SCALE = (() => {
  const low = hexToRgb(DIVERGING.low);
  const mid = hexToRgb(DIVERGING.mid);
  const high = hexToRgb(DIVERGING.high);
  const table = new Uint8ClampedArray(LEVELS * 3);
  for (let k = 0; k < LEVELS; k++) {
    const t = (2 * k) / (LEVELS - 1) - 1;
    const c = t < 0 ? mix(mid, low, -t) : mix(mid, high, t);
    table.set(c, k * 3);
  }
  return table;
})();

/** A unit's least and greatest output over the grid (NaN for both when none is finite). */
export function unitRange(maps: UnitMaps, unit: number): { min: number; max: number } {
  const cells = maps.values.length / maps.shown;
  let min = Infinity;
  let max = -Infinity;
  for (let k = unit * cells; k < (unit + 1) * cells; k++) {
    const v = maps.values[k]!;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min > max ? { min: NaN, max: NaN } : { min, max };
}

/**
 * The values a unit's colors run between: −m … +m around zero (m its largest |output|) when its
 * outputs take both signs, so orange is below zero and blue above; else its own least … greatest
 * output (a sigmoid's 0.4 … 0.6, a ReLU's 0 … 3), so the picture shows how it varies rather than
 * one flat color. [0, 0] for a unit that is constant or has no finite output.
 */
export function unitScale(range: { min: number; max: number }): { lo: number; hi: number } {
  if (!Number.isFinite(range.min) || !Number.isFinite(range.max) || range.min === range.max) return { lo: 0, hi: 0 };
  if (range.min < 0 && range.max > 0) {
    const m = Math.max(-range.min, range.max);
    return { lo: -m, hi: m };
  }
  return { lo: range.min, hi: range.max };
}

/**
 * One unit's map as RGBA pixels, `resolution` × `resolution`, top row first (the grid's rows run
 * from yMin upward, so they are flipped, as the decision boundary's are), on its unitScale: orange
 * at `lo`, the middle color halfway, blue at `hi`. A constant unit (a dead ReLU) is all the middle
 * color; a non-finite cell shows it too.
 */
export function unitPixels(maps: UnitMaps, unit: number, resolution: number): Uint8ClampedArray<ArrayBuffer> {
  const cells = resolution * resolution;
  const { lo, hi } = unitScale(unitRange(maps, unit));
  const span = hi - lo;
  const out = new Uint8ClampedArray(cells * 4);
  for (let row = 0; row < resolution; row++) {
    for (let i = 0; i < resolution; i++) {
      const v = maps.values[unit * cells + row * resolution + i]!;
      const t = span > 0 && Number.isFinite(v) ? Math.max(-1, Math.min(1, (2 * (v - lo)) / span - 1)) : 0;
      const k = Math.round(((t + 1) / 2) * (LEVELS - 1)) * 3;
      const p = ((resolution - 1 - row) * resolution + i) * 4;
      out[p] = SCALE[k]!;
      out[p + 1] = SCALE[k + 1]!;
      out[p + 2] = SCALE[k + 2]!;
      out[p + 3] = 255;
    }
  }
  return out;
}

/** A number for a unit map's labels: 3 significant digits, a true minus sign. */
export function formatUnitValue(v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (v === 0) return '0';
  const a = Math.abs(v);
  const text = a >= 1000 || a < 0.001 ? v.toExponential(1) : v.toPrecision(3).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  return text.replace('-', '−');
}

/** What a unit's map says, for its accessible name: "Unit 3 of 32: from −0.52 to 1.9 over the input plane". */
export function describeUnit(maps: UnitMaps, unit: number): string {
  const { min, max } = unitRange(maps, unit);
  const span = Number.isNaN(min) ? 'no finite output' : min === max ? `${formatUnitValue(min)} everywhere on the input plane` : `from ${formatUnitValue(min)} to ${formatUnitValue(max)} over the input plane`;
  return `Unit ${unit + 1} of ${maps.units}: ${span}`;
}
