/**
 * Tables from CSV text: the one path for the built-in tables and for a file the user uploads.
 * A header row names the columns; one column is the label (default: the last), every other
 * column is a numeric feature. Anything the trainer cannot use is refused with a DatasetError
 * that says what is wrong and where. Rows in messages are 1-based data rows: the header is not
 * counted and blank lines are skipped.
 *
 * Labels:
 * - task inference (when `task` is not given): a label column of whole numbers with at most
 *   20 distinct values is a class label, any other numeric column is a regression target, and a
 *   column with any non-numeric value is a class label. Two classes make the task binary.
 * - class ids: numeric labels are sorted ascending (labels 1, 2, 3 become ids 0, 1, 2);
 *   text labels keep their order of first appearance in the file.
 *
 * Tables set `info.standardize = true`: `splitDataset` then standardizes the features with
 * statistics fitted on the training split.
 */
// The typings live in a script file (see papaparse.d.ts), which only a reference can pull in.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./papaparse.d.ts" />
import Papa from 'papaparse/papaparse.min.js';
import { DatasetError } from './types';
import type { Dataset, DatasetInfo } from './types';

export type TableTask = 'multiclass' | 'binary' | 'regression';

export interface CsvOptions {
  id: string;
  name: string;
  /** The column to predict; default: the last column. */
  labelColumn?: string;
  /** Default: inferred from the label column (see the module comment). */
  task?: TableTask;
  /** Most data rows accepted; default 50,000. */
  maxRows?: number;
  /** Largest file accepted, in bytes of UTF-8; default 20 MB. */
  maxBytes?: number;
  description?: string;
}

export const CSV_LIMITS = {
  maxRows: 50_000,
  maxBytes: 20 * 1024 * 1024,
  minRows: 10,
  /** Whole-number labels with more distinct values than this are read as a regression target. */
  maxInferredClasses: 20,
  maxClasses: 100,
} as const;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Cells read as "no value" (compared lower-cased). */
const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', '?']);

