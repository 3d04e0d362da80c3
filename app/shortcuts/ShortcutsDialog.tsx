import { useUi } from '../state/ui';
import { Dialog } from '../ui/Dialog';
import { ACTIONS, chordsOf, type ActionGroup } from './actions';
import { chordLabel } from './shortcuts';

/** Pointer gestures, listed beside the keys (no key handler runs them: React Flow does). */
const GESTURES: readonly { id: string; description: string; how: string; group: ActionGroup }[] = [
  { id: 'multi', description: 'Add to the selection, or select with a box', how: 'Shift+click  or  Shift+drag', group: 'Edit' },
  { id: 'add', description: 'Search for a layer to add there', how: 'Double-click the canvas', group: 'Edit' },
];

const GROUPS: readonly ActionGroup[] = ['Edit', 'File', 'View', 'Panels', 'Training'];

/** The `?` overlay: every action that has keys, by group, read from the one action list. */
export function ShortcutsDialog() {
  return (
    <Dialog title="Keyboard shortcuts" description="On a Mac, Cmd works wherever Ctrl is shown." onClose={() => useUi.getState().openDialog(null)} width="max-w-3xl">
      <div className="gap-x-10 p-5 sm:columns-2">
        {GROUPS.map((group) => {
          const rows = [
            ...ACTIONS.filter((a) => a.group === group && chordsOf(a).length > 0).map((a) => ({ id: a.id, description: a.description, keys: chordsOf(a).map(chordLabel) })),
            ...GESTURES.filter((g) => g.group === group).map((g) => ({ id: g.id, description: g.description, keys: [g.how] })),
          ];
          if (rows.length === 0) return null;
          return (
            <section key={group} aria-label={group} className="mb-6 break-inside-avoid last:mb-0">
              <h3 className="mb-2 text-xs font-semibold tracking-wider text-ink-muted uppercase">{group}</h3>
              <dl className="flex flex-col gap-1.5">
                {rows.map((row) => (
                  <div key={row.id} data-action={row.id} className="flex items-baseline justify-between gap-4 text-[13px]">
                    <dt className="text-ink-muted">{row.description}</dt>
                    <dd className="flex shrink-0 items-baseline gap-1 text-[11px] text-ink-faint">
                      {row.keys.map((k, i) => (
                        <span key={k} className="flex items-baseline gap-1">
                          {i > 0 && 'or'}
                          <kbd className="rounded border border-line-strong bg-raised px-1.5 py-px font-mono text-[11px] whitespace-pre text-ink">{k}</kbd>
                        </span>
                      ))}
                    </dd>
                  </div>
                ))}
              </dl>
            </section>
          );
        })}
      </div>
    </Dialog>
  );
}
