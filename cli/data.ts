/**
 * The data a model trains on from the command line. A model on the user's CSV (dataset 'csv')
 * trains on `--data file.csv`, else on the CSV text its file carries (exported with "Include the
 * CSV data"); the label column and task come from the flags, else from the choice saved in the
 * file, else the parser's defaults, so the command trains on what the app trained on.
 * Any other model trains on its built-in dataset.
 */
import { basename } from 'node:path';
import { CSV_DATASET_ID, parseCsvDataset, type TableTask } from '../engine/data/csv';
import type { Dataset } from '../engine/data/types';
import type { ModelDefinition } from '../engine/model';

export interface CsvFlags {
  /** The CSV given with --data: its path and text. */
  data?: { path: string; text: string };
  labelColumn?: string;
  task?: TableTask;
}

/** Why the command cannot choose the data: a sentence for the terminal. */
export class DataChoiceError extends Error {
  override name = 'DataChoiceError';
}

/**
 * The user's CSV as a dataset, or undefined for a model on a built-in dataset. Throws a
 * DataChoiceError for flags that do not fit the model, and the parser's DatasetError (a CsvError
 * lists every problem) for a CSV it refuses.
 */
export function csvDatasetFor(model: ModelDefinition, modelFile: string, flags: CsvFlags): Dataset | undefined {
  const { dataset } = model.training;
  if (dataset !== CSV_DATASET_ID) {
    const flag = flags.data ? '--data' : flags.labelColumn !== undefined ? '--label' : flags.task ? '--task' : null;
    if (flag) throw new DataChoiceError(`${modelFile} trains on the built-in dataset '${dataset}'; ${flag} is for a model on a CSV (dataset '${CSV_DATASET_ID}').`);
    return undefined;
  }
  const saved = model.data;
  const text = flags.data?.text ?? saved?.text;
  if (text === undefined) {
    const which = saved ? `its CSV (${saved.name})` : 'a CSV';
    throw new DataChoiceError(
      `${modelFile} trains on ${which}, but the file does not include the data. Give the CSV with --data file.csv, or export the model from Gradflow with "Include the CSV data".`,
    );
  }
  const labelColumn = flags.labelColumn ?? saved?.labelColumn;
  const task = flags.task ?? saved?.task;
  return parseCsvDataset(text, {
    id: CSV_DATASET_ID,
    name: flags.data ? basename(flags.data.path) : (saved?.name ?? 'CSV'),
    ...(labelColumn !== undefined ? { labelColumn } : {}),
    ...(task ? { task } : {}),
  });
}
