import { Button } from '../ui/Button';
import { LogoMark } from './LogoMark';

export function Header() {
  return (
    <header className="flex h-12 shrink-0 items-center justify-between border-b border-line bg-panel px-4">
      <div className="flex min-w-0 items-center gap-3">
        <LogoMark className="size-6 shrink-0" />
        <h1 className="text-[15px] font-semibold tracking-tight">Gradflow</h1>
        <span className="h-4 w-px bg-line-strong" aria-hidden="true" />
        <p className="truncate text-[13px] text-ink-faint">See how neural networks learn</p>
      </div>
      <div className="flex items-center gap-2">
        {/* Placeholder for the template gallery; it arrives with the model definition format. */}
        <Button disabled title="Templates are coming soon">
          <TemplatesIcon />
          Templates
          <span className="rounded bg-raised px-1.5 py-px text-[10px] font-medium tracking-wide text-ink-faint uppercase">
            Soon
          </span>
        </Button>
      </div>
    </header>
  );
}

function TemplatesIcon() {
  return (
    <svg viewBox="0 0 16 16" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <rect x="2" y="2" width="5" height="5" rx="1" />
      <rect x="9" y="2" width="5" height="5" rx="1" />
      <rect x="2" y="9" width="5" height="5" rx="1" />
      <rect x="9" y="9" width="5" height="5" rx="1" />
    </svg>
  );
}
