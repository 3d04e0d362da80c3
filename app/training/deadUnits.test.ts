import { describe, expect, it } from 'vitest';
import { deadUnits, formatDeadUnits, formatZeros } from './deadUnits';

describe('dead units versus sparsity', () => {
  it('counts dead units out of the units of the last axis: 3 of 32 for a Dense 32, 2 of 16 for 16 filters', () => {
    expect(formatDeadUnits(deadUnits(3 / 32, [32])!)).toBe('3 of 32');
    expect(formatDeadUnits(deadUnits(2 / 16, [14, 14, 16])!)).toBe('2 of 16');
    expect(deadUnits(0, [8])).toEqual({ dead: 0, units: 8, worrying: false });
  });

  it('worries only when a real share of the layer is dead', () => {
    expect(deadUnits(1 / 32, [32])!.worrying).toBe(false);
    expect(deadUnits(8 / 32, [32])!.worrying).toBe(true);
  });

  it('says nothing before data or for a non-finite reading', () => {
    expect(deadUnits(undefined, [32])).toBeUndefined();
    expect(deadUnits(NaN, [32])).toBeUndefined();
    expect(deadUnits(0.5, undefined)).toBeUndefined();
  });

  it('reads zeros as a share of outputs, without rounding a few to none or nearly all to all', () => {
    expect(formatZeros(0.52)).toBe('52% of outputs');
    expect(formatZeros(0.002)).toBe('<1% of outputs');
    expect(formatZeros(0.998)).toBe('>99% of outputs');
    expect(formatZeros(1)).toBe('100% of outputs');
    expect(formatZeros(undefined)).toBe('—');
  });
});
