import { lazy, useEffect } from 'react';
import { useFrameSize, STRIP_BAR_HEIGHT } from '../layout/frame';
import { Icon } from '../layout/ActionButton';
import { ResizeHandle } from '../layout/ResizeHandle';
import { PanelToggle } from '../layout/SidePane';
import { useUi } from '../state/ui';
import { useTraining } from '../training/store';
import { NotLoaded, OnDemand } from '../ui/OnDemand';
import { connectMonitorRun } from './run';

// The charts (uPlot) and the data views load on demand: nothing is charted before a run. Train
// starts loading them, so they are there by the time the run's first numbers are.
const loadRunMonitor = () => import('./RunMonitor');
const RunMonitor = lazy(() => loadRunMonitor().then((m) => ({ default: m.RunMonitor })));

const BODY_ID = 'run-monitor-body';

/**
 * The strip under the canvas where a run is watched: loss and accuracy charts and, for 2D data,
 * the decision boundary. Its title bar folds it away; its top edge resizes it.
 */
export function MonitorPanel() {
  const info = useTraining((s) => s.info);
  const loading = useTraining((s) => s.status === 'loading');
  const started = useTraining((s) => s.status !== 'idle');
  const collapsed = useUi((s) => s.collapsed.monitor);
  const { size, limits } = useFrameSize('monitor');
  useEffect(() => connectMonitorRun(), []);
  useEffect(() => {
    if (started) void loadRunMonitor().catch(() => {}); // a failure shows when the monitor opens
  }, [started]);
  // Before a run there is nothing to chart: the strip stays a title bar, and the canvas keeps the room.
  const open = !collapsed && info !== null;
  const hint = loading ? 'Loading the dataset…' : info ? null : 'Press Train to watch the loss, the accuracy and the decision boundary here.';

  return (
    <section aria-label="Run monitor" className="relative flex shrink-0 flex-col border-t border-line bg-panel" style={{ height: open ? size : STRIP_BAR_HEIGHT }}>
      {open && (
        <ResizeHandle
          label="Resize the run monitor"
          axis="y"
          grows={-1}
          value={size}
          min={limits.min}
          max={limits.max}
          onResize={(v) => useUi.getState().setSize('monitor', v)}
          onReset={() => useUi.getState().setSize('monitor', undefined)}
          className="inset-x-0 -top-1"
        />
      )}
      <div className="flex shrink-0 items-center gap-3 pr-3 pl-1.5" style={{ height: STRIP_BAR_HEIGHT }}>
        <PanelToggle panel="monitor" {...(open ? { controls: BODY_ID } : {})} className="flex h-6 items-center gap-1.5 rounded-md pr-2 pl-1">
          <Icon d={collapsed ? 'm4.5 10 3.5-3.5 3.5 3.5' : 'm4.5 6 3.5 3.5 3.5-3.5'} className="size-3.5" />
          <span className="text-xs font-semibold tracking-wider text-ink-muted uppercase">Run</span>
        </PanelToggle>
        {hint && <p className="truncate text-xs text-ink-faint">{hint}</p>}
      </div>
      {open && (
        <div id={BODY_ID} className="flex min-h-0 flex-1">
          <OnDemand fallback={null} failed={<MonitorNotLoaded />}>
            <RunMonitor info={info} />
          </OnDemand>
        </div>
      )}
    </section>
  );
}

function MonitorNotLoaded() {
  return (
    <div className="m-3">
      <NotLoaded />
    </div>
  );
}
