/**
 * Several runs' lines on one uPlot chart (the Runs view): one color per run, gaps bridged so a run
 * sampled at other steps still draws a line, dots where a line has few points. The legend is the
 * caller's (one for all the charts of the view).
 */
import type uPlot from 'uplot';
import type { Aligned } from '../runs/compare';
import { logSplits } from '../monitor/series';
import { CHART_AXIS as AXIS, tickValues, useUplot } from './useUplot';

export interface OverlayChartProps {
  /** Names the chart for assistive technology. */
  label: string;
  data: Aligned;
  colors: readonly string[];
  logY?: boolean;
  /** Dots at every point (a line of a dozen points, such as gradient by depth). */
  points?: boolean;
  height?: number;
  xFormat?: (v: number) => string;
  yFormat?: (v: number) => string;
  /** The y axis fixed to [0, 1] (accuracy). */
  unit?: boolean;
}

export function OverlayChart({ label, data, colors, logY = false, points = false, height = 170, xFormat, yFormat, unit = false }: OverlayChartProps) {
  const host = useUplot(
    (width): uPlot.Options => ({
      width,
      height,
      legend: { show: false },
      cursor: { show: true, points: { size: 6 }, drag: { x: false, y: false } },
      scales: { x: { time: false }, y: logY ? { distr: 3 } : unit ? { auto: false, range: [0, 1] } : { auto: true } },
      axes: [
        { ...AXIS, ...tickValues(xFormat) },
        {
          ...AXIS,
          size: 46,
          ...tickValues(yFormat),
          // uPlot's log ticks are every 1..9 multiple, a wall of grid lines over several decades: 1-2-5, or powers of ten only.
          ...(logY ? { splits: (u: uPlot) => logSplits(u.scales.y!.min ?? 1, u.scales.y!.max ?? 1) } : {}),
        },
      ],
      series: [{}, ...colors.map((color): uPlot.Series => ({ stroke: color, width: 1.75, spanGaps: true, points: { show: points, size: 5, fill: color } }))],
    }),
    data as unknown as uPlot.AlignedData,
    [colors.join(), logY, points, height, unit],
  );
  return <div ref={host} role="img" aria-label={label} className="w-full" />;
}
