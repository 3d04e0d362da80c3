import { describe, expect, it } from 'vitest';
import { describeUnit, formatUnitValue, unitPixels, unitRange, unitScale } from './unitMaps';
import { unitMapsOn, UNIT_MAPS_AUTO_MAX_NODES } from '../state/ui';
import { DIVERGING, hexToRgb } from '../monitor/heatmap';
import type { UnitMaps } from '../../worker/protocol';

/** Two units on a 2×2 grid: unit 0 runs −2 … 1, unit 1 is dead (zero everywhere). */
const maps: UnitMaps = { nodeId: 'n2', units: 32, shown: 2, values: new Float32Array([-2, 0, 1, 0.5, 0, 0, 0, 0]) };

describe('unit maps', () => {
  it('read each unit’s range: around zero when it takes both signs, else its own least to greatest', () => {
    expect(unitRange(maps, 0)).toEqual({ min: -2, max: 1 });
    expect(unitScale(unitRange(maps, 0))).toEqual({ lo: -2, hi: 2 });
    expect(unitScale({ min: 0.4, max: 0.6 })).toEqual({ lo: 0.4, hi: 0.6 });
    expect(unitScale({ min: 0, max: 3 })).toEqual({ lo: 0, hi: 3 });
    expect(unitRange(maps, 1)).toEqual({ min: 0, max: 0 });
    expect(unitScale(unitRange(maps, 1))).toEqual({ lo: 0, hi: 0 });
    expect(unitRange({ ...maps, values: new Float32Array([NaN, NaN, NaN, NaN, 0, 0, 0, 0]) }, 0)).toEqual({ min: NaN, max: NaN });
  });

  it('color below zero orange and above zero blue, with the grid’s first row (yMin) at the bottom', () => {
    const px = unitPixels(maps, 0, 2);
    const at = (x: number, yFromTop: number) => Array.from(px.slice((yFromTop * 2 + x) * 4, (yFromTop * 2 + x) * 4 + 3));
    // Cell (0,0) of the grid, −2 = −scale: full orange, drawn bottom-left.
    expect(at(0, 1)).toEqual([...hexToRgb(DIVERGING.low)]);
    // Cell (1,0) is 0: the middle color, bottom-right.
    expect(at(1, 1)).toEqual([...hexToRgb(DIVERGING.mid)]);
    // Cell (0,1) is 1 = half the scale: blue at half strength, top-left; brighter blue than the middle.
    const [, , b] = at(0, 0);
    expect(b).toBeGreaterThan(hexToRgb(DIVERGING.mid)[2]);
    expect(b).toBeLessThan(hexToRgb(DIVERGING.high)[2]);
    // A dead unit is the middle color everywhere, not a division by zero.
    expect(Array.from(unitPixels(maps, 1, 2).slice(0, 3))).toEqual([...hexToRgb(DIVERGING.mid)]);
    // A sigmoid's unit, all above zero: its least output orange, its greatest blue.
    const sigmoid: UnitMaps = { nodeId: 'n3', units: 1, shown: 1, values: new Float32Array([0.4, 0.5, 0.5, 0.6]) };
    const sp = unitPixels(sigmoid, 0, 2);
    expect(Array.from(sp.slice(8, 11))).toEqual([...hexToRgb(DIVERGING.low)]); // cell (0,0) = 0.4, bottom-left
    expect(Array.from(sp.slice(4, 7))).toEqual([...hexToRgb(DIVERGING.high)]); // cell (1,1) = 0.6, top-right
  });

  it('say what a unit does in words', () => {
    expect(describeUnit(maps, 0)).toBe('Unit 1 of 32: from −2 to 1 over the input plane');
    expect(describeUnit(maps, 1)).toBe('Unit 2 of 32: 0 everywhere on the input plane');
    expect(formatUnitValue(0.012345)).toBe('0.0123');
    expect(formatUnitValue(-1234.5)).toBe('−1.2e+3');
  });

  it('are on by default for graphs of up to 30 layers, off above, and as toggled either way', () => {
    expect(UNIT_MAPS_AUTO_MAX_NODES).toBe(30);
    expect(unitMapsOn(null, 30)).toBe(true);
    expect(unitMapsOn(null, 31)).toBe(false);
    expect(unitMapsOn(true, 200)).toBe(true);
    expect(unitMapsOn(false, 5)).toBe(false);
  });
});
