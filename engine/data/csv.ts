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
 *
 * Problems in the cells (missing or non-numeric values, ragged rows, bad quotes, duplicate column
 * names) are all collected, in reading order, and refused together as one CsvError, so a file
 * can be fixed in one pass; the first CSV_LIMITS.maxProblems are spelled out, the rest counted.
 * Problems with the file as a whole (too large, too few rows, no such label column) stop at once.
 */
// The typings live in a script file (see papaparse.d.ts), which only a reference can pull in.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./papaparse.d.ts" />
import Papa from 'papaparse/papaparse.min.js';
import { DatasetError } from './types';
import type { Dataset, DatasetInfo } from './types';

export const TABLE_TASKS = ['multiclass', 'binary', 'regression'] as const;
export type TableTask = (typeof TABLE_TASKS)[number];

/** The dataset id of a model trained on the user's own CSV (the app's upload, the CLI's --data). */
export const CSV_DATASET_ID = 'csv';

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
  /** Problems spelled out in one refusal; any more are counted ("and 31 more problems"). */
  maxProblems: 20,
} as const;

/** One thing wrong with a file, and where: a 1-based data row and/or a column name. */
export interface CsvProblem {
  message: string;
  row?: number;
  column?: string;
}

/**
 * A file refused for one or more problems. `problems` holds the first CSV_LIMITS.maxProblems in
 * reading order and `unlisted` counts the rest. The message lists them one per line; with a single
 * problem it is that problem's message.
 */
export class CsvError extends DatasetError {
  constructor(
    readonly problems: readonly CsvProblem[],
    readonly unlisted: number,
  ) {
    const first = problems[0];
    super(
      [...problems.map((p) => p.message), ...(unlisted > 0 ? [`...and ${formatCount(unlisted)} more ${unlisted === 1 ? 'problem' : 'problems'}.`] : [])].join('\n'),
      first && (first.row !== undefined || first.column !== undefined) ? { ...(first.row !== undefined ? { row: first.row } : {}), ...(first.column !== undefined ? { column: first.column } : {}) } : undefined,
    );
    this.name = 'CsvError';
  }

  /** Every problem found, listed or not. */
  get total(): number {
    return this.problems.length + this.unlisted;
  }
}

/** Collects problems in reading order, keeping the text of the first `limit` only (a file may have millions). */
class ProblemList {
  readonly listed: CsvProblem[] = [];
  private unlisted = 0;
  constructor(private readonly limit: number) {}

  /** `message` is only called for a problem that will be listed. */
  add(where: { row?: number; column?: string }, message: () => string): void {
    if (this.listed.length < this.limit) this.listed.push({ message: message(), ...where });
    else this.unlisted++;
  }

  throwIfAny(): void {
    if (this.listed.length > 0) throw new CsvError(this.listed, this.unlisted);
  }
}

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
  if (looksBinary(text)) {
    throw new DatasetError('The file does not look like a CSV: it holds binary data, as an image or a spreadsheet does. Save the table as CSV (comma-separated text) and use that file.');
  }

  const problems = new ProblemList(CSV_LIMITS.maxProblems);
  const parsed = Papa.parse(text, { header: false, skipEmptyLines: 'greedy', transform: (v) => v.trim() });
  for (const quoteError of parsed.errors) {
    if (quoteError.type !== 'Quotes') continue;
    // With header: false, papaparse's row 0 is the header line, so its index is the data row.
    const row = quoteError.row;
    const where = row === undefined ? '' : row === 0 ? 'header row: ' : `row ${row}: `;
    problems.add(row ? { row } : {}, () => `${where}${quoteError.message}.`);
  }
  // A bad quote shifts every cell after it: what the rows seem to hold is not what the file means.
  problems.throwIfAny();
  const [header, ...rows] = parsed.data;
  if (!header) throw new DatasetError('The file is empty.');
  checkHeader(header, problems);
  problems.throwIfAny();
  if (rows.length === 0) throw new DatasetError('The file has a header row but no data rows.');
  if (rows.length > maxRows) {
    throw new DatasetError(`The file has ${formatCount(rows.length)} data rows; the limit is ${formatCount(maxRows)} rows.`);
  }
  if (rows.length < CSV_LIMITS.minRows) {
    throw new DatasetError(
      `The file has ${rows.length} data ${rows.length === 1 ? 'row' : 'rows'}; at least ${CSV_LIMITS.minRows} are needed to train and test.`,
    );
  }

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

  // Every cell is read, row by row, so the problems come in the order a person reads the file.
  const count = rows.length;
  const x = new Float32Array(count * featureIndices.length);
  const labels: string[] = new Array<string>(count);
  rows.forEach((row, i) => {
    const r = i + 1;
    if (row.length !== header.length) {
      problems.add({ row: r }, () => `row ${r}: ${countOf(row.length, 'value')}, but the header has ${countOf(header.length, 'column')}.`);
      return; // its cells do not line up with the columns
    }
    featureIndices.forEach((j, f) => {
      const value = readFeature(row[j]!, header[j]!, r, problems);
      if (value !== undefined) x[i * featureIndices.length + f] = value;
    });
    const label = row[labelIndex]!;
    labels[i] = label;
    if (!checkPresent(label, labelColumn, r, problems)) return;
    if (options.task === 'regression' && !NUMBER.test(label)) {
      problems.add({ row: r, column: labelColumn }, () => `column '${labelColumn}', row ${r}: '${label}' is not a number, but the task is regression.`);
    } else if (options.task === 'regression') readNumber(label, labelColumn, r, problems);
  });
  problems.throwIfAny();
  const target = readTarget(labels, labelColumn, options.task, problems);

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
        ? `${count} rows, ${countOf(featureIndices.length, 'feature')}, ${target.classNames.length} classes in '${labelColumn}'`
        : `${count} rows, ${countOf(featureIndices.length, 'feature')}; predicts '${labelColumn}'`),
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

