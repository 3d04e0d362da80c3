/**
 * Reading a CSV the user uploads, on the main thread: the same parser the worker runs
 * (parseCsvDataset), so a file that reads here trains there, and its DatasetInfo is what the
 * canvas compiles against. A refused file gives the parser's message and where it points (row,
 * column); the column names are read separately, so the label column can be changed even when
 * the default one is what the parser refused.
 */
// The papaparse typings are a module declaration the engine's csv.ts references (see papaparse.d.ts).
import Papa from 'papaparse/papaparse.min.js';
import { datasetPreview, DatasetError, parseCsvDataset, type DatasetInfo, type DatasetPreview, type TableTask } from '../../../engine/data';
import type { CsvChoice } from '../../../worker/session';

/** The document's dataset id while the uploaded CSV is the dataset. */
export const CSV_DATASET_ID = 'csv';

/** What the user chooses; the binary / multiclass split follows from the number of classes. */
export type CsvTask = 'classification' | 'regression';

export interface CsvProblem {
  message: string;
  /** 1-based data row (the header is not counted). */
  row?: number;
  column?: string;
}

export type TablePreview = Extract<DatasetPreview, { kind: 'table' }>;

export interface CsvReading {
  fileName: string;
  text: string;
  /** The header's column names ([] when there is no readable header). */
  columns: string[];
  labelColumn: string;
  /** The task asked for, or the one inferred once the file reads. Null: not known (the file was refused). */
  task: CsvTask | null;
  result: { ok: true; info: DatasetInfo; preview: TablePreview; choice: CsvChoice } | { ok: false; problem: CsvProblem };
}

/** Rows shown in the preview table. */
export const CSV_PREVIEW_ROWS = 5;

/**
 * Reads `text` as a dataset. Without a label column, the last column is the label; without a
 * task, it is inferred (see engine/data/csv.ts). Classification asked of a column that would be
 * read as a regression target reads it as class labels.
 */
export function readCsv(text: string, fileName: string, options: { labelColumn?: string; task?: CsvTask } = {}): CsvReading {
  const columns = headerColumns(text);
  const labelColumn = options.labelColumn ?? columns.at(-1) ?? '';
  const base = { fileName, text, columns, labelColumn };
  try {
    const parse = (task: TableTask | undefined) =>
      parseCsvDataset(text, { id: CSV_DATASET_ID, name: fileName, ...(labelColumn ? { labelColumn } : {}), ...(task ? { task } : {}) });
    let dataset = parse(options.task === 'regression' ? 'regression' : undefined);
    if (options.task === 'classification' && dataset.info.task === 'regression') {
      dataset = parse('multiclass');
      if (dataset.info.numClasses === 2) dataset = parse('binary');
    }
    const { info } = dataset;
    const choice: CsvChoice = { text, name: fileName, labelColumn: info.targetName ?? labelColumn, task: info.task as TableTask };
    const preview = datasetPreview(dataset, CSV_PREVIEW_ROWS) as TablePreview;
    return { ...base, task: info.task === 'regression' ? 'regression' : 'classification', result: { ok: true, info, preview, choice } };
  } catch (e) {
    return { ...base, task: options.task ?? null, result: { ok: false, problem: csvProblem(e) } };
  }
}

function csvProblem(e: unknown): CsvProblem {
  if (e instanceof DatasetError) {
    return { message: sentence(e.message), ...(e.where?.row !== undefined ? { row: e.where.row } : {}), ...(e.where?.column !== undefined ? { column: e.where.column } : {}) };
  }
  return { message: `The file could not be read: ${e instanceof Error ? e.message : String(e)}` };
}

/** Parser messages that start with where they point ("column 'age', row 3: ...") read as a sentence in the panel. */
function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/** The header's names, read from the first lines only (the whole file may be 20 MB). */
export function headerColumns(text: string): string[] {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let end = start;
  // A few lines, so papaparse can tell the delimiter from more than one row.
  for (let lines = 0; lines < 8 && end !== -1; lines++) end = text.indexOf('\n', end + 1);
  const head = text.slice(start, end === -1 ? undefined : end);
  const parsed = Papa.parse(head, { header: false, skipEmptyLines: 'greedy', transform: (v) => v.trim() });
  return (parsed.data[0] ?? []).filter((name) => name !== '');
}
