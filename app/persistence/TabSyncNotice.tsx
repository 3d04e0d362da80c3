import { useState, type ReactNode } from 'react';
import { useGraph } from '../state/graph';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { copyFileName, keepMineAsCopy, loadTheirVersion } from './documents';
import { dismissTabSync, reopenTabSync, useTabSync } from './tabSync';

/**
 * Another tab saved the model over this one's (tabSync.ts). With changes of this tab's own at
 * stake, a dialog asks which version to go on with; otherwise, or once the question is set aside,
 * a bar over the canvas says so and offers the way out.
 */
export function TabSyncNotice() {
  const sync = useTabSync((s) => s.sync);
  if (sync.state === 'in-sync') return null;
  if (sync.state === 'conflict' && !sync.dismissed) return <ConflictDialog savedAt={sync.savedAt} />;
  if (sync.state === 'behind' && sync.dismissed) return null;
  return <SyncBar conflict={sync.state === 'conflict'} />;
}

function ConflictDialog({ savedAt }: { savedAt: number }) {
  const name = useGraph((s) => s.doc.name);
  const [busy, setBusy] = useState(false);
  const choose = (action: () => Promise<void>) => () => {
    setBusy(true);
    void action().finally(() => setBusy(false));
  };
  const when = savedAt > 0 ? ` at ${new Date(savedAt).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })}` : '';
  return (
    <Dialog title="This model was changed in another tab" description={`Another Gradflow tab saved its version${when}, after this tab last saved.`} onClose={dismissTabSync} width="max-w-lg">
      <div className="flex flex-col gap-4 p-5" data-testid="tab-conflict">
        <p className="text-[13px] leading-5 text-ink-muted">Your changes in this tab were not saved over it. Choose the version this tab goes on with — neither is lost.</p>
        <dl className="flex flex-col gap-2 text-[13px] leading-5">
          <Choice term="Load their version">Shows the version the other tab saved, with its CSV if it keeps one. Undo (Ctrl+Z) brings your graph back.</Choice>
          <Choice term="Keep mine as a copy">
            Downloads your version as <span className="font-mono text-[12px] text-ink [overflow-wrap:anywhere]">{copyFileName({ ...(name !== undefined ? { name } : {}) })}</span>, then shows theirs. Open the file to work on yours again.
          </Choice>
        </dl>
        <div className="flex flex-wrap justify-end gap-2">
          <Button onClick={choose(keepMineAsCopy)} disabled={busy}>
            Keep mine as a copy
          </Button>
          <Button variant="primary" onClick={choose(() => loadTheirVersion())} disabled={busy} autoFocus>
            Load their version
          </Button>
        </div>
      </div>
    </Dialog>
  );
}

function Choice({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="rounded-lg border border-line bg-canvas px-3 py-2">
      <dt className="font-medium text-ink">{term}</dt>
      <dd className="text-ink-muted">{children}</dd>
    </div>
  );
}

/** A bar over the top of the canvas, clear of the header and the canvas bar. */
function SyncBar({ conflict }: { conflict: boolean }) {
  return (
    <div className="pointer-events-none fixed inset-x-0 top-[100px] z-40 flex justify-center px-4">
      <div
        role={conflict ? 'alert' : 'status'}
        data-testid="tab-sync-bar"
        className={`pointer-events-auto flex max-w-xl items-center gap-3 rounded-lg border px-3 py-2 text-[13px] leading-5 shadow-xl shadow-black/40 ${conflict ? 'border-warn/50 bg-[#262013] text-ink' : 'border-line-strong bg-raised text-ink'}`}
      >
        <span className={`size-2 shrink-0 rounded-full ${conflict ? 'bg-warn' : 'bg-accent'}`} aria-hidden="true" />
        <span className="min-w-0 flex-1">{conflict ? 'Your changes here are not being saved: this model was changed in another tab.' : 'This model was changed in another tab.'}</span>
        {conflict ? (
          <Button variant="primary" onClick={reopenTabSync} className="h-7 shrink-0">
            Choose…
          </Button>
        ) : (
          <>
            <Button variant="primary" onClick={() => void loadTheirVersion()} className="h-7 shrink-0">
              Load the latest
            </Button>
            <button type="button" onClick={dismissTabSync} aria-label="Dismiss" className="-mr-1 shrink-0 rounded px-1 text-ink-faint hover:text-ink">
              ×
            </button>
          </>
        )}
      </div>
    </div>
  );
}
