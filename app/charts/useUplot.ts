/**
 * One uPlot chart's lifecycle, shared by the inspector and Runs charts: the instance is built when
 * the chart mounts and again only when `rebuildOn` changes (its look); new data goes in with
 * setData; the width follows the box through a ResizeObserver. Returns the ref of the host element.
 */
import { useEffect, useRef, type RefObject } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** Axis colors and type shared by the small charts. */
export const CHART_AXIS = { stroke: '#6d707b', grid: { stroke: '#24262d', width: 1 }, ticks: { stroke: '#24262d', width: 1 }, font: '10px Inter, system-ui, sans-serif', size: 34 } as const;

/** uPlot's axis `values` from a formatter (null ticks stay blank). */
export const tickValues = (f?: (v: number) => string) => (f ? { values: (_u: uPlot, vals: (number | null)[]) => vals.map((v) => (v === null ? '' : f(v))) } : {});

export function useUplot(options: (width: number) => uPlot.Options, data: uPlot.AlignedData, rebuildOn: readonly unknown[]): RefObject<HTMLDivElement | null> {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const opts = options(Math.max(100, el.clientWidth));
    const u = new uPlot(opts, data, el);
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(100, el.clientWidth), height: opts.height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
    // The caller names what rebuilds the chart (it is built with the data of that render); later data flows in through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, rebuildOn);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return host;
}
