import { describeShape } from '../../engine/layers/types';
import { useCompiled } from '../state/compiled';
import { graphStore } from '../state/graph';
import { useUi } from '../state/ui';
import { Dialog } from '../ui/Dialog';

/** A Keras-like model summary from the compiler: layer, output shape, parameters. */
export function SummaryDialog() {
  const { graph, dataset, errorCount } = useCompiled();
  const { rows, totalParams } = graph.summary;
  const select = (nodeId: string) => {
    graphStore.getState().select({ nodes: [nodeId] });
    useUi.getState().openDialog(null);
  };
  return (
    <Dialog
      title="Model summary"
      description={`${dataset ? `On ${dataset.name} (input ${describeShape(dataset.inputShape)})` : 'No dataset'}${errorCount > 0 ? ` · ${errorCount} problem${errorCount === 1 ? '' : 's'} to fix` : ''}`}
      onClose={() => useUi.getState().openDialog(null)}
      width="max-w-2xl"
    >
      <table className="w-full text-left text-[13px]">
        <thead className="sticky top-0 bg-panel text-[11px] tracking-wider text-ink-faint uppercase">
          <tr className="border-b border-line">
            <th className="px-5 py-2 font-semibold">Layer (type)</th>
            <th className="px-3 py-2 font-semibold">Output shape</th>
            <th className="px-5 py-2 text-right font-semibold">Params</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.nodeId} className="cursor-pointer border-b border-line/60 hover:bg-hover" onClick={() => select(row.nodeId)}>
              <td className="px-5 py-1.5">
                <span className="text-ink">{row.name}</span> <span className="text-ink-faint">({row.label})</span>
              </td>
              <td className="px-3 py-1.5 font-mono text-ink-muted">{row.shape ? `(None, ${row.shape.join(', ')})` : '—'}</td>
              <td className="px-5 py-1.5 text-right font-mono text-ink-muted tabular-nums">{row.params.toLocaleString('en-US')}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td colSpan={2} className="px-5 py-3 font-medium text-ink">
              Total trainable parameters
            </td>
            <td className="px-5 py-3 text-right font-mono font-medium text-ink tabular-nums" data-testid="summary-total">
              {totalParams.toLocaleString('en-US')}
            </td>
          </tr>
        </tfoot>
      </table>
      {rows.length === 0 && <p className="px-5 pb-5 text-[13px] text-ink-faint">Add layers to see the summary.</p>}
    </Dialog>
  );
}
