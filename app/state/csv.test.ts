import { beforeEach, describe, expect, it } from 'vitest';
import { compiledOf } from './compiled';
import { graphStore } from './graph';
import { CSV_DATASET_ID, csvDataOf, headerColumns, readCsv, readCsvData, type CsvData } from './csvReading';
import { csvForLoad, describeTrainingDataset, NO_CSV_MESSAGE, restoreCsv, setCsvLabelColumn, setCsvTask, uploadCsv, useCsvUpload } from './csv';

/** A header and `n` rows made by `row(i)`. */
function csv(header: string, n: number, row: (i: number) => string): string {
  return [header, ...Array.from({ length: n }, (_, i) => row(i))].join('\n');
}

/** Two features and a text label in the last column. */
const plants = csv('height,width,kind', 12, (i) => `${i},${2 * i},${i % 3 === 0 ? 'fern' : 'moss'}`);

describe('readCsv', () => {
  it('reads a good file: last column as the label, task inferred, a preview of the first rows', () => {
    const r = readCsv(plants, 'plants.csv');
    expect(r.columns).toEqual(['height', 'width', 'kind']);
    expect(r.labelColumn).toBe('kind');
    expect(r.task).toBe('classification');
    if (!r.result.ok) throw new Error(r.result.problems[0]!.message);
    expect(r.result.info).toMatchObject({ id: CSV_DATASET_ID, name: 'plants.csv', task: 'binary', inputShape: [2], count: 12, classNames: ['fern', 'moss'] });
    expect(r.result.preview.columns).toEqual(['height', 'width', 'kind']);
    expect(r.result.preview.rows).toHaveLength(5);
    expect(r.result.choice).toEqual({ text: plants, name: 'plants.csv', labelColumn: 'kind', task: 'binary' });
  });

  it('surfaces a bad cell with its row and column', () => {
    const bad = plants.replace('\n4,8,', '\n4,n/a,');
    const r = readCsv(bad, 'plants.csv');
    expect(r.result).toEqual({
      ok: false,
      problems: [{ row: 5, column: 'width', message: "Column 'width', row 5: the value is missing ('n/a'). Remove the row or fill in the value." }],
      unlisted: 0,
    });
    // The columns are still known, so another label column can be chosen.
    expect(r.columns).toEqual(['height', 'width', 'kind']);
  });

  it('surfaces a text feature with its row and column, and a ragged row with its row', () => {
    const text = readCsv(plants.replace('\n7,14,', '\nseven,14,'), 'p.csv');
    expect(text.result.ok ? null : text.result.problems[0]).toMatchObject({ row: 8, column: 'height' });
    expect(text.result.ok ? '' : text.result.problems[0]!.message).toMatch(/^Column 'height', row 8: 'seven' is not a number/);
    const ragged = readCsv(plants.replace('\n2,4,moss', '\n2,4'), 'p.csv');
    expect(ragged.result.ok ? null : ragged.result.problems).toEqual([{ row: 3, message: 'Row 3: 2 values, but the header has 3 columns.' }]);
  });

  it('surfaces every problem of a file, each with its row and column, and counts those past the first 20', () => {
    const bad = readCsv(plants.replace('\n1,2,', '\n1,,').replace('\n7,14,', '\nseven,14,').replace('\n9,18,fern', '\n9,18'), 'p.csv');
    expect(bad.result).toEqual({
      ok: false,
      problems: [
        { row: 2, column: 'width', message: "Column 'width', row 2: the value is missing. Remove the row or fill in the value." },
        { row: 8, column: 'height', message: expect.stringMatching(/^Column 'height', row 8: 'seven' is not a number/) },
        { row: 10, message: 'Row 10: 2 values, but the header has 3 columns.' },
      ],
      unlisted: 0,
    });
    const many = readCsv(csv('a,b,kind', 30, (i) => `x,${i},${i % 2}`), 'm.csv');
    expect(many.result).toMatchObject({ ok: false, unlisted: 10 });
    expect(many.result.ok ? [] : many.result.problems.map((p) => p.row)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('a label column that is text but not last: refused by default, read once chosen', () => {
    const species = csv('kind,height,width', 12, (i) => `${i % 2 ? 'a' : 'b'},${i},${i * 0.5}`);
    const first = readCsv(species, 's.csv');
    expect(first.result.ok).toBe(false);
    expect(first.labelColumn).toBe('width');
    const chosen = readCsv(species, 's.csv', { labelColumn: 'kind' });
    expect(chosen.result.ok && chosen.result.info.classNames).toEqual(['b', 'a']);
  });

  it('follows the task asked for: regression of whole numbers, classification of a column inferred as regression', () => {
    const scores = csv('x,score', 30, (i) => `${i},${i}`);
    expect(readCsv(scores, 's.csv').result).toMatchObject({ ok: true, info: { task: 'regression' } });
    const asClasses = readCsv(scores, 's.csv', { task: 'classification' });
    expect(asClasses.task).toBe('classification');
    expect(asClasses.result).toMatchObject({ ok: true, info: { task: 'multiclass', numClasses: 30 } });
    const few = csv('x,y', 12, (i) => `${i},${(i % 2) + 0.5}`);
    expect(readCsv(few, 'f.csv', { task: 'classification' }).result).toMatchObject({ ok: true, info: { task: 'binary' }, choice: { task: 'binary' } });
    const words = readCsv(plants, 'p.csv', { task: 'regression' });
    expect(words.task).toBe('regression');
    expect(words.result.ok ? [] : words.result.problems.map((p) => [p.row, p.column])).toEqual(Array.from({ length: 12 }, (_, i) => [i + 1, 'kind']));
  });

  it('reads the header of a semicolon file, with a byte-order mark', () => {
    expect(headerColumns('\ufeffa;b;c\n1;2;3\n4;5;6\n')).toEqual(['a', 'b', 'c']);
    expect(headerColumns('')).toEqual([]);
  });
});

describe('a reading as the model format keeps it', () => {
  it('carries the name, the label column and the task the parser settled on, and the text when asked', () => {
    const r = readCsv(plants, 'plants.csv', { labelColumn: 'kind' });
    expect(csvDataOf(r, false)).toEqual({ kind: 'csv', name: 'plants.csv', labelColumn: 'kind', task: 'binary' });
    expect(csvDataOf(r, true)).toEqual({ kind: 'csv', name: 'plants.csv', labelColumn: 'kind', task: 'binary', text: plants });
  });

  it('reads back to the same choice: label column, task and dataset', () => {
    const scores = csv('x,score,kind', 30, (i) => `${i},${i},${i % 2}`);
    for (const r of [readCsv(scores, 's.csv', { labelColumn: 'score' }), readCsv(scores, 's.csv', { labelColumn: 'score', task: 'classification' }), readCsv(plants, 'p.csv')]) {
      const back = readCsvData(csvDataOf(r, true) as CsvData);
      expect(back.labelColumn).toBe(r.labelColumn);
      expect(back.task).toBe(r.task);
      expect(back.result.ok && back.result.choice).toEqual(r.result.ok && r.result.choice);
    }
  });

  it('keeps a refused file with what is known of its choice', () => {
    const r = readCsv(plants.replace('\n4,8,', '\n4,,'), 'plants.csv', { task: 'regression' });
    expect(csvDataOf(r, false)).toEqual({ kind: 'csv', name: 'plants.csv', labelColumn: 'kind', task: 'regression' });
    expect(readCsv(plants.replace('\n4,8,', '\n4,,'), 'p.csv').task).toBeNull();
    expect(csvDataOf(readCsv('a,b\n1', 'p.csv'), false)).not.toHaveProperty('task');
  });
});

describe('the uploaded CSV as the dataset', () => {
  beforeEach(() => {
    useCsvUpload.setState({ reading: null, version: 0 });
    graphStore.getState().setTraining({ dataset: 'spiral' });
  });

  it('is described for compile only while the document says csv', () => {
    expect(() => describeTrainingDataset(CSV_DATASET_ID, {})).toThrow(NO_CSV_MESSAGE);
    uploadCsv(plants, 'plants.csv');
    expect(describeTrainingDataset(CSV_DATASET_ID, {})).toMatchObject({ name: 'plants.csv', inputShape: [2] });
    expect(describeTrainingDataset('spiral', {}).id).toBe('spiral');
    expect(csvForLoad('spiral')).toBeNull();
  });

  it('reaches the load with a key that changes with the label column and the task', () => {
    uploadCsv(csv('height,width,kind', 12, (i) => `${i * 0.5},${2 * i},${i % 2}`), 'plants.csv');
    const first = csvForLoad(CSV_DATASET_ID)!;
    expect(first.choice).toMatchObject({ name: 'plants.csv', labelColumn: 'kind', task: 'binary' });
    setCsvLabelColumn('height');
    const second = csvForLoad(CSV_DATASET_ID)!;
    expect(second.choice).toMatchObject({ labelColumn: 'height', task: 'regression' });
    expect(second.key).not.toBe(first.key);
    setCsvTask('classification');
    expect(csvForLoad(CSV_DATASET_ID)!.choice.task).toBe('multiclass');
  });

  it('is not sent while refused, and compile names the problem', () => {
    uploadCsv(plants.replace('\n4,8,', '\n4,,'), 'plants.csv');
    expect(csvForLoad(CSV_DATASET_ID)).toBeNull();
    expect(() => describeTrainingDataset(CSV_DATASET_ID, {})).toThrow("plants.csv cannot be used: Column 'width', row 5: the value is missing.");
    uploadCsv(plants.replace('\n4,8,', '\n4,,').replace('\n5,10,', '\n5,,'), 'plants.csv');
    expect(() => describeTrainingDataset(CSV_DATASET_ID, {})).toThrow(/row 5: the value is missing\. Remove the row or fill in the value\. \(and 1 more problem\)$/);
  });

  it('a restored CSV is the dataset again, with its saved label column and task, under a new load key', () => {
    uploadCsv(plants, 'plants.csv');
    const before = csvForLoad(CSV_DATASET_ID)!;
    restoreCsv({ kind: 'csv', name: 'kept.csv', text: csv('a,b,c', 12, (i) => `${i},${i % 3},${i * 2}`), labelColumn: 'b', task: 'multiclass' });
    const after = csvForLoad(CSV_DATASET_ID)!;
    expect(after.choice).toMatchObject({ name: 'kept.csv', labelColumn: 'b', task: 'multiclass' });
    expect(after.key).not.toBe(before.key);
    expect(describeTrainingDataset(CSV_DATASET_ID, {})).toMatchObject({ name: 'kept.csv', numClasses: 3 });
  });

  it('the canvas compiles against a new CSV although the document did not change', () => {
    graphStore.getState().setTraining({ dataset: CSV_DATASET_ID });
    const doc = graphStore.getState().doc;
    expect(compiledOf(doc).datasetError).toBe(NO_CSV_MESSAGE);
    let notified = 0;
    const unsubscribe = graphStore.subscribe(() => notified++);
    uploadCsv(plants, 'plants.csv');
    unsubscribe();
    expect(notified).toBe(1);
    expect(graphStore.getState().doc).toBe(doc);
    expect(compiledOf(doc)).toMatchObject({ datasetError: null, dataset: { name: 'plants.csv', inputShape: [2], numClasses: 2 } });
  });
});
