import { describe, expect, it } from 'vitest';
import type { PredictionGrid } from '../../worker/protocol';
import { binaryCellColor, CLASS_COLORS, classColor, DIVERGING, divergingColor, gridToPixels, HEATMAP_BACKGROUND, hexToRgb, mix, valueDomain, type Rgb } from './heatmap';

const extent = { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
const grid = (resolution: number, channels: number, values: number[]): PredictionGrid => ({ resolution, extent, channels, values: Float32Array.from(values) });
const pixel = (rgba: Uint8ClampedArray, i: number): number[] => Array.from(rgba.subarray(i * 4, i * 4 + 4));
const rounded = (c: Rgb): number[] => c.map(Math.round);
const background = hexToRgb(HEATMAP_BACKGROUND);
const classes = CLASS_COLORS.map(hexToRgb);
/** How far a color is from another (sum of channel differences). */
const distance = (a: ArrayLike<number>, b: ArrayLike<number>): number => [0, 1, 2].reduce((s, k) => s + Math.abs(a[k]! - b[k]!), 0);
/** The class whose color a pixel leans toward from the background (largest cosine of the two offsets). */
function leansTo(color: ArrayLike<number>, among: number[]): number {
  const offset = (c: ArrayLike<number>) => [0, 1, 2].map((k) => c[k]! - background[k]!);
  const cosine = (a: number[], b: number[]) => a.reduce((s, v, k) => s + v * b[k]!, 0) / (Math.hypot(...a) * Math.hypot(...b));
  return among.reduce((best, c) => (cosine(offset(color), offset(classes[c]!)) > cosine(offset(color), offset(classes[best]!)) ? c : best));
}

describe('color helpers', () => {
  it('parse hex and blend linearly, clamping t', () => {
    expect(hexToRgb('#6c72f4')).toEqual([0x6c, 0x72, 0xf4]);
    expect(mix([0, 0, 0], [200, 100, 50], 0.5)).toEqual([100, 50, 25]);
    expect(mix([0, 0, 0], [200, 100, 50], 2)).toEqual([200, 100, 50]);
    expect(mix([0, 0, 0], [200, 100, 50], -1)).toEqual([0, 0, 0]);
  });

  it('cycle class colors past the palette', () => {
    expect(classColor(0)).toBe(CLASS_COLORS[0]);
    expect(classColor(CLASS_COLORS.length + 1)).toBe(CLASS_COLORS[1]);
  });

  it('blend the two binary classes by P(class 1), fading to the background where the model is unsure', () => {
    const sure0 = binaryCellColor(0, classes, background);
    const sure1 = binaryCellColor(1, classes, background);
    const unsure = binaryCellColor(0.5, classes, background);
    expect(distance(sure0, classes[0]!)).toBeLessThan(distance(sure0, classes[1]!));
    expect(distance(sure1, classes[1]!)).toBeLessThan(distance(sure1, classes[0]!));
    expect(distance(unsure, background)).toBeLessThan(distance(sure0, background));
    expect(distance(unsure, background)).toBeLessThan(distance(sure1, background));
  });

  it('span a symmetric domain when values straddle zero, and color its ends and middle', () => {
    expect(valueDomain([-0.5, 0.2, 1])).toEqual({ lo: -1, hi: 1 });
    expect(valueDomain([2, 5])).toEqual({ lo: 2, hi: 5 });
    expect(valueDomain([3, 3])).toEqual({ lo: 2, hi: 4 });
    expect(valueDomain([Number.NaN])).toEqual({ lo: -1, hi: 1 });
    const domain = { lo: -1, hi: 1 };
    expect(rounded(divergingColor(-1, domain))).toEqual(hexToRgb(DIVERGING.low));
    expect(rounded(divergingColor(0, domain))).toEqual(hexToRgb(DIVERGING.mid));
    expect(rounded(divergingColor(1, domain))).toEqual(hexToRgb(DIVERGING.high));
    expect(rounded(divergingColor(9, domain))).toEqual(hexToRgb(DIVERGING.high));
  });
});

describe('gridToPixels', () => {
  it('draws one opaque RGBA pixel per cell, with y growing up (the first grid row is the bottom row)', () => {
    // 2 × 2 binary grid: bottom row sure of class 0, top row sure of class 1.
    const rgba = gridToPixels(grid(2, 1, [0, 0, 1, 1]), { kind: 'classification' });
    expect(rgba.length).toBe(2 * 2 * 4);
    const top = pixel(rgba, 0);
    const bottom = pixel(rgba, 2);
    expect(top[3]).toBe(255);
    expect(distance(top, classes[1]!)).toBeLessThan(distance(top, classes[0]!));
    expect(distance(bottom, classes[0]!)).toBeLessThan(distance(bottom, classes[1]!));
    expect(pixel(rgba, 1)).toEqual(top);
  });

  it('reads a two-channel softmax as binary, by the second channel', () => {
    const one = gridToPixels(grid(1, 1, [0.9]), { kind: 'classification' });
    const two = gridToPixels(grid(1, 2, [0.1, 0.9]), { kind: 'classification' });
    expect(pixel(two, 0)).toEqual(pixel(one, 0));
  });

  it('colors multiclass cells by the most likely class, stronger when it is more probable', () => {
    const rgba = gridToPixels(grid(2, 3, [0.1, 0.1, 0.8, 0.2, 0.7, 0.1, 0.34, 0.33, 0.33, 0.1, 0.45, 0.45]), { kind: 'classification' });
    // Cells 0, 1 are the bottom row (pixels 2, 3); cells 2, 3 the top row (pixels 0, 1).
    const sure2 = pixel(rgba, 2);
    const likely1 = pixel(rgba, 3);
    const unsure = pixel(rgba, 0);
    expect(leansTo(sure2, [0, 1, 2])).toBe(2);
    expect(leansTo(likely1, [0, 1, 2])).toBe(1);
    expect(distance(unsure, background)).toBeLessThan(distance(likely1, background));
  });

  it('maps regression values on the diverging scale, and shows the background for cells that are not numbers', () => {
    const rgba = gridToPixels(grid(2, 1, [-1, 1, 0, Number.NaN]), { kind: 'regression', domain: { lo: -1, hi: 1 } });
    const low = pixel(rgba, 2);
    const high = pixel(rgba, 3);
    const mid = pixel(rgba, 0);
    expect(distance(low, hexToRgb(DIVERGING.low))).toBeLessThan(distance(low, hexToRgb(DIVERGING.high)));
    expect(distance(high, hexToRgb(DIVERGING.high))).toBeLessThan(distance(high, hexToRgb(DIVERGING.low)));
    expect(distance(mid, hexToRgb(DIVERGING.mid))).toBeLessThan(30);
    expect(pixel(rgba, 1)).toEqual([...background, 255]);
  });
});
