/**
 * Reading a CSV the user uploads, on the main thread: the same parser the worker runs
 * (parseCsvDataset), so a file that reads here trains there, and its DatasetInfo is what the
 * canvas compiles against. A refused file gives every problem the parser found and where each
 * points (row, column); the column names are read separately, so the label column can be changed
 * even when the default one is what the parser refused.
 *
 * A reading converts to and from the model format's `data` field (ModelData), which is how the
 * CSV is kept in the browser and in exported files.
 */
// The papaparse typings are a module declaration the engine's csv.ts references (see papaparse.d.ts).
import Papa from 'papaparse/papaparse.min.js';
import { datasetPreview, DatasetError, parseCsvDataset, type DatasetInfo, type DatasetPreview, type TableTask } from '../../engine/data';
import { CSV_DATASET_ID, CsvError, utf8Length, type CsvProblem } from '../../engine/data/csv';
import { MODEL_DATA_LIMITS, type ModelData } from '../../engine/model';
import type { CsvChoice } from '../../worker/session';

/** The document's dataset id while the uploaded CSV is the dataset. */
export { CSV_DATASET_ID };
export type { CsvProblem };

/** What the user chooses; the binary / multiclass split follows from the number of classes. */
export type CsvTask = 'classification' | 'regression';

export type TablePreview = Extract<DatasetPreview, { kind: 'table' }>;

export interface CsvReading {
  fileName: string;
  text: string;
  /** The text's size in UTF-8 bytes (what a file or the browser's storage would hold). */
  bytes: number;
  /** The header's column names ([] when there is no readable header). */
  columns: string[];
  labelColumn: string;
  /** The task asked for, or the one inferred once the file reads. Null: not known (the file was refused). */
  task: CsvTask | null;
  result:
    | { ok: true; info: DatasetInfo; preview: TablePreview; choice: CsvChoice }
    /** `problems` in reading order (at most CSV_LIMITS.maxProblems); `unlisted` counts the rest. */
    | { ok: false; problems: readonly CsvProblem[]; unlisted: number };
}

/** A CSV in the model format's terms, with its text (as autosave and files carry it). */
export type CsvData = ModelData & { text: string };

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
  const base = { fileName, text, bytes: utf8Length(text), columns, labelColumn };
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
    return { ...base, task: options.task ?? null, result: { ok: false, ...csvProblems(e) } };
  }
}

function csvProblems(e: unknown): { problems: CsvProblem[]; unlisted: number } {
  if (e instanceof CsvError) return { problems: e.problems.map((p) => ({ ...p, message: sentence(p.message) })), unlisted: e.unlisted };
  if (e instanceof DatasetError) {
    const { row, column } = e.where ?? {};
    return { problems: [{ message: sentence(e.message), ...(row !== undefined ? { row } : {}), ...(column !== undefined ? { column } : {}) }], unlisted: 0 };
  }
  return { problems: [{ message: `The file could not be read: ${e instanceof Error ? e.message : String(e)}` }], unlisted: 0 };
}

/** "Column 'age', row 3: ... (and 4 more problems)": the first problem, for one-line places. */
export function summarizeCsvProblems(result: { problems: readonly CsvProblem[]; unlisted: number }): string {
  const more = result.problems.length - 1 + result.unlisted;
  const first = result.problems[0]?.message ?? 'The file could not be read.';
  return more > 0 ? `${first} (and ${more} more ${more === 1 ? 'problem' : 'problems'})` : first;
}

/**
 * The reading as the model format's `data` field: the file name, the label column and task as
 * chosen (the task the parser settled on, so the command line trains alike), and the text when
 * asked for.
 */
export function csvDataOf(reading: CsvReading, withText: boolean): ModelData {
  const { result } = reading;
  const labelColumn = result.ok ? result.choice.labelColumn : reading.labelColumn;
  // A refused file's task is known only when it is regression (classification may end binary or multiclass).
  const task: TableTask | undefined = result.ok ? result.choice.task : reading.task === 'regression' ? 'regression' : undefined;
  return {
    kind: CSV_DATASET_ID,
    name: reading.fileName.slice(0, MODEL_DATA_LIMITS.nameLength) || 'data.csv',
    ...(labelColumn ? { labelColumn } : {}),
    ...(task ? { task } : {}),
    ...(withText ? { text: reading.text } : {}),
  };
}

/** A kept or opened CSV read again, with the label column and task it was saved with. */
export function readCsvData(data: CsvData): CsvReading {
  return readCsv(data.text, data.name, {
    ...(data.labelColumn !== undefined ? { labelColumn: data.labelColumn } : {}),
    ...(data.task ? { task: data.task === 'regression' ? 'regression' : 'classification' } : {}),
  });
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