export function parseCsvDataset(text: string, options: CsvOptions): Dataset {
  const maxRows = options.maxRows ?? CSV_LIMITS.maxRows;
  const maxBytes = options.maxBytes ?? CSV_LIMITS.maxBytes;
  const bytes = utf8Length(text, maxBytes);
  if (bytes > maxBytes) {
    throw new DatasetError(`The file is ${formatBytes(bytes)}; the limit is ${formatBytes(maxBytes)}.`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new DatasetError('The file is empty.');

  const parsed = Papa.parse(text, { header: false, skipEmptyLines: 'greedy', transform: (v) => v.trim() });
  const quoteError = parsed.errors.find((e) => e.type === 'Quotes');
  if (quoteError) {
    // With header: false, papaparse's row 0 is the header line, so its index is the data row.
    const row = quoteError.row;
    const where = row === undefined ? '' : row === 0 ? 'header row: ' : `row ${row}: `;
    throw new DatasetError(`${where}${quoteError.message}.`, row ? { row } : undefined);
  }
  const [header, ...rows] = parsed.data;
  if (!header) throw new DatasetError('The file is empty.');
  checkHeader(header);
  if (rows.length === 0) throw new DatasetError('The file has a header row but no data rows.');
  if (rows.length > maxRows) {
    throw new DatasetError(`The file has ${formatCount(rows.length)} data rows; the limit is ${formatCount(maxRows)} rows.`);
  }
  if (rows.length < CSV_LIMITS.minRows) {
    throw new DatasetError(
      `The file has ${rows.length} data ${rows.length === 1 ? 'row' : 'rows'}; at least ${CSV_LIMITS.minRows} are needed to train and test.`,
    );
  }
  rows.forEach((row, i) => {
    if (row.length !== header.length) {
      throw new DatasetError(`row ${i + 1}: ${row.length} values, but the header has ${header.length} columns.`, { row: i + 1 });
    }
  });

  const labelColumn = options.labelColumn ?? header[header.length - 1]!;
  const labelIndex = header.indexOf(labelColumn);
  if (labelIndex < 0) {
    throw new DatasetError(`There is no column '${labelColumn}'. The columns are: ${header.join(', ')}.`, { column: labelColumn });
  }
  const featureIndices = header.map((_, j) => j).filter((j) => j !== labelIndex);
  if (featureIndices.length === 0) {
    throw new DatasetError(`The file has only the label column ('${labelColumn}'); at least one feature column is needed.`);
  }
  const featureNames = featureIndices.map((j) => header[j]!);

  const count = rows.length;
  const x = new Float32Array(count * featureIndices.length);
  rows.forEach((row, i) => {
    featureIndices.forEach((j, f) => {
      const cell = row[j]!;
      checkPresent(cell, header[j]!, i + 1);
      if (!NUMBER.test(cell)) {
        throw new DatasetError(
          `column '${header[j]}', row ${i + 1}: '${cell}' is not a number. Remove the column or encode it as numbers (for example one column per category, 0 or 1).`,
          { row: i + 1, column: header[j]! },
        );
      }
      x[i * featureIndices.length + f] = readNumber(cell, header[j]!, i + 1);
    });
  });

  const labels = rows.map((row, i) => {
    const cell = row[labelIndex]!;
    checkPresent(cell, labelColumn, i + 1);
    return cell;
  });
  const target = readTarget(labels, labelColumn, options.task);

  const info: DatasetInfo = {
    id: options.id,
    name: options.name,
    task: target.task,
    inputShape: [featureIndices.length],
    targetShape: target.task === 'regression' ? [1] : [],
    featureNames,
    count,
    description:
      options.description ??
      (target.classNames
        ? `${count} rows, ${featureIndices.length} features, ${target.classNames.length} classes in '${labelColumn}'`
        : `${count} rows, ${featureIndices.length} features; predicts '${labelColumn}'`),
    kind: 'table',
    targetName: labelColumn,
    standardize: true,
  };
  if (target.classNames) {
    info.numClasses = target.classNames.length;
    info.classNames = target.classNames;
  }
  return { info, x, y: target.y };
}

function checkHeader(header: string[]): void {
  const seen = new Map<string, number>();
  header.forEach((name, j) => {
    if (name === '') {
      throw new DatasetError(`Column ${j + 1} has no name in the header row; give every column a name.`);
    }
    const first = seen.get(name);
    if (first !== undefined) {
      throw new DatasetError(`The column name '${name}' appears twice (columns ${first + 1} and ${j + 1}); column names must be unique.`, {
        column: name,
      });
    }
    seen.set(name, j);
  });
}

function checkPresent(cell: string, column: string, row: number): void {
  if (MISSING.has(cell.toLowerCase())) {
    throw new DatasetError(
      `column '${column}', row ${row}: the value is missing${cell === '' ? '' : ` ('${cell}')`}. Remove the row or fill in the value.`,
      { row, column },
    );
  }
}

/** A numeric cell as float32, refusing values float32 cannot hold. */
function readNumber(cell: string, column: string, row: number): number {
  const value = Math.fround(Number(cell));
  if (!Number.isFinite(value)) {
    throw new DatasetError(`column '${column}', row ${row}: ${cell} is too large (the limit is about ±3.4e38).`, { row, column });
  }
  return value;
}

interface Target {
  task: TableTask;
  y: Float32Array;
  classNames?: string[];
}

function readTarget(labels: string[], column: string, task: TableTask | undefined): Target {
  const numeric = labels.every((v) => NUMBER.test(v));
  if (task === 'regression' || (task === undefined && numeric && !looksLikeClasses(labels))) {
    const y = new Float32Array(labels.length);
    labels.forEach((v, i) => {
      if (!NUMBER.test(v)) {
        throw new DatasetError(`column '${column}', row ${i + 1}: '${v}' is not a number, but the task is regression.`, { row: i + 1, column });
      }
      y[i] = readNumber(v, column, i + 1);
    });
    return { task: 'regression', y };
  }

  // Numeric labels are keyed by value so that '1' and '1.0' are one class.
  const keys = numeric ? labels.map((v) => String(Number(v))) : labels;
  const classNames = [...new Set(keys)];
  if (numeric) classNames.sort((a, b) => Number(a) - Number(b));
  if (classNames.length < 2) {
    throw new DatasetError(`Column '${column}' has only one class ('${classNames[0]}'); classification needs at least two.`, { column });
  }
  if (task === 'binary' && classNames.length !== 2) {
    throw new DatasetError(
      `Binary classification needs exactly 2 classes, but column '${column}' has ${classNames.length} (${listSome(classNames)}).`,
      { column },
    );
  }
  if (classNames.length > CSV_LIMITS.maxClasses) {
    throw new DatasetError(
      `Column '${column}' has ${classNames.length} distinct labels; at most ${CSV_LIMITS.maxClasses} classes are supported. If it is a quantity to predict, choose regression.`,
      { column },
    );
  }
  const ids = new Map(classNames.map((name, id) => [name, id]));
  const y = Float32Array.from(keys, (k) => ids.get(k)!);
  return { task: task ?? (classNames.length === 2 ? 'binary' : 'multiclass'), y, classNames };
}

function looksLikeClasses(numericLabels: string[]): boolean {
  const values = new Set<number>();
  for (const v of numericLabels) {
    const n = Number(v);
    if (!Number.isInteger(n)) return false;
    values.add(n);
    if (values.size > CSV_LIMITS.maxInferredClasses) return false;
  }
  return true;
}

function listSome(names: string[]): string {
  return names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')}, ...`;
}

/** UTF-8 length of `text`; exact whenever it could exceed `limit` (a character takes at most 3 bytes per UTF-16 unit). */
function utf8Length(text: string, limit: number): number {
  if (text.length * 3 <= limit) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00) {
      bytes += 4; // a surrogate pair: one 4-byte character
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function formatBytes(bytes: number): string {
  const oneDecimal = (v: number): string => v.toFixed(1).replace(/\.0$/, '');
  if (bytes >= 1024 * 1024) return `${oneDecimal(bytes / (1024 * 1024))} MB`;
  if (bytes >= 1024) return `${oneDecimal(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/** 50000 → "50,000" (without Intl, which the engine does not assume). */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
