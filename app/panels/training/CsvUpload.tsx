import { useId, useRef, useState, type ReactNode } from 'react';
import { Button } from '../../ui/Button';
import type { CsvProblem, CsvReading, CsvTask } from '../../state/csvReading';
import { formatBytes } from '../../../engine/data/csv';
import { useCsvKeeping } from '../../persistence/keptCsv';
import { canKeepCsv, CSV_KEEP_LIMIT, setCsvLabelColumn, setCsvTask, uploadCsv, useCsvUpload } from '../../state/csv';
import { SelectChevron, Spinner, UploadIcon } from './icons';
import { PreviewFigure } from './PreviewFigure';

/** Upload a CSV, choose the column to predict and the task, and see it read (or why it is refused). */
export function CsvUpload() {
  const reading = useCsvUpload((s) => s.reading);
  const input = useRef<HTMLInputElement>(null);
  const [opening, setOpening] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const id = useId();

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setFileError(null);
    setOpening(file.name);
    try {
      uploadCsv(await file.text(), file.name);
    } catch (e) {
      setFileError(`${file.name} could not be opened: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setOpening(null);
    }
  };

  return (
    <div className="flex flex-col gap-3">
      <div className="flex items-center gap-2">
        <Button onClick={() => input.current?.click()} disabled={opening !== null} className="shrink-0">
          {opening !== null ? <Spinner className="size-3.5" /> : <UploadIcon />}
          {reading ? 'Replace CSV' : 'Upload CSV'}
        </Button>
        <span className="min-w-0 truncate text-[11px] text-ink-faint" title={reading?.fileName}>
          {opening ? `Reading ${opening}…` : reading ? readingSummary(reading) : 'No file chosen'}
        </span>
        <input
          ref={input}
          type="file"
          accept=".csv,text/csv"
          aria-label="CSV file"
          className="hidden"
          onChange={(e) => {
            void onFile(e.target.files?.[0]);
            e.target.value = ''; // the same file again is a new upload
          }}
        />
      </div>
      <p className="text-[11px] leading-4 text-ink-faint">A header row, then numbers in every column but the label.</p>
      {reading && <KeepingNote reading={reading} />}
      {fileError && <ProblemList problems={[{ message: fileError }]} unlisted={0} />}
      {reading && (
        <>
          <div className="grid grid-cols-2 gap-2">
            <Field id={`${id}-label`} label="Label column">
              <select
                id={`${id}-label`}
                value={reading.labelColumn}
                disabled={reading.columns.length === 0}
                onChange={(e) => setCsvLabelColumn(e.target.value)}
                className={SELECT}
              >
                {reading.columns.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </Field>
            <Field id={`${id}-task`} label="Task">
              <select
                id={`${id}-task`}
                value={reading.task ?? ''}
                disabled={reading.columns.length === 0}
                onChange={(e) => setCsvTask(e.target.value as CsvTask)}
                className={SELECT}
              >
                {reading.task === null && <option value="">—</option>}
                <option value="classification">Classification</option>
                <option value="regression">Regression</option>
              </select>
            </Field>
          </div>
          {reading.result.ok ? (
            <PreviewFigure preview={reading.result.preview} total={reading.result.info.count} />
          ) : (
            <ProblemList problems={reading.result.problems} unlisted={reading.result.unlisted} />
          )}
        </>
      )}
    </div>
  );
}

const SELECT = 'h-8 w-full appearance-none truncate rounded-md border border-line bg-canvas pr-7 pl-2 text-[13px] text-ink hover:border-line-strong disabled:opacity-60';

function Field({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="flex min-w-0 flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium text-ink-muted">
        {label}
      </label>
      <div className="relative">
        {children}
        <SelectChevron />
      </div>
    </div>
  );
}

/** A refused file: every problem the parser found, each with where (row, column) as chips, then its sentence. */
function ProblemList({ problems, unlisted }: { problems: readonly CsvProblem[]; unlisted: number }) {
  const total = problems.length + unlisted;
  return (
    <div role="alert" data-testid="csv-problems" data-count={total} className="flex flex-col gap-2 rounded-md border border-danger/40 bg-danger/10 px-3 py-2 text-xs leading-5 text-danger-ink">
      {total > 1 && <p className="font-medium">{total.toLocaleString('en-US')} problems, in the order they appear in the file:</p>}
      <ul className="flex flex-col gap-1.5">
        {problems.map((problem, i) => (
          <li key={i} data-testid="csv-problem" {...(problem.row !== undefined ? { 'data-row': problem.row } : {})} {...(problem.column !== undefined ? { 'data-column': problem.column } : {})}>
            {(problem.row !== undefined || problem.column !== undefined) && (
              <span className="mr-1.5 inline-flex flex-wrap gap-1 align-middle font-mono text-[11px]">
                {problem.row !== undefined && <Chip>row {problem.row}</Chip>}
                {problem.column !== undefined && <Chip>column {problem.column}</Chip>}
              </span>
            )}
            {withoutWhere(problem)}
          </li>
        ))}
      </ul>
      {unlisted > 0 && (
        <p data-testid="csv-problems-unlisted" className="text-danger-ink/80">
          …and {unlisted.toLocaleString('en-US')} more {unlisted === 1 ? 'problem' : 'problems'} of the same kinds.
        </p>
      )}
    </div>
  );
}

/** The sentence without the "Column 'age', row 3: " its chips already say. */
function withoutWhere({ message, row, column }: CsvProblem): string {
  const where = column !== undefined && row !== undefined ? `Column '${column}', row ${row}: ` : row !== undefined ? `Row ${row}: ` : null;
  if (!where || !message.startsWith(where)) return message;
  const rest = message.slice(where.length);
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

/** Whether the CSV comes back after a reload (kept in the browser beside the model), and if not, why. */
function KeepingNote({ reading }: { reading: CsvReading }) {
  const keeping = useCsvKeeping((s) => s.keeping);
  const size = formatBytes(reading.bytes);
  if (!canKeepCsv(reading)) {
    return (
      <p data-testid="csv-keep" data-state="too-large" className="rounded-md border border-warn/40 bg-warn/10 px-3 py-2 text-[11px] leading-4 text-warn">
        At {size}, this CSV is larger than the {formatBytes(CSV_KEEP_LIMIT)} Gradflow keeps with a model: it stays in this tab only. Upload it again after a reload; exported files name it but can't include it.
      </p>
    );
  }
  if (!keeping) return null;
  const text = {
    saving: `Keeping it in this browser (${size})…`,
    kept: `Kept in this browser with your model (${size}): it comes back when you reload.`,
    'too-large': `Not kept in this browser (${size}).`,
    // "Could not keep the CSV: the browser storage is full (QuotaExceededError). ..."
    failed: `${keeping.state === 'failed' ? keeping.reason.charAt(0).toUpperCase() + keeping.reason.slice(1) : ''}. Upload it again after a reload.`,
  }[keeping.state];
  return (
    <p data-testid="csv-keep" data-state={keeping.state} className={`text-[11px] leading-4 ${keeping.state === 'failed' ? 'text-warn' : 'text-ink-faint'}`}>
      {text}
    </p>
  );
}

/** "60 rows · 3 features", or that the file is refused. */
function readingSummary(reading: CsvReading): string {
  if (!reading.result.ok) return `${reading.fileName}: not usable yet`;
  const { count, inputShape } = reading.result.info;
  return `${count.toLocaleString('en-US')} rows · ${inputShape[0]} ${inputShape[0] === 1 ? 'feature' : 'features'}`;
}

function Chip({ children }: { children: ReactNode }) {
  return <span className="max-w-full truncate rounded border border-danger/40 bg-danger/15 px-1.5 leading-4">{children}</span>;
}
