import type { LoadInfo } from '../../worker/protocol';
import { DataView } from './DataView';
import { LossChart, MetricChart } from './RunCharts';

/** The run monitor's body: the loss and metric charts and the data view. Loaded on demand (MonitorPanel). */
export function RunMonitor({ info }: { info: LoadInfo }) {
  return (
    <>
      <LossChart baseline={info.baseline} />
      <div aria-hidden="true" className="my-3 w-px shrink-0 bg-line" />
      <MetricChart metric={info.lossKind === 'mse' ? 'mae' : 'accuracy'} />
      <DataView info={info} />
    </>
  );
}
