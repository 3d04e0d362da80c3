/**
 * The CSV the user uploaded. It is not in the document (the undo history and every autosave of
 * the graph would carry it): the document says `dataset: 'csv'` while the CSV is the dataset,
 * compile (app/state/compiled.ts) describes it with `describeTrainingDataset`, and the training
 * store passes it to the worker's load with `csvForLoad`. app/persistence keeps it in the
 * browser's storage beside the document and writes it into exported files when asked.
 */
import { create } from 'zustand';
import { describeBuiltinDataset, DatasetError, type DatasetInfo, type SyntheticOptions } from '../../engine/data';
import { MODEL_DATA_LIMITS } from '../../engine/model';
import type { CsvChoice } from '../../worker/session';
import { graphStore } from './graph';
import { CSV_DATASET_ID, readCsv, readCsvData, summarizeCsvProblems, type CsvData, type CsvReading, type CsvTask } from './csvReading';

interface CsvUploadState {
  reading: CsvReading | null;
  /** Grows on every change, so loads and compiles can key on it instead of the text. */
  version: number;
}

export const useCsvUpload = create<CsvUploadState>()(() => ({ reading: null, version: 0 }));

export const NO_CSV_MESSAGE = 'No CSV is loaded: upload one under Dataset, or choose a built-in dataset.';

/** The largest CSV kept with the model, in the browser and in exported files (UTF-8 bytes). */
export const CSV_KEEP_LIMIT = MODEL_DATA_LIMITS.csvBytes;

function setReading(reading: CsvReading): void {
  useCsvUpload.setState((s) => ({ reading, version: s.version + 1 }));
  // Compiled results are cached on the document and read through the graph store; the document
  // did not change, so notify its subscribers for the canvas to compile against the new CSV.
  if (graphStore.getState().doc.training.dataset === CSV_DATASET_ID) graphStore.setState({});
}

/** A newly uploaded file: its last column is the label and the task is inferred. */
export function uploadCsv(text: string, fileName: string): void {
  setReading(readCsv(text, fileName));
}

/** A CSV kept in the browser or carried by an opened file, with its label column and task. */
export function restoreCsv(data: CsvData): void {
  setReading(readCsvData(data));
}

/** Another label column; the task is inferred again for it. */
export function setCsvLabelColumn(labelColumn: string): void {
  const r = useCsvUpload.getState().reading;
  if (r && r.labelColumn !== labelColumn) setReading(readCsv(r.text, r.fileName, { labelColumn }));
}

export function setCsvTask(task: CsvTask): void {
  const r = useCsvUpload.getState().reading;
  if (r && r.task !== task) setReading(readCsv(r.text, r.fileName, { labelColumn: r.labelColumn, task }));
}

/** The dataset compile sees: the uploaded CSV's for 'csv', else the built-in one's. */
export function describeTrainingDataset(id: string, options: SyntheticOptions): DatasetInfo {
  if (id !== CSV_DATASET_ID) return describeBuiltinDataset(id, options);
  const { reading } = useCsvUpload.getState();
  if (!reading) throw new DatasetError(NO_CSV_MESSAGE);
  if (!reading.result.ok) throw new DatasetError(`${reading.fileName} cannot be used: ${summarizeCsvProblems(reading.result)}`);
  return reading.result.info;
}

/** What compile results depend on besides the document: the CSV's version while it is the dataset. */
export function uploadedCsvVersion(id: string): number | null {
  return id === CSV_DATASET_ID ? useCsvUpload.getState().version : null;
}

/** The CSV to send with a load, and a key for it; null unless the dataset is a CSV that reads. */
export function csvForLoad(id: string): { choice: CsvChoice; key: string } | null {
  if (id !== CSV_DATASET_ID) return null;
  const { reading, version } = useCsvUpload.getState();
  if (!reading?.result.ok) return null;
  return { choice: reading.result.choice, key: `csv@${version}` };
}

/** Whether the reading is small enough to keep with the model (see CSV_KEEP_LIMIT). */
export function canKeepCsv(reading: CsvReading): boolean {
  return reading.bytes <= CSV_KEEP_LIMIT;
}
