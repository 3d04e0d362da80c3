import { describe, expect, it } from 'vitest';
import { strFromU8 } from 'fflate';
import { CsvError, parseCsvDataset } from './csv';
import type { CsvOptions } from './csv';
import { DatasetError } from './types';
import { readDatasetFile as readPublicDataset } from '../testing/files';

const OPTS: CsvOptions = { id: 'upload', name: 'My table' };

/** A CSV with a header and `n` rows made by `row(i)` (i from 0). */
function csv(header: string, n: number, row: (i: number) => string): string {
  return [header, ...Array.from({ length: n }, (_, i) => row(i))].join('\n');
}

/** Two numeric features and a string label alternating a/b. */
const good = (n = 12): string => csv('height,weight,kind', n, (i) => `${i},${2 * i},${i % 2 ? 'b' : 'a'}`);

function refusal(text: string, options: Partial<CsvOptions> = {}): DatasetError {
  try {
    parseCsvDataset(text, { ...OPTS, ...options });
  } catch (e) {
    expect(e).toBeInstanceOf(DatasetError);
    return e as DatasetError;
  }
  throw new Error('expected a DatasetError');
}

describe('built-in tables', () => {
  it.each([
    ['iris.csv', 150, 4, ['setosa', 'versicolor', 'virginica'], [50, 50, 50]],
    ['penguins.csv', 333, 8, ['Adelie', 'Chinstrap', 'Gentoo'], [146, 68, 119]],
    ['wine.csv', 178, 13, ['class_0', 'class_1', 'class_2'], [59, 71, 48]],
    ['breast-cancer.csv', 569, 30, ['malignant', 'benign'], [212, 357]],
  ])('%s: %i rows × %i features, classes in order of first appearance', async (file, rows, features, classes, perClass) => {
    const d = parseCsvDataset(strFromU8(await readPublicDataset(file)), { id: 't', name: file });
    expect(d.info.count).toBe(rows);
    expect(d.info.inputShape).toEqual([features]);
    expect(d.info.targetShape).toEqual([]);
    expect(d.info.featureNames).toHaveLength(features);
    expect(d.info.classNames).toEqual(classes);
    expect(d.info.numClasses).toBe(classes.length);
    expect(d.info.task).toBe(classes.length === 2 ? 'binary' : 'multiclass');
    expect(d.info.targetName).toBe('label');
    expect(d.info.standardize).toBe(true);
    expect(d.info.kind).toBe('table');
    expect(d.x).toHaveLength(rows * features);
    expect(d.x.every(Number.isFinite)).toBe(true);
    const counts = classes.map((_, c) => d.y.filter((v) => v === c).length);
    expect(counts).toEqual(perClass);
  });

  it('reads the values of the first iris row', async () => {
    const d = parseCsvDataset(strFromU8(await readPublicDataset('iris.csv')), OPTS);
    expect(Array.from(d.x.subarray(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2].map(Math.fround));
    expect(d.info.featureNames![0]).toBe('sepal length (cm)');
  });
});

describe('labels and tasks', () => {
  it('maps text labels to ids in order of first appearance', () => {
    const d = parseCsvDataset(csv('a,label', 12, (i) => `${i},${['zebra', 'ant', 'moth'][i % 3]}`), OPTS);
    expect(d.info.classNames).toEqual(['zebra', 'ant', 'moth']);
    expect(Array.from(d.y.subarray(0, 4))).toEqual([0, 1, 2, 0]);
    expect(d.info.task).toBe('multiclass');
  });

  it('sorts whole-number labels ascending, treating 2 and 2.0 as one class', () => {
    const labels = ['3', '1', '2.0', '2'];
    const d = parseCsvDataset(csv('a,label', 12, (i) => `${i},${labels[i % 4]}`), OPTS);
    expect(d.info.classNames).toEqual(['1', '2', '3']);
    expect(Array.from(d.y.subarray(0, 4))).toEqual([2, 0, 1, 1]);
  });

  it('infers binary from two classes, regression from fractional or many distinct numbers', () => {
    expect(parseCsvDataset(csv('a,y', 12, (i) => `${i},${i % 2}`), OPTS).info.task).toBe('binary');
    const fractional = parseCsvDataset(csv('a,y', 12, (i) => `${i},${i % 2}.5`), OPTS);
    expect(fractional.info.task).toBe('regression');
    expect(fractional.info.targetShape).toEqual([1]);
    expect(fractional.info.classNames).toBeUndefined();
    expect(Array.from(fractional.y.subarray(0, 2))).toEqual([0.5, 1.5]);
    expect(parseCsvDataset(csv('a,y', 21, (i) => `${i},${i}`), OPTS).info.task).toBe('regression');
    expect(parseCsvDataset(csv('a,y', 20, (i) => `${i},${i}`), OPTS).info.task).toBe('multiclass');
  });

  it('follows an explicit task and label column', () => {
    const d = parseCsvDataset(csv('price,a,b', 12, (i) => `${i % 3},${i},${-i}`), { ...OPTS, labelColumn: 'price', task: 'regression' });
    expect(d.info.task).toBe('regression');
    expect(d.info.featureNames).toEqual(['a', 'b']);
    expect(d.info.targetName).toBe('price');
    expect(Array.from(d.x.subarray(2, 4))).toEqual([1, -1]);
    expect(d.y[2]).toBe(2);
  });

  it('trims cells, skips blank lines, strips a byte-order mark and reads quoted and exponent numbers', () => {
    const text = '\uFEFF x , label \n\n' + Array.from({ length: 12 }, (_, i) => `"${i}e-1",  ${i % 2 ? 'yes' : 'no'} `).join('\n\n') + '\n';
    const d = parseCsvDataset(text, OPTS);
    expect(d.info.featureNames).toEqual(['x']);
    expect(d.info.count).toBe(12);
    expect(d.x[3]).toBe(Math.fround(0.3));
    expect(d.info.classNames).toEqual(['no', 'yes']);
  });

  it('detects a semicolon delimiter', () => {
    const d = parseCsvDataset(csv('a;b;label', 12, (i) => `${i};${i * 2};${i % 2}`), OPTS);
    expect(d.info.inputShape).toEqual([2]);
  });
});

describe('refusals say what and where', () => {
  it('a non-numeric feature: names the column and the data row, suggests removing or encoding it', () => {
    const text = csv('height,colour,kind', 12, (i) => `${i},${i === 6 ? 'red' : i},${i % 2}`);
    const e = refusal(text);
    expect(e.message).toContain("column 'colour', row 7: 'red' is not a number");
    expect(e.message).toMatch(/Remove the column or encode it/);
    expect(e.where).toEqual({ row: 7, column: 'colour' });
  });

  it('a missing feature value (empty or NA): names the column and the row', () => {
    expect(refusal(csv('height,weight,kind', 12, (i) => `${i},${i === 3 ? '' : i},a${i % 2}`)).message).toBe(
      "column 'weight', row 4: the value is missing. Remove the row or fill in the value.",
    );
    expect(refusal(csv('height,weight,kind', 12, (i) => `${i === 9 ? 'NA' : i},${i},a${i % 2}`)).message).toContain(
      "column 'height', row 10: the value is missing ('NA')",
    );
  });

  it('a missing label: names the label column and the row', () => {
    const e = refusal(csv('a,kind', 12, (i) => `${i},${i === 11 ? '' : i % 2}`));
    expect(e.message).toContain("column 'kind', row 12: the value is missing");
  });

  it('fewer than 10 rows', () => {
    expect(refusal(good(9)).message).toBe('The file has 9 data rows; at least 10 are needed to train and test.');
    expect(() => parseCsvDataset(good(10), OPTS)).not.toThrow();
  });

  it('more rows than the limit, stating the limit', () => {
    expect(refusal(good(20), { maxRows: 15 }).message).toBe('The file has 20 data rows; the limit is 15 rows.');
    expect(refusal(good(50_001)).message).toBe('The file has 50,001 data rows; the limit is 50,000 rows.');
  });

  it('a file larger than the byte limit, stating the limit', () => {
    expect(good().length).toBeGreaterThan(50);
    expect(refusal(good(), { maxBytes: 50 }).message).toMatch(/^The file is \d+ bytes; the limit is 50 bytes\.$/);
    const big = 'a,label\n' + '1,2\n'.repeat(5_500_000); // 22 MB
    expect(refusal(big).message).toBe('The file is 21 MB; the limit is 20 MB.');
  });

  it('counts multi-byte characters as UTF-8 bytes', () => {
    const text = csv('x,label', 12, (i) => `${i},${i % 2 ? 'été' : 'hiver'}`);
    const ascii = text.replace(/é/g, 'e');
    expect(() => parseCsvDataset(ascii, { ...OPTS, maxBytes: ascii.length })).not.toThrow();
    expect(refusal(text, { maxBytes: text.length }).message).toMatch(/^The file is \d+ bytes/);
  });

  it('a number too large for float32', () => {
    const e = refusal(csv('a,b,label', 12, (i) => `${i},${i === 5 ? '-2e39' : i},${i % 2}`));
    expect(e.message).toBe("column 'b', row 6: -2e39 is too large (the limit is about ±3.4e38).");
  });

  it('only one class', () => {
    const e = refusal(csv('a,kind', 12, (i) => `${i},setosa`));
    expect(e.message).toBe("Column 'kind' has only one class ('setosa'); classification needs at least two.");
  });

  it('binary asked for with three classes', () => {
    const e = refusal(csv('a,kind', 12, (i) => `${i},${'xyz'[i % 3]}`), { task: 'binary' });
    expect(e.message).toBe("Binary classification needs exactly 2 classes, but column 'kind' has 3 (x, y, z).");
  });

  it('text labels with regression asked for: names every row', () => {
    const e = refusal(good(), { task: 'regression' }) as CsvError;
    expect(e.message.split('\n')[0]).toBe("column 'kind', row 1: 'a' is not a number, but the task is regression.");
    expect(e.problems.map((p) => p.row)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('too many classes for a text label', () => {
    const e = refusal(csv('a,id', 150, (i) => `${i},id${i}`));
    expect(e.message).toMatch(/^Column 'id' has 150 distinct labels; at most 100 classes/);
  });

  it('a label column that does not exist: lists the columns', () => {
    const e = refusal(good(), { labelColumn: 'species' });
    expect(e.message).toBe("There is no column 'species'. The columns are: height, weight, kind.");
  });

  it('an empty file, a blank file and a header-only file', () => {
    expect(refusal('').message).toBe('The file is empty.');
    expect(refusal(' \n\n  \n').message).toBe('The file is empty.');
    expect(refusal('a,b,label\n').message).toBe('The file has a header row but no data rows.');
  });

  it('ragged rows: names the row and both counts', () => {
    const text = csv('a,b,label', 12, (i) => (i === 4 ? '1,2' : i === 8 ? '1,2,3,4' : `${i},${i},${i % 2}`));
    const e = refusal(text);
    expect(e.message).toBe('row 5: 2 values, but the header has 3 columns.\nrow 9: 4 values, but the header has 3 columns.');
    expect(e.where).toEqual({ row: 5 });
  });

  it('counts in words that agree with the number: 1 value, 1 feature', () => {
    const text = csv('a,label', 12, (i) => (i === 2 ? '7' : `${i},${i % 2}`));
    expect(refusal(text).message).toBe('row 3: 1 value, but the header has 2 columns.');
    const oneFeature = parseCsvDataset(csv('a,y', 12, (i) => `${i},${i * 0.5 + 0.25}`), OPTS);
    expect(oneFeature.info.description).toBe("12 rows, 1 feature; predicts 'y'");
  });

  it('an image or a spreadsheet read as text: says it does not look like a CSV', () => {
    // A PNG's signature and the start of its header chunk, and a zip (an .xlsx), as a browser's file.text() gives them.
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0, 0x2c, 0x0a, 0x31, 0x2c, 0x32]);
    const xlsx = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0x06, 0, 0x08, 0, ...new TextEncoder().encode('[Content_Types].xml,a,b\n1,2,3\n')]);
    for (const bytes of [png, xlsx]) {
      expect(refusal(new TextDecoder().decode(bytes)).message).toBe(
        'The file does not look like a CSV: it holds binary data, as an image or a spreadsheet does. Save the table as CSV (comma-separated text) and use that file.',
      );
    }
  });

  it('a CSV in another encoding is still a CSV: its accents are not binary', () => {
    // "café" and "thé" in Latin-1, read as UTF-8: each é becomes U+FFFD.
    const encode = (text: string) => [...new TextEncoder().encode(text)];
    const rows = Array.from({ length: 12 }, (_, i) => [...encode(`${i},${i % 2 ? 'th' : 'caf'}`), 0xe9, 0x0a]);
    const latin1 = new TextDecoder().decode(new Uint8Array([...encode('size,kind\n'), ...rows.flat()]));
    expect(parseCsvDataset(latin1, OPTS).info.classNames).toEqual(['caf\ufffd', 'th\ufffd']);
  });

  it('an unterminated quote: names the row', () => {
    const text = csv('a,b,label', 12, (i) => (i === 2 ? '1,"2,0' : `${i},${i},${i % 2}`));
    expect(refusal(text).message).toMatch(/^row 3: Quoted field unterminated/);
  });

  it('a file with only the label column', () => {
    expect(refusal(csv('label', 12, (i) => `${i % 2}`)).message).toContain("only the label column ('label')");
  });

  it('an unnamed or duplicated column', () => {
    expect(refusal(csv('a,,label', 12, (i) => `${i},${i},${i % 2}`)).message).toBe(
      'Column 2 has no name in the header row; give every column a name.',
    );
    expect(refusal(csv('a,b,a,label', 12, (i) => `${i},${i},${i},${i % 2}`)).message).toContain(
      "The column name 'a' appears twice (columns 1 and 3)",
    );
  });
});

