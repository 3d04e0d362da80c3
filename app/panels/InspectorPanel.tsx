import { PanelSection } from './PanelSection';

export function InspectorPanel() {
  return (
    <PanelSection id="inspector" title="Inspector" className="min-h-0 flex-1">
      <div className="flex min-h-0 flex-1 flex-col items-center justify-center overflow-y-auto px-8 pb-10 text-center">
        <div className="grid size-10 place-items-center rounded-lg border border-line bg-raised text-ink-faint">
          <SelectIcon />
        </div>
        <p className="mt-4 text-[13px] font-medium text-ink-muted">Select a layer to see its parameters</p>
        <p className="mt-1 text-xs leading-5 text-ink-faint">
          Its shapes, settings and gradient statistics will show up here.
        </p>
      </div>
    </PanelSection>
  );
}

function SelectIcon() {
  return (
    <svg viewBox="0 0 16 16" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" aria-hidden="true">
      <path d="M3 2.5 12.5 7 8.3 8.3 7 12.5Z" />
      <path d="m8.5 8.5 4 4" strokeLinecap="round" />
    </svg>
  );
}
