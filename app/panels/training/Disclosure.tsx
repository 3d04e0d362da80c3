import { useId, useRef, useState, type ReactNode } from 'react';
import { ChevronIcon } from './icons';

interface DisclosureProps {
  title: string;
  /** One line shown beside the title while the section is closed ("Adam · lr 0.01"). */
  summary?: ReactNode;
  defaultOpen?: boolean;
  children: ReactNode;
}

/** A collapsible part of the training panel: the title is a button that shows or hides the body. */
export function Disclosure({ title, summary, defaultOpen = false, children }: DisclosureProps) {
  const [open, setOpen] = useState(defaultOpen);
  const bodyId = useId();
  const section = useRef<HTMLDivElement>(null);
  const toggle = () => {
    setOpen(!open);
    // The panel scrolls: bring a section that was just opened into view.
    if (!open) requestAnimationFrame(() => section.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' }));
  };
  return (
    <div ref={section} className="border-t border-line">
      <h3>
        <button
          type="button"
          aria-expanded={open}
          aria-controls={bodyId}
          onClick={toggle}
          className="group flex h-9 w-full items-center gap-2 px-4 text-left hover:bg-hover/60"
        >
          <ChevronIcon className={`size-3.5 shrink-0 text-ink-faint transition-transform group-hover:text-ink-muted ${open ? '' : '-rotate-90'}`} />
          <span className="text-xs font-medium text-ink-muted group-hover:text-ink">{title}</span>
          {!open && summary && (
            <span aria-hidden="true" className="ml-auto min-w-0 truncate font-mono text-[11px] text-ink-faint">
              {summary}
            </span>
          )}
        </button>
      </h3>
      <div id={bodyId} hidden={!open} className="px-4 pt-1 pb-4">
        {open && children}
      </div>
    </div>
  );
}
