import { describe, expect, it } from 'vitest';
import { ALARM_COLOR, easeRange, edgeColor, legendTicks, mapColor, NO_DATA_COLOR, robustRange } from './edgeColors';

describe('edge colors', () => {
  it('grey before data, alarm for infinite (or NaN after divergence), the map otherwise', () => {
    const range = { lo: -4, hi: -1 };
    expect(edgeColor(undefined, 'gradRms', range)).toBe(NO_DATA_COLOR);
    expect(edgeColor(NaN, 'gradRms', range)).toBe(NO_DATA_COLOR);
    expect(edgeColor(NaN, 'gradRms', range, true)).toBe(ALARM_COLOR);
    expect(edgeColor(Infinity, 'gradRms', range)).toBe(ALARM_COLOR);
    expect(edgeColor(1e-4, 'gradRms', range)).toBe(mapColor(0));
    expect(edgeColor(1e-1, 'gradRms', range)).toBe(mapColor(1));
    expect(edgeColor(10 ** -2.5, 'gradRms', range)).toBe(mapColor(0.5));
    expect(edgeColor(1e-3, 'gradRms', null)).toBe(NO_DATA_COLOR);
  });

  it('uses a robust range: one outlier does not squash the others', () => {
    const values = [...Array.from({ length: 19 }, (_, i) => 1e-3 * (1 + i / 19)), 1e6];
    const r = robustRange(values, 'gradRms')!;
    expect(r.hi).toBeLessThan(2);
    expect(r.lo).toBeGreaterThan(-3.6);
    expect(robustRange([NaN, 0], 'gradRms')).toBeNull();
  });

  it('is at least one decade wide', () => {
    const r = robustRange([1e-3, 1e-3, 1e-3], 'gradRms')!;
    expect(r.hi - r.lo).toBeCloseTo(1);
  });

  it('widens fast and narrows slowly', () => {
    const wide = easeRange({ lo: -3, hi: -1 }, { lo: -5, hi: -1 });
    expect(wide.lo).toBeCloseTo(-4);
    const narrow = easeRange({ lo: -5, hi: -1 }, { lo: -3, hi: -1 });
    expect(narrow.lo).toBeLessThan(-4.5);
  });

  it('labels the legend with powers of ten in real numbers', () => {
    const ticks = legendTicks({ lo: -6, hi: -1 }, 'gradRms');
    expect(ticks.map((t) => t.label)).toContain('1e-6');
    expect(ticks.map((t) => t.label)).toContain('0.1');
    for (const t of ticks) expect(t.t).toBeGreaterThanOrEqual(0);
  });
});
