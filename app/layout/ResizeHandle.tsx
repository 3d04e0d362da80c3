import { useRef, type KeyboardEvent, type PointerEvent } from 'react';

interface ResizeHandleProps {
  /** What it resizes, for assistive technology ("Resize the layer palette"). */
  label: string;
  /** 'x': a vertical bar between side-by-side panes; 'y': a horizontal bar between stacked panes. */
  axis: 'x' | 'y';
  /** +1 when dragging right/down grows the pane, -1 when dragging left/up does. */
  grows: 1 | -1;
  value: number;
  min: number;
  max: number;
  onResize(value: number): void;
  /** Double-click or Enter: back to the default size. */
  onReset(): void;
  /** Where the bar sits (absolute, on the pane's edge). */
  className: string;
}

const STEP = 16;

/**
 * A drag handle on a pane's edge, as the WAI-ARIA window splitter: a focusable separator whose
 * arrow keys resize by 16 px (64 with Shift), Home/End go to the limits, Enter resets.
 */
export function ResizeHandle({ label, axis, grows, value, min, max, onResize, onReset, className }: ResizeHandleProps) {
  const drag = useRef<{ start: number; value: number } | null>(null);
  const clampTo = (v: number) => Math.round(Math.min(max, Math.max(min, v)));

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { start: axis === 'x' ? e.clientX : e.clientY, value };
    document.body.dataset.resizing = axis;
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    const moved = (axis === 'x' ? e.clientX : e.clientY) - drag.current.start;
    onResize(clampTo(drag.current.value + grows * moved));
  };
  const onPointerUp = () => {
    drag.current = null;
    delete document.body.dataset.resizing;
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? STEP * 4 : STEP;
    const toward = axis === 'x' ? { ArrowRight: 1, ArrowLeft: -1 } : { ArrowDown: 1, ArrowUp: -1 };
    const direction = toward[e.key as keyof typeof toward];
    if (direction) onResize(clampTo(value + grows * direction * step));
    else if (e.key === 'Home') onResize(min);
    else if (e.key === 'End') onResize(max);
    else if (e.key === 'Enter') onReset();
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <div
      role="separator"
      aria-label={label}
      aria-orientation={axis === 'x' ? 'vertical' : 'horizontal'}
      aria-valuenow={Math.round(value)}
      aria-valuemin={Math.round(min)}
      aria-valuemax={Math.round(max)}
      tabIndex={0}
      title={`${label}: drag, or use the arrow keys; double-click for the default size`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onDoubleClick={onReset}
      onKeyDown={onKeyDown}
      className={`group absolute z-30 flex touch-none items-center justify-center focus-visible:outline-none ${axis === 'x' ? 'w-2 cursor-col-resize' : 'h-2 cursor-row-resize'} ${className}`}
    >
      <span
        aria-hidden="true"
        className={`rounded-full bg-accent opacity-0 transition-opacity group-hover:opacity-70 group-focus-visible:opacity-100 group-active:opacity-100 ${axis === 'x' ? 'h-full w-0.5' : 'h-0.5 w-full'}`}
      />
    </div>
  );
}