function checkHeader(header: string[], problems: ProblemList): void {
  const seen = new Map<string, number>();
  header.forEach((name, j) => {
    if (name === '') {
      problems.add({}, () => `Column ${j + 1} has no name in the header row; give every column a name.`);
      return;
    }
    const first = seen.get(name);
    if (first !== undefined) {
      problems.add({ column: name }, () => `The column name '${name}' appears twice (columns ${first + 1} and ${j + 1}); column names must be unique.`);
    } else seen.set(name, j);
  });
}

/** False (and a problem) for a missing value. */
function checkPresent(cell: string, column: string, row: number, problems: ProblemList): boolean {
  if (!MISSING.has(cell.toLowerCase())) return true;
  problems.add(
    { row, column },
    () => `column '${column}', row ${row}: the value is missing${cell === '' ? '' : ` ('${cell}')`}. Remove the row or fill in the value.`,
  );
  return false;
}

/** A feature cell as float32, or undefined (and a problem) when it is missing or not a number float32 can hold. */
function readFeature(cell: string, column: string, row: number, problems: ProblemList): number | undefined {
  if (!checkPresent(cell, column, row, problems)) return undefined;
  if (!NUMBER.test(cell)) {
    problems.add(
      { row, column },
      () => `column '${column}', row ${row}: '${cell}' is not a number. Remove the column or encode it as numbers (for example one column per category, 0 or 1).`,
    );
    return undefined;
  }
  return readNumber(cell, column, row, problems);
}

/** A numeric cell as float32, refusing values float32 cannot hold. */
function readNumber(cell: string, column: string, row: number, problems: ProblemList): number | undefined {
  const value = Math.fround(Number(cell));
  if (Number.isFinite(value)) return value;
  problems.add({ row, column }, () => `column '${column}', row ${row}: ${cell} is too large (the limit is about ±3.4e38).`);
  return undefined;
}

interface Target {
  task: TableTask;
  y: Float32Array;
  classNames?: string[];
}

/** Labels that are all present; for a regression asked for, numbers float32 can hold (checked while reading the rows). */
function readTarget(labels: string[], column: string, task: TableTask | undefined, problems: ProblemList): Target {
  const numeric = labels.every((v) => NUMBER.test(v));
  if (task === 'regression') return { task, y: Float32Array.from(labels, (v) => Math.fround(Number(v))) };
  if (task === undefined && numeric && !looksLikeClasses(labels)) {
    const y = Float32Array.from(labels, (v, i) => readNumber(v, column, i + 1, problems) ?? 0);
    problems.throwIfAny();
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

/**
 * The UTF-8 length of `text`, counted without encoding it (it may be 20 MB). Given a `limit`, it is
 * exact only when it could exceed it (a character takes at most 3 bytes per UTF-16 unit): enough to
 * compare with the limit, cheaper for a text far below it.
 */
export function utf8Length(text: string, limit = Number.POSITIVE_INFINITY): number {
  if (Number.isFinite(limit) && text.length * 3 <= limit) return text.length;
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

/**
 * 1536 → "1.5 KB", 5 MB → "5 MB", 1.5 GB → "1.5 GB" (binary units, one decimal). Rounded up, so that a size just over
 * a limit never reads as the limit itself ("5.1 MB; the limit is 5 MB").
 */
export function formatBytes(bytes: number): string {
  const oneDecimal = (v: number): string => (Math.ceil(v * 10) / 10).toFixed(1).replace(/\.0$/, '');
  if (bytes >= 1024 ** 3) return `${oneDecimal(bytes / 1024 ** 3)} GB`;
  if (bytes >= 1024 * 1024) return `${oneDecimal(bytes / (1024 * 1024))} MB`;
  if (bytes >= 1024) return `${oneDecimal(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/**
 * Whether text read from a file is binary (an image, a spreadsheet, an archive) rather than a
 * table: its first 64K characters hold a NUL, or more than 1% control characters other than
 * tabs and line breaks. A text file in another encoding is not binary: its accents come out as
 * U+FFFD, which is not counted.
 */
function looksBinary(text: string): boolean {
  const n = Math.min(text.length, 65_536);
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return true;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) controls++;
  }
  return controls > n / 100;
}

/** "1 column", "3 columns", "1,200 rows". */
function countOf(n: number, noun: string): string {
  return `${formatCount(n)} ${n === 1 ? noun : `${noun}s`}`;
}

/** 50000 → "50,000" (without Intl, which the engine does not assume). */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
