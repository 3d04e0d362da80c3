import type { ReactNode } from 'react';
import { compactCount, MODEL_BUDGET } from '../../engine/compiler/budget';
import { formatBytes } from '../../engine/data/csv';
import { describeShape } from '../../engine/layers/types';
import { useCompiled } from '../state/compiled';
import { graphStore } from '../state/graph';
import { useUi } from '../state/ui';
import { Dialog } from '../ui/Dialog';

/** A Keras-like model summary from the compiler: layer, output shape, parameters, memory; and the model's size against the budget. */
export function SummaryDialog() {
  const { graph, dataset, errorCount } = useCompiled();
  const { rows, totalParams } = graph.summary;
  const { size } = graph;
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
      <div className="grid grid-cols-2 gap-6 border-b border-line px-5 py-4">
        <BudgetMeter label="Parameters" note="trainable weights and biases" value={size.params} limit={MODEL_BUDGET.params} testId="summary-params-budget">
          {size.params.toLocaleString('en-US')} of {compactCount(MODEL_BUDGET.params)}
        </BudgetMeter>
        <BudgetMeter label="Memory to train" note={`at batch size ${size.batchSize}`} value={size.bytes} limit={MODEL_BUDGET.bufferBytes} testId="summary-memory-budget">
          about {formatBytes(size.bytes)} of {formatBytes(MODEL_BUDGET.bufferBytes)}
        </BudgetMeter>
      </div>
      <table className="w-full text-left text-[13px]">
        <thead className="sticky top-0 bg-panel text-[11px] tracking-wider text-ink-faint uppercase">
          <tr className="border-b border-line">
            <th className="px-5 py-2 font-semibold">Layer (type)</th>
            <th className="px-3 py-2 font-semibold">Output shape</th>
            <th className="px-3 py-2 text-right font-semibold">Params</th>
            <th className="px-5 py-2 text-right font-semibold" title="The buffers training keeps for the layer at the batch size: weights with their gradients and the optimizer's moments, and activations with their gradients">
              Memory
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.nodeId} className="cursor-pointer border-b border-line/60 hover:bg-hover" onClick={() => select(row.nodeId)}>
              <td className="px-5 py-1.5">
                <span className="text-ink">{row.name}</span> <span className="text-ink-faint">({row.label})</span>
              </td>
              <td className="px-3 py-1.5 font-mono text-ink-muted">{row.shape ? `(None, ${row.shape.join(', ')})` : '—'}</td>
              <td className="px-3 py-1.5 text-right font-mono text-ink-muted tabular-nums">{row.params.toLocaleString('en-US')}</td>
              <td className="px-5 py-1.5 text-right font-mono text-ink-faint tabular-nums">{row.bytes > 0 ? formatBytes(row.bytes) : '—'}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td colSpan={2} className="px-5 py-3 font-medium text-ink">
              Total trainable parameters
            </td>
            <td className="px-3 py-3 text-right font-mono font-medium text-ink tabular-nums" data-testid="summary-total">
              {totalParams.toLocaleString('en-US')}
            </td>
            <td className="px-5 py-3 text-right font-mono font-medium text-ink tabular-nums">{formatBytes(size.bytes)}</td>
          </tr>
        </tfoot>
      </table>
      {rows.length === 0 && <p className="px-5 pb-5 text-[13px] text-ink-faint">Add layers to see the summary.</p>}
    </Dialog>
  );
}

/**
 * One limit of the size budget: a bar of the model's share of it, in the accent color, the warning
 * color past half, and the danger color over it (the compiler then refuses the model).
 */
function BudgetMeter({ label, note, value, limit, testId, children }: { label: string; note: string; value: number; limit: number; testId: string; children: ReactNode }) {
  const share = value / limit;
  const tone = share > 1 ? 'bg-danger' : share > 0.5 ? 'bg-warn' : 'bg-accent';
  return (
    <div data-testid={testId} data-over={share > 1 ? '' : undefined}>
      <div className="flex items-baseline justify-between gap-3 text-[12px]">
        <span className="text-ink-muted">{label}</span>
        <span className={`font-mono whitespace-nowrap tabular-nums ${share > 1 ? 'text-danger-ink' : 'text-ink'}`}>{children}</span>
      </div>
      <div role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={limit} aria-valuenow={value} className="mt-1.5 h-1.5 overflow-hidden rounded-full bg-raised">
        {/* At least a sliver, so a small model's share is seen to be small rather than missing. */}
        <div className={`h-full rounded-full ${tone}`} style={{ width: `${Math.min(100, Math.max(1, share * 100))}%` }} />
      </div>
      <p className="mt-1 text-[11px] text-ink-faint">{note}</p>
    </div>
  );
}
