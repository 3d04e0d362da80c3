import type { ReactNode } from 'react';

interface StatProps {
  label: string;
  value: ReactNode;
  /** Spans both columns of a two-column grid. */
  wide?: boolean;
  /** A color dot before the value (e.g. the edge's color). */
  swatch?: string | undefined;
  testId?: string;
}

/** One labeled number in the inspectors' stat grids (a `<dl>` with `gap-px` over a line color). */
export function Stat({ label, value, wide = false, swatch, testId }: StatProps) {
  return (
    <div className={`bg-raised px-3 py-2 ${wide ? 'col-span-2' : ''}`}>
      <dt className="text-[11px] text-ink-faint">{label}</dt>
      <dd className="mt-0.5 flex items-center gap-1.5 truncate font-mono text-[13px] text-ink tabular-nums" {...(testId ? { 'data-testid': testId } : {})}>
        {swatch && <span className="size-2 shrink-0 rounded-full" style={{ background: swatch }} aria-hidden="true" />}
        {value}
      </dd>
    </div>
  );
}
