import { FRAME, TRAINING_SHARE_AUTO, useHeight } from '../layout/frame';
import { ResizeHandle } from '../layout/ResizeHandle';
import { useUi } from '../state/ui';
import { InspectorPanel } from './InspectorPanel';
import { TrainingPanel } from './TrainingPanel';

/**
 * Inspector above, training below, each scrolling on its own. Both stay on screen (no tabs) so Train
 * is always one click away, whatever is selected. The training pane is as tall as its content, up to
 * half the panel, until the person drags the split between them.
 */
export function RightPanel() {
  const share = useUi((s) => s.sizes.training);
  const [panelRef, panelHeight] = useHeight<HTMLElement>();
  const [paneRef, paneHeight] = useHeight<HTMLDivElement>();
  const limits = FRAME.training.limits({ width: 0, height: 0 });
  const total = Math.max(1, panelHeight);

  return (
    <aside ref={panelRef} aria-label="Inspector and training" className="flex w-full min-w-0 flex-col border-l border-line bg-panel">
      <div className="flex min-h-0 flex-1 flex-col *:min-h-0 *:flex-1">
        <InspectorPanel />
      </div>
      {/* The training section keeps its own layout (controls fixed, settings scrolling); this pane only bounds its height. */}
      <div
        ref={paneRef}
        className="relative flex min-h-0 shrink-0 flex-col border-t border-line *:min-h-0 *:flex-1 *:shrink *:border-t-0 [&>section]:max-h-none"
        style={share === undefined ? { maxHeight: `${TRAINING_SHARE_AUTO * 100}%` } : { height: `${share * 100}%` }}
      >
        <ResizeHandle
          label="Resize the training pane"
          axis="y"
          grows={-1}
          value={paneHeight}
          min={limits.min * total}
          max={limits.max * total}
          onResize={(px) => useUi.getState().setSize('training', Math.round((px / total) * 1000) / 1000)}
          onReset={() => useUi.getState().setSize('training', undefined)}
          className="inset-x-0 -top-1"
        />
        <TrainingPanel />
      </div>
    </aside>
  );
}
