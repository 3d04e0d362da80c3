import { formatBytes, utf8Length } from '../../engine/data/csv';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { confirmOpen, declineOpen, usePendingOpen } from './documents';

/** Asks before a link or a file replaces the graph on the canvas. */
export function OpenConfirmDialog() {
  const pending = usePendingOpen((s) => s.pending);
  if (!pending) return null;
  const name = pending.doc.name ? `“${pending.doc.name}”` : 'a model';
  const csvText = pending.data?.text;
  const csv = pending.data && csvText !== undefined ? { name: pending.data.name, bytes: utf8Length(csvText) } : null;
  const withCsv = csv ? `, with its CSV data (${csv.name}, ${formatBytes(csv.bytes)})` : '';
  const withWeights = pending.weights ? `${csv ? ' and' : ','} with trained weights (${formatBytes(pending.weights.length)})` : '';
  return (
    <Dialog title={`Open ${name}?`} description={`${pending.doc.nodes.length} layers, ${pending.doc.edges.length} edges${withCsv}${withWeights}, from ${pending.source}.`} onClose={declineOpen} width="max-w-md">
      <div className="flex flex-col gap-4 p-5">
        <p className="text-[13px] leading-5 text-ink-muted">
          It replaces the graph on your canvas{csv ? ', and its CSV replaces the one you uploaded' : ''}
          {pending.weights ? '; its run starts from the trained weights in the file' : ''}. Your current graph is not lost: Undo (Ctrl+Z) brings it back, and you can export it first.
        </p>
        {/* The name may be long and unbroken: the Open button shrinks and ends it with an ellipsis, so both answers stay on screen. */}
        <div className="flex justify-end gap-2">
          <Button onClick={declineOpen} className="shrink-0">
            Keep my graph
          </Button>
          <Button variant="primary" onClick={() => void confirmOpen(pending)} autoFocus className="min-w-0" title={`Open ${name}`}>
            <span className="truncate">Open {name}</span>
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
