/**
 * MiniChart, loaded on demand: uPlot is not on the first screen, and the inspectors chart only what
 * a run has measured. Until it loads, an empty box of the chart's height keeps the panel still.
 */
import { lazy } from 'react';
import { OnDemand } from '../ui/OnDemand';
import type { MiniChartProps } from './MiniChart';

const Chart = lazy(() => import('./MiniChart').then((m) => ({ default: m.MiniChart })));

/** MiniChart's own default height. */
const DEFAULT_HEIGHT = 120;

export function MiniChart(props: MiniChartProps) {
  const height = props.height ?? DEFAULT_HEIGHT;
  return (
    <OnDemand fallback={<div aria-hidden="true" className="w-full" style={{ height }} />}>
      <Chart {...props} height={height} />
    </OnDemand>
  );
}
