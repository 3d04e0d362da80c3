import { flushSync } from 'react-dom';
import type { ReactNode } from 'react';
import { actionById, actionHint, runAction } from '../shortcuts/actions';
import { useUi } from '../state/ui';
import { RAIL_SIZE, useFrameSize } from './frame';
import { Icon } from './ActionButton';
import { ResizeHandle } from './ResizeHandle';

const TOGGLE = { palette: 'togglePalette', side: 'toggleSide', monitor: 'toggleMonitor' } as const;

interface PanelToggleProps {
  panel: keyof typeof TOGGLE;
  /** The element it shows and hides, while it is shown. */
  controls?: string;
  className: string;
  children: ReactNode;
}

/**
 * The button that folds a panel away or brings it back (one per panel: in the panel when it is
 * open, on its rail when folded). aria-expanded says which; focus follows the button across.
 */
export function PanelToggle({ panel, controls, className, children }: PanelToggleProps) {
  const action = actionById(TOGGLE[panel]);
  const expanded = useUi((s) => !s.collapsed[panel]);
  const id = `toggle-${panel}`;
  return (
    <button
      type="button"
      id={id}
      aria-label={action.label}
      aria-expanded={expanded}
      {...(expanded && controls ? { 'aria-controls': controls } : {})}
      {...actionHint(TOGGLE[panel])}
      onClick={(e) => {
        const hadFocus = document.activeElement === e.currentTarget;
        // Committed at once, so the focus moves to the button's new place before anything else can
        // take it (a frame later, it pulled the focus back from a button focused in between).
        flushSync(() => runAction(action));
        if (hadFocus) document.getElementById(id)?.focus();
      }}
      className={`text-ink-faint transition-colors hover:bg-hover hover:text-ink ${className}`}
    >
      {children}
    </button>
  );
}

interface SidePaneProps {
  panel: 'palette' | 'side';
  /** What the rail says when the pane is folded away ("Layers"). */
  railLabel: string;
  children: ReactNode;
}

/** A side panel of the frame: resizable by its inner edge, foldable to a rail that brings it back. */
export function SidePane({ panel, railLabel, children }: SidePaneProps) {
  const collapsed = useUi((s) => s.collapsed[panel]);
  const { size, limits } = useFrameSize(panel);
  const left = panel === 'palette';
  const paneId = `${panel}-pane`;
  const icon = <Icon d={left ? 'M2.5 3h11v10h-11zM6 3v10' : 'M2.5 3h11v10h-11zM10 3v10'} />;

  if (collapsed) {
    return (
      <div className={`flex shrink-0 flex-col items-center bg-panel py-1.5 ${left ? 'border-r' : 'border-l'} border-line`} style={{ width: RAIL_SIZE }}>
        <PanelToggle panel={panel} className="flex flex-col items-center gap-2.5 rounded-md px-1.5 py-2">
          {icon}
          <span className="text-xs font-semibold tracking-wider uppercase [writing-mode:vertical-rl]">{railLabel}</span>
        </PanelToggle>
      </div>
    );
  }
  return (
    <div id={paneId} className="relative flex shrink-0" style={{ width: size }}>
      {children}
      <PanelToggle panel={panel} controls={paneId} className="absolute top-1.5 right-2 z-10 grid size-7 place-items-center rounded-md">
        {icon}
      </PanelToggle>
      <ResizeHandle
        label={left ? 'Resize the layer palette' : 'Resize the side panel'}
        axis="x"
        grows={left ? 1 : -1}
        value={size}
        min={limits.min}
        max={limits.max}
        onResize={(v) => useUi.getState().setSize(panel, v)}
        onReset={() => useUi.getState().setSize(panel, undefined)}
        className={`inset-y-0 ${left ? '-right-1' : '-left-1'}`}
      />
    </div>
  );
}
