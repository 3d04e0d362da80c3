import { useTraining } from '../training/store';

/**
 * The strip under the canvas where a run is watched: loss and accuracy charts and, for 2D data,
 * the decision boundary. Empty until a run has data.
 */
export function MonitorPanel() {
  const hasRun = useTraining((s) => s.info !== null);
  return (
    <section aria-label="Monitor" className="flex h-56 shrink-0 border-t border-line bg-panel">
      {!hasRun && <p className="m-auto text-[13px] text-ink-faint">Press Train to watch the loss, the accuracy and the decision boundary here.</p>}
    </section>
  );
}
