/** DistributionChart, loaded on demand like the other inspector charts (uPlot is not on the first screen). */
import { lazy } from 'react';
import { OnDemand } from '../ui/OnDemand';
import type { DistributionChartProps } from './DistributionChart';

const Chart = lazy(() => import('./DistributionChart').then((m) => ({ default: m.DistributionChart })));

export function DistributionChart(props: DistributionChartProps) {
  const height = props.height ?? 120;
  return (
    <OnDemand fallback={<div aria-hidden="true" className="w-full" style={{ height }} />}>
      <Chart {...props} height={height} />
    </OnDemand>
  );
}
