import uPlot from 'uplot';
import { CHART_AXIS as AXIS, tickValues, useUplot } from './useUplot';

export interface MiniChartProps {
  /** Names the chart for assistive technology. */
  label: string;
  /** x values and one series of y values. */
  data: [readonly number[], readonly (number | null)[]];
  kind: 'line' | 'bars';
  color: string;
  logY?: boolean;
  /** A horizontal guide line (e.g. the ~1e-3 update ratio). */
  guide?: number;
  height?: number;
  xFormat?: (v: number) => string;
  yFormat?: (v: number) => string;
}

/**
 * A small uPlot chart for the inspectors: a line (optionally on a log axis) or bars. The instance
 * lives while its options stay the same; new data goes in with setData; width follows the box.
 */
export function MiniChart({ label, data, kind, color, logY = false, guide, height = 120, xFormat, yFormat }: MiniChartProps) {
  const host = useUplot(
    (width): uPlot.Options => ({
      width,
      height,
      legend: { show: false },
      cursor: { show: true, points: { show: false }, drag: { x: false, y: false } },
      scales: { x: { time: false }, y: logY ? { distr: 3 } : { auto: true } },
      axes: [
        { ...AXIS, ...tickValues(xFormat) },
        {
          ...AXIS,
          size: 44,
          ...(yFormat
            ? {
                // On a log axis uPlot offers every 1..9 multiple (some as null); label the powers of ten
                // only, and over many decades only every k-th, so labels stay ~14 px apart.
                values: (u: uPlot, vals: (number | null)[]) => {
                  const { min = 1, max = 1 } = u.scales.y!;
                  const every = logY ? Math.max(1, Math.ceil((Math.log10(max / min) * 14) / Math.max(1, u.bbox.height / uPlot.pxRatio))) : 1;
                  return vals.map((v) => {
                    if (v === null) return '';
                    if (!logY) return yFormat(v);
                    const decade = Math.round(Math.log10(v));
                    return Math.abs(Math.log10(v) - decade) < 1e-6 && decade % every === 0 ? yFormat(v) : '';
                  });
                },
              }
            : {}),
        },
      ],
      series: [
        {},
        kind === 'bars'
          ? { stroke: color, fill: `${color}cc`, width: 0, paths: uPlot.paths.bars!({ size: [0.9, Infinity] }), points: { show: false } }
          : { stroke: color, width: 1.5, points: { show: false } },
      ],
      hooks:
        guide !== undefined
          ? {
              draw: [
                (u: uPlot) => {
                  const y = u.valToPos(guide, 'y', true);
                  if (!Number.isFinite(y)) return;
                  const ctx = u.ctx;
                  ctx.save();
                  ctx.strokeStyle = '#3ccf91';
                  ctx.setLineDash([4, 4]);
                  ctx.lineWidth = 1;
                  ctx.beginPath();
                  ctx.moveTo(u.bbox.left, y);
                  ctx.lineTo(u.bbox.left + u.bbox.width, y);
                  ctx.stroke();
                  ctx.restore();
                },
              ],
            }
          : {},
    }),
    data as unknown as uPlot.AlignedData,
    [kind, color, logY, guide, height],
  );

  return <div ref={host} role="img" aria-label={label} className="w-full" />;
}
