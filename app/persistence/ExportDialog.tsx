import type { ReactNode } from 'react';
import { formatBytes } from '../../engine/data/csv';
import { canKeepCsv, CSV_KEEP_LIMIT, useCsvUpload } from '../state/csv';
import { CSV_DATASET_ID } from '../state/csvReading';
import { useGraph } from '../state/graph';
import { useTraining } from '../training/store';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { downloadDocument, exportedFileName, useExportChoice, type ExportContent } from './documents';

/**
 * Export: what to write — the model (`.gradflow.json`), the model with the run's trained weights
 * embedded, the weights alone (`.safetensors`), a PyTorch project (`.zip`) or ONNX — and, for a
 * model file on the uploaded CSV, whether it carries the CSV's rows, with their size.
 */
export function ExportDialog() {
  const asking = useExportChoice((s) => s.asking);
  if (!asking) return null;
  return <ExportChoices />;
}

function ExportChoices() {
  const includeCsv = useExportChoice((s) => s.includeCsv);
  const chosen = useExportChoice((s) => s.content);
  const reading = useCsvUpload((s) => s.reading);
  const name = useGraph((s) => s.doc.name);
  const onCsv = useGraph((s) => s.doc.training.dataset === CSV_DATASET_ID);
  const params = useTraining((s) => s.info?.summary.totalParams ?? null);
  const step = useTraining((s) => s.snapshot?.step ?? 0);
  const close = () => useExportChoice.setState({ asking: false });

  const hasWeights = params !== null;
  // A choice of weights with no run loaded falls back to the model alone (the options say why).
  const content: ExportContent = hasWeights ? chosen : 'model';
  const fileName = exportedFileName({ ...(name !== undefined ? { name } : {}) }, content);
  const weightsSize = hasWeights ? `${params.toLocaleString('en-US')} parameters · about ${formatBytes(params * 4)} · after ${step.toLocaleString('en-US')} step${step === 1 ? '' : 's'}` : 'Train or Step first: this graph has no weights yet';
  const csv = onCsv && reading && (content === 'model' || content === 'modelWithWeights') ? reading : null;
  const fits = csv ? canKeepCsv(csv) : false;
  const included = includeCsv && fits;
  const choose = (c: ExportContent) => useExportChoice.setState({ content: c });
  // Every choice but the model alone needs a run of this graph (its weights); until then each says so.
  const choices: { value: ExportContent; label: string; detail: string; needsRun: boolean }[] = [
    { value: 'model', label: 'Model', detail: 'The graph, its training settings and layout (.gradflow.json)', needsRun: false },
    { value: 'modelWithWeights', label: 'Model + trained weights', detail: `One .gradflow.json that opens with this run's weights · ${weightsSize}`, needsRun: true },
    { value: 'weights', label: 'Weights only', detail: `.safetensors, for Open onto this graph or for PyTorch · ${weightsSize}`, needsRun: true },
    { value: 'pytorch', label: 'PyTorch project', detail: 'A .zip: model.py, train.py (runs under torchrun), these weights and the data, split as here', needsRun: true },
    { value: 'onnx', label: 'ONNX', detail: 'An .onnx file with these weights, for inference in ONNX Runtime (opset 17; opens in Netron)', needsRun: true },
  ];

  return (
    <Dialog title="Export" description={`Downloads ${fileName}`} onClose={close} width="max-w-md">
      <div className="flex flex-col gap-4 p-5">
        <fieldset className="flex flex-col gap-2" data-testid="export-content">
          <legend className="mb-2 text-xs font-medium uppercase tracking-wide text-ink-faint">What to export</legend>
          {choices.map((c) => (
            <Choice key={c.value} value={c.value} chosen={content} onChoose={choose} label={c.label} detail={c.needsRun && !hasWeights ? weightsSize : c.detail} disabled={c.needsRun && !hasWeights} />
          ))}
        </fieldset>
        {csv && (
          <>
            <label className={`flex items-start gap-3 rounded-lg border px-3 py-2.5 ${fits ? 'cursor-pointer border-line bg-canvas hover:border-line-strong' : 'border-line bg-canvas/60'}`}>
              <input
                type="checkbox"
                data-testid="export-include-csv"
                checked={included}
                disabled={!fits}
                onChange={(e) => useExportChoice.setState({ includeCsv: e.target.checked })}
                className="mt-0.5 size-4 shrink-0 accent-accent disabled:opacity-50"
              />
              <span className="flex min-w-0 flex-col gap-0.5">
                <span className={`text-[13px] font-medium ${fits ? 'text-ink' : 'text-ink-faint'}`}>Include the CSV data</span>
                <span className="truncate text-xs text-ink-muted" title={csv.fileName}>
                  {csv.fileName} · {csv.result.ok ? `${csv.result.info.count.toLocaleString('en-US')} rows · ` : ''}
                  <span data-testid="export-csv-size">{formatBytes(csv.bytes)}</span>
                </span>
              </span>
            </label>
            <p className="text-xs leading-5 text-ink-faint">
              {!fits ? (
                <>
                  It is larger than the {formatBytes(CSV_KEEP_LIMIT)} a model file can carry. The file names the CSV, its label column and task: upload the CSV where you open the model, or give it to <Code>npm run train</Code> with <Code>--data</Code>.
                </>
              ) : included ? (
                <>
                  Whoever opens the file trains on the same data, in Gradflow or with <Code>npm run train</Code>.
                </>
              ) : (
                <>
                  The file names the CSV, its label column and task, not its rows: upload the CSV where you open the model, or give it to <Code>npm run train</Code> with <Code>--data</Code>.
                </>
              )}
            </p>
          </>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={close}>Cancel</Button>
          <Button variant="primary" onClick={() => void downloadDocument(included, content)} autoFocus>
            Export
          </Button>
        </div>
      </div>
    </Dialog>
  );
}

function Choice({ value, chosen, onChoose, label, detail, disabled = false }: { value: ExportContent; chosen: ExportContent; onChoose: (c: ExportContent) => void; label: string; detail: string; disabled?: boolean }) {
  const checked = value === chosen;
  return (
    <label
      className={`flex items-start gap-3 rounded-lg border px-3 py-2.5 ${disabled ? 'border-line bg-canvas/60' : checked ? 'cursor-pointer border-accent/70 bg-accent/10' : 'cursor-pointer border-line bg-canvas hover:border-line-strong'}`}
    >
      <input type="radio" name="export-content" value={value} checked={checked} disabled={disabled} onChange={() => onChoose(value)} className="mt-0.5 size-4 shrink-0 accent-accent disabled:opacity-50" />
      <span className="flex min-w-0 flex-col gap-0.5">
        <span className={`text-[13px] font-medium ${disabled ? 'text-ink-faint' : 'text-ink'}`}>{label}</span>
        <span className="text-xs text-ink-muted">{detail}</span>
      </span>
    </label>
  );
}

function Code({ children }: { children: ReactNode }) {
  return <code className="whitespace-nowrap rounded bg-raised px-1 py-px font-mono text-[11px] text-ink-muted">{children}</code>;
}
