import { useUi } from '../state/ui';
import { Dialog } from '../ui/Dialog';
import { SHORTCUTS, type Shortcut } from './shortcuts';

/** The `?` overlay: every shortcut, grouped. */
export function ShortcutsDialog() {
  const groups: Shortcut['group'][] = ['Edit', 'View', 'Training'];
  return (
    <Dialog title="Keyboard shortcuts" description="On a Mac, Cmd works wherever Ctrl is shown." onClose={() => useUi.getState().openDialog(null)} width="max-w-2xl">
      <div className="grid grid-cols-1 gap-x-8 gap-y-5 p-5 sm:grid-cols-2">
        {groups.map((group) => (
          <section key={group} aria-label={group}>
            <h3 className="mb-2 text-xs font-semibold tracking-wider text-ink-muted uppercase">{group}</h3>
            <dl className="flex flex-col gap-1.5">
              {SHORTCUTS.filter((s) => s.group === group).map((s) => (
                <div key={s.id} className="flex items-baseline justify-between gap-4 text-[13px]">
                  <dt className="text-ink-muted">{s.description}</dt>
                  <dd className="shrink-0">
                    <kbd className="rounded border border-line-strong bg-raised px-1.5 py-px font-mono text-[11px] whitespace-pre text-ink">{s.keys}</kbd>
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </Dialog>
  );
}
