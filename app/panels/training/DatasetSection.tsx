import { Suspense, use, useState } from 'react';
import { BUILTIN_DATASETS, describeBuiltinDataset, findBuiltinDataset, type CatalogueEntry } from '../../../engine/data';
import { graphStore, useGraph } from '../../state/graph';
import { CsvUpload } from './CsvUpload';
import { CSV_DATASET_ID } from '../../state/csvReading';
import { useCsvUpload } from '../../state/csv';
import { SelectChevron, Spinner } from './icons';
import { PreviewFigure } from './PreviewFigure';
import { datasetDescription, filePreview, forgetFilePreview, syntheticPreview, type FileEntry } from './previews';

const GROUPS: { label: string; kind: CatalogueEntry['kind'] }[] = [
  { label: 'Synthetic', kind: 'synthetic' },
  { label: 'Tables', kind: 'table' },
  { label: 'Images', kind: 'images' },
  { label: 'Text', kind: 'text' },
];

/** The dataset picker: built-in datasets by kind, or a CSV of the user's own, with a preview. */
export function DatasetSection() {
  const dataset = useGraph((s) => s.doc.training.dataset);
  const csvName = useCsvUpload((s) => s.reading?.fileName);
  const entry = findBuiltinDataset(dataset);
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-col gap-1.5">
        <label htmlFor="dataset" className="sr-only">
          Dataset
        </label>
        <div className="relative">
          <select
            id="dataset"
            value={dataset}
            onChange={(e) => graphStore.getState().setTraining({ dataset: e.target.value })}
            className="h-8 w-full appearance-none rounded-md border border-line bg-canvas pr-8 pl-2.5 text-[13px] text-ink hover:border-line-strong"
          >
            {GROUPS.map((g) => (
              <optgroup key={g.kind} label={g.label}>
                {BUILTIN_DATASETS.filter((d) => d.kind === g.kind).map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </optgroup>
            ))}
            <optgroup label="Your data">
              <option value={CSV_DATASET_ID}>{csvName ? `CSV: ${csvName}` : 'Upload a CSV…'}</option>
            </optgroup>
            {!entry && dataset !== CSV_DATASET_ID && <option value={dataset}>{dataset} (unknown)</option>}
          </select>
          <SelectChevron />
        </div>
        {entry && <DatasetDescription entry={entry} />}
      </div>
      {entry ? <BuiltinPreview entry={entry} /> : dataset === CSV_DATASET_ID ? <CsvUpload /> : null}
    </div>
  );
}

/** The description of the data the document's options generate (3 spiral arms, not the default 2). */
function DatasetDescription({ entry }: { entry: CatalogueEntry }) {
  const options = useGraph((s) => s.doc.training.datasetOptions);
  const seed = useGraph((s) => s.doc.training.seed);
  return <p className="text-[11px] leading-4 text-ink-faint">{datasetDescription(entry, options, seed)}</p>;
}

function BuiltinPreview({ entry }: { entry: CatalogueEntry }) {
  const options = useGraph((s) => s.doc.training.datasetOptions);
  const seed = useGraph((s) => s.doc.training.seed);
  if (entry.kind === 'synthetic') {
    const result = syntheticPreview(entry, options, seed);
    if (!result.ok) return <PreviewProblem message={result.message} />;
    const count = options?.count ?? entry.defaults.count;
    return <PreviewFigure preview={result.preview} total={count} />;
  }
  return <FileBackedPreview key={entry.id} entry={entry} />;
}

/** Fetched the first time the dataset is chosen; a spinner meanwhile. */
function FileBackedPreview({ entry }: { entry: FileEntry }) {
  const [attempt, setAttempt] = useState(0);
  return (
    <Suspense fallback={<PreviewLoading entry={entry} />}>
      <FilePreviewBody
        key={attempt}
        entry={entry}
        onRetry={() => {
          forgetFilePreview(entry.id);
          setAttempt((a) => a + 1);
        }}
      />
    </Suspense>
  );
}

function FilePreviewBody({ entry, onRetry }: { entry: FileEntry; onRetry: () => void }) {
  const result = use(filePreview(entry));
  const options = useGraph((s) => s.doc.training.datasetOptions);
  if (!result.ok) return <PreviewProblem message={result.message} onRetry={onRetry} />;
  if (entry.kind !== 'text') {
    return <PreviewFigure preview={result.preview} total={entry.shape.count} {...(entry.kind === 'images' ? { classNames: entry.classNames } : {})} />;
  }
  // The preview was cut with the default window length; show the windows the run will use.
  const info = textDescription(entry, options);
  const windowLength = info.inputShape[0]!;
  const preview = result.preview.kind === 'text' ? { ...result.preview, windowLength } : result.preview;
  return <PreviewFigure preview={preview} total={info.count} />;
}

/** A text's windows as the document's options cut them, or (when the options are refused, which the settings say) as the defaults do. */
function textDescription(entry: FileEntry, options: Record<string, number> | undefined) {
  try {
    return describeBuiltinDataset(entry.id, options);
  } catch {
    return describeBuiltinDataset(entry.id);
  }
}

function PreviewLoading({ entry }: { entry: FileEntry }) {
  return (
    <div role="status" className="flex h-28 items-center justify-center gap-2 rounded-lg border border-line bg-canvas text-xs text-ink-faint">
      <Spinner className="size-3.5 text-ink-muted" />
      Loading {entry.name}…
    </div>
  );
}

function PreviewProblem({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div role="alert" className="flex flex-col items-start gap-2 rounded-lg border border-danger/40 bg-danger/10 px-3 py-2 text-xs leading-5 text-danger-ink">
      <p>No preview: {message}</p>
      {onRetry && (
        <button type="button" onClick={onRetry} className="font-medium text-ink underline underline-offset-2 hover:text-accent-hover">
          Try again
        </button>
      )}
    </div>
  );
}
