import type { ReactNode } from 'react';

interface PanelSectionProps {
  id: string;
  title: string;
  /** Shown at the right of the title row (a status, a count). */
  aside?: ReactNode;
  className?: string;
  children: ReactNode;
}

/** A titled region of a side panel; the title names the region for assistive technology. */
export function PanelSection({ id, title, aside, className = '', children }: PanelSectionProps) {
  const headingId = `${id}-heading`;
  return (
    <section aria-labelledby={headingId} className={`flex flex-col ${className}`}>
      <div className="flex h-10 shrink-0 items-center justify-between px-4">
        <h2 id={headingId} className="text-xs font-semibold tracking-wider text-ink-muted uppercase">
          {title}
        </h2>
        {aside}
      </div>
      {children}
    </section>
  );
}
