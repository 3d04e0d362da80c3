import { useEffect } from 'react';
import type { LoadInfo } from '../../worker/protocol';
import { useTraining } from '../training/store';
import { DataView } from './DataView';
import { LossChart, MetricChart } from './RunCharts';
import { connectMonitorRun } from './run';

/**
 * The strip under the canvas where a run is watched: loss and accuracy charts and, for 2D data,
 * the decision boundary. Empty until a run has data.
 */
export function MonitorPanel() {
  const info = useTraining((s) => s.info);
  const loading = useTraining((s) => s.status === 'loading');
  useEffect(() => connectMonitorRun(), []);
  return (
    <section aria-label="Monitor" className="flex h-56 shrink-0 border-t border-line bg-panel">
      {info ? (
        <RunMonitor info={info} />
      ) : (
        <p className="m-auto text-[13px] text-ink-faint">
          {loading ? 'Loading the dataset…' : 'Press Train to watch the loss, the accuracy and the decision boundary here.'}
        </p>
      )}
    </section>
  );
}

function RunMonitor({ info }: { info: LoadInfo }) {
  return (
    <>
      <LossChart baseline={info.baseline} />
      <div aria-hidden="true" className="my-3 w-px shrink-0 bg-line" />
      <MetricChart metric={info.lossKind === 'mse' ? 'mae' : 'accuracy'} />
      <DataView info={info} />
    </>
  );
}
