/**
 * Whether this tab's model is the saved one, or another tab has saved over it since (autosave's
 * `onOvertaken`). The views read it (TabSyncNotice.tsx); documents.ts acts on the user's choice.
 *
 * - `behind`: another tab saved, and this tab has no changes of its own: a quiet bar offers to
 *   load the latest. Ignored, it stays out of the way until this tab is edited.
 * - `conflict`: another tab saved, and this tab has changes that were not saved over it: a dialog
 *   asks which version this tab goes on with. Set aside ("decide later"), a bar says the changes
 *   are not being saved and reopens the question; later refused saves do not ask again.
 */
import { create } from 'zustand';
import type { Overtaken } from './autosave';

export type TabSync =
  | { state: 'in-sync' }
  /** `savedAt`: when the other tab saved. `dismissed`: the user set the question aside. */
  | { state: 'behind' | 'conflict'; savedAt: number; dismissed: boolean };

export const useTabSync = create<{ sync: TabSync }>()(() => ({ sync: { state: 'in-sync' } }));

/**
 * Another tab saved a version this tab has not seen. `editing`: a gesture (a drag) is under way,
 * whose changes are saved when it ends, so they count as unsaved.
 */
export function overtakenByAnotherTab(overtaken: Overtaken, editing: boolean): void {
  const current = useTabSync.getState().sync;
  const savedAt = Math.max(overtaken.savedAt, current.state === 'in-sync' ? 0 : current.savedAt);
  if (overtaken.unsaved || editing || current.state === 'conflict') {
    // Unsaved changes stay unsaved whatever else the other tab saves; once set aside, the question is not forced back.
    const dismissed = current.state === 'conflict' && current.dismissed;
    useTabSync.setState({ sync: { state: 'conflict', savedAt, dismissed } });
  } else {
    useTabSync.setState({ sync: { state: 'behind', savedAt, dismissed: false } });
  }
}

/** The user set the question aside (closed the dialog, or the bar of a tab that is only behind). */
export function dismissTabSync(): void {
  const current = useTabSync.getState().sync;
  if (current.state !== 'in-sync') useTabSync.setState({ sync: { ...current, dismissed: true } });
}

/** The user wants the question back (the bar's "Choose…"). */
export function reopenTabSync(): void {
  const current = useTabSync.getState().sync;
  if (current.state !== 'in-sync') useTabSync.setState({ sync: { ...current, dismissed: false } });
}

export function inSyncAgain(): void {
  useTabSync.setState({ sync: { state: 'in-sync' } });
}
