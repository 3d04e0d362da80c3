import { Button } from '../ui/Button';
import { PanelSection } from './PanelSection';

/**
 * Training controls, shown but disabled until the worker session exists. The live loss readout
 * (data-testid="loss-value") arrives with real snapshots, not before.
 */
export function TrainingPanel() {
  return (
    <PanelSection
      id="training"
      title="Training"
      className="shrink-0 border-t border-line"
      aside={<span className="rounded-full border border-line px-2 py-px text-[11px] text-ink-faint">Idle</span>}
    >
      <div className="flex flex-col gap-4 px-4 pb-4">
        <div className="flex flex-col gap-1.5">
          <label htmlFor="dataset" className="text-xs font-medium text-ink-muted">
            Dataset
          </label>
          <div className="relative">
            <select
              id="dataset"
              disabled
              className="h-8 w-full appearance-none rounded-md border border-line bg-canvas pr-8 pl-2.5 text-[13px] text-ink-faint disabled:cursor-not-allowed"
            >
              <option>No datasets loaded yet</option>
            </select>
            <ChevronIcon />
          </div>
        </div>

        <div className="flex flex-col gap-2">
          <Button variant="primary" disabled className="w-full">
            <PlayIcon />
            Train
          </Button>
          <div className="grid grid-cols-3 gap-2">
            <Button disabled>Pause</Button>
            <Button disabled>Step</Button>
            <Button disabled>Reset</Button>
          </div>
        </div>

        <LossReadoutPlaceholder />

        <p className="text-xs leading-5 text-ink-faint">Build a network on the canvas to start training.</p>
      </div>
    </PanelSection>
  );
}

function LossReadoutPlaceholder() {
  return (
    <div className="rounded-lg border border-line bg-canvas p-3">
      <div className="flex items-baseline justify-between">
        <span className="text-xs font-medium text-ink-muted">Loss</span>
        <span className="font-mono text-[11px] text-ink-faint tabular-nums">step —</span>
      </div>
      <p className="mt-1 text-2xl leading-8 font-light text-ink-faint">
        <span aria-hidden="true">–</span>
        <span className="sr-only">No loss yet</span>
      </p>
      {/* Where the loss curve will be drawn: faint gridlines until then. */}
      <svg viewBox="0 0 100 36" preserveAspectRatio="none" className="mt-2 h-12 w-full text-line" aria-hidden="true">
        <path d="M0 0.5h100M0 12h100M0 24h100" stroke="currentColor" strokeWidth="1" vectorEffect="non-scaling-stroke" />
        <path d="M0 35.5h100" stroke="currentColor" strokeWidth="1" strokeDasharray="3 3" vectorEffect="non-scaling-stroke" className="text-line-strong" />
      </svg>
    </div>
  );
}

function PlayIcon() {
  return (
    <svg viewBox="0 0 16 16" className="size-3" fill="currentColor" aria-hidden="true">
      <path d="M4.5 2.8v10.4a.6.6 0 0 0 .9.5l8.3-5.2a.6.6 0 0 0 0-1L5.4 2.3a.6.6 0 0 0-.9.5Z" />
    </svg>
  );
}

function ChevronIcon() {
  return (
    <svg
      viewBox="0 0 16 16"
      className="pointer-events-none absolute top-1/2 right-2.5 size-3.5 -translate-y-1/2 text-ink-faint"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d="m4.5 6.5 3.5 3.5 3.5-3.5" />
    </svg>
  );
}
