/**
 * A tensor's distribution over training as a heat strip (TensorBoard's distributions view): at
 * each captured step, nested bands between its quantiles — the whole range, the middle 90%, 80%, …
 * 10% — stacked in one color so they darken toward the median, which is drawn as a line. uPlot
 * draws it (bands between quantile series); new data goes in with setData; width follows the box.
 */
import { useMemo } from 'react';
import type uPlot from 'uplot';
import type { DistributionSeries } from '../../worker/protocol';
import { CHART_AXIS as AXIS, tickValues, useUplot } from './useUplot';

export interface DistributionChartProps {
  /** Names the chart for assistive technology. */
  label: string;
  series: DistributionSeries;
  color: string;
  height?: number;
  xFormat?: (v: number) => string;
  yFormat?: (v: number) => string;
}

/** uPlot's data: the steps, then one series per quantile. */
export function distributionData(s: DistributionSeries): number[][] {
  const columns = s.steps.length;
  const out: number[][] = [Array.from(s.steps)];
  for (let k = 0; k < s.levels; k++) out.push(Array.from({ length: columns }, (_, c) => s.quantiles[c * s.levels + k]!));
  return out;
}

export function DistributionChart({ label, series, color, height = 120, xFormat, yFormat }: DistributionChartProps) {
  const levels = series.levels;
  const mid = (levels - 1) / 2;
  const data = useMemo(() => distributionData(series) as unknown as uPlot.AlignedData, [series]);
  const host = useUplot(
    (width): uPlot.Options => ({
      width,
      height,
      legend: { show: false },
      cursor: { show: true, points: { show: false }, drag: { x: false, y: false } },
      scales: { x: { time: false }, y: { auto: true } },
      axes: [
        { ...AXIS, ...tickValues(xFormat) },
        { ...AXIS, size: 44, space: 18, ...tickValues(yFormat) },
      ],
      series: [
        {},
        ...Array.from({ length: levels }, (_, k): uPlot.Series => (k === mid ? { stroke: color, width: 1.5, points: { show: false } } : { stroke: 'transparent', width: 0, points: { show: false } })),
      ],
      // Quantile k pairs with levels − 1 − k: the whole range, then the middle 90%, 80%, …; each band adds its shade.
      bands: Array.from({ length: Math.floor(mid) }, (_, k) => ({ series: [levels - k, k + 1] as [number, number], fill: `${color}26` })),
    }),
    data,
    [levels, color, height],
  );

  return <div ref={host} role="img" aria-label={label} className="w-full" />;
}
