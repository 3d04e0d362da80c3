import { formatBytes } from '../../engine/data/csv';
import { canKeepCsv, CSV_KEEP_LIMIT, useCsvUpload } from '../state/csv';
import { useGraph } from '../state/graph';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { downloadDocument, useExportChoice } from './documents';
import { exportFileName } from './file';

/** Export of a model on the uploaded CSV: whether the file carries the CSV's rows, with their size. */
export function ExportDialog() {
  const asking = useExportChoice((s) => s.asking);
  const includeCsv = useExportChoice((s) => s.includeCsv);
  const reading = useCsvUpload((s) => s.reading);
  const name = useGraph((s) => s.doc.name);
  if (!asking || !reading) return null;
  const close = () => useExportChoice.setState({ asking: false });
  const fits = canKeepCsv(reading);
  const included = includeCsv && fits;
  const rows = reading.result.ok ? `${reading.result.info.count.toLocaleString('en-US')} rows · ` : '';
  return (
    <Dialog title="Export the model" description={`Downloads ${exportFileName({ ...(name !== undefined ? { name } : {}) })}`} onClose={close} width="max-w-md">
      <div className="flex flex-col gap-4 p-5">
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
            <span className="truncate text-xs text-ink-muted" title={reading.fileName}>
              {reading.fileName} · {rows}
              <span data-testid="export-csv-size">{formatBytes(reading.bytes)}</span>
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
        <div className="flex justify-end gap-2">
          <Button onClick={close}>Cancel</Button>
          <Button variant="primary" onClick={() => downloadDocument(included)} autoFocus>
            Export
          </Button>
        </div>
      </div>
    </Dialog>
  );
}

function Code({ children }: { children: string }) {
  return <code className="whitespace-nowrap rounded bg-raised px-1 py-px font-mono text-[11px] text-ink-muted">{children}</code>;
}