describe('every problem at once', () => {
  it('lists each problem of the file in reading order, with its row and column, not only the first', () => {
    const text = csv('height,weight,kind', 12, (i) =>
      i === 1 ? `${i},,a` : i === 4 ? `tall,${i},b` : i === 6 ? `${i},${i}` : i === 9 ? `${i},1e40,NA` : `${i},${i},${i % 2 ? 'a' : 'b'}`,
    );
    const e = refusal(text);
    expect(e).toBeInstanceOf(CsvError);
    const { problems, unlisted } = e as CsvError;
    expect(unlisted).toBe(0);
    expect(problems).toEqual([
      { row: 2, column: 'weight', message: "column 'weight', row 2: the value is missing. Remove the row or fill in the value." },
      { row: 5, column: 'height', message: expect.stringMatching(/^column 'height', row 5: 'tall' is not a number\./) },
      { row: 7, message: 'row 7: 2 values, but the header has 3 columns.' },
      { row: 10, column: 'weight', message: "column 'weight', row 10: 1e40 is too large (the limit is about ±3.4e38)." },
      { row: 10, column: 'kind', message: "column 'kind', row 10: the value is missing ('NA'). Remove the row or fill in the value." },
    ]);
    expect(e.message.split('\n')).toEqual(problems.map((p) => p.message));
    // Where the refusal points is its first problem.
    expect(e.where).toEqual({ row: 2, column: 'weight' });
  });

  it('spells out the first 20 problems and counts the rest', () => {
    const e = refusal(csv('a,b,label', 40, (i) => `x${i},?,${i % 2}`)) as CsvError;
    expect(e.total).toBe(80);
    expect(e.problems).toHaveLength(20);
    expect(e.unlisted).toBe(60);
    expect(e.problems.slice(0, 3).map((p) => [p.row, p.column])).toEqual([
      [1, 'a'],
      [1, 'b'],
      [2, 'a'],
    ]);
    expect(e.message.split('\n')).toHaveLength(21);
    expect(e.message).toMatch(/\n\.\.\.and 60 more problems\.$/);
  });

  it('names every unnamed and repeated column of the header together', () => {
    const e = refusal(csv('a,,a,,label', 12, (i) => `${i},${i},${i},${i},${i % 2}`)) as CsvError;
    expect(e.problems.map((p) => p.message)).toEqual([
      'Column 2 has no name in the header row; give every column a name.',
      "The column name 'a' appears twice (columns 1 and 3); column names must be unique.",
      'Column 4 has no name in the header row; give every column a name.',
    ]);
  });

  it('a large label that regression is inferred for', () => {
    const e = refusal(csv('a,y', 30, (i) => `${i},${i === 3 ? '5e38' : i * 1000}`));
    expect(e.message).toBe("column 'y', row 4: 5e38 is too large (the limit is about ±3.4e38).");
  });
});
