import { InspectorPanel } from './InspectorPanel';
import { TrainingPanel } from './TrainingPanel';

/**
 * Inspector above, training below. Both stay on screen (no tabs) so Train is always one click
 * away, whatever is selected.
 */
export function RightPanel() {
  return (
    <aside aria-label="Inspector and training" className="flex w-80 shrink-0 flex-col border-l border-line bg-panel">
      <InspectorPanel />
      <TrainingPanel />
    </aside>
  );
}
