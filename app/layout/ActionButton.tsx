import type { ReactNode } from 'react';
import { actionById, actionHint, runAction, type ActionId } from '../shortcuts/actions';
import { useGraph } from '../state/graph';
import { useUi } from '../state/ui';

const TEXT_VISIBILITY = { always: '', wide: 'hidden xl:inline', room: 'hidden @2xl:inline', 'more-room': 'hidden @5xl:inline' } as const;

interface ActionButtonProps {
  id: ActionId;
  icon: ReactNode;
  /**
   * When its text shows: 'always'; 'wide' from 1280 px windows up (icon only below, the label
   * stays its name and tooltip); 'room' when its toolbar (an @container) is at least 672 px wide,
   * 'more-room' from 1024 px (a toolbar that holds more).
   */
  text?: keyof typeof TEXT_VISIBILITY;
  className?: string;
}

/** A toolbar button for one action: its label, its keys in the tooltip and aria-keyshortcuts, disabled or pressed as the action says. */
export function ActionButton({ id, icon, text = 'always', className = '' }: ActionButtonProps) {
  const action = actionById(id);
  const enabled = useGraph((s) => action.enabled?.(s) ?? true);
  const ui = useUi();
  const checked = useGraph((g) => action.checked?.(ui, g));
  return (
    <button
      type="button"
      aria-label={action.label}
      {...actionHint(id)}
      {...(checked !== undefined ? { 'aria-pressed': checked } : {})}
      disabled={!enabled}
      onClick={() => runAction(action)}
      className={`inline-flex h-8 shrink-0 items-center justify-center gap-1.5 rounded-md px-2 text-[13px] font-medium whitespace-nowrap transition-colors disabled:cursor-not-allowed disabled:opacity-40 ${
        checked ? 'bg-accent/15 text-accent-hover hover:bg-accent/20' : 'text-ink-muted hover:bg-hover hover:text-ink'
      } ${className}`}
    >
      {icon}
      <span className={TEXT_VISIBILITY[text]}>{action.short ?? action.label}</span>
    </button>
  );
}

/** A 16 px line icon, drawn in the button's text color. */
export function Icon({ d, className = 'size-4' }: { d: string; className?: string }) {
  return (
    <svg viewBox="0 0 16 16" className={`shrink-0 ${className}`} fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d={d} />
    </svg>
  );
}
